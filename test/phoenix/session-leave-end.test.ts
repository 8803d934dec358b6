import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChannelClosedError, ClosedError } from '../../src/phoenix/errors.ts'
import { failure, Harness, joinFailure } from './session-harness.ts'

test('leave sends phx_leave with the join_ref; the ok reply closes the channel and calls the leave waiter', () => {
  const h = new Harness()
  h.open()
  const join = h.joinOk('room:a')
  let done = 0
  h.session.leave('room:a', h.now, () => { done++ })
  const leave = h.lastSent('phx_leave', 'room:a')
  assert.equal(leave.joinRef, join.ref)
  assert.deepEqual(leave.payload, {})
  assert.equal(h.session.channelState('room:a'), 'leaving')
  assert.equal(done, 0)

  h.reply(leave)
  assert.equal(done, 1)
  assert.equal(h.session.channelState('room:a'), 'closed')
  assert.deepEqual(h.eventsOf('channel_closed'), [{ type: 'channel_closed', topic: 'room:a', reason: 'left' }])
  // Phoenix follows the reply with phx_close for the old join_ref: nothing more happens.
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_close', payload: {} })
  assert.equal(done, 1)
  assert.equal(h.eventsOf('channel_closed').length, 1)
  assert.deepEqual(h.eventsOf('unroutable'), [], 'the trailing phx_close is expected, not unroutable')
})

test('leave closes the channel on timeout when no reply comes', () => {
  const h = new Harness({ pushTimeoutMs: 400, rejoinDelay: () => 1000 })
  h.open()
  h.joinOk('room:a')
  let done = 0
  h.session.leave('room:a', h.now, () => { done++ })
  h.advance(399)
  assert.equal(done, 0)
  assert.equal(h.session.channelState('room:a'), 'leaving')
  h.advance(1)
  assert.equal(done, 1)
  assert.equal(h.session.channelState('room:a'), 'closed')
  assert.deepEqual(h.eventsOf('channel_closed'), [{ type: 'channel_closed', topic: 'room:a', reason: 'left' }])
})

test('a second leave while leaving sends nothing more and its waiter is called with the first', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const calls: string[] = []
  h.session.leave('room:a', h.now, () => { calls.push('first') })
  h.session.leave('room:a', h.now, () => { calls.push('second') })
  assert.equal(h.sentWith('phx_leave').length, 1)
  h.reply(h.lastSent('phx_leave'))
  assert.deepEqual(calls, ['first', 'second'])
})

test('leave while disconnected closes at once and sends nothing', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.close()
  h.clear()
  let done = 0
  h.session.leave('room:a', h.now, () => { done++ })
  assert.equal(done, 1)
  assert.deepEqual(h.sent, [])
  assert.equal(h.session.channelState('room:a'), 'closed')
  h.open()
  assert.deepEqual(h.sentWith('phx_join'), [], 'a left topic is not rejoined')
})

test('leave of an unknown topic calls back at once', () => {
  const h = new Harness()
  h.open()
  let done = 0
  h.session.leave('room:never', h.now, () => { done++ })
  assert.equal(done, 1)
  assert.deepEqual(h.sent, [])
})

test('leave while the join is in flight closes at once, fails the join waiter, and tells the server', () => {
  const h = new Harness()
  h.open()
  const waiter = h.join('room:a')
  const join = h.lastJoin('room:a')
  let done = 0
  h.session.leave('room:a', h.now, () => { done++ })
  assert.equal(done, 1)
  const error = joinFailure(waiter)
  assert.ok(error instanceof ChannelClosedError)
  assert.equal(error.reason, 'left')
  assert.equal(h.lastSent('phx_leave').joinRef, join.ref)
  h.reply(join) // the late ok changes nothing
  assert.equal(h.session.channelState('room:a'), 'closed')
})

test('a socket drop while leaving closes the channel', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  let done = 0
  h.session.leave('room:a', h.now, () => { done++ })
  h.close()
  assert.equal(done, 1)
  assert.equal(h.session.channelState('room:a'), 'closed')
  h.open()
  assert.deepEqual(h.sentWith('phx_join').length, 1, 'only the first join was ever sent')
})

test('joining again while leaving starts a fresh channel with a new join_ref', () => {
  const h = new Harness()
  h.open()
  const first = h.joinOk('room:a')
  h.session.leave('room:a', h.now)
  const leave = h.lastSent('phx_leave')
  h.join('room:a')
  const second = h.lastJoin('room:a')
  assert.notEqual(second.ref, first.ref)
  h.reply(leave) // the old leave's reply does not close the new channel
  h.receive({ joinRef: first.ref, ref: first.ref, topic: 'room:a', event: 'phx_close', payload: {} })
  h.reply(second)
  assert.equal(h.session.channelState('room:a'), 'joined')
})

test('end(): pending joins and pushes fail with ClosedError, and later joins and pushes fail with ClosedError', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const sent = h.push('room:a', 'e')
  const joining = h.join('room:b')
  const buffered = h.push('room:b', 'e')
  h.session.end(h.now)

  for (const p of [sent, buffered]) assert.ok(failure(p) instanceof ClosedError)
  assert.ok(joinFailure(joining) instanceof ClosedError)
  assert.deepEqual(h.session.topics(), [])
  assert.equal(h.session.connected, false)

  h.clear()
  const lateJoin = h.join('room:d')
  assert.ok(joinFailure(lateJoin) instanceof ClosedError)
  const latePush = h.push('room:a', 'e')
  assert.ok(failure(latePush) instanceof ClosedError)
  h.open()
  h.advanceThrough(120_000)
  assert.deepEqual(h.sent, [], 'nothing is sent after end()')
  let left = 0
  h.session.leave('room:a', h.now, () => { left++ })
  assert.equal(left, 1)
})

test('end() while disconnected fails the joins and pushes that wait for the connection', () => {
  const h = new Harness()
  const joining = h.join('room:a')
  const buffered = h.push('room:a', 'e')
  h.session.end(h.now)
  assert.ok(joinFailure(joining) instanceof ClosedError)
  assert.ok(failure(buffered) instanceof ClosedError)
  assert.equal(h.session.stats().buffered, 0)
})

test('end() twice is harmless', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const p = h.push('room:a', 'e')
  h.session.end(h.now)
  h.session.end(h.now)
  assert.equal(p.outcomes.length, 1)
})

test('nextDeadline() is never later than a push, join, leave or rejoin deadline that is pending', () => {
  const h = new Harness({ joinTimeoutMs: 700, pushTimeoutMs: 900, rejoinDelay: () => 333, heartbeatIntervalMs: 60_000 })
  assert.equal(h.session.nextDeadline(), undefined, 'nothing waits on time before anything happens')
  h.open()
  assert.equal(h.session.nextDeadline(), 60_000)
  h.join('room:a')
  assert.equal(h.session.nextDeadline(), 700)
  h.now = 100
  h.push('room:a', 'e', {}, { timeoutMs: 50 })
  assert.equal(h.session.nextDeadline(), 150)
  h.advance(50)
  assert.equal(h.session.nextDeadline(), 700)
  h.advance(550)
  assert.ok(h.sentWith('phx_leave').length === 1, 'the join timed out')
  assert.equal(h.session.nextDeadline(), 700 + 333)
  h.advance(333)
  h.reply(h.lastJoin('room:a'))
  h.session.leave('room:a', h.now)
  const deadline = h.session.nextDeadline()
  assert.ok(deadline !== undefined && deadline <= h.now + 900)
})

test('tick with an earlier now does nothing', () => {
  const h = new Harness({ rejoinDelay: () => 1000, heartbeatIntervalMs: 100 })
  h.open()
  h.join('room:a')
  const p = h.push('room:a', 'e', {}, { timeoutMs: 50 })
  h.now = 200
  h.session.tick(40)
  h.session.tick(-1)
  assert.deepEqual(p.outcomes, [])
  assert.deepEqual(h.sentWith('heartbeat'), [])
  h.session.tick(50)
  assert.equal(p.outcomes.length, 1)
})
