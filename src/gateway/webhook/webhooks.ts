/**
 * Every webhook sink of a broker: one per channel that names a webhook,
 * the undici pools they share (one per origin), and their dead-letter
 * targets. `start()` reads the configured header sources and signing
 * secrets (and watches the secrets' files) and attaches each sink to its
 * subscription; `reloadSecrets()` reads every signing secret again; `update(sub)` follows a reload (a sink added,
 * changed in place, or removed and drained); `close(deadline)` drains every
 * sink in parallel so that attempts in flight finish and dead letters are
 * written before `deadline`, then closes the targets and pools.
 */
import { EventEmitter } from 'node:events'
import { isDeepStrictEqual } from 'node:util'
import type { Client } from '../../client/client.ts'
import { ConfigError } from '../config/errors.ts'
import type { DeadLetterConfig, SecretSource, WebhookConfig } from '../config/types.ts'
import type { Hub } from '../hub/hub.ts'
import type { Subscription } from '../hub/subscription.ts'
import type { WebhookOutbox } from '../store/state-store.ts'
import type { ConfigWatcher } from '../reload/watch.ts'
import type { ResolveSource } from '../upstream-client.ts'
import { deadLetterTarget, type DeadLetterTarget } from './dead-letter.ts'
import type { SigningTrigger, WebhookEvents } from './events.ts'
import { SinkOutbox } from './outbox.ts'
import { WebhookPools } from './pools.ts'
import { readSigningKeys, watchSecretFiles } from './signing-keys.ts'
import { WebhookSink, type SinkContext, type SinkStats } from './sink.ts'

export interface WebhooksDeps {
  clients: ReadonlyMap<string, Client>
  /** Reads a header's source (at start-up, and when a reload changes a webhook). */
  resolve: ResolveSource
  random: () => number
  /** Wall clock, ms. */
  now: () => number
  /** Watch signing secret files and read them again when they change (quiet time before the read, ms); absent: no watch. */
  watchSecrets?: { debounceMs: number }
  /** The durable outbox (STATE_DIR); absent: messages are held in memory only. */
  outbox?: WebhookOutbox
}

/** `headers`: a dead-letter URL's resolved headers, replaced when a reload changes them; `watchers`: of its secret files. */
interface Entry { sub: Subscription, sink: WebhookSink, target: DeadLetterTarget, headers: { value: Record<string, string> }, watchers: ConfigWatcher[], outbox: SinkOutbox }

async function resolveHeaders (headers: Record<string, SecretSource>, resolve: ResolveSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [name, source] of Object.entries(headers)) out[name] = await resolve(source)
  return out
}

function closeWatchers (e: Entry): void {
  for (const w of e.watchers) w.close()
  e.watchers = []
}

function reserve (pools: WebhookPools, webhook: WebhookConfig): void {
  pools.reserve(webhook.url, webhook.maxInFlight, webhook.timeoutMs)
  if (webhook.deadLetter?.kind === 'url') pools.reserve(webhook.deadLetter.url, webhook.maxInFlight, webhook.deadLetter.timeoutMs)
}

export class Webhooks {
  readonly events = new EventEmitter<WebhookEvents>()
  readonly #pools = new WebhookPools()
  readonly #entries = new Map<Subscription, Entry>()
  readonly #targets = new Set<DeadLetterTarget>()
  readonly #files = new Map<string, DeadLetterTarget>()
  /** Sinks and targets a reload removed, draining or closing. */
  readonly #retiring = new Set<Promise<void>>()
  readonly #deps: WebhooksDeps
  #closing: Promise<void> | null = null

  constructor (hub: Hub, deps: WebhooksDeps) {
    this.#deps = deps
    const subs = hub.all().filter((s) => s.config.webhook !== undefined)
    // Every user of an origin is known before its pool is made, so the pool has a connection for each.
    for (const sub of subs) reserve(this.#pools, sub.config.webhook as WebhookConfig)
    for (const sub of subs) this.#add(sub, sub.config.webhook as WebhookConfig)
  }

  /** The sinks by subscription name. */
  get sinks (): ReadonlyMap<string, WebhookSink> {
    return new Map([...this.#entries.values()].map((e) => [e.sub.config.name, e.sink]))
  }

  /** Each sink's queue and in-flight counts, by subscription name (read by metrics). */
  stats (): Array<{ subscription: string } & SinkStats> {
    return [...this.#entries.values()].map((e) => ({ subscription: e.sub.config.name, ...e.sink.stats() }))
  }

  /**
   * Reads the header sources, then feeds each sink what the durable outbox
   * held (messages of channels that no longer have a webhook are forgotten,
   * with a warning) and its channel's messages.
   */
  async start (): Promise<void> {
    const outbox = this.#deps.outbox
    if (outbox !== undefined) {
      const pruned = outbox.prune(new Set([...this.#entries.values()].map((e) => e.sub.config.name)))
      for (const [subscription, messages] of pruned) this.events.emit('outbox_pruned', { subscription, messages })
    }
    for (const e of this.#entries.values()) {
      await this.#activate(e)
      if (outbox !== undefined) this.events.emit('outbox_restored', { subscription: e.sub.config.name, ...e.sink.restore() })
    }
  }

  /**
   * A reload changed `sub`'s config (or added it, or is removing it: pass
   * `removed`): a new webhook gets a sink, a changed one is reconfigured in
   * place (held messages kept), a removed one stops taking messages and
   * drains in the background within one attempt's deadline.
   */
  async update (sub: Subscription, removed = false): Promise<void> {
    const webhook = removed ? undefined : sub.config.webhook
    const entry = this.#entries.get(sub)
    if (this.#closing !== null || (entry === undefined && webhook === undefined)) return
    if (entry === undefined && webhook !== undefined) {
      reserve(this.#pools, webhook)
      await this.#activate(this.#add(sub, webhook))
    } else if (entry !== undefined && webhook === undefined) {
      this.#entries.delete(sub)
      closeWatchers(entry)
      sub.removeSink(entry.sink)
      this.#retire(entry.sink.close(performance.now() + entry.sink.config.timeoutMs + entry.target.timeoutMs))
      this.#closeUnused()
    } else if (entry !== undefined && webhook !== undefined) {
      reserve(this.#pools, webhook)
      const target = isDeepStrictEqual(webhook.deadLetter, entry.sink.config.deadLetter) ? entry.target : this.#target(webhook.deadLetter, entry.headers)
      entry.target = target
      entry.sink.reconfigure(webhook, this.#context(sub, webhook, target, entry.outbox))
      await this.#activate(entry)
      this.#closeUnused()
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

  /**
   * Reads every webhook's signing secrets again (a reload: a secret file or
   * variable may have changed without the config file). One that cannot be
   * read keeps the keys in use; returns a warning for each.
   */
  async reloadSecrets (): Promise<string[]> {
    const warnings: string[] = []
    for (const e of this.#entries.values()) {
      const error = await this.#readSecrets(e, 'reload')
      if (error !== null) warnings.push(`channel ${e.sub.config.name}: its webhook signing secrets were not read again (the ones in use are kept): ${error}`)
    }
    return warnings
  }

  async #close (deadline: number): Promise<void> {
    const started = performance.now()
    const entries = [...this.#entries.values()]
    for (const e of entries) closeWatchers(e)
    const stats = this.stats()
    if (stats.length > 0) {
      this.events.emit('drain_start', {
        held: stats.reduce((n, s) => n + s.held, 0),
        inFlight: stats.reduce((n, s) => n + s.inFlight, 0),
        stopInMs: Math.max(0, Math.round(Math.min(...entries.map((e) => this.#stopAt(e, deadline))) - started)),
      })
    }
    // The sidecar stops: with a durable outbox what is not delivered by then is kept for the next start.
    await Promise.all(entries.map(async (e) => { await e.sink.close(this.#stopAt(e, deadline), e.outbox.durable) }))
    while (this.#retiring.size > 0) await Promise.all(this.#retiring)
    await Promise.all([...this.#targets].map(async (t) => { await t.close() }))
    await this.#pools.close()
    if (stats.length > 0) {
      const left = entries.reduce((n, e) => n + e.sink.left, 0)
      this.events.emit('drain_done', { left, kept: entries.reduce((n, e) => n + e.sink.kept, 0), seconds: (performance.now() - started) / 1000 })
    }
  }

  #stopAt (e: Entry, deadline: number): number {
    return Math.max(performance.now(), deadline - e.sink.config.timeoutMs - e.target.timeoutMs)
  }

  #add (sub: Subscription, webhook: WebhookConfig): Entry {
    const headers = { value: {} }
    const target = this.#target(webhook.deadLetter, headers)
    const outbox = new SinkOutbox(this.#deps.outbox ?? null, sub.config.name)
    const entry = { sub, sink: new WebhookSink(webhook, this.#context(sub, webhook, target, outbox)), target, headers, watchers: [], outbox }
    this.#entries.set(sub, entry)
    return entry
  }

  /** Resolves the headers (the sink's, and a dead-letter URL's) and the signing secrets, watches the secret files, then feeds the sink. */
  async #activate (e: Entry): Promise<void> {
    const webhook = e.sink.config
    const headers = await resolveHeaders(webhook.headers, this.#deps.resolve)
    const keys = await readSigningKeys(webhook.signingSecrets, this.#deps.resolve, e.sub.config.name)
    e.sink.setHeaders(headers)
    e.sink.setSigningKeys(keys)
    this.events.emit('signing_keys', { subscription: e.sub.config.name, secrets: keys.length, trigger: 'start' })
    e.headers.value = webhook.deadLetter?.kind === 'url' ? await resolveHeaders(webhook.deadLetter.headers, this.#deps.resolve) : {}
    await this.#watchSecrets(e)
    e.sub.addSink(e.sink)
  }

  /** (Re)starts the watches of `e`'s secret files. */
  async #watchSecrets (e: Entry): Promise<void> {
    closeWatchers(e)
    const watch = this.#deps.watchSecrets
    if (watch === undefined || this.#closing !== null) return
    const subscription = e.sub.config.name
    e.watchers = await watchSecretFiles(e.sink.config.signingSecrets, {
      debounceMs: watch.debounceMs,
      onChange: () => { this.#readSecrets(e, 'watch').catch(() => undefined) },
      onError: (err) => { this.events.emit('signing_keys_failed', { subscription, trigger: 'watch', error: `secret file watch stopped (a reload still reads them): ${err.message}` }) },
    })
  }

  /** Reads `e`'s signing secrets into its sink; on failure keeps the keys in use and returns why. */
  async #readSecrets (e: Entry, trigger: SigningTrigger): Promise<string | null> {
    const subscription = e.sub.config.name
    try {
      const keys = await readSigningKeys(e.sink.config.signingSecrets, this.#deps.resolve, subscription)
      if (this.#entries.get(e.sub) !== e) return null // removed meanwhile
      e.sink.setSigningKeys(keys)
      this.events.emit('signing_keys', { subscription, secrets: keys.length, trigger })
      return null
    } catch (err) {
      const error = err instanceof ConfigError ? err.problems.join('; ') : err instanceof Error ? err.message : String(err)
      this.events.emit('signing_keys_failed', { subscription, trigger, error })
      return error
    }
  }

  #context (sub: Subscription, webhook: WebhookConfig, target: DeadLetterTarget, outbox: SinkOutbox): SinkContext {
    const { name, topic, upstream } = sub.config
    return { subscription: name, topic, upstream, epoch: sub.epoch, dispatcher: this.#pools.get(webhook.url), deadLetter: target, events: this.events, random: this.#deps.random, now: this.#deps.now, outbox }
  }

  /** The dead-letter target of `config`; sinks writing to one file share its target. */
  #target (config: DeadLetterConfig | null, headers: { value: Record<string, string> }): DeadLetterTarget {
    let target = config?.kind === 'file' ? this.#files.get(config.file) : undefined
    if (target === undefined) {
      target = deadLetterTarget(config, { pools: this.#pools, clients: this.#deps.clients, headers: () => headers.value })
      if (config?.kind === 'file') this.#files.set(config.file, target)
    }
    this.#targets.add(target)
    return target
  }

  /** Targets no sink writes to any more are closed (after the sinks retiring now have drained). */
  #closeUnused (): void {
    const used = new Set([...this.#entries.values()].map((e) => e.target))
    const drained = Promise.all(this.#retiring)
    for (const target of this.#targets) {
      if (used.has(target)) continue
      this.#targets.delete(target)
      for (const [file, t] of this.#files) if (t === target) this.#files.delete(file)
      this.#retire(drained.then(async () => { await target.close() }))
    }
  }

  #retire (work: Promise<void>): void {
    const tracked = work.catch(() => undefined).finally(() => { this.#retiring.delete(tracked) })
    this.#retiring.add(tracked)
  }
}
