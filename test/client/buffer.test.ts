/**
 * The push buffer (reference B6): pushes made while a topic is joining, or
 * while the socket is down, wait with their deadlines running and go out in
 * order once joined; the buffer is bounded.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BufferFullError, ClosedError, TimeoutError } from '../../src/phoenix/errors.ts'
import { DEADLINE_MS, harness, isError, record, recorder } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

describe('buffered pushes', () => {
  test('pushes made while the join is in flight are sent in order once joined', async (t) => {
    const { handler, seen } = recorder()
    const { server, connected } = await harness(t, { channels: { 'order:*': handler } })
    const c = await connected()
    server.faults.delayReplies(50)
    const depths = record(c, 'buffer_depth')
    const joined = c.join('order:joining')
    const pushes = ['p0', 'p1', 'p2', 'p3', 'p4'].map(async (event) => c.push('order:joining', event, {}))
    assert.equal(c.stats().bufferedPushes, 5)
    await joined
    assert.deepEqual(await Promise.all(pushes), ['p0', 'p1', 'p2', 'p3', 'p4'].map((event) => ({ event })))
    assert.deepEqual(seen.get('order:joining'), ['p0', 'p1', 'p2', 'p3', 'p4'])
    assert.deepEqual(depths.map((d) => d.depth), [1, 2, 3, 4, 5, 0])
    assert.equal(c.stats().bufferedPushes, 0)
  })

  test('pushes made while disconnected wait for the reconnect and rejoin, then go out in order', async (t) => {
    const { handler, seen } = recorder()
    const { server, connected } = await harness(t, { channels: { 'order:*': handler } })
    const c = await connected({ pushTimeoutMs: DEADLINE_MS })
    await c.join('order:offline')
    await c.push('order:offline', 'before', {})

    const down = nextEvent(c.events, 'disconnect')
    await server.faults.stop()
    assert.equal((await down).code, 1012)
    await nextEvent(c.events, 'connect_fail', (e) => e.reason === 'BC_ERR_CONNECT')
    const pushes = ['d0', 'd1', 'd2'].map(async (event) => c.push('order:offline', event, {}))
    assert.equal(c.stats().bufferedPushes, 3)
    await server.faults.start()
    assert.deepEqual(await Promise.all(pushes), [{ event: 'd0' }, { event: 'd1' }, { event: 'd2' }])
    assert.deepEqual(seen.get('order:offline'), ['before', 'd0', 'd1', 'd2'])
  })

  test('a push that waits in the buffer past its deadline fails with TimeoutError kind push and is never sent', async (t) => {
    const { handler, seen } = recorder()
    const { server, connected } = await harness(t, { channels: { 'order:*': handler } })
    const c = await connected()
    server.faults.delayReplies(120)
    const joined = c.join('order:expire')
    const expired = c.push('order:expire', 'expired', {}, { timeout: 30 })
    const kept = c.push('order:expire', 'kept', {}, { timeout: DEADLINE_MS })
    await assert.rejects(expired, isError(TimeoutError, (err) => err.kind === 'push'))
    await joined
    assert.deepEqual(await kept, { event: 'kept' })
    assert.deepEqual(seen.get('order:expire'), ['kept'])
  })

  test('the buffer is bounded: with maxBufferedPushes 3 the 4th push fails at once with BufferFullError', async (t) => {
    const { handler, seen } = recorder()
    const { server, connected } = await harness(t, { channels: { 'order:*': handler } })
    const c = await connected({ maxBufferedPushes: 3 })
    server.faults.delayReplies(50)
    const joined = c.join('order:full')
    const accepted = ['b0', 'b1', 'b2'].map(async (event) => c.push('order:full', event, {}))
    await assert.rejects(c.push('order:full', 'b3', {}), isError(BufferFullError, (err) => err.code === 'BC_ERR_BUFFER_FULL'))
    await joined
    assert.deepEqual(await Promise.all(accepted), [{ event: 'b0' }, { event: 'b1' }, { event: 'b2' }])
    assert.deepEqual(seen.get('order:full'), ['b0', 'b1', 'b2'])
    // Once flushed there is room again.
    assert.deepEqual(await c.push('order:full', 'b4', {}), { event: 'b4' })
  })

  test('buffered pushes fail with ClosedError when the client is closed before the join', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    server.faults.delayReplies(200)
    const joined = c.join('echo:closing')
    const pushes = [c.push('echo:closing', 'a', {}), c.push('echo:closing', 'b', {})]
    const failures = Promise.all([joined, ...pushes].map(async (p) => assert.rejects(p, isError(ClosedError))))
    await c.close()
    await failures
  })
})
