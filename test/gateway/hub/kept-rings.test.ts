/**
 * The hub on a durable store (a real SQLite file): a hub started on the
 * store another one stopped with continues its epoch, numbers and rings —
 * a resume from an id inside the kept window gets exactly the events after
 * it, then the join's gap for the downtime — and a topic held again still
 * starts above every seq given out, across the restart too.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { formatEventId, formatStreamEventId } from '../../../src/gateway/hub/event-id.ts'
import { Hub } from '../../../src/gateway/hub/hub.ts'
import type { ChannelConfig } from '../../../src/gateway/config/types.ts'
import { SqliteStore } from '../../../src/gateway/store/sqlite-store.ts'
import { tempDir } from '../../helpers/temp-dir.ts'
import { channelConfig } from '../helpers.ts'
import { MemoryReader } from './memory-reader.ts'

interface Life { hub: Hub, store: SqliteStore, clock: { now: number } }

let epochs = 0
function start (t: TestContext, dir: string, channels: ChannelConfig[], now: number): Life {
  const store = new SqliteStore({ dir, maxBytes: 16 * 1024 * 1024, sync: 'normal', newEpoch: () => `ep${++epochs}`, lockWaitMs: 0 })
  t.after(() => { store.close() })
  const clock = { now }
  const hub = new Hub(channels, { epoch: store.epoch, now: () => clock.now, store })
  return { hub, store, clock }
}

function sub (hub: Hub, topic: string): NonNullable<ReturnType<Hub['get']>> {
  return hub.get('main', topic) ?? assert.fail(`no subscription of ${topic}`)
}

const seqs = (reader: MemoryReader): Array<number | null> => reader.got.map((e) => e.seq)
/** The data of the first event a reader got (its gap, in these tests). */
const firstData = (reader: MemoryReader): { reason?: string, missed?: number } => JSON.parse(reader.got[0]?.data ?? '{}') as { reason?: string, missed?: number }

test('a restarted hub resumes a reader inside the kept window with exactly the events after its id, then the gap for the downtime', async (t) => {
  const dir = await tempDir(t, 'bc-hub-store-')
  const channels = [channelConfig('room:a'), channelConfig('room:b')]
  const first = start(t, dir, channels, 1000)
  first.hub.onJoined('main', 'room:a')
  first.hub.onJoined('main', 'room:b')
  for (let n = 1; n <= 5; n++) first.hub.onMessage('main', 'room:a', 'msg', { n })
  first.hub.onMessage('main', 'room:b', 'msg', { n: 1 })
  const a = sub(first.hub, 'room:a')
  const lastSeq = a.seq
  const lastOrder = a.ring.since(0).at(-1)?.order ?? assert.fail('no entry')
  first.clock.now = 2000
  first.hub.onMessage('main', 'room:a', 'msg', { n: 6 })
  first.store.close()

  const second = start(t, dir, channels, 9000)
  assert.equal(second.hub.epoch, first.hub.epoch, 'the epoch is kept with the rings')
  const again = sub(second.hub, 'room:a')
  assert.equal(again.seq, lastSeq + 1)
  assert.equal(again.base, a.base)
  const reader = new MemoryReader()
  second.hub.attach(again, reader, formatEventId(second.hub.epoch, lastSeq - 2))
  assert.deepEqual(seqs(reader), [lastSeq - 1, lastSeq, lastSeq + 1], 'no gap, no duplicate')
  assert.deepEqual(reader.got.map((e) => JSON.parse(e.data) as unknown).slice(-1), [{ n: 6 }])

  second.hub.onJoined('main', 'room:a')
  second.hub.onMessage('main', 'room:a', 'msg', { n: 7 })
  const live = reader.got.slice(3)
  assert.deepEqual(live.map((e) => e.event), ['gap', 'rejoined', 'msg'])
  assert.deepEqual(JSON.parse(live[0]?.data ?? '{}'), { reason: 'upstream_disconnected', from: new Date(2000).toISOString(), to: new Date(9000).toISOString() })
  assert.deepEqual(live.map((e) => e.seq), [lastSeq + 2, lastSeq + 3, lastSeq + 4], 'numbers continue')

  // A stream over several topics resumes by order across the restart: room:b's event came after `lastOrder`.
  const multi = new MemoryReader()
  second.hub.attachInOrder(sub(second.hub, 'room:b'), multi, formatStreamEventId(second.hub.epoch, lastOrder))
  assert.deepEqual(multi.got.map((e) => e.data), ['{"n":1}'])
})

test('what the ring had dropped before the stop is a replay_exhausted gap after it, for one topic and for several', async (t) => {
  const dir = await tempDir(t, 'bc-hub-store-')
  const channels = [channelConfig('room:a', { replay: 3 })]
  const first = start(t, dir, channels, 1000)
  for (let n = 1; n <= 10; n++) first.hub.onMessage('main', 'room:a', 'msg', { n })
  const orders = sub(first.hub, 'room:a').ring.since(0).map((e) => e.order)
  first.store.close()
  const peek = new SqliteStore({ dir, maxBytes: 16 * 1024 * 1024, sync: 'normal', newEpoch: () => 'x', lockWaitMs: 0 })
  const kept = peek.rings.load('main\u0000room:a')?.entries.map((e) => e.seq)
  peek.close()
  assert.deepEqual(kept, [8, 9, 10], 'the store holds what the ring holds')

  const second = start(t, dir, channels, 5000)
  const a = sub(second.hub, 'room:a')
  const inside = new MemoryReader()
  second.hub.attach(a, inside, formatEventId(second.hub.epoch, 7))
  assert.deepEqual(seqs(inside), [8, 9, 10])
  const outside = new MemoryReader()
  second.hub.attach(a, outside, formatEventId(second.hub.epoch, 5))
  assert.deepEqual(outside.got.map((e) => e.event), ['gap', 'msg', 'msg', 'msg'])
  assert.equal(firstData(outside).reason, 'replay_exhausted')
  assert.equal(firstData(outside).missed, 2)

  const multiInside = new MemoryReader()
  second.hub.attachInOrder(a, multiInside, formatStreamEventId(second.hub.epoch, orders[0] ?? 0))
  assert.deepEqual(seqs(multiInside), [9, 10])
  const multiOutside = new MemoryReader()
  second.hub.attachInOrder(a, multiOutside, formatStreamEventId(second.hub.epoch, 4))
  assert.equal(multiOutside.got[0]?.event, 'gap')
  assert.equal(firstData(multiOutside).reason, 'replay_exhausted')
  assert.deepEqual(seqs(multiOutside).slice(1), [8, 9, 10])
})

test('a topic held again numbers above every seq given out, across a restart too, and an id of its earlier life says topic_restarted', async (t) => {
  const dir = await tempDir(t, 'bc-hub-store-')
  const first = start(t, dir, [channelConfig('room:a'), channelConfig('room:b')], 1000)
  for (let n = 1; n <= 9; n++) first.hub.onMessage('main', 'room:a', 'msg', { n })
  first.hub.onMessage('main', 'room:b', 'msg', { n: 1 })
  const bOrder = first.hub.get('main', 'room:b')?.ring.since(0)[0]?.order ?? assert.fail('no entry')
  first.hub.remove(sub(first.hub, 'room:b'), 'removed_from_config')
  first.store.close()

  const second = start(t, dir, [channelConfig('room:a'), channelConfig('room:b')], 2000)
  const b = sub(second.hub, 'room:b')
  assert.equal(b.base, 9, 'a topic that had ended begins a new life above every seq given out')
  assert.equal(b.events, 0)
  const reader = new MemoryReader()
  second.hub.attach(b, reader, formatEventId(second.hub.epoch, 1))
  assert.equal(firstData(reader).reason, 'topic_restarted')
  const multi = new MemoryReader()
  // An id from before room:b's last event, so before its end.
  second.hub.attachInOrder(b, multi, formatStreamEventId(second.hub.epoch, bOrder - 1))
  assert.equal(firstData(multi).reason, 'topic_restarted')

  // Held again within this process: a new life, never the kept one.
  second.hub.remove(sub(second.hub, 'room:a'), 'removed_from_config')
  const a = second.hub.add(channelConfig('room:a'))
  assert.equal(a.base, 9)
  assert.equal(a.events, 0)
  second.hub.onMessage('main', 'room:a', 'msg', { n: 1 })
  assert.equal(a.seq, 10)
})

test('the store forgets a topic no longer held after the retention: an ended one from its end, one not held again from the start', async (t) => {
  const dir = await tempDir(t, 'bc-hub-store-')
  const HOUR = 60 * 60 * 1000
  const first = start(t, dir, [channelConfig('room:a'), channelConfig('room:b'), channelConfig('room:c')], 1000)
  for (const topic of ['room:a', 'room:b', 'room:c']) first.hub.onMessage('main', topic, 'msg', { topic })
  const bOrder = sub(first.hub, 'room:b').ring.since(0)[0]?.order ?? assert.fail('no entry')
  first.clock.now = 2000
  first.hub.remove(sub(first.hub, 'room:b'), 'removed_from_config')
  assert.deepEqual(first.store.rings.load('main\u0000room:b'), { topic: { base: 0, baseOrder: 0, seq: 1, endedAtOrder: 3, endedAt: 2000 }, entries: [] },
    'its end keeps its life and forgets its entries at once')
  first.store.close()

  // Restarted without room:c in the config: it was held at the stop, and is not held since.
  const second = start(t, dir, [channelConfig('room:a')], 10 * HOUR)
  const kept = (): string[] => [...second.store.rings.topics().keys()].map((k) => k.split('\u0000')[1] ?? '').sort()
  assert.deepEqual(second.hub.forgetUnheldTopics(), [])
  second.clock.now = 2000 + 24 * HOUR - 1
  assert.deepEqual(second.hub.forgetUnheldTopics(), [], 'room:b ended a millisecond short of a day ago')
  second.clock.now = 2000 + 24 * HOUR
  assert.deepEqual(second.hub.forgetUnheldTopics(), ['main\u0000room:b'])
  assert.deepEqual(kept(), ['room:a', 'room:c'])
  second.clock.now = 34 * HOUR
  assert.deepEqual(second.hub.forgetUnheldTopics(), ['main\u0000room:c'], 'not held for a day since this start')
  assert.deepEqual(kept(), ['room:a'], 'a topic held is never forgotten')
  second.store.close()

  // After another restart room:b is held again: a new life above every seq given out, and a stream over several
  // topics resuming from before its end is told it may have missed events of it.
  const third = start(t, dir, [channelConfig('room:a'), channelConfig('room:b')], 40 * HOUR)
  const b = sub(third.hub, 'room:b')
  assert.equal(b.base, 1, 'above every seq given out (each topic gave out 1)')
  const multi = new MemoryReader()
  third.hub.attachInOrder(b, multi, formatStreamEventId(third.hub.epoch, bOrder - 1))
  assert.equal(firstData(multi).reason, 'topic_restarted')
  // One that comes after every forgotten end resumes without a gap.
  const after = new MemoryReader()
  third.hub.onMessage('main', 'room:b', 'msg', { n: 1 })
  third.hub.attachInOrder(b, after, formatStreamEventId(third.hub.epoch, b.baseOrder))
  assert.deepEqual(after.got.map((e) => e.event), ['msg'])
})
