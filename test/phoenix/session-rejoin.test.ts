import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChannelClosedError, DisconnectedError } from '../../src/phoenix/errors.ts'
import type { Message } from '../../src/phoenix/message.ts'
import { failure, Harness } from './session-harness.ts'

function crash (h: Harness, join: Message): void {
  h.receive({ joinRef: join.ref, ref: join.ref, topic: join.topic, event: 'phx_error', payload: { reason: 'channel_crash' } })
}

test("phx_error for the current join_ref: 'channel_errored' crashed, in-flight pushes fail, rejoin after the delay", () => {
  const h = new Harness({ rejoinDelay: (attempt) => attempt * 1000 })
  h.open()
  const join = h.joinOk('room:a', { token: 'abc' })
  const p = h.push('room:a', 'work')
  crash(h, join)

  assert.deepEqual(h.eventsOf('channel_errored'), [{ type: 'channel_errored', topic: 'room:a', reason: 'crashed' }])
  assert.equal(h.session.channelState('room:a'), 'errored')
  const error = failure(p)
  assert.ok(error instanceof ChannelClosedError)
  assert.equal(error.reason, 'crashed')

  h.clear()
  h.advance(999)
  assert.deepEqual(h.sent, [])
  h.advance(1)
  const rejoin = h.lastJoin('room:a')
  assert.notEqual(rejoin.ref, join.ref)
  assert.equal(rejoin.joinRef, rejoin.ref)
  assert.deepEqual(rejoin.payload, { token: 'abc' })
  assert.deepEqual(h.eventsOf('join_sent'), [{ type: 'join_sent', topic: 'room:a', rejoin: true }])
  h.reply(rejoin)
  assert.equal(h.session.channelState('room:a'), 'joined')
  assert.equal(h.eventsOf('joined')[0]?.rejoin, true)
})

test('pushes made while a crashed channel waits for its rejoin are buffered and sent after it', () => {
  const h = new Harness({ rejoinDelay: () => 1000 })
  h.open()
  const join = h.joinOk('room:a')
  crash(h, join)
  const p = h.push('room:a', 'e', 'after-crash')
  assert.deepEqual(p.outcomes, [])
  assert.equal(h.session.stats().buffered, 1)
  h.advance(1000)
  const rejoin = h.lastJoin('room:a')
  h.reply(rejoin)
  assert.equal(h.lastSent('e').joinRef, rejoin.ref)
  assert.equal(h.session.stats().buffered, 0)
})

test('rejoin delays follow attempts 1, 2, 3 and start over after a successful join', () => {
  const h = new Harness({ rejoinDelay: (attempt) => attempt * 1000 })
  h.open()
  crash(h, h.joinOk('room:a'))
  h.advance(1000)
  crash(h, h.lastJoin('room:a')) // crashes again while joining
  h.advance(2000)
  crash(h, h.lastJoin('room:a'))
  h.advance(3000)
  h.reply(h.lastJoin('room:a'))
  crash(h, h.lastJoin('room:a'))
  assert.deepEqual(h.eventsOf('rejoin_scheduled').map((e) => [e.attempt, e.delayMs]), [[1, 1000], [2, 2000], [3, 3000], [1, 1000]])
  assert.equal(h.sentWith('phx_join').length, 4)
})

test('a rejoin timer does not fire early: the third attempt waits its whole delay', () => {
  const h = new Harness({ rejoinDelay: (attempt) => attempt * 1000 })
  h.open()
  crash(h, h.joinOk('room:a'))
  h.advance(1000)
  crash(h, h.lastJoin('room:a'))
  h.advance(2000)
  crash(h, h.lastJoin('room:a'))
  const joins = h.sentWith('phx_join').length
  h.advance(2999)
  assert.equal(h.sentWith('phx_join').length, joins)
  assert.equal(h.session.nextDeadline(), h.now + 1)
  h.advance(1)
  assert.equal(h.sentWith('phx_join').length, joins + 1)
})

test('phx_close from the server drops the channel; it is never rejoined, even after a reconnect', () => {
  const h = new Harness({ rejoinDelay: () => 100 })
  h.open()
  const join = h.joinOk('room:a')
  const waiterLater = h.push('room:a', 'work')
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_close', payload: {} })

  assert.deepEqual(h.eventsOf('channel_closed'), [{ type: 'channel_closed', topic: 'room:a', reason: 'server_closed' }])
  assert.equal(h.session.channelState('room:a'), 'closed')
  assert.deepEqual(h.session.topics(), [])
  assert.ok(failure(waiterLater) instanceof ChannelClosedError)

  h.clear()
  h.advanceThrough(10_000)
  h.close()
  h.open()
  h.advanceThrough(10_000)
  assert.deepEqual(h.sentWith('phx_join'), [])
})

test('disconnect then reconnect: every wanted topic is rejoined at once with new join_refs', () => {
  const h = new Harness({ rejoinDelay: () => 5000 })
  h.open()
  const a = h.joinOk('room:a', { a: 1 })
  const b = h.joinOk('room:b', { b: 1 })
  h.join('room:c') // still joining when the socket drops
  h.close()
  assert.deepEqual(
    h.eventsOf('channel_errored'),
    [{ type: 'channel_errored', topic: 'room:a', reason: 'disconnected' }, { type: 'channel_errored', topic: 'room:b', reason: 'disconnected' }]
  )
  for (const topic of ['room:a', 'room:b', 'room:c']) assert.equal(h.session.channelState(topic), 'errored')

  h.clear()
  h.open()
  const joins = h.sentWith('phx_join')
  assert.deepEqual(joins.map((j) => j.topic).sort(), ['room:a', 'room:b', 'room:c'])
  const byTopic = new Map(joins.map((j) => [j.topic, j]))
  assert.notEqual(byTopic.get('room:a')?.ref, a.ref)
  assert.notEqual(byTopic.get('room:b')?.ref, b.ref)
  assert.deepEqual(byTopic.get('room:a')?.payload, { a: 1 })
  assert.deepEqual(h.eventsOf('rejoin_scheduled'), [], 'no back-off on reconnect')
})

test('a crashed channel waiting for its back-off is rejoined at once on reconnect', () => {
  const h = new Harness({ rejoinDelay: () => 5000 })
  h.open()
  crash(h, h.joinOk('room:a'))
  h.close()
  h.clear()
  h.open()
  assert.equal(h.sentWith('phx_join', 'room:a').length, 1)
  h.reply(h.lastJoin('room:a'))
  h.clear()
  h.advance(5000) // the old back-off timer no longer applies
  assert.deepEqual(h.sentWith('phx_join'), [])
})

test('pushes buffered while disconnected are flushed after the rejoin; sent ones failed with DisconnectedError(sent=true)', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const inFlight = h.push('room:a', 'e', 'in-flight')
  h.close()
  const error = failure(inFlight)
  assert.ok(error instanceof DisconnectedError)
  assert.equal(error.sent, true)
  const waiting = h.push('room:a', 'e', 'waiting')
  assert.deepEqual(waiting.outcomes, [])

  h.open()
  const rejoin = h.lastJoin('room:a')
  h.reply(rejoin)
  const sent = h.sentWith('e')
  assert.deepEqual(sent.map((m) => m.payload), ['in-flight', 'waiting'])
  assert.equal(sent[1]?.joinRef, rejoin.ref)
})

test('no rejoin timer runs while disconnected, and no join is sent before opened()', () => {
  const h = new Harness({ rejoinDelay: () => 100 })
  h.open()
  crash(h, h.joinOk('room:a'))
  h.close()
  h.clear()
  h.advanceThrough(10_000)
  assert.deepEqual(h.sent, [])
})

test('a join in flight when the socket drops is re-sent on reconnect; its waiter hears the new outcome', () => {
  const h = new Harness()
  h.open()
  const waiter = h.join('room:a')
  const old = h.lastJoin('room:a')
  h.close()
  assert.deepEqual(waiter.outcomes, [])
  h.open()
  const fresh = h.lastJoin('room:a')
  assert.notEqual(fresh.ref, old.ref)
  h.reply(fresh, 'ok', { again: true })
  assert.deepEqual(waiter.outcomes, [{ kind: 'joined', response: { again: true } }])
})

test('a new connection starts the rejoin back-off over, as phoenix.js resets its rejoin timer on open', () => {
  const h = new Harness({ rejoinDelay: (attempt) => attempt * 1000 })
  h.open()
  crash(h, h.joinOk('room:a'))
  h.advance(1000)
  crash(h, h.lastJoin('room:a'))
  h.close()
  h.open()
  crash(h, h.lastJoin('room:a'))
  assert.deepEqual(h.eventsOf('rejoin_scheduled').map((e) => e.attempt), [1, 2, 1])
})
