/**
 * Retries against a receiver that fails N times: delays are exponential
 * with full jitter (the random source is fixed, so they are exact), the
 * idempotency key and traceparent stay the same on every attempt,
 * Retry-After is honoured, and a message gives up by attempts or by age.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixedRandom, hooked, startSinks } from './harness.ts'
import { Gate, Receiver } from './receiver.ts'

test('a receiver failing 3 times: 4 attempts with jittered exponential delays, then delivered', async (t) => {
  const receiver = await Receiver.start((r) => r.attempt <= 3 ? { status: 503 } : { status: 200 })
  t.after(() => receiver.close())
  // Ceilings 20, 40, 80 ms; r = 0.5, 0.25, 0.75 → 10, 10, 60 ms.
  const sinks = await startSinks([hooked('room:n', receiver.url(), { maxAttempts: 10, backoff: { initialMs: 20, maxMs: 1000, multiplier: 2 } })], { random: fixedRandom(0.5, 0.25, 0.75) })
  t.after(() => sinks.close())

  const id = sinks.publish('room:n', 'ev', { n: 1 })
  const delivered = await sinks.events.next('delivered', (d) => d.id === id)
  assert.equal(delivered.attempts, 4)
  assert.deepEqual(sinks.events.seen.retry.map((r) => [r.attempt, r.delayMs]), [[2, 10], [3, 10], [4, 60]])
  const at = receiver.received.map((r) => r.at)
  const delays = [10, 10, 60]
  for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= delays[i - 1]! - 1, `attempt ${i + 1} came ${(at[i]! - at[i - 1]!).toFixed(1)} ms after the one before, at least ${delays[i - 1]} ms`)
  assert.ok(delivered.seconds >= 0.079, 'the delivery latency includes the retries')
})

test('the idempotency key, traceparent, topic, event and id are the same on every attempt; the attempt header counts', async (t) => {
  const receiver = await Receiver.start((r) => r.attempt <= 2 ? { status: 500 } : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:key', receiver.url(), { backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } })])
  t.after(() => sinks.close())

  const id = sinks.publish('room:key', 'ev', { n: 1 })
  await sinks.events.next('delivered', (d) => d.id === id)
  const attempts = receiver.of('room:key')
  assert.deepEqual(attempts.map((r) => r.attempt), [1, 2, 3])
  for (const name of ['idempotency-key', 'traceparent', 'x-backchannel-topic', 'x-backchannel-event', 'x-backchannel-id']) {
    assert.equal(new Set(attempts.map((r) => r.headers[name])).size, 1, `${name} is stable`)
  }
  assert.equal(new Set(attempts.map((r) => r.body)).size, 1, 'the body is the same')
  assert.equal((JSON.parse(attempts[0]!.body) as { id: string }).id, attempts[0]!.key, 'the CloudEvents id is the idempotency key')
})

test('Retry-After in seconds is honoured over a shorter jittered delay', async (t) => {
  const receiver = await Receiver.start((r) => r.attempt === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:ra', receiver.url(), { backoff: { initialMs: 10, maxMs: 10, multiplier: 2 } })], { random: () => 0.5 })
  t.after(() => sinks.close())

  const id = sinks.publish('room:ra', 'ev', {})
  await sinks.events.next('delivered', (d) => d.id === id)
  assert.deepEqual(sinks.events.seen.retry.map((r) => r.delayMs), [1000])
  const [first, second] = receiver.received
  assert.ok(second!.at - first!.at >= 999, `the retry waited ${(second!.at - first!.at).toFixed(0)} ms`)
})

test('a Retry-After beyond maxAgeMs gives up at once with reason max_age', async (t) => {
  const receiver = await Receiver.start(() => ({ status: 503, headers: { 'retry-after': '120' } }))
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:later', receiver.url(), { maxAgeMs: 60_000 })])
  t.after(() => sinks.close())

  const id = sinks.publish('room:later', 'ev', {})
  const dead = await sinks.events.next('dead_letter', (d) => d.id === id)
  assert.equal(dead.reason, 'max_age')
  assert.equal(dead.attempts, 1)
  assert.equal(dead.status, 503)
  assert.equal(sinks.events.seen.retry.length, 0)
})

test('retries stop when the message would outlive maxAgeMs, before maxAttempts', async (t) => {
  const receiver = await Receiver.start(() => ({ status: 500 }))
  t.after(() => receiver.close())
  // r = 0.999: the first retry waits 99 ms (within the 200 ms age limit), the second would wait 199 ms (beyond it).
  const sinks = await startSinks([hooked('room:age', receiver.url(), { maxAttempts: 100, maxAgeMs: 200, backoff: { initialMs: 100, maxMs: 1000, multiplier: 2 } })], { random: () => 0.999 })
  t.after(() => sinks.close())

  const id = sinks.publish('room:age', 'ev', {})
  const dead = await sinks.events.next('dead_letter', (d) => d.id === id)
  assert.equal(dead.reason, 'max_age')
  assert.equal(dead.attempts, 2)
  assert.deepEqual(sinks.events.seen.retry.map((r) => r.delayMs), [99])
  assert.equal(receiver.received.length, dead.attempts)
})

test('maxAttempts 1 means no retry: the first failure goes to the dead letter', async (t) => {
  const receiver = await Receiver.start(() => ({ status: 500 }))
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:once', receiver.url(), { maxAttempts: 1 })])
  t.after(() => sinks.close())

  const id = sinks.publish('room:once', 'ev', {})
  const dead = await sinks.events.next('dead_letter', (d) => d.id === id)
  assert.deepEqual([dead.reason, dead.attempts, dead.status], ['max_attempts', 1, 500])
})

test('a message that waited in the queue past maxAgeMs goes to the dead letter without an attempt', async (t) => {
  const never = new Gate()
  const receiver = await Receiver.start(() => never.promise)
  t.after(() => receiver.close())
  // The first message's attempt takes its whole 150 ms deadline; the second, queued behind it, is by then older than 50 ms.
  const sinks = await startSinks([hooked('room:stale', receiver.url(), { timeoutMs: 150, maxAgeMs: 50 })])
  t.after(() => sinks.close())

  const ids = [1, 2].map((n) => sinks.publish('room:stale', 'ev', { n }))
  const dead = await sinks.events.count('dead_letter', 2)
  assert.deepEqual(dead.map((d) => [d.id, d.reason, d.attempts]), [[ids[0], 'max_age', 1], [ids[1], 'max_age', 0]])
  assert.equal(receiver.received.length, 1, 'the second message was never sent')
})
