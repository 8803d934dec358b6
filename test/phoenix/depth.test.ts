/**
 * The nesting check, pure: scalars are depth 0, each array or object adds a
 * level, bytes are leaves, and values far deeper than the stack could
 * recurse are measured without recursion.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../src/phoenix/depth.ts'

const arrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth))
const objects = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))

test('counts levels of arrays and objects; scalars and bytes add none', () => {
  for (const scalar of [null, 1, 'x', true, undefined]) assert.equal(nestedDeeperThan(scalar, 0), false)
  assert.equal(nestedDeeperThan({}, 0), true)
  assert.equal(nestedDeeperThan({}, 1), false)
  assert.equal(nestedDeeperThan({ a: [1, { b: 2 }] }, 3), false)
  assert.equal(nestedDeeperThan({ a: [1, { b: 2 }] }, 2), true)
  assert.equal(nestedDeeperThan({ bytes: new Uint8Array(8) }, 1), false)
})

test('the limit is inclusive: exactly MAX_JSON_DEPTH passes, one more does not', () => {
  assert.equal(nestedDeeperThan(arrays(MAX_JSON_DEPTH)), false)
  assert.equal(nestedDeeperThan(arrays(MAX_JSON_DEPTH + 1)), true)
  assert.equal(nestedDeeperThan(objects(MAX_JSON_DEPTH)), false)
  assert.equal(nestedDeeperThan(objects(MAX_JSON_DEPTH + 1)), true)
})

test('values deeper than JSON.stringify can write are measured without running out of stack', () => {
  const deep = arrays(200_000)
  assert.throws(() => JSON.stringify(deep), RangeError)
  assert.equal(nestedDeeperThan(deep), true)
  assert.equal(nestedDeeperThan(deep, 199_999), true)
  assert.equal(nestedDeeperThan(deep, 200_000), false)
})

test('a cycle (never from JSON) still ends: it is deeper than any limit', () => {
  const cycle: Record<string, unknown> = {}
  cycle['self'] = cycle
  assert.equal(nestedDeeperThan(cycle, 64), true)
})
