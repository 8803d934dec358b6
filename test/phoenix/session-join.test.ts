import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Harness } from './session-harness.ts'

test('refs are decimal strings, unique and increasing across joins, pushes, leaves and heartbeats', () => {
  const h = new Harness({ rejoinDelay: () => 1000, heartbeatIntervalMs: 100 })
  h.open()
  h.joinOk('room:a')
  h.joinOk('room:b')
  h.push('room:a', 'e1')
  h.push('room:b', 'e2')
  h.advance(100) // a heartbeat
  h.session.leave('room:b', h.now)
  h.close()
  h.open()
  h.reply(h.lastJoin('room:a'))
  h.push('room:a', 'e3')

  const refs = h.sent.map((m) => m.ref)
  assert.equal(refs.length, 8)
  let previous = 0
  for (const ref of refs) {
    assert.ok(ref !== null)
    assert.match(ref, /^[1-9][0-9]*$/)
    const n = Number(ref)
    assert.ok(n > previous, `ref ${ref} is not greater than ${previous}`)
    previous = n
  }
  assert.equal(new Set(refs).size, refs.length)
})

test("a join's join_ref equals its own ref", () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  h.join('room:b')
  const joins = h.sentWith('phx_join')
  assert.equal(joins.length, 2)
  for (const join of joins) assert.equal(join.joinRef, join.ref)
})

test("every channel message carries the channel's current join_ref", () => {
  const h = new Harness()
  h.open()
  const first = h.joinOk('room:a')
  h.push('room:a', 'one')
  h.session.leave('room:a', h.now)
  assert.equal(h.lastSent('one').joinRef, first.ref)
  assert.equal(h.lastSent('phx_leave').joinRef, first.ref)

  h.reply(h.lastSent('phx_leave'))
  const second = h.joinOk('room:a')
  assert.notEqual(second.ref, first.ref)
  h.push('room:a', 'two')
  assert.equal(h.lastSent('two').joinRef, second.ref)
})

test('join while disconnected sends nothing; opened(now) sends the join with the params', () => {
  const h = new Harness()
  const waiter = h.join('room:a', { token: 't' })
  assert.equal(h.sent.length, 0)
  assert.equal(h.session.channelState('room:a'), 'joining')
  assert.deepEqual(waiter.outcomes, [])

  h.open()
  assert.equal(h.sent.length, 1)
  const join = h.sent[0]!
  assert.equal(join.topic, 'room:a')
  assert.equal(join.event, 'phx_join')
  assert.deepEqual(join.payload, { token: 't' })
  assert.equal(join.joinRef, join.ref)
})

test("join ok: state 'joined', a 'joined' event, and the waiter gets {kind:'joined'} with the response", () => {
  const h = new Harness()
  h.open()
  const waiter = h.join('room:a')
  assert.equal(h.session.channelState('room:a'), 'joining')
  h.now = 25
  h.reply(h.lastJoin('room:a'), 'ok', { hello: 1 })

  assert.equal(h.session.channelState('room:a'), 'joined')
  assert.deepEqual(waiter.outcomes, [{ kind: 'joined', response: { hello: 1 } }])
  assert.deepEqual(h.eventsOf('joined'), [{ type: 'joined', topic: 'room:a', rejoin: false, latencyMs: 25 }])
  const { deadlines, ...stats } = h.session.stats()
  assert.deepEqual(stats, { connected: true, channels: 1, joined: 1, inFlight: 0, buffered: 0 })
  assert.ok(deadlines > 0, 'the heartbeat, silence and old join deadlines are still queued')
})

test('join while connected sends the join at once', () => {
  const h = new Harness()
  h.open()
  assert.deepEqual(h.sentWith('phx_join'), [])
  h.join('room:a', { x: 1 })
  assert.equal(h.sentWith('phx_join').length, 1)
  assert.deepEqual(h.eventsOf('join_sent'), [{ type: 'join_sent', topic: 'room:a', rejoin: false }])
})

test('joining the same topic twice while a join is in flight sends one join and answers both waiters', () => {
  const h = new Harness()
  h.open()
  const first = h.join('room:a')
  const second = h.join('room:a')
  assert.equal(h.sentWith('phx_join', 'room:a').length, 1)
  h.reply(h.lastJoin('room:a'))
  assert.equal(first.outcomes.length, 1)
  assert.equal(second.outcomes.length, 1)
  assert.equal(first.outcomes[0]?.kind, 'joined')
  assert.equal(second.outcomes[0]?.kind, 'joined')
})

test('joining the same topic twice while disconnected sends one join on open', () => {
  const h = new Harness()
  h.join('room:a')
  h.join('room:a')
  h.open()
  assert.equal(h.sentWith('phx_join', 'room:a').length, 1)
})

test('join of an already joined topic answers at once and sends nothing', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.clear()
  const again = h.join('room:a')
  assert.deepEqual(h.sent, [])
  assert.equal(again.outcomes[0]?.kind, 'joined')
})

test('the latest params are kept for the next rejoin', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a', { v: 1 })
  h.join('room:a', { v: 2 })
  h.close()
  h.open()
  assert.deepEqual(h.lastJoin('room:a').payload, { v: 2 })
})

test('topics() lists every wanted topic and channelState() is closed for others', () => {
  const h = new Harness()
  h.join('room:a')
  h.join('room:b')
  assert.deepEqual(h.session.topics().sort(), ['room:a', 'room:b'])
  assert.equal(h.session.channelState('room:zzz'), 'closed')
  assert.equal(h.session.connected, false)
  h.open()
  assert.equal(h.session.connected, true)
})
