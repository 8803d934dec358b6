/**
 * POST /v1/channels/{topic}/push answers with the channel's reply or one
 * problem: 200 ok, 422 for any other reply status, 504 when no reply came,
 * 502 when the join was refused or the channel crashed, 404 for a topic that
 * is not configured; topics are found raw or URL-encoded, and ?upstream=
 * picks one of several upstreams carrying the same topic.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ok, reply, type ChannelHandler } from '../../../src/testing/index.ts'
import { channelConfig } from '../helpers.ts'
import { assertProblem, assertQuietLogs, clientOf, joined, push, startGw, startTwoUpstreams } from './support.ts'
import { nextEvent } from '../../helpers/wait.ts'

describe('push outcomes', () => {
  test('an ok reply is 200 with {status: "ok", response}', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const res = await push(gw, 'echo:lobby', { event: 'hello', payload: { n: 1, list: [1, 'two'] } })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
    assert.deepEqual(res.json, { status: 'ok', response: { n: 1, list: [1, 'two'] } })
    assertQuietLogs(gw)
  })

  test('a push without payload sends {} to the channel', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const frame = gw.phoenix.waitFor('frame', (e) => e.message.event === 'bare')
    const res = await push(gw, 'echo:lobby', { event: 'bare' })
    assert.deepEqual((await frame).message.payload, {})
    assert.deepEqual(res.json, { status: 'ok', response: {} })
  })

  test("the channel's error reply is 422 with its status and response", async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const res = await push(gw, 'echo:lobby', { event: 'error_reply', payload: { reason: 'out of stock' } })
    assert.equal(res.status, 422)
    assert.deepEqual(res.json, { status: 'error', response: { reason: 'out of stock' } })
  })

  test('a reply with a custom status is 422 and keeps that status', async (t) => {
    const custom: ChannelHandler = {
      join: () => ok({}),
      handleIn: (_event, payload) => reply('throttled', payload),
    }
    const gw = await startGw(t, [channelConfig('custom:1')], { phoenix: { channels: { 'custom:*': custom } } })
    await joined(gw, 'custom:1')
    const res = await push(gw, 'custom:1', { event: 'go', payload: { wait: 3 } })
    assert.equal(res.status, 422)
    assert.deepEqual(res.json, { status: 'throttled', response: { wait: 3 } })
  })

  test('no reply within timeoutMs is 504 BC_ERR_TIMEOUT, and the gateway has nothing left in flight', async (t) => {
    // Defaults far beyond the request deadline: only the push's own timeoutMs can end it in time.
    const gw = await startGw(t, [channelConfig('echo:lobby')], { config: { pushTimeoutMs: 120_000 }, upstream: { pushTimeoutMs: 120_000 } })
    await joined(gw, 'echo:lobby')
    const res = await push(gw, 'echo:lobby', { event: 'no_reply', payload: {}, timeoutMs: 80 })
    assertProblem(res, 504, 'BC_ERR_TIMEOUT')
    assert.equal(res.headers.get('retry-after'), null)
    assert.equal(clientOf(gw).stats().pendingPushes, 0)
    assertQuietLogs(gw)
  })

  test('a channel that crashes while the push waits is 502 BC_ERR_CHANNEL_CLOSED, and the channel is rejoined', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')], { upstream: { rejoinBackoffMs: [5] } })
    await joined(gw, 'echo:lobby')
    const crashed = gw.phoenix.waitFor('channelEnd', (e) => e.topic === 'echo:lobby')
    const rejoin = nextEvent(clientOf(gw).events, 'join_ok', (e) => e.topic === 'echo:lobby' && e.rejoin)
    const res = await push(gw, 'echo:lobby', { event: 'crash', payload: {} })
    const problem = assertProblem(res, 502, 'BC_ERR_CHANNEL_CLOSED')
    assert.match(problem.message, /crashed/)
    assert.ok((await crashed).reason !== 'normal')
    await rejoin
    assert.equal((await push(gw, 'echo:lobby', { event: 'again', payload: 1 })).status, 200)
  })

  test('a push to a channel whose join the server refused is 502 BC_ERR_JOIN_REFUSED', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:refused', { params: { refuse: 'nope' } }), channelConfig('echo:fine')], {
      upstream: { maxJoinRefusals: 100, rejoinBackoffMs: [60_000] },
    })
    const refused = nextEvent(clientOf(gw).events, 'join_error', (e) => e.topic === 'echo:refused')
    await joined(gw, 'echo:fine')
    assert.equal((await refused).reason, 'refused')
    const res = await push(gw, 'echo:refused', { event: 'hello', payload: {} })
    const problem = assertProblem(res, 502, 'BC_ERR_JOIN_REFUSED')
    assert.match(problem.message, /echo:refused/)
    assert.deepEqual(problem.details, { response: { reason: 'nope' } }, 'the server\'s reason is passed on')
    const attempts = gw.joins.filter((j) => j.topic === 'echo:refused')
    assert.ok(attempts.length > 0 && attempts.every((j) => j.status !== 'ok'), 'the server never joined it')
    // The other channel on the same socket is unaffected.
    assert.equal((await push(gw, 'echo:fine', { event: 'hello', payload: {} })).status, 200)
  })

  test('a topic that is not configured is 404 BC_ERR_UNKNOWN_TOPIC, and nothing reaches the server', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const pushes: string[] = []
    gw.phoenix.events.on('frame', (e) => { if (!e.message.event.startsWith('phx_')) pushes.push(e.message.topic) })
    const problem = assertProblem(await push(gw, 'echo:other', { event: 'hello' }), 404, 'BC_ERR_UNKNOWN_TOPIC')
    assert.match(problem.message, /echo:other/)
    assert.equal((await push(gw, 'echo:lobby', { event: 'hello' })).status, 200)
    assert.deepEqual(pushes, ['echo:lobby'], 'only the later, valid push went out')
  })
})

describe('topics in the path', () => {
  test('a topic with ":" is found raw and URL-encoded (%3A)', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const raw = await push(gw, 'echo:lobby', { event: 'e', payload: { via: 'raw' } })
    const encoded = await push(gw, 'echo%3Alobby', { event: 'e', payload: { via: 'encoded' } })
    const lower = await push(gw, 'echo%3alobby', { event: 'e', payload: { via: 'lower' } })
    assert.deepEqual([raw.json, encoded.json, lower.json], [
      { status: 'ok', response: { via: 'raw' } },
      { status: 'ok', response: { via: 'encoded' } },
      { status: 'ok', response: { via: 'lower' } },
    ])
  })

  test('topics with "/", spaces, "?" "#" and "%" are found when URL-encoded', async (t) => {
    const topics = ['echo:org/42', 'echo:a b?c#d%e']
    const gw = await startGw(t, topics.map((topic) => channelConfig(topic)))
    for (const topic of topics) {
      await joined(gw, topic)
      const frame = gw.phoenix.waitFor('frame', (e) => e.message.event === 'which')
      const res = await push(gw, encodeURIComponent(topic), { event: 'which', payload: { topic } })
      assert.deepEqual(res.json, { status: 'ok', response: { topic } })
      assert.equal((await frame).message.topic, topic)
    }
  })

  test('a topic carried by two upstreams needs ?upstream=, which picks the server', async (t) => {
    const answer = (server: string): ChannelHandler => ({ join: () => ok({}), handleIn: () => ok({ server }) })
    const gw = await startTwoUpstreams(t, [
      channelConfig('shared:1', { name: 'shared-a', upstream: 'a' }),
      channelConfig('shared:1', { name: 'shared-b', upstream: 'b' }),
      channelConfig('only:a', { upstream: 'a' }),
    ], { channels: { 'shared:*': answer('a'), 'only:*': answer('a') } }, { channels: { 'shared:*': answer('b') } })
    await joined(gw, 'shared:1', 'a')
    await joined(gw, 'shared:1', 'b')
    await joined(gw, 'only:a', 'a')

    const problem = assertProblem(await push(gw, 'shared:1', { event: 'who' }), 400, 'BC_ERR_AMBIGUOUS_TOPIC')
    assert.match(problem.message, /upstream=/)
    assert.deepEqual((await push(gw, 'shared%3A1', { event: 'who' }, { query: '?upstream=a' })).json, { status: 'ok', response: { server: 'a' } })
    assert.deepEqual((await push(gw, 'shared:1', { event: 'who' }, { query: '?upstream=b' })).json, { status: 'ok', response: { server: 'b' } })
    // A topic carried once needs no upstream; naming the wrong upstream is not found.
    assert.deepEqual((await push(gw, 'only:a', { event: 'who' })).json, { status: 'ok', response: { server: 'a' } })
    assertProblem(await push(gw, 'only:a', { event: 'who' }, { query: '?upstream=b' }), 404, 'BC_ERR_UNKNOWN_TOPIC')
    assertProblem(await push(gw, 'shared:1', { event: 'who' }, { query: '?upstream=zzz' }), 404, 'BC_ERR_UNKNOWN_TOPIC')
  })
})
