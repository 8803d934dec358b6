/**
 * syncState / syncDiff / list (reference B10) on small examples. Each example
 * states the expected result and callback calls, and is also run through
 * phoenix.js's Presence, which must agree (checkedState / checkedDiff).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyPresenceState, list, syncDiff, syncState, type PresenceDiff, type PresenceEntry, type PresenceState } from '../../src/phoenix/presence.ts'
import { checkedDiff, checkedState, meta, stateOf } from './presence-helpers.ts'

const none = emptyPresenceState()

describe('syncState', () => {
  test('from an empty state every key joins, with current undefined', () => {
    const newState = stateOf({ u1: [meta('a1', { status: 'online' })], u2: [meta('b1')] })
    const { state, calls } = checkedState(none, newState)
    assert.deepEqual(state, newState)
    assert.equal(Object.getPrototypeOf(state), null)
    assert.deepEqual(calls, [
      ['join', 'u1', undefined, { metas: [{ phx_ref: 'a1', status: 'online' }] }],
      ['join', 'u2', undefined, { metas: [{ phx_ref: 'b1' }] }],
    ])
  })

  test('vanished keys leave whole, changed keys join and leave by phx_ref, unchanged keys make no call', () => {
    const before = stateOf({ u1: [meta('a1')], u2: [meta('b1')], u3: [meta('c1')] })
    const after = stateOf({ u1: [meta('a1')], u2: [meta('b2')], u4: [meta('d1')] })
    const { state, calls } = checkedState(before, after)
    assert.deepEqual(state, after)
    assert.deepEqual(Object.keys(state), ['u1', 'u2', 'u4'])
    assert.deepEqual(calls, [
      ['join', 'u2', { metas: [{ phx_ref: 'b1' }] }, { metas: [{ phx_ref: 'b2' }] }],
      ['join', 'u4', undefined, { metas: [{ phx_ref: 'd1' }] }],
      ['leave', 'u3', { metas: [] }, { metas: [{ phx_ref: 'c1' }] }],
      ['leave', 'u2', { metas: [{ phx_ref: 'b2' }] }, { metas: [{ phx_ref: 'b1' }] }],
    ])
  })

  test('the same state again changes nothing and calls nothing', () => {
    const s = stateOf({ u1: [meta('a1'), meta('a2')], u2: [meta('b1')] })
    const { state, calls } = checkedState(s, s)
    assert.deepEqual(state, s)
    assert.deepEqual(calls, [])
  })

  test('an entry that gained metas takes the new sibling fields; one that only lost metas keeps its old ones', () => {
    const before: PresenceState = { u1: { metas: [meta('a1')], user: 'old' }, u2: { metas: [meta('b1'), meta('b2')], user: 'old' } }
    const after: PresenceState = { u1: { metas: [meta('a1'), meta('a2')], user: 'new' }, u2: { metas: [meta('b1')], user: 'new' } }
    const { state } = checkedState(before, after)
    assert.deepEqual(state['u1'], { metas: [meta('a1'), meta('a2')], user: 'new' })
    assert.deepEqual(state['u2'], { metas: [meta('b1')], user: 'old' })
  })

  test('metas already held keep their place; new ones go behind them', () => {
    const before = stateOf({ u1: [meta('a2'), meta('a1')] })
    const after = stateOf({ u1: [meta('a3'), meta('a1'), meta('a2')] })
    const { state } = checkedState(before, after)
    assert.deepEqual(state['u1']?.metas.map((m) => m.phx_ref), ['a2', 'a1', 'a3'])
  })
})

describe('syncDiff', () => {
  const base = stateOf({ u1: [meta('a1', { status: 'online' })] })

  test('a join of a new key adds it; a join on a held key appends the new meta', () => {
    const { state, calls } = checkedDiff(base, { joins: stateOf({ u2: [meta('b1')], u1: [meta('a2')] }), leaves: {} })
    assert.deepEqual(state, stateOf({ u1: [meta('a1', { status: 'online' }), meta('a2')], u2: [meta('b1')] }))
    assert.deepEqual(calls, [
      ['join', 'u2', undefined, { metas: [{ phx_ref: 'b1' }] }],
      ['join', 'u1', { metas: [{ phx_ref: 'a1', status: 'online' }] }, { metas: [{ phx_ref: 'a2' }] }],
    ])
  })

  test('an update (join with phx_ref_prev plus leave of the old meta) replaces the meta', () => {
    const updated = meta('a2', { phx_ref_prev: 'a1', status: 'away' })
    const { state, calls } = checkedDiff(base, { joins: stateOf({ u1: [updated] }), leaves: stateOf({ u1: [meta('a1', { status: 'online' })] }) })
    assert.deepEqual(state, stateOf({ u1: [updated] }))
    assert.deepEqual(calls, [
      ['join', 'u1', { metas: [{ phx_ref: 'a1', status: 'online' }] }, { metas: [updated] }],
      ['leave', 'u1', { metas: [updated] }, { metas: [{ phx_ref: 'a1', status: 'online' }] }],
    ])
  })

  test('old metas the join does not replace go in front of the joined ones', () => {
    const held = stateOf({ u1: [meta('a', { v: 1 }), meta('b')] })
    const { state } = checkedDiff(held, { joins: stateOf({ u1: [meta('c'), meta('a', { v: 2 })] }), leaves: {} })
    assert.deepEqual(state['u1']?.metas, [meta('b'), meta('c'), meta('a', { v: 2 })])
  })

  test('a leave removes only the metas it names', () => {
    const held = stateOf({ u1: [meta('a'), meta('b'), meta('c')] })
    const { state, calls } = checkedDiff(held, { joins: {}, leaves: stateOf({ u1: [meta('b')] }) })
    assert.deepEqual(state, stateOf({ u1: [meta('a'), meta('c')] }))
    assert.deepEqual(calls, [['leave', 'u1', { metas: [meta('a'), meta('c')] }, { metas: [meta('b')] }]])
  })

  test('a key whose last meta leaves is deleted, after onLeave saw it with no metas', () => {
    const held = stateOf({ u1: [meta('a')], u2: [meta('b')] })
    const { state, calls } = checkedDiff(held, { joins: {}, leaves: stateOf({ u1: [meta('a')] }) })
    assert.deepEqual(state, stateOf({ u2: [meta('b')] }))
    assert.equal(Object.hasOwn(state, 'u1'), false)
    assert.deepEqual(calls, [['leave', 'u1', { metas: [] }, { metas: [meta('a')] }]])
  })

  test('a leave of a key the state does not hold is ignored, without a call', () => {
    const { state, calls } = checkedDiff(base, { joins: {}, leaves: stateOf({ ghost: [meta('g1')] }) })
    assert.deepEqual(state, base)
    assert.deepEqual(calls, [])
  })

  test('a leave of an unknown phx_ref on a held key removes nothing but still calls onLeave', () => {
    const { state, calls } = checkedDiff(base, { joins: {}, leaves: stateOf({ u1: [meta('zz')] }) })
    assert.deepEqual(state, base)
    assert.deepEqual(calls, [['leave', 'u1', { metas: [{ phx_ref: 'a1', status: 'online' }] }, { metas: [{ phx_ref: 'zz' }] }]])
  })

  test('joins apply before leaves: a meta that joins and leaves in one diff is gone', () => {
    const { state, calls } = checkedDiff(none, { joins: stateOf({ u1: [meta('x')] }), leaves: stateOf({ u1: [meta('x')] }) })
    assert.deepEqual(state, none)
    assert.deepEqual(calls.map((c) => c[0]), ['join', 'leave'])
  })

  test('a join with no metas keeps the key with empty metas, as phoenix.js does', () => {
    const { state } = checkedDiff(none, { joins: stateOf({ u1: [] }), leaves: {} })
    assert.deepEqual(state, stateOf({ u1: [] }))
  })

  test('a joined entry replaces the sibling fields of the held one', () => {
    const held: PresenceState = { u1: { metas: [meta('a')], user: { name: 'Ann' } } }
    const { state } = checkedDiff(held, { joins: { u1: { metas: [meta('b')], user: { name: 'Anna' } } }, leaves: {} })
    assert.deepEqual(state['u1'], { metas: [meta('a'), meta('b')], user: { name: 'Anna' } })
  })
})

describe('copies, not shared objects', () => {
  test('the returned state shares no object with the inputs', () => {
    const held = stateOf({ u1: [meta('a', { tags: ['x'] })] })
    const diff = { joins: stateOf({ u2: [meta('b', { tags: ['y'] })] }), leaves: {} }
    const before = JSON.stringify({ held, diff })
    const state = syncDiff(held, diff)
    const tags = state['u1']?.metas[0]?.['tags']
    assert.ok(Array.isArray(tags))
    tags.push('changed')
    state['u2']?.metas.push(meta('c'))
    assert.equal(JSON.stringify({ held, diff }), before)
  })

  test('the entry given to onJoin is not the one stored in the state', () => {
    const state = syncState(none, stateOf({ u1: [meta('a')] }), (_key, _current, joined) => { joined.metas.push(meta('injected')) })
    assert.deepEqual(state, stateOf({ u1: [meta('a')] }))
  })

  test('onLeave gets the entry that stays in the state', () => {
    let seen: PresenceEntry | undefined
    const state = syncDiff(stateOf({ u1: [meta('a'), meta('b')] }), { joins: {}, leaves: stateOf({ u1: [meta('a')] }) }, undefined, (_key, current) => { seen = current })
    assert.equal(seen, state['u1'])
  })
})

describe('keys that are Object.prototype names', () => {
  const raw = '{"__proto__":{"metas":[{"phx_ref":"p1"}]},"constructor":{"metas":[{"phx_ref":"c1"}]},"toString":{"metas":[{"phx_ref":"t1"}]}}'

  test('"__proto__", "constructor" and "toString" are plain keys of a null-prototype state', () => {
    const incoming = JSON.parse(raw) as PresenceState
    const { state, calls } = checkedState(none, incoming)
    assert.equal(Object.getPrototypeOf(state), null)
    assert.deepEqual(Object.keys(state), ['__proto__', 'constructor', 'toString'])
    assert.deepEqual(Object.getOwnPropertyDescriptor(state, '__proto__')?.value, { metas: [{ phx_ref: 'p1' }] })
    assert.deepEqual(calls.map((c) => c[1]), ['__proto__', 'constructor', 'toString'])
    assert.equal(list(state).length, 3)
  })

  test('a leave of "constructor" or "hasOwnProperty" when not held is ignored, not read from Object.prototype', () => {
    const held = stateOf({ u1: [meta('a')] })
    const leaves = JSON.parse('{"constructor":{"metas":[{"phx_ref":"c1"}]},"hasOwnProperty":{"metas":[{"phx_ref":"h1"}]}}') as PresenceState
    const { state, calls } = checkedDiff(held, { joins: {}, leaves })
    assert.deepEqual(state, held)
    assert.deepEqual(calls, [])
  })

  test('a join of "constructor" into an ordinary-object state adds a key instead of merging Object', () => {
    const joins = JSON.parse('{"constructor":{"metas":[{"phx_ref":"c2"}]}}') as PresenceState
    const { state, calls } = checkedDiff({ u1: { metas: [meta('a')] } }, { joins, leaves: {} })
    assert.deepEqual(state['constructor'], { metas: [meta('c2')] })
    assert.deepEqual(calls, [['join', 'constructor', undefined, { metas: [{ phx_ref: 'c2' }] }]])
  })

  test('a "__proto__" key survives updates and leaves', () => {
    const held = JSON.parse(raw) as PresenceState
    const updated = { phx_ref: 'p2', phx_ref_prev: 'p1' }
    const diff = JSON.parse('{"joins":{"__proto__":{"metas":[{"phx_ref":"p2","phx_ref_prev":"p1"}]}},"leaves":{"__proto__":{"metas":[{"phx_ref":"p1"}]}}}') as PresenceDiff
    const { state } = checkedDiff(held, diff)
    assert.deepEqual(Object.getOwnPropertyDescriptor(state, '__proto__')?.value, { metas: [updated] })
    const gone = checkedDiff(state, { joins: {}, leaves: diff.joins }).state
    assert.equal(Object.hasOwn(gone, '__proto__'), false)
    assert.equal(Object.getPrototypeOf(gone), null)
  })
})

describe('list', () => {
  const s = stateOf({ b: [meta('1')], 10: [meta('2'), meta('3')], a: [meta('4')], 2: [meta('5')] })

  test('gives the entries in object key order: integer-like keys ascending, then insertion order', () => {
    assert.deepEqual(list(s).map((e) => e.metas[0]?.phx_ref), ['5', '2', '1', '4'])
  })

  test('gives what the chooser makes of each key and entry', () => {
    assert.deepEqual(list(s, (key, entry) => `${key}:${entry.metas.length}`), ['2:1', '10:2', 'b:1', 'a:1'])
  })
})
