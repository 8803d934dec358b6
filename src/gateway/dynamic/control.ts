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
import type { Broker } from '../broker.ts'
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
async function settled (broker: Broker, joined: Promise<JoinOutcome>, topic: string, timeoutMs: number): Promise<void> {
  let outcome: JoinOutcome
  try {
    outcome = await broker.work(async (signal) => withDeadline(joined, timeoutMs, 'join', signal))
  } catch (err) {
    if (err instanceof TimeoutError) throw new PutJoinTimeoutError(topic, timeoutMs)
    throw err
  }
  if (outcome.kind === 'joined') return
  if (outcome.error instanceof TimeoutError) throw new PutJoinTimeoutError(topic, timeoutMs)
  throw outcome.error
}

/** The current join of a held subscription, now or when it next completes. */
async function whenJoined (broker: Broker, sub: Subscription, timeoutMs: number): Promise<void> {
  if (sub.state === 'joined') return
  const joined = new Promise<JoinOutcome>((resolve) => { broker.upstreams.join(sub, resolve) })
  await settled(broker, joined, sub.config.topic, timeoutMs)
}

export async function putTopic (broker: Broker, topic: string, request: PutRequest): Promise<PutResult> {
  const timeoutMs = request.timeoutMs ?? broker.config.pushTimeoutMs
  const found = broker.held(topic, request.upstream)
  if (found !== undefined) {
    const entry = broker.dynamic.entryOf(found)
    if (entry === undefined) {
      if (request.params !== undefined) throw new ConfiguredTopicError(topic, 'its params come from the config file')
      return { sub: found, created: false }
    }
    broker.dynamic.pin(found)
    const params = { ...entry.params, ...request.params }
    if (request.params !== undefined && !isDeepStrictEqual(params, found.config.params)) {
      found.reconfigure({ ...found.config, params })
      broker.upstreams.rejoin(found)
    }
    await whenJoined(broker, found, timeoutMs)
    return { sub: found, created: false }
  }
  const entry = broker.dynamic.match(topic, request.upstream)
  if (entry === undefined) throw broker.dynamic.notAllowed(topic, request.upstream)
  const { sub, joined } = broker.addDynamic(entry, topic, request.params ?? {}, true, 'put')
  try {
    await settled(broker, joined, topic, timeoutMs)
  } catch (err) {
    // Not joined in time: it stays pinned and keeps trying. Refused or impossible: it is not kept.
    if (!(err instanceof PutJoinTimeoutError)) await broker.dropDynamic(sub, 'join_failed')
    throw err
  }
  return { sub, created: true }
}

export async function deleteTopic (broker: Broker, topic: string, upstream: string | undefined): Promise<Subscription> {
  const found = broker.held(topic, upstream)
  if (found === undefined) {
    if (broker.dynamic.match(topic, upstream) === undefined) throw broker.dynamic.notAllowed(topic, upstream)
    throw new UnknownTopicError(topic, 'not_joined')
  }
  if (!broker.dynamic.has(found)) throw new ConfiguredTopicError(topic, 'remove it from the config file and reload to leave it')
  await broker.dropDynamic(found, 'deleted')
  return found
}
