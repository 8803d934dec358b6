/**
 * Series fed by webhook delivery: attempts by result, retries, dead letters
 * by reason (and those that could not be written), messages in flight and
 * queued, and delivery latency. Registered whether or not a channel has a
 * webhook, so dashboards and docs/metrics.md see one fixed set.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Webhooks } from '../webhook/webhooks.ts'

/** Seconds: from a message's arrival to the app's acceptance, 1 ms to 10 min (retries included). */
const DELIVERY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600]

export function webhookMetrics (registry: Registry, webhooks: Webhooks): void {
  const registers = [registry]
  const s = ['subscription'] as const
  const attempts = new Counter({ name: 'backchannel_webhook_attempts_total', help: 'Webhook attempts by result: success, retry (the app asked again: RETRY, 5xx, 429…), drop (DROP or 404), timeout, error (no connection, reset)', labelNames: ['subscription', 'result'] as const, registers })
  const retries = new Counter({ name: 'backchannel_webhook_retries_total', help: 'Webhook retries scheduled with back-off', labelNames: s, registers })
  const deadLetters = new Counter({ name: 'backchannel_webhook_dead_letters_total', help: 'Messages sent to the dead letter, by reason: dropped, max_attempts, max_age, overflow, shutdown', labelNames: ['subscription', 'reason'] as const, registers })
  const lost = new Counter({ name: 'backchannel_webhook_dead_letter_failures_total', help: 'Dead-letter records the target did not take (the message is lost)', labelNames: s, registers })
  const latency = new Histogram({ name: 'backchannel_webhook_delivery_duration_seconds', help: 'Time from a message\'s arrival to its acceptance by the app, retries included', labelNames: s, buckets: DELIVERY_BUCKETS, registers })
  const events = webhooks.events
  events.on('attempt', (e) => { attempts.inc({ subscription: e.subscription, result: e.result }) })
  events.on('retry', (e) => { retries.inc({ subscription: e.subscription }) })
  events.on('dead_letter', (e) => { deadLetters.inc({ subscription: e.subscription, reason: e.reason }) })
  events.on('dead_letter_failed', (e) => { lost.inc({ subscription: e.subscription }) })
  events.on('delivered', (e) => { latency.observe({ subscription: e.subscription }, e.seconds) })

  /* eslint-disable no-new -- registered in `registry`, read through it */
  new Gauge({
    name: 'backchannel_webhook_in_flight',
    help: 'Webhook attempts in flight now',
    labelNames: s,
    registers,
    collect () {
      this.reset() // a sink removed by a reload has no series
      for (const x of webhooks.stats()) this.set({ subscription: x.subscription }, x.inFlight)
    },
  })
  new Gauge({
    name: 'backchannel_webhook_queue_depth',
    help: 'Messages held for the webhook and not in flight now: queued, or waiting for a retry',
    labelNames: s,
    registers,
    collect () {
      this.reset()
      for (const x of webhooks.stats()) this.set({ subscription: x.subscription }, x.held - x.inFlight)
    },
  })
  /* eslint-enable no-new */
}
