import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AbortedError, ChannelClosedError, ClosedError, DisconnectedError, TimeoutError,
} from '../../src/phoenix/errors.ts'
import { failure, Harness, onlyOutcome, type TrackedPush } from './session-harness.ts'

/** An open session with `room:a` joined and one push sent on it. */
function sentPush (timeoutMs = 1000): { h: Harness, p: TrackedPush } {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const p = h.push('room:a', 'work', { n: 1 }, { timeoutMs })
  assert.equal(h.sentWith('work').length, 1)
  assert.deepEqual(p.outcomes, [])
  return { h, p }
}

/** Lets every deadline of the next minute pass, and ends the session: no second outcome may appear. */
function drain (h: Harness): void {
  h.advanceThrough(60_000)
  h.session.end(h.now)
}

test('reply ok: exactly one outcome with the response', () => {
  const { h, p } = sentPush()
  h.reply(h.lastSent('work'), 'ok', { result: 42 })
  drain(h)
  assert.deepEqual(onlyOutcome(p), { kind: 'reply', status: 'ok', response: { result: 42 } })
})

test('reply error: exactly one outcome, a reply with status error', () => {
  const { h, p } = sentPush()
  h.reply(h.lastSent('work'), 'error', { reason: 'nope' })
  drain(h)
  assert.deepEqual(onlyOutcome(p), { kind: 'reply', status: 'error', response: { reason: 'nope' } })
})

test('a custom reply status is passed through as a reply', () => {
  const { h, p } = sentPush()
  h.reply(h.lastSent('work'), 'accepted', {})
  drain(h)
  assert.deepEqual(onlyOutcome(p), { kind: 'reply', status: 'accepted', response: {} })
})

test('a second reply for the same ref is ignored', () => {
  const { h, p } = sentPush()
  h.reply(h.lastSent('work'), 'ok', { first: true })
  h.reply(h.lastSent('work'), 'ok', { second: true })
  drain(h)
  assert.deepEqual(onlyOutcome(p), { kind: 'reply', status: 'ok', response: { first: true } })
  assert.deepEqual(h.delivered, [])
})

test('timeout: exactly one TimeoutError kind push; a late reply after the timeout is ignored', () => {
  const { h, p } = sentPush(500)
  h.advance(499)
  assert.deepEqual(p.outcomes, [])
  h.advance(1)
  const error = failure(p)
  assert.ok(error instanceof TimeoutError)
  assert.equal(error.kind, 'push')
  h.reply(h.lastSent('work'), 'ok', { late: true })
  drain(h)
  assert.equal(p.outcomes.length, 1)
  assert.deepEqual(h.delivered, [], 'the late reply is not delivered as a message')
  assert.equal(h.session.stats().inFlight, 0)
})

test('disconnect after send: exactly one DisconnectedError with sent=true; a replay after reconnect changes nothing', () => {
  const { h, p } = sentPush()
  const work = h.lastSent('work')
  h.close()
  const error = failure(p)
  assert.ok(error instanceof DisconnectedError)
  assert.equal(error.sent, true)
  h.open()
  h.reply(work) // a confused server answering an old ref
  drain(h)
  assert.equal(p.outcomes.length, 1)
})

test("phx_error: exactly one ChannelClosedError reason 'crashed'", () => {
  const { h, p } = sentPush()
  const join = h.lastJoin('room:a')
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_error', payload: { reason: 'channel_crash' } })
  const error = failure(p)
  assert.ok(error instanceof ChannelClosedError)
  assert.equal(error.reason, 'crashed')
  drain(h)
  assert.equal(p.outcomes.length, 1)
})

test("phx_close: exactly one ChannelClosedError reason 'server_closed'", () => {
  const { h, p } = sentPush()
  const join = h.lastJoin('room:a')
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_close', payload: {} })
  const error = failure(p)
  assert.ok(error instanceof ChannelClosedError)
  assert.equal(error.reason, 'server_closed')
  drain(h)
  assert.equal(p.outcomes.length, 1)
})

test('leave: a push in flight still gets its reply if it comes before the leave reply', () => {
  const { h, p } = sentPush()
  h.session.leave('room:a', h.now)
  h.reply(h.lastSent('work'), 'ok', { before: 'leave' })
  h.reply(h.lastSent('phx_leave'))
  drain(h)
  assert.deepEqual(onlyOutcome(p), { kind: 'reply', status: 'ok', response: { before: 'leave' } })
})

test("leave: a push still in flight when the channel closes fails once with ChannelClosedError 'left'", () => {
  const { h, p } = sentPush()
  h.session.leave('room:a', h.now)
  h.reply(h.lastSent('phx_leave'))
  const error = failure(p)
  assert.ok(error instanceof ChannelClosedError)
  assert.equal(error.reason, 'left')
  drain(h)
  assert.equal(p.outcomes.length, 1)
})

test('leave: a buffered push fails once when the topic is left', () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  const p = h.push('room:a', 'work')
  h.session.leave('room:a', h.now)
  const error = failure(p)
  assert.ok(error instanceof ChannelClosedError)
  assert.equal(error.reason, 'left')
  drain(h)
  assert.equal(p.outcomes.length, 1)
})

test('end(): a sent push and a buffered push each fail once with ClosedError', () => {
  const { h, p } = sentPush()
  h.join('room:b')
  const buffered = h.push('room:b', 'later')
  h.session.end(h.now)
  assert.ok(failure(p) instanceof ClosedError)
  assert.ok(failure(buffered) instanceof ClosedError)
  drain(h)
  assert.equal(p.outcomes.length, 1)
  assert.equal(buffered.outcomes.length, 1)
})

test('cancel(): a sent push fails once with the given error; its reply and deadline change nothing', () => {
  const { h, p } = sentPush()
  const aborted = new AbortedError('caller gave up')
  h.session.cancel(p.record, aborted, h.now)
  assert.equal(failure(p), aborted)
  assert.equal(h.session.stats().inFlight, 0)
  h.reply(h.lastSent('work'))
  drain(h)
  assert.equal(p.outcomes.length, 1)
})

test('cancel(): a buffered push fails once and is never sent', () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  const p = h.push('room:a', 'work')
  h.session.cancel(p.record, new AbortedError(), h.now)
  assert.ok(failure(p) instanceof AbortedError)
  assert.equal(h.session.stats().buffered, 0)
  h.reply(h.lastJoin('room:a'))
  assert.deepEqual(h.sentWith('work'), [])
  drain(h)
  assert.equal(p.outcomes.length, 1)
})

test('cancel() after the outcome does nothing', () => {
  const { h, p } = sentPush()
  h.reply(h.lastSent('work'))
  h.session.cancel(p.record, new AbortedError(), h.now)
  drain(h)
  assert.equal(onlyOutcome(p).kind, 'reply')
})

test('push_done events report each outcome once with its latency', () => {
  const { h, p } = sentPush()
  h.now += 40
  h.reply(h.lastSent('work'))
  drain(h)
  assert.equal(p.outcomes.length, 1)
  assert.deepEqual(h.eventsOf('push_done'), [{ type: 'push_done', topic: 'room:a', event: 'work', outcome: 'ok', latencyMs: 40 }])
})

test('answered pushes do not pile up in the deadline heap: it stays within about twice what really waits', () => {
  const h = new Harness({ pushTimeoutMs: 10_000 })
  h.open()
  h.joinOk('room:a')
  const base = h.session.stats().deadlines
  for (let i = 0; i < 5000; i++) {
    const push = h.push('room:a', 'e', { i })
    h.reply(h.lastSent('e', 'room:a'))
    assert.equal(push.outcomes.length, 1)
    assert.equal(push.record.payload, null, 'a settled push keeps no payload alive')
  }
  assert.ok(h.session.stats().deadlines < base + 2100, `heap size ${h.session.stats().deadlines}`)
  // Their deadlines passing later settles nothing twice.
  h.advanceThrough(10_001)
})
