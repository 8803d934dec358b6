import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Harness } from './session-harness.ts'

test('the first heartbeat goes out an interval after opened(), on topic "phoenix" with join_ref null', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000 })
  h.now = 5000
  h.open()
  h.advance(999)
  assert.deepEqual(h.sentWith('heartbeat'), [])
  h.advance(1)
  const beats = h.sentWith('heartbeat')
  assert.equal(beats.length, 1)
  const beat = beats[0]!
  assert.equal(beat.topic, 'phoenix')
  assert.equal(beat.joinRef, null)
  assert.ok(beat.ref !== null)
  assert.deepEqual(beat.payload, {})
  assert.equal(h.eventsOf('heartbeat_sent').length, 1)
})

test("a heartbeat reply emits 'heartbeat_reply' with the rtt; the next heartbeat is an interval after the reply", () => {
  const h = new Harness({ heartbeatIntervalMs: 1000 })
  h.open()
  h.advance(1000)
  const beat = h.lastSent('heartbeat')
  h.now += 300
  h.reply(beat)
  assert.deepEqual(h.eventsOf('heartbeat_reply'), [{ type: 'heartbeat_reply', rttMs: 300 }])
  assert.deepEqual(h.delivered, [])
  assert.deepEqual(h.eventsOf('unroutable'), [], 'the heartbeat reply is consumed')

  h.advance(999) // 2299: an interval after the send would have been 2000
  assert.equal(h.sentWith('heartbeat').length, 1)
  h.advance(1) // 2300: an interval after the reply
  assert.equal(h.sentWith('heartbeat').length, 2)
  assert.notEqual(h.lastSent('heartbeat').ref, beat.ref)
})

test("no reply within heartbeatTimeoutMs emits 'liveness_lost' heartbeat_timeout exactly once", () => {
  const h = new Harness({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 200, maxSilenceMs: 1_000_000 })
  h.open()
  h.advance(1000)
  h.advance(199)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1)
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'heartbeat_timeout' }])
  h.advanceThrough(100_000)
  assert.equal(h.eventsOf('liveness_lost').length, 1)
  assert.equal(h.sentWith('heartbeat').length, 1, 'no more heartbeats once liveness is lost')
})

test('other traffic does not count as a heartbeat reply', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500, maxSilenceMs: 1_000_000 })
  h.open()
  const join = h.joinOk('room:a')
  h.advance(1000)
  const beat = h.lastSent('heartbeat')
  h.advance(100)
  h.receive({ joinRef: join.ref, ref: null, topic: 'room:a', event: 'news', payload: {} })
  h.receive({ joinRef: null, ref: null, topic: 'room:a', event: 'shout', payload: {} })
  // A reply on another topic with the heartbeat's ref is not the heartbeat reply either.
  h.receive({ joinRef: join.ref, ref: beat.ref, topic: 'room:a', event: 'phx_reply', payload: { status: 'ok', response: {} } })
  h.advance(399)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1)
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'heartbeat_timeout' }])
  assert.deepEqual(h.eventsOf('heartbeat_reply'), [])
})

test('the defaults: a 30 000 ms interval and a heartbeat timeout equal to the interval', () => {
  const h = new Harness({})
  assert.equal(h.session.options.heartbeatIntervalMs, 30_000)
  assert.equal(h.session.options.heartbeatTimeoutMs, 30_000)
  h.open()
  h.advance(29_999)
  assert.deepEqual(h.sentWith('heartbeat'), [])
  h.advance(1)
  assert.equal(h.sentWith('heartbeat').length, 1)
  h.advance(29_999)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1)
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'heartbeat_timeout' }])
  h.advanceThrough(200_000)
  assert.equal(h.eventsOf('liveness_lost').length, 1)
})

test('the defaults keep the heartbeat timeout at the interval when the server keeps talking', () => {
  const h = new Harness({})
  h.open()
  h.joinOk('room:a')
  h.advance(30_000)
  h.advance(15_000)
  h.receive({ joinRef: null, ref: null, topic: 'room:a', event: 'shout', payload: {} })
  h.advance(14_999)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1)
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'heartbeat_timeout' }])
})

test('a separate heartbeatTimeoutMs option sets the reply deadline', () => {
  const h = new Harness({ heartbeatIntervalMs: 10_000, heartbeatTimeoutMs: 2500 })
  assert.equal(h.session.options.heartbeatTimeoutMs, 2500)
  h.open()
  h.advance(10_000)
  h.advance(2499)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1)
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'heartbeat_timeout' }])
})

test('a heartbeat reply that arrives after the timeout is not taken as a reply', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 100, maxSilenceMs: 1_000_000 })
  h.open()
  h.advance(1000)
  const beat = h.lastSent('heartbeat')
  h.advance(100)
  h.reply(beat)
  assert.deepEqual(h.eventsOf('heartbeat_reply'), [])
  assert.equal(h.eventsOf('liveness_lost').length, 1)
})

test('heartbeats stop on closed() and start over an interval after the next opened()', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000 })
  h.open()
  h.advance(500)
  h.close()
  h.advanceThrough(10_000)
  assert.deepEqual(h.sentWith('heartbeat'), [])
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.open()
  const openedAt = h.now
  h.advance(999)
  assert.deepEqual(h.sentWith('heartbeat'), [])
  h.advance(1)
  assert.equal(h.sentWith('heartbeat').length, 1)
  assert.equal(h.now, openedAt + 1000)
})

test("silence: nothing received for maxSilenceMs emits 'liveness_lost' silence once", () => {
  const h = new Harness({ heartbeatIntervalMs: 10_000_000, maxSilenceMs: 500 })
  h.open()
  h.advance(499)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1)
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'silence' }])
  h.advanceThrough(5000)
  assert.equal(h.eventsOf('liveness_lost').length, 1)
})

test('silence: any received frame postpones it', () => {
  const h = new Harness({ heartbeatIntervalMs: 10_000_000, maxSilenceMs: 500 })
  h.open()
  h.join('room:a')
  h.advance(400)
  h.reply(h.lastJoin('room:a')) // at 400
  h.advance(300) // 700
  h.receive({ joinRef: null, ref: null, topic: 'room:unknown', event: 'x', payload: {} }) // even unroutable, at 700
  h.advance(499) // 1199
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1) // 1200 = 700 + 500
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'silence' }])
})

test('silence: maxSilenceMs defaults to interval + timeout', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 300 })
  assert.equal(h.session.options.maxSilenceMs, 1300)
})

test('a heartbeat sent late (a busy event loop) still gets heartbeatTimeoutMs; an unanswered one is a heartbeat_timeout, not silence', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 1000 }) // maxSilenceMs: 2000
  h.open()
  h.advance(1005) // the heartbeat timer fires 5 ms late
  assert.equal(h.sentWith('heartbeat').length, 1)
  h.advance(995) // 2000: the silence deadline counted from the open alone
  h.advance(4)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1) // 2005: the heartbeat's own reply deadline
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'heartbeat_timeout' }])
})

test('a tick so late that the heartbeat and the silence deadline fall in it does not drop a server that answers', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 1000 })
  h.open()
  h.advance(2000) // one tick for the heartbeat (due 1000) and the silence deadline (due 2000)
  assert.equal(h.sentWith('heartbeat').length, 1)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(10)
  h.reply(h.lastSent('heartbeat'))
  assert.equal(h.eventsOf('heartbeat_reply').length, 1)
  h.advanceThrough(1000)
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
})

test('a late heartbeat moves silence back only by its delay: a maxSilenceMs shorter than interval + timeout still applies', () => {
  const h = new Harness({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 1000, maxSilenceMs: 1500 })
  h.open()
  h.advance(1005)
  h.advance(499) // 1504
  assert.deepEqual(h.eventsOf('liveness_lost'), [])
  h.advance(1) // 1505 = 1500 + the heartbeat's 5 ms delay
  assert.deepEqual(h.eventsOf('liveness_lost'), [{ type: 'liveness_lost', reason: 'silence' }])
})
