import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BufferFullError, ClosedError, DisconnectedError, NotJoinedError, TimeoutError,
} from '../../src/phoenix/errors.ts'
import { failure, Harness, onlyOutcome } from './session-harness.ts'

test('pushes while joining are buffered and flushed in order after the join ok, with the join_ref', () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  const pushes = [h.push('room:a', 'e', 1), h.push('room:a', 'e', 2), h.push('room:a', 'e', 3)]
  assert.equal(h.session.stats().buffered, 3)
  assert.deepEqual(h.sentWith('e'), [])

  const join = h.lastJoin('room:a')
  h.reply(join)
  const sent = h.sentWith('e')
  assert.deepEqual(sent.map((m) => m.payload), [1, 2, 3])
  for (const m of sent) assert.equal(m.joinRef, join.ref)
  assert.equal(h.session.stats().buffered, 0)
  assert.equal(h.session.stats().inFlight, 3)
  for (const p of pushes) assert.deepEqual(p.outcomes, [])
})

test('pushes while disconnected are buffered and flushed in order after the rejoin, with the NEW join_ref', () => {
  const h = new Harness()
  h.open()
  const first = h.joinOk('room:a')
  h.close()
  h.push('room:a', 'e', 'x')
  h.push('room:a', 'e', 'y')
  assert.equal(h.session.stats().buffered, 2)
  h.open()
  assert.deepEqual(h.sentWith('e'), [], 'nothing is sent before the rejoin is answered')
  const second = h.lastJoin('room:a')
  assert.notEqual(second.ref, first.ref)
  h.reply(second)
  const sent = h.sentWith('e')
  assert.deepEqual(sent.map((m) => m.payload), ['x', 'y'])
  for (const m of sent) assert.equal(m.joinRef, second.ref)
})

test('pushes made before the first connection wait for the join', () => {
  const h = new Harness()
  h.join('room:a')
  const p = h.push('room:a', 'early', {})
  assert.equal(h.session.stats().buffered, 1)
  h.open()
  h.reply(h.lastJoin('room:a'))
  assert.equal(h.sentWith('early').length, 1)
  h.reply(h.lastSent('early'), 'ok', { done: true })
  assert.deepEqual(onlyOutcome(p), { kind: 'reply', status: 'ok', response: { done: true } })
})

test("a buffered push whose deadline passes fails with TimeoutError kind 'push' and is not sent later", () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  const late = h.push('room:a', 'late', {}, { timeoutMs: 100 })
  const kept = h.push('room:a', 'kept', {}, { timeoutMs: 5000 })
  h.advance(99)
  assert.deepEqual(late.outcomes, [])
  h.advance(1)
  const error = failure(late)
  assert.ok(error instanceof TimeoutError)
  assert.equal(error.kind, 'push')
  assert.equal(h.session.stats().buffered, 1)

  h.reply(h.lastJoin('room:a'))
  assert.deepEqual(h.sentWith('late'), [])
  assert.equal(h.sentWith('kept').length, 1)
  assert.deepEqual(late.outcomes.length, 1)
  assert.deepEqual(kept.outcomes, [])
})

test('a buffered push whose deadline passed before the join ok is not sent, even when no tick ran in between', () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  const late = h.push('room:a', 'late', {}, { timeoutMs: 100 })
  h.now = 150 // the join reply arrives before the layer above ticked
  h.reply(h.lastJoin('room:a'))
  assert.deepEqual(h.sentWith('late'), [])
  const error = failure(late)
  assert.ok(error instanceof TimeoutError)
  assert.equal(error.kind, 'push')
  h.advance(0)
  assert.equal(late.outcomes.length, 1)
  assert.equal(h.session.stats().buffered, 0)
})

test('a push that overflows maxBufferedPushes fails at once with BufferFullError', () => {
  const h = new Harness({ maxBufferedPushes: 2, rejoinDelay: () => 1000 })
  h.join('room:a')
  h.join('room:b')
  const a = h.push('room:a', 'e')
  const b = h.push('room:b', 'e')
  const over = h.push('room:a', 'e')
  assert.ok(failure(over) instanceof BufferFullError)
  assert.deepEqual(a.outcomes, [])
  assert.deepEqual(b.outcomes, [])
  assert.equal(h.session.stats().buffered, 2)

  // A settled buffered push frees its slot.
  h.session.cancel(a.record, new ClosedError(), h.now)
  assert.equal(h.session.stats().buffered, 1)
  const fits = h.push('room:a', 'e')
  assert.deepEqual(fits.outcomes, [])
  assert.equal(h.session.stats().buffered, 2)
})

test("whenNotJoined 'fail' while connected and joining fails at once with NotJoinedError", () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  const p = h.push('room:a', 'e', {}, { whenNotJoined: 'fail' })
  assert.ok(failure(p) instanceof NotJoinedError)
  assert.equal(h.session.stats().buffered, 0)
  h.reply(h.lastJoin('room:a'))
  assert.deepEqual(h.sentWith('e'), [])
})

test("whenNotJoined 'fail' while disconnected fails at once with DisconnectedError(sent=false)", () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.close()
  const p = h.push('room:a', 'e', {}, { whenNotJoined: 'fail' })
  const error = failure(p)
  assert.ok(error instanceof DisconnectedError)
  assert.equal(error.sent, false)
  assert.equal(h.session.stats().buffered, 0)
})

test("whenNotJoined 'fail' on a joined, connected channel sends at once", () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const p = h.push('room:a', 'e', {}, { whenNotJoined: 'fail' })
  assert.equal(h.sentWith('e').length, 1)
  assert.deepEqual(p.outcomes, [])
})

test('a push to an unknown topic fails at once with NotJoinedError, connected or not', () => {
  const h = new Harness()
  const before = h.push('room:nope', 'e')
  assert.ok(failure(before) instanceof NotJoinedError)
  h.open()
  const after = h.push('room:nope', 'e')
  assert.ok(failure(after) instanceof NotJoinedError)
  assert.deepEqual(h.sentWith('e'), [])
  assert.equal(h.session.stats().buffered, 0)
})

test('a push while the channel is leaving fails at once with NotJoinedError', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.session.leave('room:a', h.now)
  const p = h.push('room:a', 'e')
  assert.ok(failure(p) instanceof NotJoinedError)
  assert.deepEqual(h.sentWith('e'), [])
})

test('buffer_depth events follow the buffered count', () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  h.push('room:a', 'e')
  h.push('room:a', 'e')
  h.reply(h.lastJoin('room:a'))
  assert.deepEqual(h.eventsOf('buffer_depth').map((e) => e.depth), [1, 2, 0])
})

test('a push sent while joined uses the default pushTimeoutMs unless it sets its own', () => {
  const h = new Harness({ pushTimeoutMs: 300, rejoinDelay: () => 1000 })
  h.open()
  h.joinOk('room:a')
  const byDefault = h.push('room:a', 'e')
  const own = h.push('room:a', 'e', {}, { timeoutMs: 50 })
  h.advance(50)
  assert.ok(failure(own) instanceof TimeoutError)
  assert.deepEqual(byDefault.outcomes, [])
  h.advance(249)
  assert.deepEqual(byDefault.outcomes, [])
  h.advance(1)
  assert.ok(failure(byDefault) instanceof TimeoutError)
})

test('a push made from the join waiter is sent after the pushes buffered before it', () => {
  const h = new Harness()
  h.open()
  h.session.join('room:a', {}, h.now, () => { h.push('room:a', 'e', 'from-waiter') })
  h.push('room:a', 'e', 'buffered')
  h.reply(h.lastJoin('room:a'))
  assert.deepEqual(h.sentWith('e').map((m) => m.payload), ['buffered', 'from-waiter'])
})
