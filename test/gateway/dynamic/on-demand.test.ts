/**
 * Joins on demand: an SSE reader or a push to a topic the allow-list
 * allows and the sidecar does not hold joins it; once its last user has
 * gone and the linger has passed, the sidecar leaves it. Topics outside
 * the allow-list stay 404 (issue 4), and maxTopics bounds what a flood of
 * readers can make the sidecar join.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ok, type ChannelHandler } from '../../../src/testing/index.ts'
import { assertProblem, assertQuietLogs, push, startGw } from '../http/support.ts'
import { SseStream } from '../sse/helpers.ts'
import { dynamicEntry, listed, nextDynamic } from './support.ts'

describe('an SSE reader on an allowed topic', () => {
  test('joins it on demand, reads its messages, and the topic is left once the reader has gone and the linger passed', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { name: 'rooms', lingerMs: 50 })] } })
    const added = nextDynamic(gw, 'topic_added')
    const stream = await SseStream.open(gw.base, 'room:7')
    t.after(() => { stream.close() })
    assert.equal(stream.status, 200)
    assert.deepEqual(await added, { entry: 'rooms', trigger: 'sse' })
    await stream.event('joined')
    assert.equal((await listed(gw)).get('room:7')?.origin, 'dynamic-on-demand')
    gw.phoenix.broadcast('room:7', 'msg', { n: 1 })
    assert.deepEqual(JSON.parse((await stream.event('msg')).data), { n: 1 })

    const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'room:7')
    const removed = nextDynamic(gw, 'topic_removed')
    const closedAt = performance.now()
    stream.close()
    await left
    assert.ok(performance.now() - closedAt >= 45, 'not before the linger')
    assert.deepEqual(await removed, { entry: 'rooms', reason: 'linger' })
    assert.equal((await listed(gw)).has('room:7'), false)
    assertQuietLogs(gw)
  })

  test('a second reader shares the topic; it is left only after both have gone', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { lingerMs: 0 })] } })
    const first = await SseStream.open(gw.base, 'room:1')
    t.after(() => { first.close() })
    await first.event('joined')
    const second = await SseStream.open(gw.base, 'room:1')
    t.after(() => { second.close() })
    await second.event('ready')
    assert.equal((await listed(gw)).get('room:1')?.subscribers, 2)
    first.close()
    // The topic stays: a message sent now reaches the second reader, so no leave happened in between.
    gw.phoenix.broadcast('room:1', 'msg', { n: 1 })
    await second.event('msg')
    const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'room:1')
    second.close()
    await left
    assert.deepEqual(gw.joins.filter((j) => j.topic === 'room:1').map((j) => j.status), ['ok'], 'joined once')
  })

  test('after it was left, a new reader joins the topic again', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { lingerMs: 0 })] } })
    const first = await SseStream.open(gw.base, 'room:1')
    await first.event('joined')
    const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'room:1')
    first.close()
    await left
    const again = await SseStream.open(gw.base, 'room:1')
    t.after(() => { again.close() })
    await again.event('joined')
    gw.phoenix.broadcast('room:1', 'msg', { n: 2 })
    assert.deepEqual(JSON.parse((await again.event('msg')).data), { n: 2 })
    assert.equal(gw.joins.filter((j) => j.topic === 'room:1' && j.status === 'ok').length, 2)
  })

  test('a topic no pattern allows is 404 BC_ERR_UNKNOWN_TOPIC, as before', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*')] } })
    const stream = await SseStream.open(gw.base, 'chat:1')
    t.after(() => { stream.close() })
    assert.equal(stream.status, 404)
    assert.equal(gw.joins.length, 0)
  })

  test('a flood of readers on distinct topics joins at most maxTopics; the others are 503 BC_ERR_TOPIC_LIMIT', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { maxTopics: 3 })] } })
    const streams = await Promise.all(Array.from({ length: 8 }, async (_, i) => SseStream.open(gw.base, `room:${i}`)))
    t.after(() => { for (const s of streams) s.close() })
    assert.deepEqual(streams.map((s) => s.status).sort(), [200, 200, 200, 503, 503, 503, 503, 503])
    const refused = streams.find((s) => s.status === 503)
    assert.match(refused?.text ?? '', /BC_ERR_TOPIC_LIMIT/)
    assert.equal(refused?.headers['retry-after'], '30')
    await Promise.all(streams.filter((s) => s.status === 200).map(async (s) => s.event('joined')))
    assert.equal(gw.joins.length, 3)
    assert.equal((await listed(gw)).size, 3)
  })

  test('a topic the server ends is dropped: its readers get `closed`, then a final channel_closed event', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('echo:*', { name: 'echoes' })] } })
    const stream = await SseStream.open(gw.base, 'echo:1')
    t.after(() => { stream.close() })
    await stream.event('joined')
    const removed = nextDynamic(gw, 'topic_removed')
    assert.equal((await push(gw, 'echo:1', { event: 'stop' })).status, 200)
    await stream.endedWithin()
    assert.deepEqual(stream.events.slice(-2).map((e) => e.event), ['closed', 'channel_closed'])
    assert.equal((JSON.parse(stream.events.at(-1)?.data ?? '{}') as { reason: string }).reason, 'server_closed')
    assert.deepEqual(await removed, { entry: 'echoes', reason: 'server_closed' })
    assert.equal((await listed(gw)).has('echo:1'), false)
  })
})

describe('a push to an allowed topic', () => {
  test('joins it on demand, gets its reply, and the topic is left after the linger', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('echo:*', { name: 'echoes', lingerMs: 20 })] } })
    const added = nextDynamic(gw, 'topic_added')
    const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'echo:9')
    const res = await push(gw, 'echo:9', { event: 'hello', payload: { n: 1 } })
    assert.equal(res.status, 200)
    assert.deepEqual(res.json, { status: 'ok', response: { n: 1 } })
    assert.deepEqual(await added, { entry: 'echoes', trigger: 'push' })
    await left
    assert.equal((await listed(gw)).has('echo:9'), false)
  })

  test('a refused on-demand join is 502 BC_ERR_JOIN_REFUSED', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('echo:*', { params: { refuse: 'no' } })] } })
    const error = assertProblem(await push(gw, 'echo:1', { event: 'x' }), 502, 'BC_ERR_JOIN_REFUSED')
    assert.deepEqual(error.details, { response: { reason: 'no' } })
  })

  test('not joined within the push deadline is 503 BC_ERR_TIMEOUT (never sent), as for a configured channel', async (t) => {
    const gate = Promise.withResolvers<undefined>()
    const gated: ChannelHandler = { join: async () => { await gate.promise; return ok({}) }, handleIn: () => ok({}) }
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('slow:*')] }, phoenix: { channels: { 'slow:*': gated } }, upstream: { joinTimeoutMs: 10_000 } })
    t.after(() => { gate.resolve(undefined) })
    const error = assertProblem(await push(gw, 'slow:1', { event: 'x', timeoutMs: 50 }), 503, 'BC_ERR_TIMEOUT')
    assert.match(error.message, /never sent/)
    gate.resolve(undefined)
    assert.equal((await push(gw, 'slow:1', { event: 'x' })).status, 200, 'the topic lingers and joins; the next push goes through')
  })

  test('a topic no pattern allows is 404 BC_ERR_UNKNOWN_TOPIC', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('echo:*')] } })
    assert.match(assertProblem(await push(gw, 'room:1', { event: 'x' }), 404, 'BC_ERR_UNKNOWN_TOPIC').message, /neither a configured channel nor allowed/)
  })
})

test('shutdown leaves a lingering topic with the rest, before its linger ends', async (t) => {
  const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { lingerMs: 60_000 })] } })
  const stream = await SseStream.open(gw.base, 'room:1')
  await stream.event('joined')
  stream.close()
  const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'room:1')
  await gw.daemon.close()
  await left
  assert.deepEqual(gw.daemon.broker.dynamic.all().map((s) => s.config.topic), ['room:1'])
})
