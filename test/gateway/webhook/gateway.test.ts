/**
 * Webhooks in the whole broker, against the fake Phoenix server: channel
 * messages (not lifecycle events) reach the app with the ids the SSE stream
 * uses, /metrics shows the webhook series, a dead letter can go to a
 * Phoenix topic, and daemon.close() drains the sinks, with the attempt in
 * flight completed, before channels are left.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import type { ChannelConfig } from '../../../src/gateway/config/types.ts'
import { createDaemon } from '../../../src/gateway/daemon.ts'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { channelConfig, gatewayConfig, literal, stopGateway, type Running } from '../helpers.ts'
import { scrape } from '../observe/support.ts'
import { joined, subscription } from '../sse/helpers.ts'
import { hooked, Recorder } from './harness.ts'
import { Gate, json, Receiver, type Received } from './receiver.ts'

async function startWebhookGateway (channels: ChannelConfig[]): Promise<Running & { events: Recorder }> {
  const phoenix = await startFakePhoenix()
  const config = gatewayConfig(phoenix.endpoint, channels)
  const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal })
  const events = new Recorder(daemon.webhooks.events)
  const base = await daemon.start()
  await Promise.all(channels.map(async (c) => { await joined(daemon, c.topic) }))
  return { phoenix, daemon, base, events }
}

const nOf = (r: Received): number => (JSON.parse(r.body) as { data: { n: number } }).data.n

test('channel messages reach the webhook with their SSE ids, in order; lifecycle events do not', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const r = await startWebhookGateway([hooked('room:w', receiver.url())])
  t.after(() => stopGateway(r))

  for (let n = 1; n <= 5; n++) r.phoenix.broadcast('room:w', 'msg', { n })
  await r.events.count('delivered', 5)
  const sub = subscription(r.daemon, 'room:w')
  const messages = sub.ring.since(0).filter((e) => !e.control)
  assert.deepEqual(receiver.received.map((x) => x.id), messages.map((e) => `${sub.epoch}-${e.seq}`))
  assert.deepEqual(receiver.received.map(nOf), [1, 2, 3, 4, 5])
  assert.ok(sub.ring.since(0).some((e) => e.event === 'joined'), 'the stream has a joined event…')
  assert.ok(receiver.received.every((x) => x.headers['x-backchannel-event'] === 'msg'), '…that the webhook never saw')
})

test('/metrics shows attempts, delivery latency, queue depth and in-flight per subscription', async (t) => {
  const receiver = await Receiver.start((x) => x.attempt === 1 ? { status: 500 } : { status: 200 })
  t.after(() => receiver.close())
  const r = await startWebhookGateway([hooked('room:m', receiver.url(), { backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } }), channelConfig('room:plain')])
  t.after(() => stopGateway(r))

  r.phoenix.broadcast('room:m', 'msg', { n: 1 })
  r.phoenix.broadcast('room:m', 'msg', { n: 2 })
  await r.events.count('delivered', 2)
  const m = await scrape(r.base)
  const s = { subscription: 'room:m' }
  assert.equal(m.value('backchannel_webhook_attempts_total', { ...s, result: 'retry' }), 2)
  assert.equal(m.value('backchannel_webhook_attempts_total', { ...s, result: 'success' }), 2)
  assert.equal(m.value('backchannel_webhook_retries_total', s), 2)
  assert.equal(m.value('backchannel_webhook_delivery_duration_seconds_count', s), 2)
  assert.equal(m.value('backchannel_webhook_queue_depth', s), 0)
  assert.equal(m.value('backchannel_webhook_in_flight', s), 0)
  assert.equal(m.value('backchannel_webhook_in_flight', { subscription: 'room:plain' }), undefined, 'a channel without a webhook has no webhook series')
})

test('a dead letter can go to a Phoenix topic: the record is pushed to a configured channel', async (t) => {
  const receiver = await Receiver.start(() => json(200, { status: 'DROP' }))
  t.after(() => receiver.close())
  const r = await startWebhookGateway([
    hooked('room:src', receiver.url(), { deadLetter: { kind: 'topic', topic: 'echo:dlq', upstream: 'main', event: 'dead_letter', timeoutMs: 2000 } }),
    channelConfig('echo:dlq'),
  ])
  t.after(() => stopGateway(r))

  const pushed = r.phoenix.waitFor('frame', (f) => f.message.topic === 'echo:dlq' && f.message.event === 'dead_letter')
  r.phoenix.broadcast('room:src', 'order', { n: 42 })
  const frame = await pushed
  const record = frame.message.payload as { reason: string, topic: string, event: string, attempts: number, body: { data: { n: number } } }
  assert.deepEqual([record.reason, record.topic, record.event, record.attempts, record.body.data.n], ['dropped', 'room:src', 'order', 1, 42])
  const dead = await r.events.next('dead_letter')
  assert.equal(dead.target, 'topic')
  assert.equal(r.events.seen.dead_letter_failed.length, 0, 'the echo channel replied ok')
})

test('daemon.close() lets the attempt in flight complete before it leaves the channels', async (t) => {
  const gate = new Gate()
  const receiver = await Receiver.start(() => gate.promise)
  t.after(() => receiver.close())
  const r = await startWebhookGateway([hooked('room:bye', receiver.url())])
  t.after(() => stopGateway(r))

  r.phoenix.broadcast('room:bye', 'msg', { n: 1 })
  const inFlight = await receiver.waitFor('the request', () => true)
  const order: string[] = []
  r.events.next('delivered').then(() => order.push('delivered'), () => undefined)
  const left = r.phoenix.waitFor('leave', (l) => l.topic === 'room:bye').then(() => order.push('left'))
  const closing = r.daemon.close()
  await r.events.next('drain_start')
  assert.deepEqual(order, [], 'the channel is still joined while the attempt is in flight')

  gate.open({ status: 200 })
  await closing
  await left
  assert.deepEqual(order, ['delivered', 'left'])
  assert.equal(inFlight.answered, true)
  assert.equal(inFlight.aborted, false)
  assert.deepEqual(r.events.seen.drain_done.map((d) => d.left), [0])
})
