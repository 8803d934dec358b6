/**
 * Keep-alive comments on every open stream, and the shutdown sequence as
 * SSE readers see it: when the drain starts, every stream ends at once with
 * a final `shutdown` event that names its last id and carries a `retry:`
 * hint (a push in flight does not hold the streams open), and new streams
 * get 503.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { noreply, ok, roomChannel, type ChannelHandler, type ChannelSocket, type ReplyTo } from '../../../src/testing/index.ts'
import { channelConfig, stopGateway } from '../helpers.ts'
import { joined, numbers, SseStream, startSseGateway } from './helpers.ts'
import { deadline } from '../../helpers/wait.ts'

const TOPIC = 'room:ka'

test('keep-alive comments arrive on every open stream, and are not events', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)], { sse: { keepAliveMs: 50 } })
  t.after(async () => { await stopGateway(running) })
  const a = await SseStream.open(running.base, TOPIC)
  const b = await SseStream.open(running.base, TOPIC, { query: { events: 'nothing' } })
  t.after(() => { a.close(); b.close() })

  for (const stream of [a, b]) {
    await stream.until('two keep-alive comments', (s) => s.parser.comments.filter((c) => c === 'keep-alive').length >= 2, 2000)
    assert.match(stream.text, /\n\n: keep-alive\n\n/)
    assert.ok(stream.events.every((e) => e.event !== 'message'), 'a comment is never dispatched as an event')
  }
  await joined(running.daemon, TOPIC)
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  await a.event('msg')
  assert.ok(a.events.every((e) => e.event === 'ready' || e.event === 'joined' || e.event === 'msg'))
})

interface Held { socket: ChannelSocket, to: ReplyTo }

test('shutdown: every stream ends with `shutdown`, its last id and a retry at the drain\'s start while a push drains, and new streams get 503', async (t) => {
  const held = Promise.withResolvers<Held>()
  const holder: ChannelHandler = {
    join: () => ok({}),
    handleIn: (_event, _payload, socket, to) => { held.resolve({ socket, to }); return noreply() },
  }
  const running = await startSseGateway([channelConfig(TOPIC), channelConfig('slow:sd')], {
    phoenix: { channels: { 'slow:*': holder, 'room:*': roomChannel } },
    sse: { retryMs: 750 },
  })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  await joined(running.daemon, 'slow:sd')
  const a = await SseStream.open(running.base, TOPIC)
  const b = await SseStream.open(running.base, TOPIC, { query: { events: 'other' } })
  t.after(() => { a.close(); b.close() })
  await a.event('ready')
  await b.event('ready')
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  await a.event('msg')

  // A push in flight holds the drain open.
  const push = fetch(`${running.base}/v1/channels/slow%3Asd/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: 'hold', payload: {} }),
  })
  const { socket, to } = await deadline(held.promise, 'the held push')
  const closing = running.daemon.close()

  const refused = await fetch(`${running.base}/v1/channels/${encodeURIComponent(TOPIC)}/events`)
  assert.equal(refused.status, 503)
  assert.match(refused.headers.get('content-type') ?? '', /^application\/json/)
  assert.equal(refused.headers.get('retry-after'), '1')
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'BC_ERR_DRAINING')

  // The streams end while the push is still waiting for its reply.
  for (const stream of [a, b]) {
    const final = await stream.event('shutdown')
    await stream.endedWithin()
    assert.equal(stream.events.at(-1), final, 'shutdown is the last event')
    assert.equal(final.retry, 750)
    assert.match(stream.text, /event: shutdown\nretry: 750\ndata: .*\n\n$/)
    assert.deepEqual(JSON.parse(final.data), { lastEventId: stream === a ? a.events.at(-2)!.id! : null, reason: 'shutdown' })
  }
  assert.equal(b.events.length, 2, 'the filtered reader had seen no message: its last id is null')
  assert.deepEqual(numbers(a.events), [1])

  // The push in flight still gets its own reply, within the budget.
  socket.reply(to, ok({ done: true }))
  const answered = await deadline(push, 'the push answer')
  assert.equal(answered.status, 200)
  assert.deepEqual(await answered.json(), { status: 'ok', response: { done: true } })
  const report = await deadline(closing, 'daemon.close()')
  assert.equal(report.workCut, 0)
  assert.equal(report.streamsEnded, 2)
  assert.equal(running.daemon.broker.readers.size, 0)
})

test('shutdown with no push in flight ends streams at once, and a resumed reader had its own id named', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const first = await SseStream.open(running.base, TOPIC)
  await first.event('ready')
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  const msg = await first.event('msg')
  first.close()
  const resumed = await SseStream.open(running.base, TOPIC, { lastEventId: msg.id! })
  t.after(() => { resumed.close() })
  await resumed.event('ready')

  await deadline(running.daemon.close(), 'daemon.close()')
  const final = await resumed.event('shutdown')
  assert.deepEqual(JSON.parse(final.data), { lastEventId: msg.id, reason: 'shutdown' })
  assert.equal(final.retry, 2000)
  await resumed.endedWithin()
})
