/**
 * The bounded queue: when a subscription holds `queueSize` messages,
 * `drop-newest` dead-letters the arriving one and `drop-oldest` the oldest
 * one not in flight; either way with reason overflow, counted in the
 * metrics, and the rest delivered in order.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hooked, sample, startSinks } from './harness.ts'
import { Gate, Receiver, type Received } from './receiver.ts'

const nOf = (r: Received | { body: string }): number => (JSON.parse(r.body) as { data: { n: number } }).data.n

test('drop-newest: past queueSize the arriving messages go to the dead letter (overflow), counted; the held ones are delivered in order', async (t) => {
  const gate = new Gate()
  const receiver = await Receiver.start((r) => nOf(r) === 1 ? gate.promise : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:full', receiver.url(), { queueSize: 3, overflow: 'drop-newest' })])
  t.after(() => sinks.close())

  const ids: string[] = []
  for (let n = 1; n <= 10; n++) ids.push(sinks.publish('room:full', 'ev', { n }))
  await receiver.waitFor('the first request', () => true)
  assert.deepEqual(sinks.events.seen.dead_letter.map((d) => [d.id, d.reason, d.attempts]), ids.slice(3).map((id) => [id, 'overflow', 0]))
  assert.deepEqual(sinks.webhooks.stats(), [{ subscription: 'room:full', held: 3, inFlight: 1, waiting: 0 }])
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_dead_letters_total', { subscription: 'room:full', reason: 'overflow' }), 7)
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_queue_depth', { subscription: 'room:full' }), 2)
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_in_flight', { subscription: 'room:full' }), 1)

  gate.open({ status: 200 })
  await sinks.events.count('delivered', 3)
  assert.deepEqual(receiver.received.map(nOf), [1, 2, 3])
  assert.deepEqual(sinks.events.seen.delivered.map((d) => d.id), ids.slice(0, 3))
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_queue_depth', { subscription: 'room:full' }), 0)
})

test('drop-oldest: the oldest message not in flight makes room; the newest are delivered after the one in flight', async (t) => {
  const gate = new Gate()
  const receiver = await Receiver.start((r) => nOf(r) === 1 ? gate.promise : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:old', receiver.url(), { queueSize: 3, overflow: 'drop-oldest' })])
  t.after(() => sinks.close())

  const first = sinks.publish('room:old', 'ev', { n: 1 })
  await receiver.waitFor('the first request', () => true)
  const ids = [first]
  for (let n = 2; n <= 10; n++) ids.push(sinks.publish('room:old', 'ev', { n }))
  assert.deepEqual(sinks.events.seen.dead_letter.map((d) => [d.id, d.reason]), ids.slice(1, 8).map((id) => [id, 'overflow']))
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_dead_letters_total', { subscription: 'room:old', reason: 'overflow' }), 7)

  gate.open({ status: 200 })
  await sinks.events.count('delivered', 3)
  assert.deepEqual(receiver.received.map(nOf), [1, 9, 10])
})

test('drop-oldest evicts a message waiting for its retry, and its lane moves on', async (t) => {
  const receiver = await Receiver.start((r) => nOf(r) === 1 ? { status: 503, headers: { 'retry-after': '30' } } : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:wait', receiver.url(), { queueSize: 2, overflow: 'drop-oldest' })])
  t.after(() => sinks.close())

  const one = sinks.publish('room:wait', 'ev', { n: 1 })
  await sinks.events.next('retry', (r) => r.id === one)
  sinks.publish('room:wait', 'ev', { n: 2 })
  sinks.publish('room:wait', 'ev', { n: 3 })
  const evicted = await sinks.events.next('dead_letter')
  assert.deepEqual([evicted.id, evicted.reason, evicted.attempts, evicted.status], [one, 'overflow', 1, 503])
  await sinks.events.count('delivered', 2)
  assert.deepEqual(receiver.received.map(nOf), [1, 2, 3])
  assert.equal(sinks.webhooks.stats()[0]?.waiting, 0, 'its retry timer is gone')
})
