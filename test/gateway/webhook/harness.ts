/**
 * Webhook sinks without Phoenix: a Hub with the channels given, the
 * Webhooks service over it, messages published straight into the hub (as
 * the upstream client would), and waits on the service's events. Every wait
 * has a deadline.
 */
import type { EventEmitter } from 'node:events'
import { Registry } from 'prom-client'
import type { Client } from '../../../src/client/client.ts'
import type { ChannelConfig, WebhookConfig } from '../../../src/gateway/config/types.ts'
import { Hub } from '../../../src/gateway/hub/hub.ts'
import { webhookMetrics } from '../../../src/gateway/observe/webhook-metrics.ts'
import type { WebhookOutbox } from '../../../src/gateway/store/state-store.ts'
import type { WebhookEvents } from '../../../src/gateway/webhook/events.ts'
import { Webhooks } from '../../../src/gateway/webhook/webhooks.ts'
import { channelConfig, literal } from '../helpers.ts'
import { DEADLINE_MS } from '../sse/helpers.ts'
import { Wakeups } from '../../helpers/wakeups.ts'

export const EPOCH = 'e0'

/** A webhook config with small, test-sized limits; `over` replaces any of them. */
export function webhookConfig (url: string, over: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    url,
    headers: {},
    signingSecrets: [],
    format: 'cloudevents',
    timeoutMs: 2000,
    maxAttempts: 5,
    maxAgeMs: 60_000,
    backoff: { initialMs: 10, maxMs: 100, multiplier: 2 },
    maxInFlight: 16,
    queueSize: 1000,
    overflow: 'drop-newest',
    orderKey: null,
    deadLetter: null,
    ...over,
  }
}

/** A channel with a webhook to `url`. */
export function hooked (topic: string, url: string, over: Partial<WebhookConfig> = {}, channel: Partial<ChannelConfig> = {}): ChannelConfig {
  return channelConfig(topic, { webhook: webhookConfig(url, over), ...channel })
}

type EventName = keyof WebhookEvents
type Payload<E extends EventName> = WebhookEvents[E][0]

/** Records every event of a Webhooks service, and waits for them. */
export class Recorder {
  readonly seen: { [E in EventName]: Array<Payload<E>> } = { attempt: [], retry: [], delivered: [], dead_letter: [], dead_letter_failed: [], drain_start: [], drain_done: [], signing_keys: [], signing_keys_failed: [], outbox_restored: [], outbox_pruned: [] }
  readonly #wakeups = new Wakeups()

  constructor (events: EventEmitter<WebhookEvents>) {
    for (const name of Object.keys(this.seen) as EventName[]) {
      events.on(name, (e: Payload<typeof name>) => {
        (this.seen[name] as Array<Payload<typeof name>>).push(e)
        this.#wakeups.wake()
      })
    }
  }

  /** The first `name` event (seen already or later) that matches. */
  async next<E extends EventName> (name: E, match: (e: Payload<E>) => boolean = () => true, ms = DEADLINE_MS): Promise<Payload<E>> {
    return this.until(`a ${name} event`, () => (this.seen[name] as Array<Payload<E>>).find(match), ms)
  }

  /** Resolves when `count` events `name` that match have been seen. */
  async count<E extends EventName> (name: E, count: number, match: (e: Payload<E>) => boolean = () => true, ms = DEADLINE_MS): Promise<Array<Payload<E>>> {
    return this.until(`${count} ${name} events`, () => {
      const found = (this.seen[name] as Array<Payload<E>>).filter(match)
      return found.length >= count ? found : undefined
    }, ms)
  }

  async until<T> (what: string, check: () => T | undefined, ms = DEADLINE_MS): Promise<T> {
    return this.#wakeups.until(what, check, ms)
  }
}

export interface Sinks {
  hub: Hub
  webhooks: Webhooks
  events: Recorder
  registry: Registry
  /** Publishes a message into the hub, as the upstream client does; returns its id. */
  publish: (topic: string, event: string, payload: unknown) => string
  /** Drains with a deadline `ms` from now. */
  close: (ms?: number) => Promise<void>
}

export interface SinksOptions {
  random?: () => number
  now?: () => number
  clients?: ReadonlyMap<string, Client>
  resolve?: (source: Parameters<typeof literal>[0]) => Promise<string>
  /** Watch signing secret files (quiet time, ms); absent: no watch. */
  watchSecrets?: { debounceMs: number }
  /** A durable outbox (a store's); absent: memory only. */
  outbox?: WebhookOutbox
}

/** Starts the webhook sinks of `channels` (each `upstream: main`). Close them with `close()` (t.after). */
export async function startSinks (channels: ChannelConfig[], options: SinksOptions = {}): Promise<Sinks> {
  const now = options.now ?? Date.now
  const hub = new Hub(channels, { epoch: EPOCH, now })
  const webhooks = new Webhooks(hub, { clients: options.clients ?? new Map(), resolve: options.resolve ?? literal, random: options.random ?? Math.random, now, ...(options.watchSecrets === undefined ? {} : { watchSecrets: options.watchSecrets }), ...(options.outbox === undefined ? {} : { outbox: options.outbox }) })
  const events = new Recorder(webhooks.events)
  const registry = new Registry()
  webhookMetrics(registry, webhooks)
  await webhooks.start()
  return {
    hub,
    webhooks,
    events,
    registry,
    publish (topic, event, payload) {
      hub.onMessage('main', topic, event, payload)
      const sub = hub.get('main', topic)
      if (sub === undefined) throw new Error(`no channel ${topic}`)
      return `${EPOCH}-${sub.seq}`
    },
    async close (ms = 5000) { await webhooks.close(performance.now() + ms) },
  }
}

/** Random numbers from a list, in turn (the last repeats), so jittered delays are exact. */
export function fixedRandom (...values: number[]): () => number {
  let i = 0
  return () => values[Math.min(i++, values.length - 1)] ?? 0
}

/** The value of one sample of a registry's metric, with exactly these labels; 0 when absent. */
export async function sample (registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)
  const want = Object.entries(labels)
  const values = (metric?.values ?? []) as Array<{ value: number, labels: Record<string, string | number>, metricName?: string }>
  const found = values.find((v) => (v.metricName === undefined || v.metricName === name || v.metricName === `${name}_count`) && Object.keys(v.labels).filter((k) => k !== 'le').length === want.length && want.every(([k, val]) => String(v.labels[k]) === val))
  return found?.value ?? 0
}
