/**
 * Order and concurrency: one message in flight per topic (or per topic and
 * key), in sequence even across retries, while other topics and keys go on;
 * and `maxInFlight` caps each subscription, not the app.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hooked, startSinks } from './harness.ts'
import { Gate, Receiver, type Received } from './receiver.ts'

const dataOf = (r: Received): Record<string, unknown> => (JSON.parse(r.body) as { data: Record<string, unknown> }).data

test('a stalled topic keeps its order and does not hold up another topic', async (t) => {
  const gate = new Gate()
  const receiver = await Receiver.start((r) => r.topic === 'room:a' && dataOf(r)['n'] === 1 ? gate.promise : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:a', receiver.url()), hooked('room:b', receiver.url())])
  t.after(() => sinks.close())

  for (let n = 1; n <= 5; n++) sinks.publish('room:a', 'ev', { n })
  for (let n = 1; n <= 20; n++) sinks.publish('room:b', 'ev', { n })
  await sinks.events.count('delivered', 20, (d) => d.subscription === 'room:b')
  assert.deepEqual(receiver.of('room:a').map((r) => dataOf(r)['n']), [1], 'room:a waits behind its first message')
  assert.deepEqual(receiver.of('room:b').map((r) => dataOf(r)['n']), Array.from({ length: 20 }, (_, i) => i + 1))

  gate.open({ status: 200 })
  await sinks.events.count('delivered', 5, (d) => d.subscription === 'room:a')
  assert.deepEqual(receiver.of('room:a').map((r) => dataOf(r)['n']), [1, 2, 3, 4, 5])
  assert.equal(receiver.maxOpenByTopic.get('room:a'), 1)
  assert.equal(receiver.maxOpenByTopic.get('room:b'), 1)
})

test('a message being retried holds back the ones after it: the app sees them in sequence', async (t) => {
  const receiver = await Receiver.start((r) => dataOf(r)['n'] === 3 && r.attempt < 3 ? { status: 500 } : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:seq', receiver.url(), { backoff: { initialMs: 5, maxMs: 5, multiplier: 1 } })])
  t.after(() => sinks.close())

  for (let n = 1; n <= 8; n++) sinks.publish('room:seq', 'ev', { n })
  await sinks.events.count('delivered', 8)
  assert.deepEqual(receiver.received.map((r) => dataOf(r)['n']), [1, 2, 3, 3, 3, 4, 5, 6, 7, 8])
  assert.deepEqual(sinks.events.seen.delivered.map((d) => Number(d.id.split('-')[1])), [1, 2, 3, 4, 5, 6, 7, 8])
})

test('with an order key, each key is a lane: a stalled key waits, the other keys go on, each in order', async (t) => {
  const gate = new Gate()
  const receiver = await Receiver.start((r) => dataOf(r)['user'] === 'x' && dataOf(r)['n'] === 1 ? gate.promise : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:users', receiver.url(), { orderKey: '/user' })])
  t.after(() => sinks.close())

  for (let n = 1; n <= 4; n++) for (const user of ['x', 'y', 'z']) sinks.publish('room:users', 'ev', { user, n })
  await sinks.events.count('delivered', 8)
  const byUser = (user: string): unknown[] => receiver.received.filter((r) => dataOf(r)['user'] === user).map((r) => dataOf(r)['n'])
  assert.deepEqual(byUser('x'), [1])
  assert.deepEqual(byUser('y'), [1, 2, 3, 4])
  assert.deepEqual(byUser('z'), [1, 2, 3, 4])

  gate.open({ status: 200 })
  await sinks.events.count('delivered', 12)
  assert.deepEqual(byUser('x'), [1, 2, 3, 4])
  assert.ok((receiver.maxOpenByTopic.get('room:users') ?? 0) >= 2, 'lanes were in flight together')
})

test('maxInFlight caps each subscription: two subscriptions to one app have three attempts open each', async (t) => {
  const gates: Array<Gate> = []
  const receiver = await Receiver.start(() => {
    const gate = new Gate()
    gates.push(gate)
    return gate.promise
  })
  t.after(() => receiver.close())
  const over = { orderKey: '/k', maxInFlight: 3 }
  const sinks = await startSinks([hooked('room:p', receiver.url(), over), hooked('room:q', receiver.url(), over)])
  t.after(() => sinks.close())

  for (let k = 1; k <= 10; k++) sinks.publish('room:p', 'ev', { k })
  await receiver.until('three room:p requests', () => receiver.of('room:p').length === 3 ? true : undefined)
  for (let k = 1; k <= 10; k++) sinks.publish('room:q', 'ev', { k })
  await receiver.until('three room:q requests', () => receiver.of('room:q').length === 3 ? true : undefined)
  assert.equal(receiver.of('room:p').length, 3, 'room:p still has three open: the cap is its own')
  assert.equal(receiver.maxOpen, 6, 'the app had six open at once')
  assert.deepEqual(sinks.webhooks.stats().map((s) => [s.subscription, s.inFlight, s.held]), [['room:p', 3, 10], ['room:q', 3, 10]])

  // Answer everything from now on, and release what is held.
  receiver.script = () => ({ status: 200 })
  for (const gate of gates) gate.open({ status: 200 })
  await sinks.events.count('delivered', 20)
  assert.equal(receiver.maxOpenByTopic.get('room:p'), 3)
  assert.equal(receiver.maxOpenByTopic.get('room:q'), 3)
})
