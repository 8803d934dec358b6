import { test } from 'node:test'
import assert from 'node:assert/strict'
import { JoinRefusedError, TimeoutError } from '../../src/phoenix/errors.ts'
import { failure, Harness, joinFailure } from './session-harness.ts'

/** Back-off of attempt × 1000 ms, so every delay is exact. */
function harness (maxJoinRefusals = 3): Harness {
  return new Harness({ rejoinDelay: (attempt) => attempt * 1000, maxJoinRefusals })
}

test('a refused join: the waiter gets JoinRefusedError with the payload, and a rejoin is scheduled with back-off', () => {
  const h = harness()
  h.open()
  const waiter = h.join('room:a', { p: 1 })
  h.reply(h.lastJoin('room:a'), 'error', { reason: 'unauthorized' })

  const error = joinFailure(waiter)
  assert.ok(error instanceof JoinRefusedError)
  assert.deepEqual(error.response, { reason: 'unauthorized' })
  assert.equal(error.topic, 'room:a')
  assert.equal(h.session.channelState('room:a'), 'errored')
  assert.deepEqual(h.eventsOf('join_refused'), [{ type: 'join_refused', topic: 'room:a', attempt: 1, willRetry: true }])
  assert.deepEqual(h.eventsOf('rejoin_scheduled'), [{ type: 'rejoin_scheduled', topic: 'room:a', attempt: 1, delayMs: 1000 }])

  h.clear()
  h.advance(999)
  assert.deepEqual(h.sentWith('phx_join'), [])
  h.advance(1)
  assert.equal(h.sentWith('phx_join').length, 1)
  assert.deepEqual(h.lastJoin('room:a').payload, { p: 1 })
})

test('pushes buffered before a refusal fail with JoinRefusedError', () => {
  const h = harness()
  h.open()
  h.join('room:a')
  const p1 = h.push('room:a', 'e')
  const p2 = h.push('room:a', 'e')
  h.reply(h.lastJoin('room:a'), 'error', { reason: 'nope' })
  for (const p of [p1, p2]) {
    const error = failure(p)
    assert.ok(error instanceof JoinRefusedError)
    assert.deepEqual(error.response, { reason: 'nope' })
  }
  assert.equal(h.session.stats().buffered, 0)
})

test('a push while the topic stands refused fails at once with JoinRefusedError', () => {
  const h = harness()
  h.open()
  h.join('room:a')
  h.reply(h.lastJoin('room:a'), 'error', { reason: 'nope' })
  const p = h.push('room:a', 'e')
  assert.ok(failure(p) instanceof JoinRefusedError)
  assert.equal(h.session.stats().buffered, 0)
})

test("after maxJoinRefusals consecutive refusals the topic is dropped with 'channel_closed' reason 'refused'", () => {
  const h = harness(3)
  h.open()
  const waiter = h.join('room:a')
  h.reply(h.lastJoin('room:a'), 'error', { n: 1 })
  h.advance(1000)
  h.reply(h.lastJoin('room:a'), 'error', { n: 2 })
  assert.deepEqual(h.eventsOf('rejoin_scheduled').map((e) => e.delayMs), [1000, 2000])
  h.advance(2000)
  const last = h.join('room:a') // a waiter for the third attempt
  h.reply(h.lastJoin('room:a'), 'error', { n: 3 })

  assert.equal(h.sentWith('phx_join').length, 3)
  assert.deepEqual(h.eventsOf('join_refused').map((e) => [e.attempt, e.willRetry]), [[1, true], [2, true], [3, false]])
  assert.deepEqual(h.eventsOf('channel_closed'), [{ type: 'channel_closed', topic: 'room:a', reason: 'refused' }])
  assert.equal(h.session.channelState('room:a'), 'closed')
  assert.deepEqual(h.session.topics(), [])
  assert.equal(waiter.outcomes.length, 1)
  const error = joinFailure(last)
  assert.ok(error instanceof JoinRefusedError)
  assert.deepEqual(error.response, { n: 3 })

  h.clear()
  h.advanceThrough(60_000)
  assert.deepEqual(h.sentWith('phx_join'), [], 'a dropped topic is never rejoined')
})

test('a successful join resets the refusal count and the back-off', () => {
  const h = harness(2)
  h.open()
  h.join('room:a')
  h.reply(h.lastJoin('room:a'), 'error', {})
  h.advance(1000)
  h.reply(h.lastJoin('room:a')) // ok
  assert.equal(h.session.channelState('room:a'), 'joined')

  // A crash later: the back-off starts at attempt 1 again.
  const join = h.lastJoin('room:a')
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_error', payload: {} })
  assert.deepEqual(h.eventsOf('rejoin_scheduled').map((e) => [e.attempt, e.delayMs]), [[1, 1000], [1, 1000]])
  h.advance(1000)
  // One refusal now is the first of a new run: with maxJoinRefusals 2 the topic is kept.
  h.reply(h.lastJoin('room:a'), 'error', {})
  assert.equal(h.session.channelState('room:a'), 'errored')
  assert.deepEqual(h.eventsOf('join_refused').map((e) => [e.attempt, e.willRetry]), [[1, true], [1, true]])
})

test('a successful rejoin after a refusal lets pushes buffer again', () => {
  const h = harness()
  h.open()
  h.join('room:a')
  h.reply(h.lastJoin('room:a'), 'error', {})
  h.advance(1000)
  const buffered = h.push('room:a', 'e')
  assert.ok(failure(buffered) instanceof JoinRefusedError, 'still refused until the rejoin is answered')
  h.reply(h.lastJoin('room:a'))
  const p = h.push('room:a', 'e')
  assert.deepEqual(p.outcomes, [])
  assert.equal(h.sentWith('e').length, 1)
})

test('a join timeout: the waiter gets TimeoutError kind join and a phx_leave with the timed-out join_ref is sent', () => {
  const h = new Harness({ joinTimeoutMs: 500, rejoinDelay: (attempt) => attempt * 1000 })
  h.open()
  const waiter = h.join('room:a')
  const join = h.lastJoin('room:a')
  h.advance(499)
  assert.deepEqual(waiter.outcomes, [])
  h.advance(1)
  const error = joinFailure(waiter)
  assert.ok(error instanceof TimeoutError)
  assert.equal(error.kind, 'join')

  const leave = h.lastSent('phx_leave', 'room:a')
  assert.equal(leave.joinRef, join.ref)
  assert.notEqual(leave.ref, join.ref)
  assert.equal(h.session.channelState('room:a'), 'errored')
  assert.deepEqual(h.eventsOf('join_timeout'), [{ type: 'join_timeout', topic: 'room:a', attempt: 1 }])
  assert.deepEqual(h.eventsOf('rejoin_scheduled'), [{ type: 'rejoin_scheduled', topic: 'room:a', attempt: 1, delayMs: 1000 }])
})

test('after a join timeout the rejoin goes out after the back-off, and the late ok of the old join is ignored', () => {
  const h = new Harness({ joinTimeoutMs: 500, rejoinDelay: (attempt) => attempt * 1000 })
  h.open()
  h.join('room:a')
  const old = h.lastJoin('room:a')
  h.advance(500)
  h.reply(old) // late: the join was given up
  assert.equal(h.session.channelState('room:a'), 'errored')
  assert.deepEqual(h.eventsOf('joined'), [])

  h.advance(999)
  assert.equal(h.sentWith('phx_join').length, 1)
  h.advance(1)
  const fresh = h.lastJoin('room:a')
  assert.notEqual(fresh.ref, old.ref)
  h.reply(old) // a replayed late reply during the new join changes nothing either
  assert.equal(h.session.channelState('room:a'), 'joining')
  h.reply(fresh)
  assert.equal(h.session.channelState('room:a'), 'joined')
})

test('a buffered push survives a join timeout and goes out after the rejoin', () => {
  const h = new Harness({ joinTimeoutMs: 500, rejoinDelay: () => 100 })
  h.open()
  h.join('room:a')
  const p = h.push('room:a', 'e', {}, { timeoutMs: 5000 })
  h.advance(500)
  h.advance(100)
  assert.deepEqual(p.outcomes, [])
  const fresh = h.lastJoin('room:a')
  h.reply(fresh)
  assert.equal(h.lastSent('e').joinRef, fresh.ref)
})

test('the default rejoin back-off follows phoenix.js without jitter: 1 s, 2 s, 5 s, then 10 s', () => {
  const h = new Harness({ maxJoinRefusals: Infinity })
  h.open()
  h.join('room:a')
  for (let i = 0; i < 5; i++) {
    h.reply(h.lastJoin('room:a'), 'error', {})
    const delay = h.eventsOf('rejoin_scheduled').at(-1)?.delayMs ?? 0
    const joins = h.sentWith('phx_join').length
    h.advance(delay - 1)
    assert.equal(h.sentWith('phx_join').length, joins)
    h.advance(1)
    assert.equal(h.sentWith('phx_join').length, joins + 1)
  }
  assert.deepEqual(h.eventsOf('rejoin_scheduled').map((e) => e.delayMs), [1000, 2000, 5000, 10000, 10000])
})
