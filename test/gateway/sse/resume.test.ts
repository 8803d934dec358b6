/**
 * Resume with Last-Event-ID (header or ?lastEventId=): a reader that comes
 * back gets exactly what it missed, in order, then live events; when the
 * ring cannot cover the gap, or the id is from another sidecar process or
 * not ours at all, a `gap` event says so before what the ring holds.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig, stopGateway, type Running } from '../helpers.ts'
import { broadcastNumbered, joined, numbers, range, seqOf, SseStream, startSseGateway } from './helpers.ts'

const TOPIC = 'room:resume'

/** A reader that stays connected: once it has seen message `n`, so has the gateway's ring. */
async function observer (t: { after: (fn: () => void) => void }, running: Running): Promise<SseStream> {
  const stream = await SseStream.open(running.base, TOPIC)
  t.after(() => { stream.close() })
  await stream.event('ready')
  return stream
}

async function seen (stream: SseStream, n: number): Promise<void> {
  await stream.until(`message ${n}`, (s) => numbers(s.events).includes(n))
}

/** Reads messages 1..3 on a stream of its own, then disconnects; returns the last id it saw. */
async function readThenLeave (running: Running): Promise<string> {
  const first = await SseStream.open(running.base, TOPIC)
  await first.event('ready')
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 3)
  await seen(first, 3)
  first.close()
  const last = first.events.at(-1)
  assert.equal(last?.event, 'msg')
  return last.lastEventId
}

for (const via of ['the Last-Event-ID header', 'the lastEventId query parameter'] as const) {
  test(`a reader resuming with ${via} gets exactly what it missed, in order, then live events`, async (t) => {
    const running = await startSseGateway([channelConfig(TOPIC)])
    t.after(async () => { await stopGateway(running) })
    await joined(running.daemon, TOPIC)
    const watch = await observer(t, running)
    const lastId = await readThenLeave(running)

    broadcastNumbered(running.phoenix, TOPIC, 'msg', 7, 4)
    await seen(watch, 10)
    const options = via === 'the Last-Event-ID header' ? { lastEventId: lastId } : { query: { lastEventId: lastId } }
    const back = await SseStream.open(running.base, TOPIC, options)
    t.after(() => { back.close() })
    await seen(back, 10)
    broadcastNumbered(running.phoenix, TOPIC, 'msg', 2, 11)
    await seen(back, 12)

    assert.deepEqual(back.events.map((e) => e.event), ['ready', ...Array<string>(9).fill('msg')], 'no gap, nothing else')
    assert.deepEqual(numbers(back.events), range(4, 9))
    const ids = back.events.slice(1).map((e) => seqOf(e.id))
    assert.deepEqual(ids, range(seqOf(lastId) + 1, 9), 'consecutive ids right after the one it had')
    const watched = new Map(watch.events.map((e) => [e.data, e.id]))
    assert.deepEqual(back.events.slice(1).map((e) => e.id), back.events.slice(1).map((e) => watched.get(e.data)), 'the same ids a live reader saw')
  })
}

test('the Last-Event-ID header wins over the query parameter', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const watch = await observer(t, running)
  const lastId = await readThenLeave(running)
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 1, 4)
  await seen(watch, 4)

  const back = await SseStream.open(running.base, TOPIC, { lastEventId: lastId, query: { lastEventId: 'not-ours' } })
  t.after(() => { back.close() })
  await seen(back, 4)
  assert.deepEqual(back.events.map((e) => e.event), ['ready', 'msg'])
})

test('a resume older than the ring gets `gap` replay_exhausted with the missed count and time, then what the ring holds', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC, { replay: 5 })])
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const watch = await observer(t, running)
  const lastId = await readThenLeave(running) // joined is seq 1, messages 1..3 are seq 2..4

  broadcastNumbered(running.phoenix, TOPIC, 'msg', 20, 4) // seq 5..24; the ring keeps 20..24
  await seen(watch, 23)
  const before = Date.now()
  const back = await SseStream.open(running.base, TOPIC, { lastEventId: lastId })
  t.after(() => { back.close() })
  await seen(back, 23)
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 1, 24)
  await seen(back, 24)

  assert.deepEqual(back.events.map((e) => e.event), ['ready', 'gap', ...Array<string>(6).fill('msg')])
  const gap = back.events[1]!
  assert.equal(gap.id, undefined, 'a resume gap is for this reader only and has no id of its own')
  const body = JSON.parse(gap.data) as { reason: string, lastEventId: string, missed: number, until: string }
  assert.equal(seqOf(lastId), 4)
  assert.deepEqual({ ...body, until: undefined }, { reason: 'replay_exhausted', lastEventId: lastId, missed: 15, until: undefined })
  const until = Date.parse(body.until)
  assert.ok(until <= before && new Date(until).toISOString() === body.until, `until ${body.until} is the time of the newest dropped event`)
  const watchedAt = watch.events.find((e) => e.id !== undefined && seqOf(e.id) === 19)
  assert.ok(watchedAt !== undefined, 'seq 19 (the newest dropped) was seen live')
  assert.deepEqual(numbers(back.events), range(19, 6), 'the five messages still in the ring, then the live one')
  assert.deepEqual(back.events.slice(2).map((e) => seqOf(e.id)), range(20, 6))
})

test('a resume with an id from another sidecar process gets `gap` sidecar_restarted, then the ring', async (t) => {
  const first = await startSseGateway([channelConfig(TOPIC)])
  let firstClosed = false
  t.after(async () => { if (!firstClosed) await first.daemon.close(); await first.phoenix.close() })
  await joined(first.daemon, TOPIC)
  const lastId = await readThenLeave(first)
  await first.daemon.close()
  firstClosed = true

  // A new daemon (a restarted sidecar) on the same fake server.
  const second = await startSseGateway([channelConfig(TOPIC)], { phoenix: first.phoenix })
  t.after(async () => { await second.daemon.close() })
  assert.notEqual(second.daemon.broker.hub.epoch, first.daemon.broker.hub.epoch)
  await joined(second.daemon, TOPIC)
  const watch = await observer(t, second)
  broadcastNumbered(second.phoenix, TOPIC, 'msg', 2, 101)
  await seen(watch, 102)

  const back = await SseStream.open(second.base, TOPIC, { lastEventId: lastId })
  t.after(() => { back.close() })
  await seen(back, 102)
  broadcastNumbered(second.phoenix, TOPIC, 'msg', 1, 103)
  await seen(back, 103)

  const epoch = second.daemon.broker.hub.epoch
  assert.deepEqual(back.events.map((e) => [e.event, e.id]), [
    ['ready', undefined], ['gap', undefined], ['joined', `${epoch}-1`], ['msg', `${epoch}-2`], ['msg', `${epoch}-3`], ['msg', `${epoch}-4`],
  ])
  assert.deepEqual(JSON.parse(back.events[1]!.data), { reason: 'sidecar_restarted', lastEventId: lastId })
  assert.deepEqual(numbers(back.events), [101, 102, 103])
})

test('a resume with an id that is not ours gets `gap` unknown_id, then the ring', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const watch = await observer(t, running)
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 1)
  await seen(watch, 1)
  const epoch = running.daemon.broker.hub.epoch

  for (const bad of ['garbage', `${epoch}-99`, `${epoch}-1e1`]) {
    const back = await SseStream.open(running.base, TOPIC, { lastEventId: bad })
    t.after(() => { back.close() })
    await seen(back, 1)
    assert.deepEqual(back.events.map((e) => e.event), ['ready', 'gap', 'joined', 'msg'], bad)
    assert.deepEqual(JSON.parse(back.events[1]!.data), { reason: 'unknown_id', lastEventId: bad })
  }
})

test('a replay larger than the socket takes is pulled as the reader reads: it gets all of it and is not cut off', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC, { replay: 500 })], { sse: { topicBufferBytes: 16 * 1024 * 1024 } })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const watch = await observer(t, running)
  const big = 'x'.repeat(20_000)
  for (let n = 1; n <= 500; n++) running.phoenix.broadcast(TOPIC, 'msg', { n, big })
  await watch.until('500 messages', (s) => s.named('msg').length === 500, 10_000)
  const streams = running.daemon.broker.readers
  assert.equal(streams.size, 1)

  // 10 MB of replay, more than loopback TCP buffers take at once: the gateway writes it as the socket drains.
  const epoch = running.daemon.broker.hub.epoch
  const back = await SseStream.open(running.base, TOPIC, { lastEventId: `${epoch}-1` })
  t.after(() => { back.close() })
  // Event 1 is `joined`: the replay is every message.
  await back.until('the replay of the 500 messages', (s) => s.named('msg').length === 500, 10_000)
  assert.deepEqual(numbers(back.events), range(1, 500))
  assert.deepEqual(back.events.map((e) => e.event).filter((e) => e !== 'msg'), ['ready'], 'no gap, no overflow')
  assert.equal(streams.size, 2, 'both readers are still open')
})
