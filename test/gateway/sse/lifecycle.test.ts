/**
 * The channel's lifecycle as SSE events of their own: `joined` when the
 * gateway joins, `errored` when the upstream drops or the channel crashes,
 * then `gap` (upstream_disconnected, with the window) and `rejoined`, and
 * `closed` when the server ends the channel. They are numbered like
 * messages and kept in the replay ring.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ok, stop, type ChannelHandler } from '../../../src/testing/index.ts'
import { channelConfig, stopGateway } from '../helpers.ts'
import { joined, seqOf, SseStream, startSseGateway, subscription, readyStream } from './helpers.ts'
import { deadline } from '../../helpers/wait.ts'

const TOPIC = 'room:life'

interface Gap { reason: string, from: string, to: string }

function isoTime (text: string): number {
  assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  return Date.parse(text)
}

test('a reader connected before the join completes gets `joined` as the first numbered event', async (t) => {
  const gate = Promise.withResolvers<undefined>()
  const asked = Promise.withResolvers<undefined>()
  const gated: ChannelHandler = { join: async () => { asked.resolve(undefined); await gate.promise; return ok({}) } }
  const running = await startSseGateway([channelConfig(TOPIC)], { phoenix: { channels: { 'room:*': gated } } })
  t.after(async () => { gate.resolve(undefined); await stopGateway(running) })
  const stream = await SseStream.open(running.base, TOPIC)
  t.after(() => { stream.close() })
  await stream.event('ready')
  await deadline(asked.promise, 'the join request')
  assert.equal(subscription(running.daemon, TOPIC).state, 'joining')

  gate.resolve(undefined)
  const event = await stream.event('joined')
  const epoch = running.daemon.broker.hub.epoch
  assert.equal(event.id, `${epoch}-1`)
  assert.deepEqual(JSON.parse(event.data), { topic: TOPIC })
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  const msg = await stream.event('msg')
  assert.equal(msg.id, `${epoch}-2`)
  assert.deepEqual(stream.events.map((e) => e.event), ['ready', 'joined', 'msg'])
})

test('a reader connected after the join finds `joined` in the replay ring when it resumes from the start', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  const live = await SseStream.open(running.base, TOPIC)
  t.after(() => { live.close() })
  await live.event('ready')
  running.phoenix.broadcast(TOPIC, 'msg', { n: 2 })
  await live.event('msg')
  assert.deepEqual(live.events.map((e) => e.event), ['ready', 'msg'], 'a reader without Last-Event-ID starts live')

  const epoch = running.daemon.broker.hub.epoch
  const resumed = await SseStream.open(running.base, TOPIC, { lastEventId: `${epoch}-0` })
  t.after(() => { resumed.close() })
  await resumed.until('the ring', (s) => s.named('msg').length === 2)
  assert.deepEqual(resumed.events.map((e) => [e.event, e.id]), [['ready', undefined], ['joined', `${epoch}-1`], ['msg', `${epoch}-2`], ['msg', `${epoch}-3`]])
})

test('an upstream drop gives `errored`, then on rejoin a `gap` (upstream_disconnected, from/to) and `rejoined`', async (t) => {
  const { running, stream } = await readyStream(t, [channelConfig(TOPIC)])
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  await stream.event('msg')

  const dropped = Date.now()
  running.phoenix.faults.dropAll()
  const errored = await stream.event('errored')
  assert.deepEqual(JSON.parse(errored.data), { topic: TOPIC, reason: 'disconnected' })
  const rejoined = await stream.event('rejoined')
  const rejoinedAt = Date.now()
  assert.deepEqual(JSON.parse(rejoined.data), { topic: TOPIC })

  const gap = stream.named('gap')[0]
  assert.ok(gap !== undefined)
  const window = JSON.parse(gap.data) as Gap
  assert.equal(window.reason, 'upstream_disconnected')
  const from = isoTime(window.from)
  const to = isoTime(window.to)
  assert.ok(dropped <= from && from <= to && to <= rejoinedAt, `window ${window.from}..${window.to} lies within the outage`)

  assert.deepEqual(stream.events.map((e) => e.event), ['ready', 'msg', 'errored', 'gap', 'rejoined'])
  const seqs = stream.events.slice(1).map((e) => seqOf(e.id))
  assert.deepEqual(seqs, [seqs[0]!, seqs[0]! + 1, seqs[0]! + 2, seqs[0]! + 3], 'lifecycle events are numbered like messages')

  running.phoenix.broadcast(TOPIC, 'msg', { n: 2 })
  const after = await stream.event('msg', 5)
  assert.deepEqual(JSON.parse(after.data), { n: 2 })
  assert.equal(seqOf(after.id), seqs[3]! + 1)
  assert.equal(subscription(running.daemon, TOPIC).state, 'joined')
})

test('a channel crash gives `errored` (crashed), then `gap` and `rejoined` on the same connection', async (t) => {
  const crashy: ChannelHandler = {
    join: () => ok({}),
    handleInfo: (message) => { if (message === 'crash') throw new Error('boom'); return { kind: 'noreply' } },
  }
  const { running, stream } = await readyStream(t, [channelConfig(TOPIC)], { phoenix: { channels: { 'room:*': crashy } } })

  running.phoenix.sendInfo(TOPIC, 'crash')
  const errored = await stream.event('errored')
  assert.deepEqual(JSON.parse(errored.data), { topic: TOPIC, reason: 'crashed' })
  await stream.event('rejoined')
  assert.deepEqual(stream.events.map((e) => e.event), ['ready', 'errored', 'gap', 'rejoined'])
  assert.equal((JSON.parse(stream.named('gap')[0]!.data) as Gap).reason, 'upstream_disconnected')
  assert.equal(running.phoenix.connections().length, 1, 'the connection stayed up')
})

test('the server ending the channel (phx_close) gives `closed`, numbered and kept for resume', async (t) => {
  const stopping: ChannelHandler = { join: () => ok({}), handleInfo: () => stop('normal') }
  // The gateway asks for a closed channel again only after the slowest rejoin delay: 60 s here.
  const { running, stream } = await readyStream(t, [channelConfig(TOPIC)], { phoenix: { channels: { 'room:*': stopping } }, upstream: { rejoinBackoffMs: [5, 60_000] } })
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  const msg = await stream.event('msg')

  const ended = running.phoenix.waitFor('channelEnd', (e) => e.topic === TOPIC)
  running.phoenix.sendInfo(TOPIC, 'bye')
  assert.equal((await ended).reason, 'normal')
  const closed = await stream.event('closed')
  assert.deepEqual(JSON.parse(closed.data), { topic: TOPIC, reason: 'server_closed' })
  assert.equal(seqOf(closed.id), seqOf(msg.id) + 1)
  assert.deepEqual(stream.events.map((e) => e.event), ['ready', 'msg', 'closed'])
  assert.equal(subscription(running.daemon, TOPIC).state, 'closed')

  const resumed = await SseStream.open(running.base, TOPIC, { lastEventId: msg.id! })
  t.after(() => { resumed.close() })
  const replayed = await resumed.event('closed')
  assert.equal(replayed.id, closed.id)
})

test('a configured channel the server ended is asked for again after the slowest rejoin delay: `closed`, then `gap` and `rejoined`', async (t) => {
  const stopping: ChannelHandler = { join: () => ok({}), handleInfo: () => stop('normal') }
  const { running, stream } = await readyStream(t, [channelConfig(TOPIC)], { phoenix: { channels: { 'room:*': stopping } }, upstream: { rejoinBackoffMs: [5, 20] } })
  const again = running.phoenix.waitFor('join', (j) => j.topic === TOPIC && j.status === 'ok')
  running.phoenix.sendInfo(TOPIC, 'bye')
  await stream.event('closed')
  await again
  const gap = JSON.parse((await stream.event('gap')).data) as Gap
  assert.equal(gap.reason, 'upstream_disconnected')
  await stream.event('rejoined')
  assert.equal(subscription(running.daemon, TOPIC).state, 'joined')
})
