/**
 * Reload, in-process with the start-up loader: channels added, removed
 * and changed while an SSE reader on an untouched topic stays connected
 * and misses nothing; a removed channel's readers get a final event; a
 * changed one is rejoined with its new params and keeps its readers; file
 * settings apply at once, those that need a restart are reported.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FakePhoenix } from '../../../src/testing/index.ts'
import { joined as joinedIn, numbers, range, seqOf, SseStream } from '../sse/helpers.ts'
import { startReloadable, upstream } from './support.ts'

const before = (phoenix: FakePhoenix): object => ({
  upstreams: [upstream(phoenix.endpoint)],
  channels: [
    { topic: 'room:keep', required: true },
    { topic: 'room:gone' },
    { topic: 'room:change', params: { v: 1 }, replay: 10 },
  ],
})

const after = (phoenix: FakePhoenix): object => ({
  upstreams: [upstream(phoenix.endpoint)],
  channels: [
    { topic: 'room:keep', required: true },
    { topic: 'room:change', params: { v: 2 }, replay: 5 },
    { topic: 'room:new' },
  ],
})

async function reader (t: TestContext, base: string, topic: string): Promise<SseStream> {
  const stream = await SseStream.open(base, topic)
  t.after(() => { stream.close() })
  await stream.event('ready')
  return stream
}

test('add, remove and change channels: the reader of an untouched topic stays connected and misses nothing', async (t) => {
  const r = await startReloadable(t, before)
  for (const topic of ['room:keep', 'room:gone', 'room:change']) await joinedIn(r.daemon, topic)
  const keep = await reader(t, r.base, 'room:keep')
  const gone = await reader(t, r.base, 'room:gone')
  const change = await reader(t, r.base, 'room:change')
  const keepSocket = keep.socket
  for (const n of [1, 2, 3]) r.phoenix.broadcast('room:keep', 'msg', { n })
  await keep.until('three messages', (s) => numbers(s.events).length === 3)

  const goneLeft = r.phoenix.waitFor('leave', (l) => l.topic === 'room:gone')
  const newJoined = r.phoenix.waitFor('join', (j) => j.topic === 'room:new' && j.status === 'ok')
  const changeJoin = r.phoenix.waitFor('frame', (f) => f.message.event === 'phx_join' && f.message.topic === 'room:change')
  await r.write(after(r.phoenix))
  const reloading = r.daemon.reload()
  for (const n of [4, 5]) r.phoenix.broadcast('room:keep', 'msg', { n })
  const diff = await reloading
  for (const n of [6, 7]) r.phoenix.broadcast('room:keep', 'msg', { n })

  assert.deepEqual(diff.channels.added.map((c) => c.topic), ['room:new'])
  assert.deepEqual(diff.channels.removed.map((c) => c.topic), ['room:gone'])
  assert.deepEqual(diff.channels.changed.map((c) => [c.after.topic, c.fields]), [['room:change', ['params', 'replay']]])

  // The untouched topic: every message, in order, consecutive ids, nothing else, the same connection.
  await keep.until('seven messages', (s) => numbers(s.events).length === 7)
  assert.deepEqual(numbers(keep.events), range(1, 7))
  assert.deepEqual(keep.events.map((e) => e.event), ['ready', ...Array<string>(7).fill('msg')])
  const seqs = keep.events.slice(1).map((e) => seqOf(e.id))
  assert.deepEqual(seqs, range(seqs[0] ?? 0, 7))
  assert.equal(keep.ended, false)
  assert.equal(keep.socket, keepSocket)

  // The removed channel: left, its reader ended with a final event.
  await goneLeft
  await gone.endedWithin()
  const final = gone.events.at(-1)
  assert.equal(final?.event, 'channel_closed')
  assert.deepEqual(JSON.parse(final.data), { lastEventId: null, topic: 'room:gone', reason: 'removed_from_config' })

  // The changed channel: rejoined with its new params, its reader kept and told of the outage.
  assert.deepEqual((await changeJoin).message.payload, { v: 2 })
  await change.event('rejoined')
  assert.deepEqual(change.events.map((e) => e.event), ['ready', 'errored', 'gap', 'rejoined'])
  assert.deepEqual(JSON.parse(change.events[1]?.data ?? ''), { topic: 'room:change', reason: 'reconfigured' })
  r.phoenix.broadcast('room:change', 'msg', { n: 1 })
  await change.event('msg')
  const sub = r.daemon.broker.hub.get('main', 'room:change')
  assert.equal(sub?.ring.capacity, 5)
  assert.deepEqual(sub.config.params, { v: 2 })

  // The new channel: joined.
  await newJoined
  const res = await fetch(`${r.base}/v1/channels`)
  const topics = ((await res.json()) as { channels: Array<{ topic: string }> }).channels.map((c) => c.topic).sort()
  assert.deepEqual(topics, ['room:change', 'room:keep', 'room:new'])

  // One log line with what changed.
  const line = await r.logged('config reloaded')
  assert.deepEqual({ added: line['added'], removed: line['removed'], changed: line['changed'], trigger: line['trigger'] }, {
    added: ['channel main/room:new'],
    removed: ['channel main/room:gone'],
    changed: ['channel main/room:change (params, replay)'],
    trigger: 'call',
  })
})

test('a smaller replay keeps the newest events: a resume from before them gets a gap, from within them the rest', async (t) => {
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:r', replay: 10 }] }))
  await joinedIn(r.daemon, 'room:r')
  const live = await reader(t, r.base, 'room:r')
  for (let n = 1; n <= 8; n++) r.phoenix.broadcast('room:r', 'msg', { n })
  await live.until('eight', (s) => numbers(s.events).length === 8)
  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:r', replay: 3 }] })
  await r.daemon.reload()
  const ids = live.events.filter((e) => e.event === 'msg').map((e) => e.id ?? '')
  const within = await SseStream.open(r.base, 'room:r', { lastEventId: ids[5] ?? '' })
  t.after(() => { within.close() })
  await within.until('the rest', (s) => numbers(s.events).length === 2)
  assert.deepEqual(numbers(within.events), [7, 8])
  assert.equal(within.named('gap').length, 0)
  const early = await SseStream.open(r.base, 'room:r', { lastEventId: ids[1] ?? '' })
  t.after(() => { early.close() })
  await early.until('the ring', (s) => numbers(s.events).length === 3)
  assert.equal(early.named('gap').length, 1, 'what the smaller ring no longer holds is a gap')
  assert.deepEqual(numbers(early.events), [6, 7, 8])
  assert.equal(live.ended, false)
})

test('file settings apply at once (keep-alive, push deadline); environment and maxBodyBytes need a restart and are reported', async (t) => {
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:s' }] }))
  await joinedIn(r.daemon, 'room:s')
  const stream = await reader(t, r.base, 'room:s')
  const bodyLimit = r.daemon.broker.config.maxBodyBytes
  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:s' }], sse: { keepAliveMs: 20 }, pushTimeoutMs: 1234, maxBodyBytes: 10 })
  const diff = await r.daemon.reload()
  assert.deepEqual(diff.settings, ['sse.keepAliveMs', 'pushTimeoutMs'])
  assert.deepEqual(diff.needRestart, ['maxBodyBytes'])
  assert.equal(r.daemon.broker.config.pushTimeoutMs, 1234)
  assert.equal(r.daemon.broker.config.maxBodyBytes, bodyLimit, 'the running limit is kept')
  await stream.until('a keep-alive at the new interval', (s) => s.parser.comments.includes('keep-alive'))
  const warning = await r.logged(/need a restart/)
  assert.deepEqual(warning['settings'], ['maxBodyBytes'])
})

test('reloads one at a time: a second one waits, and finds nothing left to do', async (t) => {
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:a' }] }))
  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:a' }, { topic: 'room:b' }] })
  const [first, second] = await Promise.all([r.daemon.reload(), r.daemon.reload()])
  assert.deepEqual(first.channels.added.map((c) => c.topic), ['room:b'])
  assert.deepEqual(second.channels.added, [])
  assert.ok(await r.logged('config reloaded: nothing changed'))
})
