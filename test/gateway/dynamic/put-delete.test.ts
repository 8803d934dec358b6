/**
 * PUT and DELETE /v1/channels/{topic}: join and leave topics of the
 * dynamic allow-list at run time, against the fake Phoenix server. PUT is
 * idempotent and waits for the join; anything the allow-list does not
 * allow is 403; configured channels are reported (PUT) but not deleted.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ok, type ChannelHandler } from '../../../src/testing/index.ts'
import { channelConfig } from '../helpers.ts'
import { assertProblem, assertQuietLogs, http, joined, startGw } from '../http/support.ts'
import { SseStream } from '../sse/helpers.ts'
import { del, dynamicEntry, listed, nextDynamic, nextJoinParams, put, type View } from './support.ts'

const rooms = dynamicEntry('room:*', { name: 'rooms', params: { from: 'entry', keep: 1 } })

describe('PUT /v1/channels/{topic}', () => {
  test('joins an allowed topic with the entry\'s params merged with its own: 201, then 200 without a second join', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [rooms] } })
    const params = nextJoinParams(gw, 'room:1')
    const created = await put(gw, 'room:1', { params: { from: 'put', extra: true } })
    assert.equal(created.status, 201)
    const view = created.json as View
    assert.deepEqual({ name: view.name, topic: view.topic, upstream: view.upstream, origin: view.origin, state: view.state, required: view.required },
      { name: 'rooms', topic: 'room:1', upstream: 'main', origin: 'dynamic-pinned', state: 'joined', required: false })
    assert.deepEqual(await params, { from: 'put', keep: 1, extra: true })

    const again = await put(gw, 'room:1', { params: { from: 'put', extra: true } })
    assert.equal(again.status, 200)
    assert.equal((again.json as View).state, 'joined')
    const plain = await put(gw, 'room:1')
    assert.equal(plain.status, 200, 'no body: the topic as it is')
    assert.equal(gw.joins.filter((j) => j.topic === 'room:1').length, 1, 'one join on the server')
    assertQuietLogs(gw)
  })

  test('new params rejoin the held topic with them', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [rooms] } })
    assert.equal((await put(gw, 'room:1')).status, 201)
    const params = nextJoinParams(gw, 'room:1')
    const res = await put(gw, 'room:1', { params: { from: 'second' } })
    assert.equal(res.status, 200)
    assert.equal((res.json as View).state, 'joined')
    assert.deepEqual(await params, { from: 'second', keep: 1 })
    assert.deepEqual(gw.joins.filter((j) => j.topic === 'room:1').map((j) => j.status), ['ok', 'ok'])
  })

  test('a topic no pattern allows is 403 BC_ERR_TOPIC_NOT_ALLOWED, and nothing reaches the server', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:cfg')], { config: { dynamic: [rooms] } })
    await joined(gw, 'echo:cfg')
    const refused = nextDynamic(gw, 'refused')
    const error = assertProblem(await put(gw, 'chat:1'), 403, 'BC_ERR_TOPIC_NOT_ALLOWED')
    assert.match(error.message, /chat:1/)
    assert.deepEqual(await refused, { entry: null, reason: 'not_allowed' })
    assertProblem(await put(gw, 'room:a:b'), 403, 'BC_ERR_TOPIC_NOT_ALLOWED')
    assertProblem(await del(gw, 'chat:1'), 403, 'BC_ERR_TOPIC_NOT_ALLOWED')
    assert.deepEqual(gw.joins.map((j) => j.topic), ['echo:cfg'])
  })

  test('a configured channel: PUT reports it (200, origin config), params are 409, DELETE is 409', async (t) => {
    const gw = await startGw(t, [channelConfig('room:cfg', { name: 'cfg' })], { config: { dynamic: [rooms] } })
    await joined(gw, 'room:cfg')
    const res = await put(gw, 'room:cfg')
    assert.equal(res.status, 200)
    assert.deepEqual([(res.json as View).name, (res.json as View).origin], ['cfg', 'config'])
    assertProblem(await put(gw, 'room:cfg', { params: { a: 1 } }), 409, 'BC_ERR_CONFIGURED_TOPIC')
    assert.match(assertProblem(await del(gw, 'room:cfg'), 409, 'BC_ERR_CONFIGURED_TOPIC').message, /config file/)
    assert.equal((await listed(gw)).get('room:cfg')?.state, 'joined')
  })

  test('a refused join is 502 BC_ERR_JOIN_REFUSED with the server\'s reason, and the topic is not kept', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('echo:*')] } })
    const error = assertProblem(await put(gw, 'echo:no', { params: { refuse: 'not today' } }), 502, 'BC_ERR_JOIN_REFUSED')
    assert.deepEqual(error.details, { response: { reason: 'not today' } })
    assert.equal((await listed(gw)).has('echo:no'), false)
    assert.equal((await put(gw, 'echo:no')).status, 201, 'asked again without the refusing params')
  })

  test('not joined within timeoutMs is 503 BC_ERR_TIMEOUT with Retry-After; the topic stays wanted and joins later', async (t) => {
    const gate = Promise.withResolvers<undefined>()
    const gated: ChannelHandler = { join: async () => { await gate.promise; return ok({}) } }
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('slow:*')] }, phoenix: { channels: { 'slow:*': gated } }, upstream: { joinTimeoutMs: 10_000 } })
    t.after(() => { gate.resolve(undefined) })
    assertProblem(await put(gw, 'slow:1', { timeoutMs: 50 }), 503, 'BC_ERR_TIMEOUT')
    const view = (await listed(gw)).get('slow:1')
    assert.deepEqual([view?.origin, view?.state], ['dynamic-pinned', 'joining'])
    gate.resolve(undefined)
    const res = await put(gw, 'slow:1')
    assert.deepEqual([res.status, (res.json as View).state], [200, 'joined'])
  })

  test('an entry holds at most maxTopics: one more is 503 BC_ERR_TOPIC_LIMIT until one is left', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { maxTopics: 2, lingerMs: 4000 })] } })
    assert.equal((await put(gw, 'room:a')).status, 201)
    assert.equal((await put(gw, 'room:b')).status, 201)
    const limited = await put(gw, 'room:c')
    assert.match(assertProblem(limited, 503, 'BC_ERR_TOPIC_LIMIT').message, /maxTopics \(2\)/)
    assert.equal(limited.headers.get('retry-after'), '4', 'the linger, in seconds')
    assert.equal((await put(gw, 'room:a')).status, 200, 'a held topic is not one more')
    assert.equal((await del(gw, 'room:a')).status, 204)
    assert.equal((await put(gw, 'room:c')).status, 201)
    assert.equal(gw.joins.some((j) => j.topic === 'room:c' && j.status === 'ok'), true)
  })

  test('the body is checked: unknown fields, a params that is not an object, a bad timeout are 400', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [rooms] } })
    assertProblem(await put(gw, 'room:1', { param: {} }), 400, 'BC_ERR_BAD_REQUEST')
    assertProblem(await put(gw, 'room:1', { params: [1] }), 400, 'BC_ERR_BAD_REQUEST')
    assertProblem(await put(gw, 'room:1', { timeoutMs: 0 }), 400, 'BC_ERR_BAD_REQUEST')
    assert.equal(gw.joins.length, 0)
  })
})

describe('DELETE /v1/channels/{topic}', () => {
  test('leaves a dynamic topic: 204, the server sees the leave, its readers get a final channel_closed event', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [rooms] } })
    assert.equal((await put(gw, 'room:1')).status, 201)
    const stream = await SseStream.open(gw.base, 'room:1')
    t.after(() => { stream.close() })
    await stream.event('ready')
    gw.phoenix.broadcast('room:1', 'msg', { n: 1 })
    await stream.event('msg')

    const left = gw.phoenix.waitFor('leave', (l) => l.topic === 'room:1')
    const removed = nextDynamic(gw, 'topic_removed')
    const res = await del(gw, 'room:1')
    assert.equal(res.status, 204)
    assert.equal(res.text, '')
    await left
    assert.deepEqual(await removed, { entry: 'rooms', reason: 'deleted' })
    await stream.endedWithin()
    const final = stream.events.at(-1)
    assert.equal(final?.event, 'channel_closed')
    assert.deepEqual(JSON.parse(final.data), { lastEventId: stream.named('msg')[0]?.id, topic: 'room:1', reason: 'deleted' })
    assert.equal((await listed(gw)).has('room:1'), false)
    assertProblem(await del(gw, 'room:1'), 404, 'BC_ERR_UNKNOWN_TOPIC')
  })
})

describe('GET /v1/channels', () => {
  test('lists configured and dynamic topics with their origin and subscribers', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:cfg')], { config: { dynamic: [rooms] } })
    assert.equal((await put(gw, 'room:pinned')).status, 201)
    const stream = await SseStream.open(gw.base, 'room:demand')
    t.after(() => { stream.close() })
    await stream.event('ready')
    const views = await listed(gw)
    assert.deepEqual([...views.values()].map((v) => [v.topic, v.name, v.origin, v.subscribers]).sort(), [
      ['echo:cfg', 'echo:cfg', 'config', 0],
      ['room:demand', 'rooms', 'dynamic-on-demand', 1],
      ['room:pinned', 'rooms', 'dynamic-pinned', 0],
    ])
  })
})

test('the new routes are in /openapi.json, with their request and response schemas', async (t) => {
  const gw = await startGw(t, [], { config: { dynamic: [rooms] } })
  const doc = (await http(gw.base, '/openapi.json')).json as { paths: Record<string, Record<string, { requestBody?: { required: boolean }, responses: Record<string, unknown> }>> }
  const path = doc.paths['/v1/channels/{topic}']
  assert.ok(path?.['put'] !== undefined && path['delete'] !== undefined)
  assert.equal(path['put'].requestBody?.required, false, 'the body may be left out')
  assert.deepEqual(Object.keys(path['put'].responses).sort(), ['200', '201', '4XX', '5XX'])
  assert.deepEqual(Object.keys(path['delete'].responses).sort(), ['204', '4XX', '5XX'])
})
