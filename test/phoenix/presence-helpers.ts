/**
 * Helpers for the presence tests: run our syncState/syncDiff and phoenix.js's
 * `Presence.syncState/syncDiff` on the same inputs and compare the results
 * and the onJoin/onLeave calls.
 *
 * Our functions get deep-frozen inputs (any write to them throws, so a test
 * passing proves they do not modify what they are given); phoenix.js gets
 * JSON copies, because its syncState rewrites the newState it is given.
 */
import assert from 'node:assert/strict'
import { Presence } from 'phoenix'
import { emptyPresenceState, syncDiff, syncState, type PresenceDiff, type PresenceMeta, type PresenceState } from '../../src/phoenix/presence.ts'

/** One onJoin/onLeave call: which, the key, and JSON snapshots of the two entries taken at call time. */
export type Call = readonly ['join' | 'leave', string, unknown, unknown]

/** A JSON snapshot: later edits to the value do not show in it. */
export function snap (value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

/** A JSON copy typed as its input. */
export function copy<T> (value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** Freezes a value and everything reachable from it. */
export function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
    Object.freeze(value)
  }
  return value
}

/** Callbacks that log their calls (typed loosely enough for phoenix.js's callback types too). */
export function recorder (): { calls: Call[], onJoin: (key?: string, current?: unknown, joined?: unknown) => void, onLeave: (key?: string, current?: unknown, left?: unknown) => void } {
  const calls: Call[] = []
  return {
    calls,
    onJoin: (key, current, joined) => { calls.push(['join', key ?? '<none>', snap(current), snap(joined)]) },
    onLeave: (key, current, left) => { calls.push(['leave', key ?? '<none>', snap(current), snap(left)]) },
  }
}

/** A meta with its phx_ref and optional fields. */
export function meta (ref: string, fields: Record<string, unknown> = {}): PresenceMeta {
  return { ...fields, phx_ref: ref }
}

/** A state from key → metas (for short examples). */
export function stateOf (entries: Record<string, PresenceMeta[]>): PresenceState {
  const out = emptyPresenceState()
  for (const [key, metas] of Object.entries(entries)) out[key] = { metas }
  return out
}

/** The outcome of one sync: the new state and the callback calls. */
export interface Outcome { state: PresenceState, calls: Call[] }

/** Our syncState on frozen inputs. */
export function oursState (state: PresenceState, newState: PresenceState): Outcome {
  const rec = recorder()
  return { state: syncState(deepFreeze(state), deepFreeze(newState), rec.onJoin, rec.onLeave), calls: rec.calls }
}

/** Our syncDiff on frozen inputs. */
export function oursDiff (state: PresenceState, diff: PresenceDiff): Outcome {
  const rec = recorder()
  return { state: syncDiff(deepFreeze(state), deepFreeze(diff), rec.onJoin, rec.onLeave), calls: rec.calls }
}

/** phoenix.js's result and calls for the same step, on copies of the inputs. */
export function phoenixStep (kind: 'state' | 'diff', state: PresenceState, input: PresenceState | PresenceDiff): { state: unknown, calls: Call[] } {
  const rec = recorder()
  const result: unknown = kind === 'state'
    ? Presence.syncState(copy(state), copy(input), rec.onJoin, rec.onLeave)
    : Presence.syncDiff(copy(state), copy(input as PresenceDiff), rec.onJoin, rec.onLeave)
  return { state: result, calls: rec.calls }
}

/** Asserts that ours and phoenix.js agree: same state (prototypes included), same key order, same calls. */
export function assertSameAsPhoenix (ours: Outcome, kind: 'state' | 'diff', state: PresenceState, input: PresenceState | PresenceDiff): void {
  const theirs = phoenixStep(kind, state, input)
  assert.deepStrictEqual(ours.state, theirs.state)
  assert.deepStrictEqual(Object.keys(ours.state), Object.keys(theirs.state as object))
  assert.deepStrictEqual(ours.calls, theirs.calls)
}

/** syncState, checked against phoenix.js. */
export function checkedState (state: PresenceState, newState: PresenceState): Outcome {
  const ours = oursState(copy(state), copy(newState))
  assertSameAsPhoenix(ours, 'state', state, newState)
  return ours
}

/** syncDiff, checked against phoenix.js. */
export function checkedDiff (state: PresenceState, diff: PresenceDiff): Outcome {
  const ours = oursDiff(copy(state), copy(diff))
  assertSameAsPhoenix(ours, 'diff', state, diff)
  return ours
}
