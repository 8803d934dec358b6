/**
 * The version profile as a table of facts read from the Phoenix sources at
 * each tag (docs/testing.md "Phoenix versions"): a change backported to an
 * older release line (the channel limit in 1.7.24) counts from there on in
 * that line and in every newer line.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { versionProfile } from '../../../src/testing/index.ts'

test('the channel limit: 1.7.24+ on the 1.7 line, 1.8.9+ on the 1.8 line, and every later line', () => {
  const limit = (v: string): number => versionProfile(v).maxChannels
  assert.equal(limit('1.6.16'), Infinity)
  assert.equal(limit('1.7.21'), Infinity)
  assert.equal(limit('1.7.23'), Infinity)
  assert.equal(limit('1.7.24'), 100)
  assert.equal(limit('1.7.25'), 100)
  assert.equal(limit('1.8.0'), Infinity, '1.8.0 predates the 1.7.24 backport and has no limit')
  assert.equal(limit('1.8.8'), Infinity)
  assert.equal(limit('1.8.9'), 100)
  assert.equal(limit('1.8.12'), 100)
  assert.equal(limit('1.9.0'), 100)
})

test('the other 1.7.24 facts stay those of the 1.7 line', () => {
  assert.deepEqual(versionProfile('1.7.24'), {
    staleJoinRef: 'none', nullLeaveIsStale: true, maxChannels: 100, errorPayload: {}, disconnectCode: 1000,
  })
})

test('1.8.12, the default', () => {
  assert.deepEqual(versionProfile(), {
    staleJoinRef: 'null-is-fresh', nullLeaveIsStale: false, maxChannels: 100, errorPayload: { reason: 'channel_crash' }, disconnectCode: 1001,
  })
})

test('the stale join_ref rule by release', () => {
  const rule = (v: string): string => versionProfile(v).staleJoinRef
  assert.deepEqual(['1.7.24', '1.8.2', '1.8.3', '1.8.11', '1.8.12', '1.9.0'].map(rule),
    ['none', 'none', 'null-is-stale', 'null-is-stale', 'null-is-fresh', 'null-is-fresh'])
})
