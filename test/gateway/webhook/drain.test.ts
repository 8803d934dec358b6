/**
 * The drain: close() lets an attempt in flight finish (it is never
 * aborted), keeps delivering until its stop time, sends what is left to the
 * dead letter with reason shutdown, and refuses new messages the same way.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hooked, startSinks } from './harness.ts'
import { Gate, Receiver, type Received } from './receiver.ts'

const nOf = (r: Received): number => (JSON.parse(r.body) as { data: { n: number } }).data.n

test('close() waits for the attempt in flight, which completes unaborted, and delivers the queue behind it', async (t) => {
  const gate = new Gate()
  const receiver = await Receiver.start((r) => nOf(r) === 1 ? gate.promise : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:d', receiver.url())])
  const ids = [1, 2, 3].map((n) => sinks.publish('room:d', 'ev', { n }))
  const inFlight = await receiver.waitFor('the first request', () => true)

  let closed = false
  const closing = sinks.close(10_000).then(() => { closed = true })
  const start = await sinks.events.next('drain_start')
  assert.deepEqual(start, { held: 3, inFlight: 1, stopInMs: start.stopInMs })
  const late = sinks.publish('room:d', 'ev', { n: 4 })
  const refused = await sinks.events.next('dead_letter', (d) => d.id === late)
  assert.equal(refused.reason, 'shutdown', 'a message arriving during the drain goes to the dead letter')
  assert.equal(closed, false, 'close() waits while an attempt is in flight')

  gate.open({ status: 200 })
  await closing
  assert.equal(inFlight.answered, true, 'the held answer reached the sidecar whole')
  assert.equal(inFlight.aborted, false)
  assert.deepEqual(sinks.events.seen.delivered.map((d) => d.id), ids, 'the queue behind it was delivered during the drain')
  assert.deepEqual(sinks.events.seen.drain_done.map((d) => d.left), [0])

  const after = sinks.publish('room:d', 'ev', { n: 5 })
  const reported = await sinks.events.next('dead_letter', (d) => d.id === after)
  assert.deepEqual([reported.reason, reported.target], ['shutdown', 'none'])
})

test('at the stop time no attempt starts: the queue goes to the dead letter (shutdown) while the attempt in flight finishes', async (t) => {
  const gate = new Gate()
  const receiver = await Receiver.start(() => gate.promise)
  t.after(() => receiver.close())
  // Attempts may take 1000 ms; a deadline 1050 ms away leaves 50 ms before the stop.
  const sinks = await startSinks([hooked('room:stop', receiver.url(), { timeoutMs: 1000 })])
  const ids = [1, 2, 3, 4].map((n) => sinks.publish('room:stop', 'ev', { n }))
  const inFlight = await receiver.waitFor('the first request', () => true)

  const closing = sinks.close(1050)
  const left = await sinks.events.count('dead_letter', 3)
  assert.deepEqual(left.map((d) => [d.id, d.reason, d.attempts]), ids.slice(1).map((id) => [id, 'shutdown', 0]))
  assert.equal(inFlight.answered, null, 'the first attempt is still in flight, untouched')

  gate.open({ status: 200 })
  await closing
  assert.equal(inFlight.answered, true)
  assert.equal(inFlight.aborted, false)
  assert.deepEqual(sinks.events.seen.delivered.map((d) => d.id), [ids[0]])
  assert.deepEqual(receiver.received.map(nOf), [1], 'nothing was sent after the stop')
  assert.deepEqual(sinks.events.seen.drain_done.map((d) => d.left), [3])
})

test('a retry due after the stop time does not hold the drain: its lane goes to the dead letter at once', async (t) => {
  const receiver = await Receiver.start(() => ({ status: 503, headers: { 'retry-after': '60' } }))
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:r', receiver.url(), { maxAgeMs: 600_000 })])
  const ids = [1, 2].map((n) => sinks.publish('room:r', 'ev', { n }))
  await sinks.events.next('retry', (r) => r.id === ids[0])

  const started = performance.now()
  await sinks.close(5000)
  assert.ok(performance.now() - started < 1000, 'close() did not wait for the retry')
  assert.deepEqual(sinks.events.seen.dead_letter.map((d) => [d.id, d.reason]), ids.map((id) => [id, 'shutdown']))
  assert.equal(receiver.received.length, 1)
})

test('a retry due before the stop time still happens during the drain', async (t) => {
  const receiver = await Receiver.start((r) => r.attempt === 1 ? { status: 500 } : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:soon', receiver.url(), { backoff: { initialMs: 50, maxMs: 50, multiplier: 1 } })], { random: () => 0.5 })
  const id = sinks.publish('room:soon', 'ev', { n: 1 })
  await sinks.events.next('retry', (r) => r.id === id)

  await sinks.close(5000)
  assert.deepEqual(sinks.events.seen.delivered.map((d) => [d.id, d.attempts]), [[id, 2]])
  assert.equal(sinks.events.seen.dead_letter.length, 0)
})
