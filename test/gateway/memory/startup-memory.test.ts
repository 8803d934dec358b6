/**
 * After start-up the gateway gives back the young generation that its
 * start-up burst grew, without leaving `gc` exposed to the process.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getHeapSpaceStatistics } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { releaseStartupMemory } from '../../../src/gateway/startup-memory.ts'

function youngGenerationBytes (): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? Number.NaN
}

test('a burst of surviving allocations grows the young generation; releaseStartupMemory gives it back', () => {
  // Objects that live through several scavenges make V8 grow the young generation, as start-up does.
  let kept: unknown[][] = []
  for (let round = 0; round < 40; round++) {
    kept.push(Array.from({ length: 20_000 }, (_, i) => ({ round, i, text: `item ${i}` })))
    if (kept.length > 8) kept = kept.slice(-8)
  }
  kept = []
  const before = youngGenerationBytes()
  assert.ok(before > 2 * 2 ** 20, `the burst grew the young generation (${before} bytes)`)
  const ms = releaseStartupMemory()
  const after = youngGenerationBytes()
  assert.ok(after < before / 2, `young generation ${before} → ${after} bytes`)
  assert.ok(ms !== null && ms >= 0 && ms < 5000)
})

test('gc stays hidden from the process and from new contexts', () => {
  releaseStartupMemory()
  assert.equal((globalThis as { gc?: unknown }).gc, undefined)
  assert.equal(runInNewContext('typeof gc'), 'undefined')
})
