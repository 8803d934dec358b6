/**
 * PresenceSync, the per-channel presence view (reference B10 "Presence
 * wrapper object"): diffs before the first state, or after a rejoin until the
 * new state, are queued and applied in order after the state; the queue is
 * bounded. Also the payload shape guards.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_MAX_PENDING_DIFFS, isPresenceDiff, isPresenceState, PresenceSync, type PresenceDiff, type PresenceSyncOptions } from '../../src/phoenix/presence.ts'
import { meta, recorder, stateOf, type Call } from './presence-helpers.ts'

/** A view whose callbacks log into `log` (onSync as a 'sync' entry). */
function view (options: PresenceSyncOptions = {}): { sync: PresenceSync, log: (Call | 'sync')[] } {
  const log: (Call | 'sync')[] = []
  const rec = recorder()
  const sync = new PresenceSync({
    ...options,
    onJoin: (key, current, joined) => { rec.onJoin(key, current, joined); log.push(rec.calls.at(-1)!) },
    onLeave: (key, current, left) => { rec.onLeave(key, current, left); log.push(rec.calls.at(-1)!) },
    onSync: () => { log.push('sync') },
  })
  return { sync, log }
}

function joinOf (key: string, ref: string): PresenceDiff {
  return { joins: stateOf({ [key]: [meta(ref)] }), leaves: {} }
}

function leaveOf (key: string, ref: string): PresenceDiff {
  return { joins: {}, leaves: stateOf({ [key]: [meta(ref)] }) }
}

const refs = (sync: PresenceSync): string[] => sync.list((key, entry) => `${key}:${entry.metas.map((m) => m.phx_ref).join(',')}`)

describe('PresenceSync', () => {
  test('a new view is empty and waits for a state', () => {
    const { sync } = view()
    assert.deepEqual(sync.list(), [])
    assert.equal(sync.inPendingSyncState(), true)
    assert.equal(sync.needsState, false)
  })

  test('in sync, a state and then a diff are applied, each followed by onSync', () => {
    const { sync, log } = view()
    sync.handleState(stateOf({ u1: [meta('a1')] }), '1')
    assert.equal(sync.inPendingSyncState(), false)
    assert.equal(sync.handleDiff(joinOf('u2', 'b1'), '1'), 'applied')
    assert.deepEqual(refs(sync), ['u1:a1', 'u2:b1'])
    assert.deepEqual(log, [
      ['join', 'u1', undefined, { metas: [meta('a1')] }], 'sync',
      ['join', 'u2', undefined, { metas: [meta('b1')] }], 'sync',
    ])
  })

  test('diffs before the first state are queued, then applied in order right after it, with one onSync', () => {
    const { sync, log } = view()
    assert.equal(sync.handleDiff(joinOf('u2', 'b1'), '1'), 'queued')
    assert.equal(sync.handleDiff(leaveOf('u1', 'a1'), '1'), 'queued')
    assert.equal(sync.pendingDiffs, 2)
    assert.deepEqual(sync.list(), [])
    assert.deepEqual(log, [])
    sync.handleState(stateOf({ u1: [meta('a1')] }), '1')
    assert.deepEqual(refs(sync), ['u2:b1'])
    assert.equal(sync.pendingDiffs, 0)
    assert.deepEqual(log, [
      ['join', 'u1', undefined, { metas: [meta('a1')] }],
      ['join', 'u2', undefined, { metas: [meta('b1')] }],
      ['leave', 'u1', { metas: [] }, { metas: [meta('a1')] }],
      'sync',
    ])
  })

  test('after a rejoin (new channel join ref) diffs are queued until the new state, which is synced against the old view', () => {
    const { sync, log } = view()
    sync.handleState(stateOf({ u1: [meta('a1')], u2: [meta('b1')] }), '1')
    log.length = 0
    assert.equal(sync.handleDiff(joinOf('u3', 'c1'), '5'), 'queued')
    assert.equal(sync.inPendingSyncState(), true)
    assert.deepEqual(refs(sync), ['u1:a1', 'u2:b1'])
    sync.handleState(stateOf({ u1: [meta('a1')] }), '5')
    assert.equal(sync.inPendingSyncState(), false)
    assert.deepEqual(refs(sync), ['u1:a1', 'u3:c1'])
    assert.deepEqual(log, [
      ['leave', 'u2', { metas: [] }, { metas: [meta('b1')] }],
      ['join', 'u3', undefined, { metas: [meta('c1')] }],
      'sync',
    ])
    assert.equal(sync.handleDiff(leaveOf('u3', 'c1'), '5'), 'applied')
    assert.deepEqual(refs(sync), ['u1:a1'])
  })

  test('setChannelJoinRef marks the view pending before any payload shows the rejoin', () => {
    const { sync } = view()
    sync.handleState(stateOf({ u1: [meta('a1')] }), '1')
    sync.setChannelJoinRef('3')
    assert.equal(sync.inPendingSyncState(), true)
    sync.setChannelJoinRef('1')
    assert.equal(sync.inPendingSyncState(), false)
  })

  test('a state recorded without a join ref leaves the view pending, as phoenix.js does', () => {
    const { sync } = view()
    sync.handleState(stateOf({ u1: [meta('a1')] }), null)
    assert.equal(sync.inPendingSyncState(), true)
    assert.equal(sync.handleDiff(joinOf('u2', 'b1'), null), 'queued')
    assert.deepEqual(refs(sync), ['u1:a1'])
  })

  test('queued diffs are applied as they were when queued, and not modified', () => {
    const { sync } = view()
    const diff = joinOf('u2', 'b1')
    const before = JSON.stringify(diff)
    sync.handleDiff(diff, '1')
    sync.handleState(stateOf({ u2: [meta('b0')] }), '1')
    assert.equal(JSON.stringify(diff), before)
    assert.deepEqual(refs(sync), ['u2:b0,b1'])
  })
})

describe('PresenceSync queue bound', () => {
  test('on overflow the queue is dropped and needsState is set until the next state', () => {
    const { sync, log } = view({ maxPendingDiffs: 3 })
    for (let i = 1; i <= 3; i++) assert.equal(sync.handleDiff(joinOf(`k${i}`, `r${i}`), '1'), 'queued')
    assert.equal(sync.handleDiff(joinOf('k4', 'r4'), '1'), 'overflow')
    assert.equal(sync.pendingDiffs, 0)
    assert.equal(sync.needsState, true)
    assert.equal(sync.handleDiff(joinOf('k5', 'r5'), '1'), 'queued')
    assert.equal(sync.needsState, true)
    sync.handleState(stateOf({ k1: [meta('r1')] }), '1')
    assert.equal(sync.needsState, false)
    assert.deepEqual(refs(sync), ['k1:r1', 'k5:r5'])
    assert.deepEqual(log.filter((e) => e === 'sync').length, 1)
  })

  test(`the default bound is ${DEFAULT_MAX_PENDING_DIFFS} diffs`, () => {
    const { sync } = view()
    for (let i = 0; i < DEFAULT_MAX_PENDING_DIFFS; i++) assert.equal(sync.handleDiff(joinOf('k', `r${i}`), '1'), 'queued')
    assert.equal(sync.pendingDiffs, DEFAULT_MAX_PENDING_DIFFS)
    assert.equal(sync.handleDiff(joinOf('k', 'last'), '1'), 'overflow')
    assert.equal(sync.pendingDiffs, 0)
  })

  test('a diff applied in sync does not count against the bound', () => {
    const { sync } = view({ maxPendingDiffs: 1 })
    sync.handleState(stateOf({}), '1')
    for (let i = 0; i < 5; i++) assert.equal(sync.handleDiff(joinOf('k', `r${i}`), '1'), 'applied')
    assert.equal(sync.needsState, false)
  })

  test('maxPendingDiffs must be an integer ≥ 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new PresenceSync({ maxPendingDiffs: bad }), { name: 'TypeError', message: /maxPendingDiffs must be an integer ≥ 1/ })
    }
  })
})

describe('payload shape guards', () => {
  test('isPresenceState accepts key → { metas: [{ phx_ref: string, ... }] } and sibling fields', () => {
    assert.equal(isPresenceState({}), true)
    assert.equal(isPresenceState({ u1: { metas: [{ phx_ref: 'a', phx_ref_prev: 'z', x: 1 }], user: {} } }), true)
    assert.equal(isPresenceState(JSON.parse('{"__proto__":{"metas":[]}}')), true)
  })

  test('isPresenceState rejects anything else', () => {
    for (const bad of [null, [], 'x', { u1: null }, { u1: {} }, { u1: { metas: {} } }, { u1: { metas: [{}] } },
      { u1: { metas: [{ phx_ref: 1 }] } }, { u1: { metas: [{ phx_ref: 'a', phx_ref_prev: 2 }] } }, { u1: { metas: [null] } }]) {
      assert.equal(isPresenceState(bad), false, JSON.stringify(bad))
    }
  })

  test('isPresenceDiff needs joins and leaves, both presence states', () => {
    assert.equal(isPresenceDiff({ joins: {}, leaves: {} }), true)
    assert.equal(isPresenceDiff({ joins: { u1: { metas: [{ phx_ref: 'a' }] } }, leaves: {} }), true)
    assert.equal(isPresenceDiff({ joins: {} }), false)
    assert.equal(isPresenceDiff({ leaves: {} }), false)
    assert.equal(isPresenceDiff({ joins: { u1: {} }, leaves: {} }), false)
    assert.equal(isPresenceDiff(null), false)
  })
})
