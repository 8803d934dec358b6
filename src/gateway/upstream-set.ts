/**
 * The upstream clients of a gateway and the joins on them: one client per
 * configured upstream, wired to the hub (messages, joins, outages, ends).
 * A reload may add a client, retire one (its listeners are cut first, so
 * its last events cannot touch a subscription that moved on), or replace
 * one whose settings changed, rejoining its channels on the new client.
 */
import { EventEmitter } from 'node:events'
import type { Client } from '../client/client.ts'
import type { UpstreamConfig } from './config/types.ts'
import { InternalError } from './errors.ts'
import type { Hub } from './hub/hub.ts'
import type { Subscription } from './hub/subscription.ts'
import type { JoinOutcome } from '../phoenix/session-types.ts'

export interface UpstreamSetEvents {
  /** A client was created (at start-up or by a reload): observers wire themselves to it. */
  client_added: [{ upstream: string, client: Client }]
}

export interface UpstreamSetOptions {
  create: (upstream: UpstreamConfig) => Client
  /** The server ended a subscription's channel (`server_closed`) or gave it up (`refused`). */
  onEnded: (sub: Subscription, reason: string) => void
}

export class UpstreamSet {
  readonly clients = new Map<string, Client>()
  readonly events = new EventEmitter<UpstreamSetEvents>()
  readonly #hub: Hub
  readonly #options: UpstreamSetOptions
  readonly #configs = new Map<string, UpstreamConfig>()
  readonly #unwire = new Map<Client, () => void>()
  readonly #retries = new Set<NodeJS.Timeout>()
  /** Subscriptions being left and joined again on purpose: the `left` in between is not an end. */
  readonly #rejoining = new Set<Subscription>()
  #stopped = false

  constructor (hub: Hub, options: UpstreamSetOptions) {
    this.#hub = hub
    this.#options = options
  }

  /** Creates, wires and records the client of `config` (not connected yet). */
  add (config: UpstreamConfig): Client {
    const client = this.#options.create(config)
    this.clients.set(config.name, client)
    this.#configs.set(config.name, config)
    this.#unwire.set(client, this.#wire(config.name, client))
    this.events.emit('client_added', { upstream: config.name, client })
    return client
  }

  connect (): void {
    for (const client of this.clients.values()) client.start()
  }

  client (upstream: string): Client {
    const client = this.clients.get(upstream)
    if (client === undefined) throw new InternalError(`no client for upstream "${upstream}"`)
    return client
  }

  /** Asks for the subscription's channel; `onOutcome` hears the next join result. */
  join (sub: Subscription, onOutcome?: (outcome: JoinOutcome) => void): void {
    const { upstream, topic, params } = sub.config
    this.client(upstream).requestJoin(topic, params, (outcome) => {
      if (outcome.kind === 'failed') this.#hub.markDown(sub, 'join_failed', outcome.error)
      onOutcome?.(outcome)
    })
  }

  /** Leaves the subscription's channel; resolves once the server confirmed, or the leave timed out. */
  async leave (sub: Subscription): Promise<void> {
    const client = this.clients.get(sub.config.upstream)
    if (client !== undefined) await client.leave(sub.config.topic)
  }

  /** Leaves and joins again with the current config (params or presence changed): readers see errored, gap, rejoined. */
  rejoin (sub: Subscription): void {
    const client = this.client(sub.config.upstream)
    this.#hub.markDown(sub, 'reconfigured')
    this.#rejoining.add(sub)
    try {
      client.requestLeave(sub.config.topic)
      this.join(sub)
    } finally {
      this.#rejoining.delete(sub)
    }
  }

  /** A client whose settings changed: a new one takes its channels over (readers see errored, gap, rejoined). */
  async replace (config: UpstreamConfig, subs: readonly Subscription[]): Promise<void> {
    const old = this.clients.get(config.name)
    if (old !== undefined) this.#retire(old)
    for (const sub of subs) this.#hub.markDown(sub, 'reconfigured')
    const client = this.add(config)
    client.start()
    for (const sub of subs) this.join(sub)
    await old?.close()
  }

  /** An upstream gone from the config: its client is closed (its subscriptions were removed first). */
  async remove (name: string, subs: readonly Subscription[]): Promise<void> {
    const client = this.clients.get(name)
    if (client === undefined) return
    this.clients.delete(name)
    this.#configs.delete(name)
    this.#retire(client)
    await Promise.all(subs.map(async (s) => client.leave(s.config.topic)))
    await client.close()
  }

  /**
   * A configured channel is wanted for the sidecar's whole life: when the
   * server ends it or refuses it too often, ask again after the slowest
   * rejoin delay, however long that takes. /readyz and metrics show it down.
   */
  askAgainLater (sub: Subscription): void {
    if (this.#stopped) return
    const delay = this.#configs.get(sub.config.upstream)?.rejoinBackoffMs.at(-1) ?? 10_000
    const timer = setTimeout(() => {
      this.#retries.delete(timer)
      if (!this.#stopped && this.#hub.get(sub.config.upstream, sub.config.topic) === sub) this.join(sub)
    }, delay)
    timer.unref()
    this.#retries.add(timer)
  }

  /** No more asking again (shutdown). */
  stop (): void {
    this.#stopped = true
    for (const timer of this.#retries) clearTimeout(timer)
    this.#retries.clear()
  }

  /** Leaves every channel (each within its leave deadline) and closes the sockets with 1000. */
  async close (): Promise<void> {
    this.stop()
    await Promise.all([...this.clients].map(async ([upstream, client]) => {
      await Promise.all(this.#hub.all().filter((s) => s.config.upstream === upstream).map(async (s) => client.leave(s.config.topic)))
      await client.close()
    }))
  }

  #retire (client: Client): void {
    this.#unwire.get(client)?.()
    this.#unwire.delete(client)
  }

  /** Feeds the hub from `client`; returns what cuts it off. */
  #wire (upstream: string, client: Client): () => void {
    const hub = this.#hub
    let live = true
    const removeListener = client.addMessageListener((topic, event, received) => { hub.onReceived(upstream, topic, event, received) })
    client.events.on('message_dropped', (e) => { if (live) hub.onDropped(upstream, e.topic, e.event, e.reason) })
    client.events.on('join_ok', (e) => { if (live) hub.onJoined(upstream, e.topic) })
    client.events.on('channel_error', (e) => { if (live) hub.onDown(upstream, e.topic, e.reason) })
    // A socket that cannot connect keeps its channels from joining: /v1/channels says why.
    client.events.on('connect_fail', (e) => {
      if (!live) return
      const error = { code: e.reason, message: `could not connect: ${e.status === undefined ? (e.cause ?? e.reason) : `upgrade refused with ${String(e.status)}`}` }
      for (const sub of hub.all()) {
        if (sub.config.upstream === upstream && sub.state !== 'joined' && client.socketOf(sub.config.topic) === e.socket) hub.noteError(sub, error)
      }
    })
    client.events.on('join_error', (e) => {
      if (live) hub.onDown(upstream, e.topic, `join_${e.reason}`, { code: e.reason === 'refused' ? 'BC_ERR_JOIN_REFUSED' : 'BC_ERR_TIMEOUT', message: `join ${e.reason}` })
    })
    client.events.on('leave', (e) => {
      const sub = live ? hub.get(upstream, e.topic) : undefined
      if (sub === undefined || (e.reason === 'left' && this.#rejoining.has(sub))) return
      hub.onClosed(upstream, e.topic, e.reason)
      if (e.reason !== 'left') this.#options.onEnded(sub, e.reason)
    })
    return () => {
      live = false
      removeListener()
    }
  }
}
