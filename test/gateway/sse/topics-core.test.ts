/**
 * GET /v1/events: one stream over exact topics and patterns. Events of all
 * topics come in one order, numbered `<epoch>.<order>`, each naming its
 * topic; one Last-Event-ID resumes every topic exactly while their rings
 * hold what followed it, and with a gap per topic where they do not.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig, stopGateway } from '../helpers.ts'
import { dynamicEntry } from '../dynamic/support.ts'
import { http } from '../http/support.ts'
import { joined, SseStream, startSseGateway, type SseMessage } from './helpers.ts'

const TOPICS = ['room:1', 'room:2', 'echo:lobby']

function orderOf (id: string | undefined): number {
  const match = /\.(\d+)$/.exec(id ?? '')
  assert.ok(match !== null, `a stream id: ${id}`)
  return Number(match[1])
}

function parsed (events: readonly SseMessage[], event: string): Array<{ topic: string, payload: unknown }> {
  return events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as { topic: string, payload: unknown })
}

async function gatewayOver (t: import('node:test').TestContext, replay = 1000): Promise<Awaited<ReturnType<typeof startSseGateway>>> {
  const running = await startSseGateway(TOPICS.map((topic) => channelConfig(topic, { replay })))
  t.after(async () => { await stopGateway(running) })
  for (const topic of TOPICS) await joined(running.daemon, topic)
  return running
}

test('a pattern and an exact topic in one stream: every event names its topic, ids rise across topics', async (t) => {
  const running = await gatewayOver(t)
  const stream = await SseStream.openTopics(running.base, ['room:*', 'echo:lobby'])
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  const ready = JSON.parse((await stream.event('ready')).data) as { topics: Array<{ topic: string }>, patterns: string[] }
  assert.deepEqual(ready.topics.map((x) => x.topic).sort(), [...TOPICS].sort())
  assert.deepEqual(ready.patterns, ['room:*'])

  for (let n = 1; n <= 30; n++) running.phoenix.broadcast(TOPICS[n % 3] ?? '', 'msg', { n })
  await stream.until('30 messages', (s) => s.named('msg').length === 30)
  const msgs = stream.named('msg')
  assert.deepEqual(parsed(msgs, 'msg').map((m) => m.payload), Array.from({ length: 30 }, (_, i) => ({ n: i + 1 })))
  assert.deepEqual(parsed(msgs, 'msg').map((m) => m.topic), Array.from({ length: 30 }, (_, i) => TOPICS[(i + 1) % 3]))
  const orders = msgs.map((m) => orderOf(m.id))
  assert.ok(orders.every((o, i) => i === 0 || o > (orders[i - 1] ?? 0)), 'ids rise')

  const metrics = (await http(running.base, '/metrics')).text
  assert.match(metrics, /^backchannel_sse_streams\{shape="topics"\} 1$/m)
  assert.match(metrics, /^backchannel_sse_streams\{shape="topic"\} 0$/m)
  assert.match(metrics, /^backchannel_sse_stream_topics 3$/m)
  assert.match(metrics, /^backchannel_sse_subscribers\{subscription="room:1"\} 1$/m)
})

test('one Last-Event-ID resumes every topic exactly, merged in order; a topic whose ring lost events gets a gap', async (t) => {
  const running = await gatewayOver(t, 5)
  const first = await SseStream.openTopics(running.base, ['room:*', 'echo:lobby'])
  t.after(() => { first.close() })
  await first.event('ready')
  running.phoenix.broadcast('room:1', 'msg', { n: 0 })
  await first.until('the first message', (s) => s.named('msg').length === 1)
  const lastId = first.named('msg')[0]?.id ?? ''
  first.close()

  // room:1 and room:2 get 2 each (their rings hold them), echo:lobby 8 (its ring of 5 lost 3).
  const sent = [['room:1', 1], ['echo:lobby', 2], ['room:2', 3], ['echo:lobby', 4], ['echo:lobby', 5], ['room:1', 6], ['echo:lobby', 7], ['echo:lobby', 8], ['echo:lobby', 9], ['room:2', 10], ['echo:lobby', 11], ['echo:lobby', 12]] as const
  for (const [topic, n] of sent) running.phoenix.broadcast(topic, 'msg', { n })
  const probe = await SseStream.openTopics(running.base, ['room:*', 'echo:lobby'])
  t.after(() => { probe.close() })
  await probe.event('ready')
  running.phoenix.broadcast('room:2', 'msg', { n: 13 })
  await probe.until('the probe', (s) => s.named('msg').length === 1)
  probe.close()

  const resumed = await SseStream.openTopics(running.base, ['room:*', 'echo:lobby'], { lastEventId: lastId })
  t.after(() => { resumed.close() })
  await resumed.until('13 or so events', (s) => s.named('msg').some((m) => (JSON.parse(m.data) as { payload: { n: number } }).payload.n === 13))
  const gaps = parsed(resumed.events, 'gap')
  assert.deepEqual(gaps.map((g) => g.topic), ['echo:lobby'])
  assert.equal((gaps[0]?.payload as { reason: string }).reason, 'replay_exhausted')
  const got = parsed(resumed.named('msg'), 'msg').map((m) => [m.topic, (m.payload as { n: number }).n])
  // Everything of room:* after the id, exactly; echo:lobby from what its ring still holds; all in one order.
  assert.deepEqual(got, [['room:1', 1], ['room:2', 3], ['room:1', 6], ['echo:lobby', 7], ['echo:lobby', 8], ['echo:lobby', 9], ['room:2', 10], ['echo:lobby', 11], ['echo:lobby', 12], ['room:2', 13]])
})

test('a per-topic id, or one of another sidecar life, resumes each topic with a gap', async (t) => {
  const running = await gatewayOver(t)
  for (const [id, reason] of [[`${running.daemon.broker.hub.epoch}-3`, 'unknown_id'], ['zzzzzz.5', 'sidecar_restarted']] as const) {
    const stream = await SseStream.openTopics(running.base, ['room:*'], { lastEventId: id })
    t.after(() => { stream.close() })
    await stream.event('ready')
    await stream.until('two gaps', (s) => s.named('gap').length === 2)
    assert.deepEqual(parsed(stream.events, 'gap').map((g) => [g.topic, (g.payload as { reason: string }).reason]).sort(), [['room:1', reason], ['room:2', reason]])
    stream.close()
  }
})

test('a topic a pattern matches comes with topic_added and goes with topic_removed after its last event; the stream goes on', async (t) => {
  const running = await startSseGateway([channelConfig('echo:lobby')], { config: { dynamic: [dynamicEntry('room:*', { lingerMs: 0 })] } })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, 'echo:lobby')
  const stream = await SseStream.openTopics(running.base, ['room:*', 'echo:lobby'])
  t.after(() => { stream.close() })
  await stream.event('ready')

  assert.equal((await http(running.base, '/v1/channels/room:9', { method: 'PUT' })).status, 201)
  await stream.event('topic_added')
  running.phoenix.broadcast('room:9', 'msg', { n: 1 })
  await stream.until('room:9 message', (s) => s.named('msg').length === 1)
  assert.equal((await http(running.base, '/v1/channels/room:9', { method: 'DELETE' })).status, 204)
  await stream.event('topic_removed')
  running.phoenix.broadcast('echo:lobby', 'msg', { n: 2 })
  await stream.until('the echo:lobby message', (s) => s.named('msg').length === 2)

  const names = stream.events.map((e) => e.event).filter((e) => e !== 'ready')
  assert.deepEqual(names.filter((e) => e.startsWith('topic_') || e === 'msg'), ['topic_added', 'msg', 'topic_removed', 'msg'])
  assert.deepEqual(JSON.parse(stream.named('topic_added')[0]?.data ?? ''), { topic: 'room:9', upstream: 'main', state: 'joining' })
  assert.deepEqual(JSON.parse(stream.named('topic_removed')[0]?.data ?? ''), { topic: 'room:9', upstream: 'main', reason: 'deleted' })
})
