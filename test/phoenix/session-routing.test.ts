import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Harness } from './session-harness.ts'

test('a channel push carrying the current join_ref is delivered', () => {
  const h = new Harness()
  h.open()
  const join = h.joinOk('room:a')
  h.receive({ joinRef: join.ref, ref: null, topic: 'room:a', event: 'new_msg', payload: { body: 'hi' } })
  assert.deepEqual(h.delivered, [{ topic: 'room:a', event: 'new_msg', payload: { body: 'hi' } }])
})

test('a broadcast with a null join_ref is delivered', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.receive({ joinRef: null, ref: null, topic: 'room:a', event: 'shout', payload: { n: 1 } })
  assert.deepEqual(h.delivered, [{ topic: 'room:a', event: 'shout', payload: { n: 1 } }])
  assert.deepEqual(h.eventsOf('stale'), [])
})

test("a message with a different non-null join_ref is dropped with a 'stale' event", () => {
  const h = new Harness()
  h.open()
  const old = h.joinOk('room:a')
  h.close()
  h.open()
  const fresh = h.lastJoin('room:a')
  h.reply(fresh)
  h.receive({ joinRef: old.ref, ref: null, topic: 'room:a', event: 'new_msg', payload: {} })
  assert.deepEqual(h.delivered, [])
  assert.deepEqual(h.eventsOf('stale'), [{ type: 'stale', topic: 'room:a', event: 'new_msg' }])
})

test('the duplicate-join phx_close with the OLD join_ref does not close the fresh channel', () => {
  const h = new Harness({ rejoinDelay: () => 100, joinTimeoutMs: 1000 })
  h.open()
  h.join('room:a')
  const first = h.lastJoin('room:a')
  h.advance(1000) // the first join times out; a rejoin follows after 100 ms
  h.advance(100)
  const second = h.lastJoin('room:a')
  assert.notEqual(second.ref, first.ref)
  // The server did both joins: the old ok is late, the new ok replaces it and closes the old channel.
  h.reply(first)
  h.reply(second)
  h.receive({ joinRef: first.ref, ref: first.ref, topic: 'room:a', event: 'phx_close', payload: {} })

  assert.equal(h.session.channelState('room:a'), 'joined')
  assert.deepEqual(h.eventsOf('channel_closed'), [])
  // The late reply of the timed-out join and the close of its channel are both stale.
  assert.deepEqual(h.eventsOf('stale').map((e) => e.event), ['phx_reply', 'phx_close'])
  h.push('room:a', 'still_works')
  assert.equal(h.lastSent('still_works').joinRef, second.ref)
})

test('a phx_error with an old join_ref does not error the channel', () => {
  const h = new Harness()
  h.open()
  const old = h.joinOk('room:a')
  h.close()
  h.open()
  h.reply(h.lastJoin('room:a'))
  h.receive({ joinRef: old.ref, ref: old.ref, topic: 'room:a', event: 'phx_error', payload: {} })
  assert.equal(h.session.channelState('room:a'), 'joined')
  assert.deepEqual(h.eventsOf('channel_errored').filter((e) => e.reason === 'crashed'), [])
})

test("a message for an unknown topic emits 'unroutable' and is not delivered", () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.receive({ joinRef: null, ref: null, topic: 'room:other', event: 'shout', payload: {} })
  assert.deepEqual(h.delivered, [])
  assert.deepEqual(h.eventsOf('unroutable'), [{ type: 'unroutable', topic: 'room:other', event: 'shout' }])
})

test('phx_reply is never delivered as a message, even for an unknown ref', () => {
  const h = new Harness()
  h.open()
  const join = h.joinOk('room:a')
  h.receive({ joinRef: join.ref, ref: '999', topic: 'room:a', event: 'phx_reply', payload: { status: 'ok', response: {} } })
  h.receive({ joinRef: null, ref: '998', topic: 'room:a', event: 'phx_reply', payload: { status: 'ok', response: {} } })
  assert.deepEqual(h.delivered, [])
})

test('a reply is matched by ref and topic: the same ref on another topic does not settle the push', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const b = h.joinOk('room:b')
  const p = h.push('room:a', 'work')
  const work = h.lastSent('work')
  h.receive({ joinRef: b.ref, ref: work.ref, topic: 'room:b', event: 'phx_reply', payload: { status: 'ok', response: {} } })
  assert.deepEqual(p.outcomes, [])
  h.reply(work, 'ok', { right: true })
  assert.deepEqual(p.outcomes, [{ kind: 'reply', status: 'ok', response: { right: true } }])
})

test("a push reply with a null join_ref (the server's unmatched-topic reply) settles the push", () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const p = h.push('room:a', 'work')
  const work = h.lastSent('work')
  h.receive({ joinRef: null, ref: work.ref, topic: 'room:a', event: 'phx_reply', payload: { status: 'error', response: { reason: 'unmatched topic' } } })
  assert.deepEqual(p.outcomes, [{ kind: 'reply', status: 'error', response: { reason: 'unmatched topic' } }])
})

test('messages for a channel that is still joining are delivered when their join_ref is null or current', () => {
  const h = new Harness()
  h.open()
  h.join('room:a')
  const join = h.lastJoin('room:a')
  // Phoenix may push from join/3 before the reply reaches the client.
  h.receive({ joinRef: join.ref, ref: null, topic: 'room:a', event: 'welcome', payload: {} })
  h.receive({ joinRef: null, ref: null, topic: 'room:a', event: 'shout', payload: {} })
  assert.deepEqual(h.delivered.map((d) => d.event), ['welcome', 'shout'])
})

test('phx_join, phx_leave and heartbeat frames are never handed to deliver as replies; other events are', () => {
  const h = new Harness()
  h.open()
  const join = h.joinOk('room:a')
  h.receive({ joinRef: join.ref, ref: null, topic: 'room:a', event: 'custom:event', payload: [1, 2] })
  assert.deepEqual(h.delivered, [{ topic: 'room:a', event: 'custom:event', payload: [1, 2] }])
})
