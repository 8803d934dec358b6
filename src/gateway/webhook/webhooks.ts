/**
 * Every webhook sink of a gateway: one per channel that names a webhook,
 * the undici pools they share (one per origin), and their dead-letter
 * targets. `start()` reads the configured header sources and attaches each
 * sink to its subscription; `close(deadline)` drains every sink in
 * parallel so that attempts in flight finish and dead letters are written
 * before `deadline`, then closes the targets and pools.
 */
import { EventEmitter } from 'node:events'
import type { Client } from '../../client/client.ts'
import type { SecretSource, WebhookConfig } from '../config/types.ts'
import type { Hub } from '../hub/hub.ts'
import type { Subscription } from '../hub/subscription.ts'
import type { ResolveSource } from '../upstream.ts'
import { deadLetterTarget, type DeadLetterTarget } from './dead-letter.ts'
import type { WebhookEvents } from './events.ts'
import { WebhookPools } from './pools.ts'
import { WebhookSink, type SinkStats } from './sink.ts'

export interface WebhooksDeps {
  clients: ReadonlyMap<string, Client>
  /** Reads a header's source (at start-up). */
  resolve: ResolveSource
  random: () => number
  /** Wall clock, ms. */
  now: () => number
}

interface Entry { sub: Subscription, sink: WebhookSink, target: DeadLetterTarget, headers: Record<string, string> }

async function resolveHeaders (headers: Record<string, SecretSource>, resolve: ResolveSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [name, source] of Object.entries(headers)) out[name] = await resolve(source)
  return out
}

export class Webhooks {
  readonly events = new EventEmitter<WebhookEvents>()
  readonly #pools = new WebhookPools()
  readonly #entries: Entry[] = []
  readonly #targets = new Set<DeadLetterTarget>()
  readonly #deps: WebhooksDeps
  #closing: Promise<void> | null = null

  constructor (hub: Hub, deps: WebhooksDeps) {
    this.#deps = deps
    const subs = hub.all().filter((s) => s.config.webhook !== undefined)
    for (const sub of subs) {
      const webhook = sub.config.webhook as WebhookConfig
      this.#pools.reserve(webhook.url, webhook.maxInFlight, webhook.timeoutMs)
      if (webhook.deadLetter?.kind === 'url') this.#pools.reserve(webhook.deadLetter.url, webhook.maxInFlight, webhook.deadLetter.timeoutMs)
    }
    const files = new Map<string, DeadLetterTarget>()
    for (const sub of subs) {
      const webhook = sub.config.webhook as WebhookConfig
      const dl = webhook.deadLetter
      const headers: Record<string, string> = {}
      let target = dl?.kind === 'file' ? files.get(dl.file) : undefined
      if (target === undefined) {
        target = deadLetterTarget(dl, { pools: this.#pools, clients: deps.clients, headers: () => headers })
        if (dl?.kind === 'file') files.set(dl.file, target)
      }
      this.#targets.add(target)
      const sink = new WebhookSink(webhook, {
        subscription: sub.config.name,
        topic: sub.config.topic,
        upstream: sub.config.upstream,
        epoch: sub.epoch,
        dispatcher: this.#pools.get(webhook.url),
        deadLetter: target,
        events: this.events,
        random: deps.random,
        now: deps.now,
      })
      this.#entries.push({ sub, sink, target, headers })
    }
  }

  /** The sinks by subscription name. */
  get sinks (): ReadonlyMap<string, WebhookSink> {
    return new Map(this.#entries.map((e) => [e.sub.config.name, e.sink]))
  }

  /** Each sink's queue and in-flight counts, by subscription name (read by metrics). */
  stats (): Array<{ subscription: string } & SinkStats> {
    return this.#entries.map((e) => ({ subscription: e.sub.config.name, ...e.sink.stats() }))
  }

  /** Reads the header sources, then feeds each sink its channel's messages. */
  async start (): Promise<void> {
    for (const e of this.#entries) {
      const webhook = e.sink.config
      e.sink.setHeaders(await resolveHeaders(webhook.headers, this.#deps.resolve))
      if (webhook.deadLetter?.kind === 'url') Object.assign(e.headers, await resolveHeaders(webhook.deadLetter.headers, this.#deps.resolve))
      e.sub.sink = e.sink
    }
  }

  /**
   * Drains every sink so that all is done by `deadline` (a performance.now()
   * time): each stops starting attempts early enough for one attempt and one
   * dead-letter write to fit. Idempotent.
   */
  async close (deadline: number): Promise<void> {
    this.#closing ??= this.#close(deadline)
    return this.#closing
  }

  async #close (deadline: number): Promise<void> {
    const started = performance.now()
    const stats = this.stats()
    if (stats.length > 0) {
      this.events.emit('drain_start', {
        held: stats.reduce((n, s) => n + s.held, 0),
        inFlight: stats.reduce((n, s) => n + s.inFlight, 0),
        stopInMs: Math.max(0, Math.round(Math.min(...this.#entries.map((e) => this.#stopAt(e, deadline))) - started)),
      })
    }
    await Promise.all(this.#entries.map(async (e) => { await e.sink.close(this.#stopAt(e, deadline)) }))
    await Promise.all([...this.#targets].map(async (t) => { await t.close() }))
    await this.#pools.close()
    if (stats.length > 0) this.events.emit('drain_done', { left: this.#entries.reduce((n, e) => n + e.sink.left, 0), seconds: (performance.now() - started) / 1000 })
  }

  #stopAt (e: Entry, deadline: number): number {
    return Math.max(performance.now(), deadline - e.sink.config.timeoutMs - e.target.timeoutMs)
  }
}
