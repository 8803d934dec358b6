/**
 * Resume of the multi-topic stream `GET /v1/events` (issue 12) with
 * Last-Event-ID (header or ?lastEventId=): what every topic's ring still
 * holds after the id is replayed exactly, merged in id order, with no gap;
 * a topic whose ring no longer holds it gets a `gap` of its own before
 * anything else; an id of another sidecar process, or one that is not
 * ours (a per-topic id included), gets a gap for every topic. A reader
 * that stops reading is cut off with `overflow` naming the last id it was
 * given, and resuming from that id loses nothing.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig, stopGateway, type Running } from '../helpers.ts'
import { joined, SseParser, SseStream, startSseGateway, type SseMessage } from './helpers.ts'
import { ANY_TOPIC, assertIncreasingIds, dataOf, delivered, epochOfMulti, openEvents, payloadOf, readersSince, readyEpoch, seenMessage, seqOfMulti, stalledEvents } from './topics-support.ts'

const FOLLOW = ['orders:*', 'room:a']

interface GapPayload { reason: string, lastEventId: string }

async function gateway (t: TestContext, channels = [channelConfig('orders:1'), channelConfig('orders:2'), channelConfig('room:a')]): Promise<Running> {
  const running = await startSseGateway(channels, { phoenix: ANY_TOPIC })
  t.after(async () => { await stopGateway(running) })
  for (const c of channels) await joined(running.daemon, c.topic)
  return running
}

/** `msg` events on `topics` with payload `{ n }`, n from `from` to `to`, interleaved: each n on every topic in turn. */
function publish (running: Running, topics: readonly string[], from: number, to: number): void {
  for (let n = from; n <= to; n++) for (const topic of topics) running.phoenix.broadcast(topic, 'msg', { n })
}

/** Reads `publish(…, 1, 3)` on a stream of its own, then disconnects; returns the last id it saw. */
async function readThenLeave (t: TestContext, running: Running, topics: readonly string[]): Promise<string> {
  const first = await openEvents(t, running.base, FOLLOW)
  await first.event('ready')
  publish(running, topics, 1, 3)
  await seenMessage(first, topics.at(-1)!, 3)
  first.close()
  const last = first.events.at(-1)
  assert.equal(last?.event, 'msg')
  return last.lastEventId
}

/** The gap events at the start of a resumed stream (right after ready), by topic; asserts none comes later. */
function leadingGaps (events: readonly SseMessage[]): Map<string, GapPayload> {
  assert.equal(events[0]?.event, 'ready')
  const lead = events.slice(1).findIndex((e) => e.event !== 'gap')
  const gaps = events.slice(1, lead === -1 ? undefined : lead + 1)
  assert.equal(events.slice(gaps.length + 1).filter((e) => e.event === 'gap').length, 0, 'gaps come before anything else')
  const byTopic = new Map<string, GapPayload>()
  for (const gap of gaps) {
    assert.equal(gap.id, undefined, 'a resume gap has no id')
    const { topic } = dataOf(gap)
    assert.equal(byTopic.has(topic), false, `one gap for ${topic}`)
    byTopic.set(topic, payloadOf(gap) as GapPayload)
  }
  return byTopic
}

for (const via of ['the Last-Event-ID header', 'the lastEventId query parameter'] as const) {
  test(`resuming with ${via} replays exactly what was missed on every topic, merged in id order, with no gap, then live events`, async (t) => {
    const running = await gateway(t)
    const topics = ['orders:1', 'room:a', 'orders:2']
    const watch = await openEvents(t, running.base, FOLLOW)
    await watch.event('ready')
    const lastId = await readThenLeave(t, running, topics)

    publish(running, topics, 4, 8)
    await seenMessage(watch, 'orders:2', 8)
    const back = await openEvents(t, running.base, FOLLOW, via === 'the Last-Event-ID header' ? { lastEventId: lastId } : { query: { lastEventId: lastId } })
    await seenMessage(back, 'orders:2', 8)
    publish(running, topics, 9, 9)
    await seenMessage(back, 'orders:2', 9)

    assert.deepEqual(back.events.map((e) => e.event), ['ready', ...Array<string>(18).fill('msg')], 'no gap, nothing else')
    const expected = [4, 5, 6, 7, 8, 9].flatMap((n) => topics.map((topic) => `${topic}/${n}`))
    assert.deepEqual(delivered(back.events).map(({ topic, n }) => `${topic}/${n}`), expected, 'in the order they were published')
    const seqs = assertIncreasingIds(back.events, 'the resumed stream')
    assert.ok(seqs[0]! > seqOfMulti(lastId), 'nothing at or before the id it gave')
    const watched = new Map(delivered(watch.events).map((d) => [`${d.topic}/${d.n}`, d.id]))
    assert.deepEqual(delivered(back.events).map((d) => d.id), delivered(back.events).map((d) => watched.get(`${d.topic}/${d.n}`)), 'the same ids a live reader saw')
  })
}

test('a topic whose ring no longer holds what came after the id gets a gap of its own first; the others are replayed exactly', async (t) => {
  const running = await gateway(t, [channelConfig('orders:1', { replay: 3 }), channelConfig('room:a', { replay: 100 })])
  const watch = await openEvents(t, running.base, FOLLOW)
  await watch.event('ready')
  const lastId = await readThenLeave(t, running, ['orders:1', 'room:a'])

  // orders:1 gets 10 more (its ring keeps 3), room:a 2 more.
  for (let n = 4; n <= 13; n++) {
    running.phoenix.broadcast('orders:1', 'msg', { n })
    if (n <= 5) running.phoenix.broadcast('room:a', 'msg', { n })
  }
  await seenMessage(watch, 'orders:1', 13)
  const back = await openEvents(t, running.base, FOLLOW, { lastEventId: lastId })
  await seenMessage(back, 'orders:1', 13)
  running.phoenix.broadcast('room:a', 'msg', { n: 6 })
  await seenMessage(back, 'room:a', 6)

  const gaps = leadingGaps(back.events)
  assert.deepEqual([...gaps.keys()], ['orders:1'], 'a gap for the topic whose ring moved on, none for the other')
  assert.equal(gaps.get('orders:1')?.reason, 'replay_exhausted')
  assert.equal(gaps.get('orders:1')?.lastEventId, lastId)
  assert.deepEqual(back.events.slice(2).map((e) => e.event), Array<string>(6).fill('msg'))
  assert.deepEqual(delivered(back.events).map(({ topic, n }) => `${topic}/${n}`), ['room:a/4', 'room:a/5', 'orders:1/11', 'orders:1/12', 'orders:1/13', 'room:a/6'], 'what the rings hold, in id order, then live')
  assertIncreasingIds(back.events, 'the resumed stream')
})

test('an id from another sidecar process gets a `gap` sidecar_restarted for every topic, then what the rings hold', async (t) => {
  const channels = [channelConfig('orders:1'), channelConfig('room:a')]
  const first = await startSseGateway(channels, { phoenix: ANY_TOPIC })
  let firstClosed = false
  t.after(async () => { if (!firstClosed) await first.daemon.close(); await first.phoenix.close() })
  for (const c of channels) await joined(first.daemon, c.topic)
  const lastId = await readThenLeave(t, first, ['orders:1', 'room:a'])
  await first.daemon.close()
  firstClosed = true

  const second = await startSseGateway(channels, { phoenix: first.phoenix })
  t.after(async () => { await second.daemon.close() })
  for (const c of channels) await joined(second.daemon, c.topic)
  const watch = await openEvents(t, second.base, FOLLOW)
  assert.notEqual(readyEpoch(await watch.event('ready')), epochOfMulti(lastId), 'a new epoch')
  publish(second, ['orders:1', 'room:a'], 101, 102)
  await seenMessage(watch, 'room:a', 102)

  const back = await openEvents(t, second.base, FOLLOW, { lastEventId: lastId })
  await seenMessage(back, 'room:a', 102)
  publish(second, ['orders:1', 'room:a'], 103, 103)
  await seenMessage(back, 'room:a', 103)
  const gaps = leadingGaps(back.events)
  assert.deepEqual([...gaps.keys()].sort(), ['orders:1', 'room:a'])
  for (const gap of gaps.values()) assert.deepEqual(gap, { reason: 'sidecar_restarted', lastEventId: lastId })
  assert.deepEqual(delivered(back.events).map(({ topic, n }) => `${topic}/${n}`), ['orders:1/101', 'room:a/101', 'orders:1/102', 'room:a/102', 'orders:1/103', 'room:a/103'])
  assertIncreasingIds(back.events, 'the resumed stream')
})

test('an id that is not ours — garbage, from the future, or a per-topic id — gets a `gap` unknown_id for every topic, then what the rings hold', async (t) => {
  const running = await gateway(t, [channelConfig('orders:1'), channelConfig('room:a')])
  const perTopic = await SseStream.open(running.base, 'orders:1')
  t.after(() => { perTopic.close() })
  const watch = await openEvents(t, running.base, FOLLOW)
  await perTopic.event('ready')
  const epoch = readyEpoch(await watch.event('ready'))
  publish(running, ['orders:1', 'room:a'], 1, 1)
  await seenMessage(watch, 'room:a', 1)
  const perTopicId = (await perTopic.event('msg')).id
  assert.ok(perTopicId !== undefined)
  const newest = seqOfMulti(watch.events.at(-1)?.id)

  for (const bad of ['garbage', `${epoch}.${newest + 1000}`, `${epoch}.1e1`, perTopicId]) {
    const back = await openEvents(t, running.base, FOLLOW, { lastEventId: bad })
    await seenMessage(back, 'room:a', 1)
    const gaps = leadingGaps(back.events)
    assert.deepEqual([...gaps.keys()].sort(), ['orders:1', 'room:a'], bad)
    for (const gap of gaps.values()) assert.deepEqual(gap, { reason: 'unknown_id', lastEventId: bad }, bad)
    assert.deepEqual(delivered(back.events).map(({ topic, n }) => `${topic}/${n}`), ['orders:1/1', 'room:a/1'], `${bad}: then the rings`)
    back.close()
  }
})

test('a reader that stops reading is cut off with `overflow` naming the last id it was given; resuming from it loses nothing', async (t) => {
  const topics = ['big:1', 'big:2']
  const running = await startSseGateway(topics.map((topic) => channelConfig(topic, { replay: 2000 })), {
    phoenix: ANY_TOPIC,
    sse: { stallTimeoutMs: 500, keepAliveMs: 50, topicBufferBytes: 256 * 1024 * 1024, lingerMs: 30_000 },
  })
  t.after(async () => { await stopGateway(running) })
  for (const topic of topics) await joined(running.daemon, topic)
  const watch = await openEvents(t, running.base, ['big:*'])
  await watch.event('ready')
  const before = new Set(running.daemon.broker.readers)
  const stalled = await stalledEvents(t, running.base, ['big:*'])
  const end = readersSince(running.daemon, before)

  // Publish until the stalled reader's socket is full (it waits to write), then nothing more: only the stall timeout can cut it off.
  const pad = 'x'.repeat(10 * 1024)
  let last = 0
  while (!end.readers.some((r) => r.waiting) && last < 1500) {
    for (let n = last + 1; n <= last + 50; n++) for (const topic of topics) running.phoenix.broadcast(topic, 'msg', { n, pad })
    last += 50
    await seenMessage(watch, 'big:2', last, 10_000)
  }
  assert.ok(end.readers.some((r) => r.waiting), `the stalled reader's socket filled (after ${last} messages a topic)`)
  assert.equal(await end.ended(10_000), 'overflow')
  stalled.resume()
  await stalled.completeWithin(10_000)

  const parser = new SseParser()
  parser.feed(stalled.response().body)
  const final = parser.events.at(-1)
  assert.equal(final?.event, 'overflow', `the last event is overflow (got ${parser.events.slice(-2).map((e) => e.event).join(',')})`)
  const overflow = JSON.parse(final.data) as { lastEventId: string, reason: string, cause: string }
  assert.deepEqual({ reason: overflow.reason, cause: overflow.cause }, { reason: 'slow_reader', cause: 'stalled' })
  assert.equal(overflow.lastEventId, final.lastEventId, 'overflow names the id of the last event it was given')
  const got = delivered(parser.events)
  assert.ok(got.length > 0 && got.length < 2 * last, `the stalled reader got ${got.length} of ${2 * last} messages`)

  const back = await openEvents(t, running.base, ['big:*'], { lastEventId: overflow.lastEventId })
  for (const topic of topics) await seenMessage(back, topic, last, 20_000)
  assert.deepEqual(back.named('gap'), [], 'the rings held everything: no gap')
  for (const topic of topics) {
    const all = [...delivered(parser.events, topic), ...delivered(back.events, topic)].map((d) => d.n)
    assert.deepEqual(all, Array.from({ length: last }, (_, i) => i + 1), `${topic}: every message once, in order, over the cut`)
  }
  const watched = new Map(delivered(watch.events).map((d) => [`${d.topic}/${d.n}`, d.id]))
  assert.ok(delivered(back.events).every((d) => watched.get(`${d.topic}/${d.n}`) === d.id), 'the same ids the live reader saw')
})
