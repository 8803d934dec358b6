/**
 * The lane queue, pure: one message in flight per lane, lanes served round
 * robin, a bounded size with the two overflow policies.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LaneQueue, type Entry } from '../../../src/gateway/webhook/queue.ts'

function takeAll (q: LaneQueue<string>): string[] {
  const out: string[] = []
  for (let e = q.take(); e !== null; e = q.take()) out.push(e.value)
  return out
}

test('one lane: only its head is handed out, and the next only once the head is removed', () => {
  const q = new LaneQueue<string>(10, 'drop-newest')
  for (const v of ['a1', 'a2', 'a3']) q.offer(v, '')
  const head = q.take()
  assert.equal(head?.value, 'a1')
  assert.equal(q.take(), null, 'the lane is blocked behind its head')
  q.remove(head)
  assert.deepEqual(takeAll(q), ['a2'])
  assert.equal(q.size, 2)
  assert.equal(q.inFlight, 1)
})

test('lanes proceed independently and are served round robin', () => {
  const q = new LaneQueue<string>(10, 'drop-newest')
  for (const [v, lane] of [['x1', 'x'], ['x2', 'x'], ['y1', 'y'], ['z1', 'z'], ['y2', 'y']]) q.offer(v!, lane!)
  assert.deepEqual(takeAll(q), ['x1', 'y1', 'z1'])
  assert.equal(q.lanes, 3)
})

test('a head waiting for a retry keeps its lane blocked until released', () => {
  const q = new LaneQueue<string>(10, 'drop-newest')
  q.offer('a1', 'a')
  q.offer('a2', 'a')
  q.offer('b1', 'b')
  const a1 = q.take()!
  q.wait(a1)
  assert.equal(q.waiting, 1)
  assert.deepEqual(takeAll(q), ['b1'])
  q.release(a1)
  assert.equal(q.waiting, 0)
  assert.deepEqual(takeAll(q), ['a1'], 'the same head again, not a2')
})

test('the capacity counts queued, in-flight and waiting messages; drop-newest refuses the arriving one', () => {
  const q = new LaneQueue<string>(3, 'drop-newest')
  q.offer('1', '')
  q.offer('2', 'k')
  const first = q.take()!
  q.wait(first)
  q.offer('3', '')
  const refused = q.offer('4', '')
  assert.deepEqual(refused, { accepted: null, evicted: null })
  assert.equal(q.size, 3)
  assert.deepEqual(q.entries().map((e) => e.value), ['1', '2', '3'])
})

test('drop-oldest evicts the oldest message not in flight, a waiting head included, and keeps the rest in order', () => {
  const q = new LaneQueue<string>(3, 'drop-oldest')
  q.offer('1', '')
  q.offer('2', '')
  q.offer('3', 'other')
  const one = q.take()! // in flight: never evicted
  const { accepted, evicted } = q.offer('4', '')
  assert.equal(evicted?.value, '2')
  assert.equal(accepted?.value, '4')
  assert.deepEqual(q.entries().map((e) => e.value), ['1', '3', '4'])
  q.remove(one)
  assert.deepEqual(takeAll(q), ['3', '4'])

  const w = new LaneQueue<string>(2, 'drop-oldest')
  w.offer('a1', 'a')
  w.offer('a2', 'a')
  const a1 = w.take()!
  w.wait(a1)
  const out = w.offer('a3', 'a')
  assert.equal(out.evicted, a1, 'the waiting head is the oldest not in flight')
  assert.equal(w.waiting, 0)
  assert.deepEqual(takeAll(w), ['a2'], 'its lane moves on')
})

test('drop-oldest refuses the newest when every held message is in flight', () => {
  const q = new LaneQueue<string>(2, 'drop-oldest')
  q.offer('a', 'a')
  q.offer('b', 'b')
  takeAll(q)
  assert.deepEqual(q.offer('c', 'c'), { accepted: null, evicted: null })
  assert.equal(q.inFlight, 2)
})

test('laneFrom lists a lane from an entry on, in order; removing them empties the lane', () => {
  const q = new LaneQueue<string>(10, 'drop-newest')
  const entries: Array<Entry<string>> = []
  for (const v of ['a1', 'b1', 'a2', 'a3']) entries.push(q.offer(v, v[0]!).accepted!)
  const lane = q.laneFrom(entries[0]!)
  assert.deepEqual(lane.map((e) => e.value), ['a1', 'a2', 'a3'])
  for (const e of lane) q.remove(e)
  assert.equal(q.lanes, 1)
  assert.deepEqual(takeAll(q), ['b1'])
})

test('a long run keeps counts exact and memory bounded', () => {
  const q = new LaneQueue<number>(50, 'drop-oldest')
  let delivered = 0
  for (let i = 0; i < 20_000; i++) {
    q.offer(i, String(i % 7))
    if (i % 3 === 0) {
      for (let e = q.take(); e !== null; e = q.take()) {
        q.remove(e)
        delivered++
      }
    }
    assert.ok(q.size <= 50)
  }
  assert.equal(q.inFlight, 0)
  assert.ok(delivered > 0)
  assert.equal(q.entries().length, q.size)
})
