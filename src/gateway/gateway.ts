/**
 * The gateway's core, between the HTTP routes and the upstream clients:
 * joins every configured channel, feeds the hub, and answers pushes with
 * exactly one outcome. Knows nothing of HTTP framing.
 */
import { EventEmitter } from 'node:events'
import type { Client, Reply } from '../client/client.ts'
import { withDeadline } from '../client/deadline.ts'
import { isBackchannelError } from '../errors.ts'
import type { Config } from './config/types.ts'
import { HttpError } from './http/problem.ts'
import { withTraceField } from './http/trace.ts'
import type { Hub } from './hub/hub.ts'
import type { SseClient } from './http/sse/client.ts'
import type { Subscription } from './hub/subscription.ts'

/** Extra time the HTTP layer gives a push beyond its own deadline before answering 504 itself. */
const PUSH_MARGIN_MS = 1000

/** What the gateway reports to metrics and logs. */
export interface GatewayEvents {
  /**
   * A push ended. `subscription` and `upstream` are the configured names (null when the topic is not
   * configured); `status` is the reply's status, or null when it failed with the error `code`.
   */
  push_done: [{ subscription: string | null, upstream: string | null, status: string | null, code: string | null, seconds: number }]
}

export class Gateway {
  readonly config: Config
  readonly hub: Hub
  readonly clients: ReadonlyMap<string, Client>
  readonly events = new EventEmitter<GatewayEvents>()
  /** Open SSE streams, for keep-alives and shutdown. */
  readonly sseStreams = new Set<SseClient>()
  #draining = false
  #inFlight = 0
  readonly #retries = new Set<NodeJS.Timeout>()
  #idle: Array<() => void> = []

  constructor (config: Config, hub: Hub, clients: ReadonlyMap<string, Client>) {
    this.config = config
    this.hub = hub
    this.clients = clients
    for (const [upstream, client] of clients) this.#wire(upstream, client)
  }

  get draining (): boolean { return this.#draining }

  /** Connects every upstream and asks for every configured channel. */
  start (): void {
    for (const client of this.clients.values()) client.pool.connect()
    for (const sub of this.hub.all()) this.#join(sub)
  }

  /** From now on, new pushes and SSE streams are refused with 503. */
  drain (): void {
    this.#draining = true
  }

  /** The subscription a request names, or the HTTP error to answer. */
  subscription (topic: string, upstream: string | undefined): Subscription {
    if (this.#draining) throw new HttpError('BC_ERR_DRAINING', 503, 'the sidecar is shutting down')
    const sub = this.hub.find(topic, upstream)
    if (sub === 'ambiguous') throw new HttpError('BC_ERR_AMBIGUOUS_TOPIC', 400, `topic "${topic}" is carried by several upstreams: name one with ?upstream=`)
    if (sub === undefined) throw new HttpError('BC_ERR_UNKNOWN_TOPIC', 404, `topic "${topic}" is not a configured channel`)
    return sub
  }

  /** One push, one outcome. `traceparent` (already validated) goes into the payload when the channel names a traceField. */
  async push (topic: string, upstream: string | undefined, event: string, payload: unknown, timeoutMs: number | undefined, signal?: AbortSignal, traceparent: string | null = null): Promise<Reply> {
    const started = performance.now()
    let sub: Subscription | undefined
    const done = (status: string | null, code: string | null): void => {
      const found = sub ?? this.hub.find(topic, upstream) // named even when refused before the lookup (draining)
      const known = typeof found === 'object' ? found : undefined
      const names = { subscription: known?.config.name ?? null, upstream: known?.config.upstream ?? null }
      this.events.emit('push_done', { ...names, status, code, seconds: (performance.now() - started) / 1000 })
    }
    try {
      sub = this.subscription(topic, upstream)
      const reply = await this.#push(sub, event, withTraceField(payload, sub.config.traceField, traceparent), timeoutMs, signal)
      done(reply.status, null)
      return reply
    } catch (err) {
      done(null, isBackchannelError(err) ? err.code : 'BC_ERR_INTERNAL')
      throw err
    }
  }

  async #push (sub: Subscription, event: string, payload: unknown, timeoutMs: number | undefined, signal?: AbortSignal): Promise<Reply> {
    const client = this.#client(sub.config.upstream)
    const timeout = timeoutMs ?? this.config.pushTimeoutMs
    const options = { timeout, ...(signal === undefined ? {} : { signal }) }
    this.#inFlight++
    try {
      return await withDeadline(client.request(sub.config.topic, event, payload, options), timeout + PUSH_MARGIN_MS, 'push')
    } finally {
      this.#inFlight--
      if (this.#inFlight === 0) for (const wake of this.#idle.splice(0)) wake()
    }
  }

  /** Resolves when no push is in flight (each push has its own deadline). */
  async idle (): Promise<void> {
    if (this.#inFlight === 0) return
    await new Promise<void>((resolve) => { this.#idle.push(resolve) })
  }

  /** Leaves every channel (each within `timeoutMs`) and closes the sockets with 1000. */
  async close (): Promise<void> {
    this.#draining = true
    for (const timer of this.#retries) clearTimeout(timer)
    this.#retries.clear()
    await Promise.all([...this.clients.values()].map(async (client) => {
      await Promise.all(this.hub.all().filter((s) => this.clients.get(s.config.upstream) === client).map(async (s) => client.leave(s.config.topic)))
      await client.close()
    }))
  }

  #client (upstream: string): Client {
    const client = this.clients.get(upstream)
    if (client === undefined) throw new HttpError('BC_ERR_INTERNAL', 500, `no client for upstream "${upstream}"`)
    return client
  }

  #join (sub: Subscription): void {
    const client = this.#client(sub.config.upstream)
    client.pool.join(sub.config.topic, sub.config.params, (outcome) => {
      if (outcome.kind === 'failed') this.hub.onDown(sub.config.upstream, sub.config.topic, 'join_failed', outcome.error)
    })
  }

  #wire (upstream: string, client: Client): void {
    const hub = this.hub
    client.pool.on('message', (_socket, topic, event, payload) => { hub.onMessage(upstream, topic, event, payload) })
    client.events.on('join_ok', (e) => { hub.onJoined(upstream, e.topic) })
    client.events.on('channel_error', (e) => { hub.onDown(upstream, e.topic, e.reason) })
    client.events.on('join_error', (e) => { hub.onDown(upstream, e.topic, `join_${e.reason}`, { code: e.reason === 'refused' ? 'BC_ERR_JOIN_REFUSED' : 'BC_ERR_TIMEOUT', message: `join ${e.reason}` }) })
    client.events.on('leave', (e) => {
      hub.onClosed(upstream, e.topic, e.reason)
      if (e.reason !== 'left') this.#askAgainLater(hub.get(upstream, e.topic))
    })
  }

  /**
   * A configured channel is wanted for the sidecar's whole life: when the
   * server ends it or refuses it too often, ask again after the slowest
   * rejoin delay, however long that takes. /readyz and metrics show it down.
   */
  #askAgainLater (sub: Subscription | undefined): void {
    if (sub === undefined || this.#draining) return
    const upstream = this.config.upstreams.find((u) => u.name === sub.config.upstream)
    const delay = upstream?.rejoinBackoffMs.at(-1) ?? 10_000
    const timer = setTimeout(() => {
      this.#retries.delete(timer)
      if (!this.#draining) this.#join(sub)
    }, delay)
    timer.unref()
    this.#retries.add(timer)
  }
}
