/**
 * PUT and DELETE of a topic, over HTTP framing-free: PUT joins a topic the
 * allow-list allows and pins it (held until DELETE), waiting for the join
 * within a deadline; it is idempotent, and new params rejoin. A configured
 * channel is reported as it is (PUT) and cannot be deleted (it comes from
 * the config file: a reload removes it). DELETE leaves a dynamic topic; its
 * readers get a final `channel_closed` event.
 */
import { isDeepStrictEqual } from 'node:util'
import { withDeadline } from '../../client/deadline.ts'
import { TimeoutError } from '../../phoenix/errors.ts'
import type { JoinOutcome } from '../../phoenix/session-types.ts'
import type { Gateway } from '../gateway.ts'
import { ConfiguredTopicError, PutJoinTimeoutError, UnknownTopicError } from '../errors.ts'
import type { Subscription } from '../hub/subscription.ts'

export interface PutRequest {
  /** Join params: they replace the entry's top-level keys. */
  params?: Record<string, unknown>
  upstream?: string
  /** How long to wait for the join; the configured push deadline by default. */
  timeoutMs?: number
}

export interface PutResult { sub: Subscription, created: boolean }

/**
 * The join's outcome within `timeoutMs`: resolves once joined, throws the refusal or a 503 when not joined in time.
 * The wait is work in flight for the drain: cut with BC_ERR_DRAIN_CUT when the drain's share for it runs out.
 */
async function settled (gateway: Gateway, joined: Promise<JoinOutcome>, topic: string, timeoutMs: number): Promise<void> {
  let outcome: JoinOutcome
  try {
    outcome = await gateway.work(async (signal) => withDeadline(joined, timeoutMs, 'join', signal))
  } catch (err) {
    if (err instanceof TimeoutError) throw new PutJoinTimeoutError(topic, timeoutMs)
    throw err
  }
  if (outcome.kind === 'joined') return
  if (outcome.error instanceof TimeoutError) throw new PutJoinTimeoutError(topic, timeoutMs)
  throw outcome.error
}

/** The current join of a held subscription, now or when it next completes. */
async function whenJoined (gateway: Gateway, sub: Subscription, timeoutMs: number): Promise<void> {
  if (sub.state === 'joined') return
  const joined = new Promise<JoinOutcome>((resolve) => { gateway.upstreams.join(sub, resolve) })
  await settled(gateway, joined, sub.config.topic, timeoutMs)
}

export async function putTopic (gateway: Gateway, topic: string, request: PutRequest): Promise<PutResult> {
  const timeoutMs = request.timeoutMs ?? gateway.config.pushTimeoutMs
  const found = gateway.held(topic, request.upstream)
  if (found !== undefined) {
    const entry = gateway.dynamic.entryOf(found)
    if (entry === undefined) {
      if (request.params !== undefined) throw new ConfiguredTopicError(topic, 'its params come from the config file')
      return { sub: found, created: false }
    }
    gateway.dynamic.pin(found)
    const params = { ...entry.params, ...request.params }
    if (request.params !== undefined && !isDeepStrictEqual(params, found.config.params)) {
      found.reconfigure({ ...found.config, params })
      gateway.upstreams.rejoin(found)
    }
    await whenJoined(gateway, found, timeoutMs)
    return { sub: found, created: false }
  }
  const entry = gateway.dynamic.match(topic, request.upstream)
  if (entry === undefined) throw gateway.dynamic.notAllowed(topic, request.upstream)
  const { sub, joined } = gateway.addDynamic(entry, topic, request.params ?? {}, true, 'put')
  try {
    await settled(gateway, joined, topic, timeoutMs)
  } catch (err) {
    // Not joined in time: it stays pinned and keeps trying. Refused or impossible: it is not kept.
    if (!(err instanceof PutJoinTimeoutError)) await gateway.dropDynamic(sub, 'join_failed')
    throw err
  }
  return { sub, created: true }
}

export async function deleteTopic (gateway: Gateway, topic: string, upstream: string | undefined): Promise<Subscription> {
  const found = gateway.held(topic, upstream)
  if (found === undefined) {
    if (gateway.dynamic.match(topic, upstream) === undefined) throw gateway.dynamic.notAllowed(topic, upstream)
    throw new UnknownTopicError(topic, 'not_joined')
  }
  if (!gateway.dynamic.has(found)) throw new ConfiguredTopicError(topic, 'remove it from the config file and reload to leave it')
  await gateway.dropDynamic(found, 'deleted')
  return found
}
