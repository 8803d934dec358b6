/**
 * The gateway's core, between the HTTP routes and the upstream clients:
 * joins every configured channel, joins dynamic topics on demand (an SSE
 * reader or a push to a topic the allow-list allows) and leaves them when
 * they have lingered unused, feeds the hub, and answers pushes with exactly
 * one outcome. PUT and DELETE of dynamic topics live in dynamic/control.ts.
 * Knows nothing of HTTP framing.
 */
import { EventEmitter } from 'node:events'
import type { Client, Reply } from '../client/client.ts'
import { withDeadline } from '../client/deadline.ts'
import { isBackchannelError, type BackchannelError } from '../errors.ts'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../phoenix/depth.ts'
import { AbortedError, ProtocolError } from '../phoenix/errors.ts'
import type { JoinOutcome } from '../phoenix/session-types.ts'
import type { Config, DynamicConfig, UpstreamConfig } from './config/types.ts'
import { topicProblem } from './config/topic.ts'
import { DrainCutError } from './drain.ts'
import { dynamicChannel, DynamicTopics, type Trigger } from './dynamic/registry.ts'
import { AmbiguousTopicError, BadRequestError, DrainingError, NeverSentError, UnknownTopicError } from './errors.ts'
import { withTraceField } from './http/trace.ts'
import type { Hub } from './hub/hub.ts'
import type { Subscription } from './hub/subscription.ts'
import { OpenReaders } from './readers.ts'
import { UpstreamSet } from './upstream-set.ts'

/** Extra time the HTTP layer gives a push beyond its own deadline before answering 504 itself. */
const PUSH_MARGIN_MS = 1000

/** The abort reason of work the drain cut. */
const DRAIN_CUT = Symbol('drain cut')

/** What the gateway reports to metrics and logs. */
export interface BrokerEvents {
  /**
   * A push ended. `subscription` and `upstream` are the configured names (null when the topic is not
   * configured); `status` is the reply's status, or null when it failed with the error `code`.
   */
  push_done: [{ subscription: string | null, upstream: string | null, status: string | null, code: string | null, seconds: number }]
  /** An SSE stream was refused before it opened: past a limit, or its token did not allow it. */
  sse_refused: [{ reason: SseRefusal }]
  /** A request was answered 401, by reason: `unauthorized` (no token, or not the API token), or the TokenRejectedError's reason. */
  token_rejected: [{ reason: string }]
}

/** Why an SSE stream was refused: sse.maxClients, a per-subject or per-address cap, no valid token, or a topic its token does not cover. */
export type SseRefusal = 'max_clients' | 'subject_limit' | 'address_limit' | 'unauthorized' | 'forbidden'

/** A subscription in use by one reader or push: `release` once it is done (a dynamic topic may then linger and leave). */
export interface InUse { sub: Subscription, release: () => void }

/** A dynamic subscription just made, and its first join's outcome. */
export interface Added { sub: Subscription, joined: Promise<JoinOutcome> }

/** Push errors that mean it never went out: waiting for a socket or a join, or refused before it. */
function neverSent (err: BackchannelError): boolean {
  if (err.code === 'BC_ERR_TIMEOUT' || err.code === 'BC_ERR_DISCONNECTED') return (err as { sent?: unknown }).sent === false
  return err.code === 'BC_ERR_NOT_JOINED' || err.code === 'BC_ERR_BUFFER_FULL'
}

/**
 * A push that was never sent, answered with why its channel is not joined: the
 * channel's last error (a connect failure with its code and cause — an upstream
 * url with one /websocket too many gets 404 on every connect — or a refused or
 * timed-out join) as the problem's `details.lastError`.
 */
function withLastError (err: unknown, sub: Subscription): unknown {
  if (!isBackchannelError(err) || sub.lastError === null || !neverSent(err)) return err
  return new NeverSentError(err, sub.lastError)
}

export class Broker {
  /** The current configuration: a reload replaces it (the environment part never changes). */
  config: Config
  readonly hub: Hub
  readonly upstreams: UpstreamSet
  readonly dynamic: DynamicTopics
  readonly events = new EventEmitter<BrokerEvents>()
  /** Open readers of every outlet, for limits, keep-alives and shutdown. */
  readonly readers = new OpenReaders()
  #draining = false
  /** Work in flight (pushes, PUT joins), each with the controller that cuts it when the drain's share for it runs out. */
  readonly #work = new Set<AbortController>()
  #idle: Array<() => void> = []

  constructor (config: Config, hub: Hub, create: (upstream: UpstreamConfig) => Client) {
    this.config = config
    this.hub = hub
    this.upstreams = new UpstreamSet(hub, { create, onEnded: (sub, reason) => { this.#ended(sub, reason) } })
    this.dynamic = new DynamicTopics(config.dynamic, (sub) => { this.dropDynamic(sub, 'linger').catch(() => undefined) })
    for (const upstream of config.upstreams) this.upstreams.add(upstream)
  }

  /** The upstream clients by name (a reload may add, replace or remove some). */
  get clients (): ReadonlyMap<string, Client> { return this.upstreams.clients }

  get draining (): boolean { return this.#draining }

  /** Connects every upstream and asks for every configured channel. */
  start (): void {
    this.upstreams.connect()
    for (const sub of this.hub.all()) this.upstreams.join(sub)
  }

  /** From now on, new pushes and SSE streams are refused with 503. */
  drain (): void {
    this.#draining = true
  }

  /** The subscription a request names (configured or dynamic, already held), or the HTTP error to answer. */
  subscription (topic: string, upstream: string | undefined): Subscription {
    const sub = this.held(topic, upstream)
    if (sub === undefined) throw new UnknownTopicError(topic, 'not_held')
    return sub
  }

  /**
   * The subscription a reader or a push uses, joined on demand when the
   * topic is not held but the allow-list allows it. Holds it until
   * `release` is called.
   */
  use (topic: string, upstream: string | undefined, trigger: Trigger): InUse {
    let sub = this.held(topic, upstream)
    if (sub === undefined) {
      const entry = this.#allowed(topic, upstream)
      sub = this.addDynamic(entry, topic, {}, false, trigger).sub
    }
    return { sub, release: this.dynamic.use(sub) }
  }

  /** Throws what `use` would for a topic neither held nor allowed, or not a valid topic, without joining anything. */
  checkUsable (topic: string, upstream: string | undefined): void {
    if (this.held(topic, upstream) !== undefined) return
    this.#allowed(topic, upstream)
    const problem = topicProblem(topic)
    if (problem !== null) throw new BadRequestError(`topic ${JSON.stringify(topic)} ${problem}`)
  }

  #allowed (topic: string, upstream: string | undefined): DynamicConfig {
    const entry = this.dynamic.match(topic, upstream)
    if (entry === undefined) throw new UnknownTopicError(topic, 'not_allowed')
    return entry
  }

  /**
   * A new dynamic subscription of `entry`, asked for at once. Throws
   * BC_ERR_TOPIC_LIMIT when the entry holds its maxTopics, and the pool's
   * error when no socket has room for it.
   */
  addDynamic (entry: DynamicConfig, topic: string, params: Record<string, unknown>, pinned: boolean, trigger: Trigger): Added {
    // The rule configured topics meet: a pattern's `*` would let a control character through to Phoenix.
    const problem = topicProblem(topic)
    if (problem !== null) throw new BadRequestError(`topic ${JSON.stringify(topic)} ${problem}`)
    this.dynamic.checkRoom(entry)
    const sub = this.hub.create(dynamicChannel(entry, topic, params))
    const at = { registered: false, refusedNow: null as BackchannelError | null }
    let settle: (outcome: JoinOutcome) => void = () => {}
    const joined = new Promise<JoinOutcome>((resolve) => { settle = resolve })
    // Joined before it is registered: the end of an earlier channel of this topic that is still being left
    // (reported while the join takes its place) must not reach the new subscription.
    this.upstreams.join(sub, (outcome) => {
      if (!at.registered && outcome.kind === 'failed') at.refusedNow = outcome.error
      settle(outcome)
    })
    if (at.refusedNow !== null) throw at.refusedNow
    this.hub.register(sub)
    at.registered = true
    this.dynamic.add(sub, entry, pinned, trigger)
    return { sub, joined }
  }

  /** Leaves a dynamic topic: its readers get a final `channel_closed` event with `reason`. */
  async dropDynamic (sub: Subscription, reason: string): Promise<void> {
    if (!this.dynamic.forget(sub, reason)) return
    this.hub.remove(sub, reason, this.config.sse.retryMs)
    await this.upstreams.leave(sub)
  }

  /** One push, one outcome. `traceparent` (already validated) goes into the payload when the channel names a traceField. */
  async push (topic: string, upstream: string | undefined, event: string, payload: unknown, timeoutMs: number | undefined, signal?: AbortSignal, traceparent: string | null = null): Promise<Reply> {
    const started = performance.now()
    let used: InUse | undefined
    const done = (status: string | null, code: string | null): void => {
      const found = used?.sub ?? this.hub.find(topic, upstream) // named even when refused before the lookup (draining)
      const known = typeof found === 'object' ? found : undefined
      const names = { subscription: known?.config.name ?? null, upstream: known?.config.upstream ?? null }
      this.events.emit('push_done', { ...names, status, code, seconds: (performance.now() - started) / 1000 })
    }
    try {
      used = this.use(topic, upstream, 'push')
      const reply = await this.#push(used.sub, event, withTraceField(payload, used.sub.config.traceField, traceparent), timeoutMs, signal)
      // A reply is the peer's bytes too: one nested too deep to be written as JSON is refused here, not thrown later.
      if (nestedDeeperThan(reply.response, MAX_JSON_DEPTH)) throw new ProtocolError('too_deep', `the channel's reply nests more than ${MAX_JSON_DEPTH} levels deep: it cannot be relayed`)
      done(reply.status, null)
      return reply
    } catch (err) {
      done(null, isBackchannelError(err) ? err.code : 'BC_ERR_INTERNAL')
      throw used === undefined ? err : withLastError(err, used.sub)
    } finally {
      used?.release()
    }
  }

  async #push (sub: Subscription, event: string, payload: unknown, timeoutMs: number | undefined, signal?: AbortSignal): Promise<Reply> {
    const client = this.upstreams.client(sub.config.upstream)
    const timeout = timeoutMs ?? this.config.pushTimeoutMs
    return this.work(async (cut) => withDeadline(client.request(sub.config.topic, event, payload, { timeout, signal: cut }), timeout + PUSH_MARGIN_MS, 'push'), signal)
  }

  /**
   * Runs `task` as work in flight: the drain waits for it, and cuts it when
   * its share of the budget runs out (`cutWork`). `task` gets a signal that
   * fires on the cut or when `signal` (the caller's) fires; an AbortedError
   * caused by the cut becomes DrainCutError (503, or 504 when already sent).
   */
  async work<T> (task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const cut = new AbortController()
    const forward = (): void => { cut.abort(signal?.reason) }
    if (signal?.aborted === true) forward()
    else signal?.addEventListener('abort', forward, { once: true })
    this.#work.add(cut)
    try {
      return await task(cut.signal)
    } catch (err) {
      if (err instanceof AbortedError && err.cause === DRAIN_CUT) throw new DrainCutError(err.sent)
      throw err
    } finally {
      signal?.removeEventListener('abort', forward)
      this.#work.delete(cut)
      if (this.#work.size === 0) for (const wake of this.#idle.splice(0)) wake()
    }
  }

  /** Pushes and PUT joins in flight now. */
  get inFlight (): number { return this.#work.size }

  /** Cuts every push and PUT join still in flight: each is answered with BC_ERR_DRAIN_CUT. Returns how many were cut. */
  cutWork (): number {
    const cut = [...this.#work]
    for (const c of cut) c.abort(DRAIN_CUT)
    return cut.length
  }

  /** Resolves when no push or PUT join is in flight (each has its own deadline, and the drain cuts them). */
  async idle (): Promise<void> {
    if (this.#work.size === 0) return
    await new Promise<void>((resolve) => { this.#idle.push(resolve) })
  }

  /** Leaves every channel (each within `timeoutMs`) and closes the sockets with 1000. */
  async close (): Promise<void> {
    this.#draining = true
    this.dynamic.close()
    await this.upstreams.close()
  }

  /** The subscription held for a topic (configured or dynamic), if any; throws when draining or ambiguous. */
  held (topic: string, upstream: string | undefined): Subscription | undefined {
    if (this.#draining) throw new DrainingError()
    const sub = this.hub.find(topic, upstream)
    if (sub === 'ambiguous') throw new AmbiguousTopicError(topic)
    return sub
  }

  /** The server ended a channel: a configured one is asked for again later, a dynamic one is dropped. */
  #ended (sub: Subscription, reason: string): void {
    if (!this.dynamic.forget(sub, reason)) {
      this.upstreams.askAgainLater(sub)
      return
    }
    this.hub.remove(sub, reason, this.config.sse.retryMs)
  }
}
