/**
 * The replay ring, event ids and the resume plan, pure: what a client
 * resuming with Last-Event-ID is given, and the gap it is told of.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { formatEventId, newEpoch, parseEventId } from '../../../src/gateway/hub/event-id.ts'
import { planResume } from '../../../src/gateway/hub/resume.ts'
import { ENTRY_OVERHEAD_BYTES, entryBytes, ReplayRing, type RingEntry } from '../../../src/gateway/hub/ring.ts'

const T0 = Date.UTC(2025, 0, 1)

function entry (seq: number): RingEntry {
  return { seq, order: seq, at: T0 + seq * 1000, event: 'msg', data: `{"n":${seq}}`, control: false }
}

function ringWith (capacity: number, count: number): ReplayRing {
  const ring = new ReplayRing(capacity)
  for (let seq = 1; seq <= count; seq++) ring.push(entry(seq))
  return ring
}

const seqs = (entries: readonly RingEntry[]): number[] => entries.map((e) => e.seq)

describe('ReplayRing', () => {
  test('holds up to its capacity, oldest first', () => {
    const ring = ringWith(3, 2)
    assert.equal(ring.size, 2)
    assert.equal(ring.oldestSeq(), 1)
    assert.deepEqual(seqs(ring.since(0)), [1, 2])
    assert.equal(ring.evictedUntil, null)
  })

  test('a full ring drops its oldest entry and remembers when that entry was added', () => {
    const ring = ringWith(3, 5)
    assert.equal(ring.size, 3)
    assert.equal(ring.oldestSeq(), 3)
    assert.deepEqual(seqs(ring.since(0)), [3, 4, 5])
    assert.equal(ring.evictedUntil, entry(2).at)
  })

  test('since(n) gives the entries after n, in order, across the wrap-around', () => {
    const ring = ringWith(4, 11)
    assert.deepEqual(seqs(ring.since(8)), [9, 10, 11])
    assert.deepEqual(seqs(ring.since(11)), [])
    assert.deepEqual(seqs(ring.since(2)), [8, 9, 10, 11])
  })

  test('an empty ring has no oldest entry', () => {
    assert.equal(new ReplayRing(2).oldestSeq(), undefined)
    assert.deepEqual(new ReplayRing(2).since(0), [])
  })

  test('a ring of capacity 0 keeps nothing but still records what it dropped', () => {
    const ring = ringWith(0, 3)
    assert.equal(ring.size, 0)
    assert.deepEqual(ring.since(0), [])
    assert.equal(ring.evictedUntil, entry(3).at)
  })

  test('with a byte bound it holds the newest entries that fit, beyond its replay, for readers catching up', () => {
    // Each entry counts its event name and data plus the fixed overhead.
    const cost = entryBytes(entry(1))
    assert.equal(cost, 'msg'.length + '{"n":1}'.length + ENTRY_OVERHEAD_BYTES)
    const ring = new ReplayRing(2, 5 * cost)
    for (let seq = 1; seq <= 9; seq++) ring.push(entry(seq))
    assert.equal(ring.held, 5)
    assert.equal(ring.bytes, 5 * cost)
    assert.equal(ring.firstHeldSeq, 5)
    assert.deepEqual([4, 5, 9, 10].map((seq) => ring.get(seq)?.seq), [undefined, 5, 9, undefined])
    // A resume is given the replay only: the newest 2; what left the replay is reported as evicted from it.
    assert.equal(ring.size, 2)
    assert.equal(ring.oldestSeq(), 8)
    assert.deepEqual(seqs(ring.since(0)), [8, 9])
    assert.equal(ring.evictedUntil, entry(7).at)
  })

  test('the newest entry is held whatever its size; a replay of 0 resumes nothing but readers can still pull', () => {
    const big: RingEntry = { ...entry(2), data: JSON.stringify('x'.repeat(10_000)) }
    const ring = new ReplayRing(0, 100)
    ring.push(entry(1))
    ring.push(big)
    assert.equal(ring.held, 1)
    assert.equal(ring.get(2), big)
    assert.deepEqual(ring.since(0), [])
    assert.equal(ring.evictedUntil, big.at)
  })

  test('many pushes through a byte-bounded ring keep its entries consecutive and its bytes exact', () => {
    const cost = entryBytes(entry(5000)) // every entry from 1000 on has this size
    const ring = new ReplayRing(10, 50 * cost)
    for (let seq = 1; seq <= 5000; seq++) ring.push(entry(seq))
    assert.equal(ring.held, 50)
    assert.equal(ring.bytes, 50 * cost)
    for (let seq = 4951; seq <= 5000; seq++) assert.equal(ring.get(seq)?.seq, seq)
    assert.deepEqual(seqs(ring.since(4990)), [4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000])
  })

  test('a capacity that is not a whole number is refused', () => {
    for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => new ReplayRing(bad), TypeError)
  })
})

describe('event ids', () => {
  test('an id is <epoch>-<seq> and parses back', () => {
    const id = formatEventId('m5x2abcd', 42)
    assert.equal(id, 'm5x2abcd-42')
    assert.deepEqual(parseEventId(id), { epoch: 'm5x2abcd', seq: 42 })
  })

  test('an epoch containing dashes still parses: the seq is after the last dash', () => {
    assert.deepEqual(parseEventId('a-b-7'), { epoch: 'a-b', seq: 7 })
  })

  test('ids that are not <epoch>-<whole number> do not parse', () => {
    for (const bad of ['', 'nodash', '-5', 'ep-', 'ep-x', 'ep-1.5', 'ep- 1', 'ep-+3', 'ep-1e3', 'ep-0x10', `ep-${2 ** 60}`]) {
      assert.equal(parseEventId(bad), null, bad)
    }
  })

  test('epochs are base-36 time plus four random base-36 digits, so two processes differ', () => {
    assert.equal(newEpoch(T0, () => 0), `${T0.toString(36)}0000`)
    assert.equal(newEpoch(T0, () => 0.999999999), `${T0.toString(36)}zzzz`)
    assert.notEqual(newEpoch(T0, () => 0.1), newEpoch(T0, () => 0.2))
    assert.match(newEpoch(Date.now(), Math.random), /^[0-9a-z]+$/)
  })
})

describe('planResume', () => {
  const ring = ringWith(5, 12) // holds 8..12, dropped up to 7

  test('no Last-Event-ID: nothing replayed, no gap', () => {
    assert.deepEqual(planResume(null, 'ep', ring, 12, ring.evictedUntil), { gap: null, entries: [] })
  })

  test('an id of this epoch still covered by the ring: exactly what came after it', () => {
    for (const after of [7, 8, 10, 12]) {
      const plan = planResume(`ep-${after}`, 'ep', ring, 12, ring.evictedUntil)
      assert.equal(plan.gap, null)
      assert.deepEqual(seqs(plan.entries), Array.from({ length: 12 - after }, (_, i) => after + 1 + i))
    }
  })

  test('an id older than the ring: replay_exhausted with the missed count and the time of the newest dropped event', () => {
    const plan = planResume('ep-3', 'ep', ring, 12, ring.evictedUntil)
    assert.deepEqual(plan.gap, { reason: 'replay_exhausted', lastEventId: 'ep-3', missed: 4, until: new Date(entry(7).at).toISOString() })
    assert.deepEqual(seqs(plan.entries), [8, 9, 10, 11, 12])
  })

  test('an id of this epoch with an empty ring: every event after it was missed', () => {
    const empty = ringWith(0, 6)
    const plan = planResume('ep-2', 'ep', empty, 6, empty.evictedUntil)
    assert.deepEqual(plan.gap, { reason: 'replay_exhausted', lastEventId: 'ep-2', missed: 4, until: new Date(entry(6).at).toISOString() })
    assert.deepEqual(plan.entries, [])
    assert.deepEqual(planResume('ep-6', 'ep', empty, 6, empty.evictedUntil), { gap: null, entries: [] })
  })

  test('an id of another epoch: sidecar_restarted, then everything the ring holds', () => {
    const plan = planResume('old-3', 'ep', ring, 12, ring.evictedUntil)
    assert.deepEqual(plan.gap, { reason: 'sidecar_restarted', lastEventId: 'old-3' })
    assert.deepEqual(seqs(plan.entries), [8, 9, 10, 11, 12])
  })

  test('a malformed id, or one of this epoch from the future: unknown_id, then everything the ring holds', () => {
    for (const id of ['garbage', 'ep-13', 'ep-x', 'ep- 9', 'ep-']) {
      const plan = planResume(id, 'ep', ring, 12, ring.evictedUntil)
      assert.deepEqual(plan.gap, { reason: 'unknown_id', lastEventId: id }, id)
      assert.deepEqual(seqs(plan.entries), [8, 9, 10, 11, 12])
    }
  })
  test('a topic held again: an id at or below its base is from an earlier life, topic_restarted, then the whole ring', () => {
    // This life began after seq 40 (its first event is 41); the ring holds 41..45.
    const life = new ReplayRing(10)
    for (let seq = 41; seq <= 45; seq++) life.push(entry(seq))
    for (const id of ['ep-40', 'ep-12', 'ep-1']) {
      const plan = planResume(id, 'ep', life, 45, life.evictedUntil, 40)
      assert.deepEqual(plan.gap, { reason: 'topic_restarted', lastEventId: id }, id)
      assert.deepEqual(seqs(plan.entries), [41, 42, 43, 44, 45])
    }
    assert.deepEqual(planResume('ep-43', 'ep', life, 45, life.evictedUntil, 40), { gap: null, entries: [entry(44), entry(45)] })
    assert.equal(planResume('ep-46', 'ep', life, 45, life.evictedUntil, 40).gap?.reason, 'unknown_id')
  })

  test('a first life (base 0) is as before: ep-0 asks for everything, with no gap', () => {
    assert.deepEqual(seqs(planResume('ep-0', 'ep', ringWith(20, 3), 3, null, 0).entries), [1, 2, 3])
    assert.equal(planResume('ep-0', 'ep', ringWith(20, 3), 3, null, 0).gap, null)
  })
})
