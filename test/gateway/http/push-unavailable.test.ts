/**
 * 503 with Retry-After: the push cannot be delivered now, and trying again
 * later may work. The upstream is down (the push waits for a join that does
 * not come), the connection drops after the push went out, the push buffer
 * is full, or the sidecar is draining.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { channelConfig } from '../helpers.ts'
import { assertProblem, assertQuietLogs, clientOf, gatewayWithUpstreamDown, joined, push, stateOf, startGw } from './support.ts'
import { nextEvent } from '../../helpers/wait.ts'

describe('503: not deliverable now', () => {
  test('with the upstream down, a push waits for the rejoin until its deadline, then 503 BC_ERR_TIMEOUT (never sent)', async (t) => {
    const gw = await gatewayWithUpstreamDown(t, 'echo:lobby')
    assert.equal(stateOf(gw, 'echo:lobby'), 'errored')

    const res = await push(gw, 'echo:lobby', { event: 'hello', payload: {}, timeoutMs: 100 })
    const problem = assertProblem(res, 503, 'BC_ERR_TIMEOUT')
    assert.match(problem.message, /never sent/)
    assert.equal(res.headers.get('retry-after'), '1')
    assertQuietLogs(gw)
  })

  test('a push never sent carries the channel\'s last error: an upstream url with /websocket twice gets 404 on every connect', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')], { url: (endpoint) => `${endpoint}/websocket`, upstream: { reconnectBackoffMs: [20] } })
    await nextEvent(clientOf(gw).events, 'connect_fail', (e) => e.status === 404)
    const res = await push(gw, 'echo:lobby', { event: 'hello', payload: {}, timeoutMs: 100 })
    const problem = assertProblem(res, 503, 'BC_ERR_TIMEOUT')
    assert.match(problem.message, /never sent/)
    const { lastError } = problem.details as { lastError: { code: string, message: string, at: string } }
    assert.equal(lastError.code, 'BC_ERR_CONNECT_REFUSED')
    assert.match(lastError.message, /upgrade refused with 404/)
    assert.ok(!Number.isNaN(Date.parse(lastError.at)))
  })

  test('a push never sent to an unreachable upstream names the connect error\'s cause', async (t) => {
    const gw = await gatewayWithUpstreamDown(t, 'echo:lobby')
    await nextEvent(clientOf(gw).events, 'connect_fail', (e) => e.cause === 'ECONNREFUSED')
    const problem = assertProblem(await push(gw, 'echo:lobby', { event: 'hello', payload: {}, timeoutMs: 100 }), 503, 'BC_ERR_TIMEOUT')
    const { lastError } = problem.details as { lastError: { code: string, message: string } }
    assert.equal(lastError.code, 'BC_ERR_CONNECT')
    assert.match(lastError.message, /ECONNREFUSED/)
  })

  test('a push waiting for the upstream goes out once it is back, and gets its 200', async (t) => {
    const gw = await gatewayWithUpstreamDown(t, 'echo:lobby')
    const buffered = nextEvent(clientOf(gw).events, 'buffer_depth', (e) => e.depth === 1)
    const pending = push(gw, 'echo:lobby', { event: 'late', payload: { n: 1 }, timeoutMs: 8000 })
    await buffered
    await gw.phoenix.faults.start()
    const res = await pending
    assert.equal(res.status, 200)
    assert.deepEqual(res.json, { status: 'ok', response: { n: 1 } })
  })

  test('a push already sent when the connection drops is 503 BC_ERR_DISCONNECTED (its reply is lost)', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const sent = gw.phoenix.waitFor('frame', (e) => e.message.event === 'no_reply')
    const pending = push(gw, 'echo:lobby', { event: 'no_reply', payload: {}, timeoutMs: 8000 })
    await sent
    gw.phoenix.faults.dropAll()
    const problem = assertProblem(await pending, 503, 'BC_ERR_DISCONNECTED')
    assert.match(problem.message, /may have been processed/)
  })

  test('when the push buffer is full, one more push is 503 BC_ERR_BUFFER_FULL at once; the buffered ones still go out', async (t) => {
    const gw = await gatewayWithUpstreamDown(t, 'echo:lobby', { upstream: { maxBufferedPushes: 2 } })

    const full = nextEvent(clientOf(gw).events, 'buffer_depth', (e) => e.depth === 2)
    const first = push(gw, 'echo:lobby', { event: 'e', payload: 1, timeoutMs: 8000 })
    const second = push(gw, 'echo:lobby', { event: 'e', payload: 2, timeoutMs: 8000 })
    await full
    // Answered while the upstream is still down and long before its deadline: refused at once.
    const res = await push(gw, 'echo:lobby', { event: 'e', payload: 3, timeoutMs: 120_000 })
    const problem = assertProblem(res, 503, 'BC_ERR_BUFFER_FULL')
    assert.match(problem.message, /2/)

    await gw.phoenix.faults.start()
    assert.deepEqual([(await first).json, (await second).json], [{ status: 'ok', response: 1 }, { status: 'ok', response: 2 }])
  })

  test('while draining, a push is 503 BC_ERR_DRAINING and never reaches the server', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const pushes: string[] = []
    gw.phoenix.events.on('frame', (e) => { if (!e.message.event.startsWith('phx_') && e.message.topic !== 'phoenix') pushes.push(e.message.event) })
    gw.daemon.broker.drain()
    const res = await push(gw, 'echo:lobby', { event: 'hello', payload: {} })
    assertProblem(res, 503, 'BC_ERR_DRAINING')
    assert.equal(res.headers.get('retry-after'), '1')
    // Draining is checked before the topic: an unknown topic is also 503, not 404.
    assertProblem(await push(gw, 'echo:unknown', { event: 'hello' }), 503, 'BC_ERR_DRAINING')
    // The channel is still joined: a push straight through the client is answered, and was the only one the server saw.
    assert.deepEqual(await clientOf(gw).request('echo:lobby', 'direct', { n: 1 }), { status: 'ok', response: { n: 1 } })
    assert.deepEqual(pushes, ['direct'])
  })

  test('a push in flight when draining starts still gets its reply', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    gw.phoenix.faults.delayReplies(50)
    const sent = gw.phoenix.waitFor('frame', (e) => e.message.event === 'slow')
    const pending = push(gw, 'echo:lobby', { event: 'slow', payload: { n: 7 } })
    await sent
    gw.daemon.broker.drain()
    assert.deepEqual((await pending).json, { status: 'ok', response: { n: 7 } })
  })
})
