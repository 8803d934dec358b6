/**
 * The session calls back synchronously (push outcomes, join waiters, leave
 * waiters). A callback that calls the session again must see the state the
 * event leads to, not a half-updated one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { JoinOutcome } from '../../src/phoenix/session-types.ts'
import { Harness } from './session-harness.ts'

test('a push made when a push fails on phx_error waits for the rejoin instead of going to the crashed channel', () => {
  const h = new Harness({ rejoinDelay: () => 1000 })
  h.open()
  const join = h.joinOk('room:a')
  h.session.push('room:a', 'first', {}, h.now, {}, () => { h.push('room:a', 'retry') })
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_error', payload: {} })
  assert.deepEqual(h.sentWith('retry'), [])
  assert.equal(h.session.stats().buffered, 1)
  h.advance(1000)
  const rejoin = h.lastJoin('room:a')
  h.reply(rejoin)
  assert.equal(h.lastSent('retry').joinRef, rejoin.ref)
})

test('a join made when a push fails on phx_close starts a new join instead of reporting the closed channel as joined', () => {
  const h = new Harness()
  h.open()
  const join = h.joinOk('room:a')
  const outcomes: JoinOutcome[] = []
  h.session.push('room:a', 'work', {}, h.now, {}, () => {
    h.session.join('room:a', {}, h.now, (outcome) => { outcomes.push(outcome) })
  })
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_close', payload: {} })
  assert.equal(outcomes.length, 0, 'not joined yet: the server closed the channel')
  assert.equal(h.session.channelState('room:a'), 'joining')
  const fresh = h.lastJoin('room:a')
  assert.notEqual(fresh.ref, join.ref)
  h.reply(fresh)
  assert.equal(outcomes[0]?.kind, 'joined')
  assert.equal(h.session.channelState('room:a'), 'joined')
})

test('a join made from a leave waiter starts a new channel', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.session.leave('room:a', h.now, () => { h.join('room:a') })
  h.reply(h.lastSent('phx_leave'))
  assert.equal(h.session.channelState('room:a'), 'joining')
  assert.equal(h.sentWith('phx_join').length, 2)
})

test('a push made when a push is failed by a socket drop is buffered for the rejoin', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  h.session.push('room:a', 'first', {}, h.now, {}, () => { h.push('room:a', 'again') })
  h.close()
  assert.deepEqual(h.sentWith('again'), [])
  assert.equal(h.session.stats().buffered, 1)
  h.open()
  h.reply(h.lastJoin('room:a'))
  assert.equal(h.sentWith('again').length, 1)
})

test('a join asked again from the waiter of a refused join is sent once and its reply is heard', () => {
  const h = new Harness({ rejoinDelay: () => 1000 })
  h.open()
  const again: JoinOutcome[] = []
  h.session.join('room:a', {}, h.now, () => {
    h.session.join('room:a', {}, h.now, (outcome) => { again.push(outcome) })
  })
  h.reply(h.lastJoin('room:a'), 'error', { reason: 'busy' })
  assert.equal(h.sentWith('phx_join').length, 2, 'the asked-for join goes out at once')
  h.reply(h.lastJoin('room:a'))
  assert.equal(again[0]?.kind, 'joined')
  assert.equal(h.session.channelState('room:a'), 'joined')
  h.advance(1000)
  assert.equal(h.sentWith('phx_join').length, 2, 'no back-off rejoin follows a successful join')
})

test('a join asked again from the waiter of a timed-out join is not undone by the phx_leave of the old one', () => {
  const h = new Harness({ joinTimeoutMs: 500, rejoinDelay: () => 1000 })
  h.open()
  h.session.join('room:a', {}, h.now, () => { h.join('room:a') })
  const old = h.lastJoin('room:a')
  h.advance(500)
  for (const leave of h.sentWith('phx_leave')) assert.equal(leave.joinRef, old.ref, 'only the timed-out join is left')
  const fresh = h.lastJoin('room:a')
  assert.notEqual(fresh.ref, old.ref)
  h.reply(fresh)
  assert.equal(h.session.channelState('room:a'), 'joined')
})

test('a join made while a join replaces a leaving channel is not lost: both waiters hear the one join', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const inner: JoinOutcome[] = []
  h.session.push('room:a', 'work', {}, h.now, {}, () => {
    h.session.join('room:a', {}, h.now, (outcome) => { inner.push(outcome) })
  })
  h.session.leave('room:a', h.now)
  const outer = h.join('room:a') // drops the leaving channel: the push fails and its callback joins
  assert.equal(h.sentWith('phx_join').length, 2, 'one new join for both callers')
  h.reply(h.lastJoin('room:a'))
  assert.equal(inner[0]?.kind, 'joined')
  assert.equal(outer.outcomes[0]?.kind, 'joined')
})

test('a push made while end() fails the pushes fails with ClosedError and is never sent', () => {
  const h = new Harness()
  h.open()
  h.joinOk('room:a')
  const late: Array<{ kind: string }> = []
  h.session.push('room:a', 'first', {}, h.now, {}, () => {
    h.session.push('room:a', 'during_end', {}, h.now, {}, (outcome) => { late.push(outcome) })
  })
  h.session.end(h.now)
  assert.deepEqual(h.sentWith('during_end'), [])
  assert.equal(late.length, 1)
  const outcome = h.eventsOf('push_done').find((e) => e.event === 'during_end')
  assert.equal(outcome?.outcome, 'BC_ERR_CLOSED')
})

test("'channel_closed' is emitted before the callbacks of the closed channel run", () => {
  const h = new Harness()
  h.open()
  const join = h.joinOk('room:a')
  h.session.push('room:a', 'work', {}, h.now, {}, () => { h.join('room:a') })
  h.clear()
  h.receive({ joinRef: join.ref, ref: join.ref, topic: 'room:a', event: 'phx_close', payload: {} })
  const order = h.events.filter((e) => e.type === 'channel_closed' || e.type === 'join_sent').map((e) => e.type)
  assert.deepEqual(order, ['channel_closed', 'join_sent'])
})
