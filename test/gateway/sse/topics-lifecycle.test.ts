/**
 * The multi-topic stream `GET /v1/events` (issue 12) as topics come and go
 * around it and as the sidecar stops: a reload that removes a followed
 * channel gives `topic_removed` and one that adds a matching channel
 * `topic_added`; a pattern does not hold a dynamic topic, so one left after
 * its linger is `topic_removed` too; shutdown ends the stream with
 * `shutdown` naming its last id, and new streams get 503 while draining;
 * idle streams get keep-alive comments; a presence channel starts a fresh
 * stream with its merged state.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { noreply, ok, roomChannel, type ChannelHandler, type ChannelSocket, type FakePhoenix, type ReplyTo } from '../../../src/testing/index.ts'
import { channelConfig, stopGateway } from '../helpers.ts'
import { assertProblem, http, startGw } from '../http/support.ts'
import { dynamicEntry } from '../dynamic/support.ts'
import { startReloadable, upstream } from '../reload/support.ts'
import { joined, SseStream, startSseGateway } from './helpers.ts'
import { ANY_TOPIC, dataOf, payloadOf, delivered, eventsPath, openEvents, seenMessage } from './topics-support.ts'
import { deadline } from '../../helpers/wait.ts'
import { GATEWAY_KEY, keysAre, presenceSetup, serverView, snapshot, streamShows, type State } from '../presence/helpers.ts'

const withOrders1 = (phoenix: FakePhoenix): object => ({
  upstreams: [upstream(phoenix.endpoint)],
  channels: [{ topic: 'orders:1' }, { topic: 'orders:2' }, { topic: 'room:a' }],
})
const withOrders3 = (phoenix: FakePhoenix): object => ({
  upstreams: [upstream(phoenix.endpoint)],
  channels: [{ topic: 'orders:2' }, { topic: 'room:a' }, { topic: 'orders:3' }],
})

test('a reload removing a followed channel gives topic_removed after its last event, one adding a matching channel topic_added; the stream goes on', async (t) => {
  const r = await startReloadable(t, withOrders1, { phoenix: ANY_TOPIC })
  for (const topic of ['orders:1', 'orders:2', 'room:a']) await joined(r.daemon, topic)
  const stream = await openEvents(t, r.base, ['orders:*', 'room:a'])
  await stream.event('ready')
  for (const topic of ['orders:1', 'orders:2']) r.phoenix.broadcast(topic, 'msg', { n: 1 })
  await seenMessage(stream, 'orders:2', 1)

  await r.write(withOrders3(r.phoenix))
  await r.daemon.reload()
  const removed = await stream.event('topic_removed')
  assert.equal(removed.id, undefined)
  assert.deepEqual(JSON.parse(removed.data), { topic: 'orders:1', upstream: 'main', reason: 'removed_from_config' })
  assert.ok(stream.events.findLastIndex((e, i) => i > 0 && e !== removed && dataOf(e).topic === 'orders:1') < stream.events.indexOf(removed), 'after its last event')
  await stream.until('orders:3 added', (s) => s.named('topic_added').some((e) => dataOf(e).topic === 'orders:3'))
  const added = stream.named('topic_added').find((e) => dataOf(e).topic === 'orders:3')!
  assert.equal(added.id, undefined)
  assert.equal((JSON.parse(added.data) as { upstream: string }).upstream, 'main')

  await joined(r.daemon, 'orders:3')
  for (const topic of ['orders:3', 'room:a', 'orders:2']) r.phoenix.broadcast(topic, 'msg', { n: 2 })
  await seenMessage(stream, 'orders:2', 2)
  assert.deepEqual(delivered(stream.events).map(({ topic, n }) => `${topic}/${n}`), ['orders:1/1', 'orders:2/1', 'orders:3/2', 'room:a/2', 'orders:2/2'])
  assert.equal(stream.ended, false)
  assert.deepEqual(stream.named('topic_removed').length, 1)
})

test('a pattern does not hold a dynamic topic: once its own reader has gone and the linger passed, it is left and topic_removed', async (t) => {
  const gw = await startGw(t, [], { phoenix: ANY_TOPIC, config: { dynamic: [dynamicEntry('orders:*', { lingerMs: 20 })] } })
  const stream = await openEvents(t, gw.base, ['orders:*'])
  await stream.event('ready')
  const own = await SseStream.open(gw.base, 'orders:5')
  await own.event('joined')
  await stream.until('orders:5 added', (s) => s.named('topic_added').length === 1)
  gw.phoenix.broadcast('orders:5', 'msg', { n: 1 })
  await seenMessage(stream, 'orders:5', 1)

  const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'orders:5')
  own.close()
  await left
  const removed = await stream.event('topic_removed')
  assert.deepEqual(JSON.parse(removed.data), { topic: 'orders:5', upstream: 'main', reason: 'linger' })
  assert.equal(stream.ended, false)
})

interface Held { socket: ChannelSocket, to: ReplyTo }

test('shutdown ends the stream with `shutdown` naming its last id and a retry, while new streams get 503 BC_ERR_DRAINING', async (t) => {
  const held = Promise.withResolvers<Held>()
  const holder: ChannelHandler = {
    join: () => ok({}),
    handleIn: (_event, _payload, socket, to) => { held.resolve({ socket, to }); return noreply() },
  }
  const running = await startSseGateway([channelConfig('orders:1'), channelConfig('room:a'), channelConfig('slow:sd')], {
    phoenix: { channels: { 'slow:*': holder, '*': roomChannel } },
    sse: { retryMs: 750 },
  })
  t.after(async () => { await stopGateway(running) })
  for (const topic of ['orders:1', 'room:a', 'slow:sd']) await joined(running.daemon, topic)
  const stream = await openEvents(t, running.base, ['orders:*', 'room:a'])
  await stream.event('ready')
  running.phoenix.broadcast('room:a', 'msg', { n: 1 })
  running.phoenix.broadcast('orders:1', 'msg', { n: 1 })
  await seenMessage(stream, 'orders:1', 1)

  // A push in flight holds the drain open while the streams end.
  const push = fetch(`${running.base}/v1/channels/slow%3Asd/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'hold', payload: {} }) })
  const { socket, to } = await deadline(held.promise, 'the held push')
  const closing = running.daemon.close()
  assertProblem(await http(running.base, eventsPath(['room:a'])), 503, 'BC_ERR_DRAINING')

  const final = await stream.event('shutdown')
  await stream.endedWithin()
  assert.equal(stream.events.at(-1), final, 'shutdown is the last event')
  assert.equal(final.retry, 750)
  assert.deepEqual(JSON.parse(final.data), { lastEventId: stream.events.at(-2)?.id, reason: 'shutdown' })
  assert.equal(stream.events.at(-2)?.event, 'msg')

  socket.reply(to, ok({ done: true }))
  assert.equal((await deadline(push, 'the push answer')).status, 200)
  const report = await deadline(closing, 'daemon.close()')
  assert.equal(report.streamsEnded, 1, 'one stream, whatever its topics')
})

test('an idle multi-topic stream gets keep-alive comments, which are not events', async (t) => {
  const running = await startSseGateway([channelConfig('room:a'), channelConfig('room:b')], { phoenix: ANY_TOPIC, sse: { keepAliveMs: 50 } })
  t.after(async () => { await stopGateway(running) })
  const stream = await openEvents(t, running.base, ['room:*'])
  await stream.event('ready')
  await stream.until('two keep-alive comments', (s) => s.parser.comments.filter((c) => c === 'keep-alive').length >= 2)
  assert.ok(stream.events.every((e) => e.event === 'ready' || e.event === 'joined'), 'no event but ready and the joins')
})

test('a presence channel: a fresh stream gets presence_state (no id) with the topic and the merged state, then the derived presence events', async (t) => {
  const topic = 'presence:multi'
  const { server, running, stream, enter } = await presenceSetup(t, topic)
  await enter('hal')
  await streamShows(stream, 'hal', keysAre(GATEWAY_KEY, 'hal'))
  const multi = await openEvents(t, running.base, ['presence:*'])
  const state = await multi.event('presence_state')
  assert.deepEqual(multi.events.map((e) => e.event), ['ready', 'presence_state'])
  assert.equal(state.id, undefined, 'presence_state has no id')
  assert.equal(dataOf(state).topic, topic)
  assert.deepEqual(snapshot(payloadOf(state) as State), serverView(server, topic))
  await enter('ida')
  await multi.until('ida\'s presence_join', (s) => s.named('presence_join').some((e) => (payloadOf(e) as { key: string }).key === 'ida'))
  assert.equal(dataOf(multi.named('presence_join')[0]!).topic, topic)
})
