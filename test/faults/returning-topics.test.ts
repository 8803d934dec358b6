/**
 * Guarantee: an event id never means two different messages within one
 * sidecar's life. A topic dropped and held again (a dynamic topic left
 * after its linger or by DELETE, a configured channel removed and re-added
 * by reloads) goes on numbering above every id given out before, and a
 * reader resuming with an id of the topic's earlier life gets a `gap`
 * (`topic_restarted`) before what the ring holds: nothing is skipped
 * silently.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { dynamicEntry, del, put } from '../gateway/dynamic/support.ts'
import { startGw } from '../gateway/http/support.ts'
import { startReloadable, upstream } from '../gateway/reload/support.ts'
import { broadcastNumbered, joined, numbers, range, seqOf, SseStream, type SseMessage } from '../gateway/sse/helpers.ts'
import type { FakePhoenix } from '../../src/testing/index.ts'

async function reader (t: TestContext, base: string, topic: string, lastEventId?: string): Promise<SseStream> {
  const stream = await SseStream.open(base, topic, lastEventId === undefined ? {} : { lastEventId })
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  return stream
}

function idOf (event: SseMessage | undefined): string {
  assert.ok(event?.id !== undefined, 'an event with an id')
  return event.id
}

/** What a resumed stream must show: a topic_restarted gap first, then the whole ring, in order. */
async function assertRestartedResume (stream: SseStream, lastEventId: string, messages: number[]): Promise<void> {
  await stream.until(`${messages.length} messages`, (s) => numbers(s.events).length === messages.length)
  const [ready, gap] = stream.events
  assert.equal(ready?.event, 'ready')
  assert.equal(gap?.event, 'gap', 'a gap before anything else')
  assert.deepEqual(JSON.parse(gap.data), { reason: 'topic_restarted', lastEventId })
  assert.deepEqual(numbers(stream.events), messages)
}

describe('a dynamic topic held again', () => {
  test('after its linger: the old id resumes with a topic_restarted gap, and no id of the earlier life is given out again', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { lingerMs: 0, replay: 100 })] } })
    const first = await reader(t, gw.base, 'room:1')
    await first.event('joined')
    broadcastNumbered(gw.phoenix, 'room:1', 'msg', 100)
    await first.until('100 messages', (s) => numbers(s.events).length === 100)
    const oldIds = first.events.filter((e) => e.id !== undefined).map(idOf)
    const lastId = oldIds.at(-1) ?? ''

    const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'room:1')
    first.close()
    await left

    // Held again by a new reader; 150 messages, more than the ring holds.
    const second = await reader(t, gw.base, 'room:1')
    await second.event('joined')
    broadcastNumbered(gw.phoenix, 'room:1', 'msg', 150, 101)
    await second.until('150 messages', (s) => numbers(s.events).length === 150)
    const newIds = second.events.filter((e) => e.id !== undefined).map(idOf)
    assert.deepEqual(newIds.filter((id) => oldIds.includes(id)), [], 'no id given out twice')
    const newSeqs = newIds.map(seqOf)
    assert.ok((newSeqs[0] ?? 0) > seqOf(lastId), 'the new life numbers above the old one')
    assert.deepEqual(newSeqs, range(newSeqs[0] ?? 0, newSeqs.length), 'consecutive within the life')

    // The old reader comes back with its last id: told of the restart, then everything the ring holds.
    const back = await reader(t, gw.base, 'room:1', lastId)
    await assertRestartedResume(back, lastId, range(151, 100))
    assert.deepEqual(back.events.slice(2).map((e) => e.id), second.events.slice(-100).map((e) => e.id))
  })

  test('after a DELETE: the id in channel_closed resumes with a topic_restarted gap', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { replay: 50 })] } })
    assert.equal((await put(gw, 'room:2')).status, 201)
    const first = await reader(t, gw.base, 'room:2')
    await first.event('ready')
    broadcastNumbered(gw.phoenix, 'room:2', 'msg', 20)
    await first.until('20 messages', (s) => numbers(s.events).length === 20)
    assert.equal((await del(gw, 'room:2')).status, 204)
    await first.endedWithin()
    const closed = first.events.at(-1)
    assert.equal(closed?.event, 'channel_closed')
    const lastId = (JSON.parse(closed.data) as { lastEventId: string }).lastEventId
    assert.equal(lastId, first.events.at(-2)?.id)

    assert.equal((await put(gw, 'room:2')).status, 201)
    await joined(gw.daemon, 'room:2')
    broadcastNumbered(gw.phoenix, 'room:2', 'msg', 30, 21)
    const back = await reader(t, gw.base, 'room:2', lastId)
    await assertRestartedResume(back, lastId, range(21, 30))
    assert.ok(back.events.slice(2).every((e) => e.id === undefined || seqOf(e.id) > seqOf(lastId)))
  })

  test('an id of the new life still resumes exactly, with no gap', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { replay: 50 })] } })
    assert.equal((await put(gw, 'room:3')).status, 201)
    broadcastNumbered(gw.phoenix, 'room:3', 'msg', 5)
    assert.equal((await del(gw, 'room:3')).status, 204)
    assert.equal((await put(gw, 'room:3')).status, 201)
    const live = await reader(t, gw.base, 'room:3')
    await live.event('ready')
    broadcastNumbered(gw.phoenix, 'room:3', 'msg', 10, 6)
    await live.until('10 messages', (s) => numbers(s.events).length === 10)
    const mid = idOf(live.events.find((e) => e.event === 'msg' && (JSON.parse(e.data) as { n: number }).n === 10))
    const back = await reader(t, gw.base, 'room:3', mid)
    await back.until('5 messages', (s) => numbers(s.events).length === 5)
    assert.deepEqual(back.events.map((e) => e.event), ['ready', 'msg', 'msg', 'msg', 'msg', 'msg'])
    assert.deepEqual(numbers(back.events), range(11, 5))
  })
})

const withChannel = (phoenix: FakePhoenix): object => ({
  upstreams: [upstream(phoenix.endpoint)],
  channels: [{ topic: 'room:keep' }, { topic: 'room:back', replay: 2000 }],
})
const withoutChannel = (phoenix: FakePhoenix): object => ({
  upstreams: [upstream(phoenix.endpoint)],
  channels: [{ topic: 'room:keep' }],
})

test('a configured channel removed and re-added by reloads: each of 5 readers resumes with a topic_restarted gap', async (t) => {
  const r = await startReloadable(t, withChannel)
  await joined(r.daemon, 'room:back')
  const readers = await Promise.all(range(1, 5).map(async () => reader(t, r.base, 'room:back')))
  await Promise.all(readers.map(async (s) => s.event('ready')))
  broadcastNumbered(r.phoenix, 'room:back', 'msg', 1000)
  // Another topic goes on meanwhile: its ids must not matter to room:back's readers.
  broadcastNumbered(r.phoenix, 'room:keep', 'msg', 300)
  for (const s of readers) await s.until('1000 messages', (x) => numbers(x.events).length === 1000)

  await r.write(withoutChannel(r.phoenix))
  await r.daemon.reload()
  for (const s of readers) await s.endedWithin()
  const lastIds = readers.map((s) => (JSON.parse(s.events.at(-1)?.data ?? '{}') as { lastEventId: string }).lastEventId)
  assert.equal(new Set(lastIds).size, 1)

  await r.write(withChannel(r.phoenix))
  await r.daemon.reload()
  await joined(r.daemon, 'room:back')
  broadcastNumbered(r.phoenix, 'room:back', 'msg', 1260, 1001)
  const lastId = lastIds[0] ?? ''
  const back = await Promise.all(range(1, 5).map(async () => reader(t, r.base, 'room:back', lastId)))
  for (const s of back) await assertRestartedResume(s, lastId, range(1001, 1260))
})
