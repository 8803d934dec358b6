/**
 * Deadlines on joins and pushes against a server that does not answer in
 * time: the promise rejects with TimeoutError of the right kind, the topic
 * keeps being rejoined, and a late reply changes nothing.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { TimeoutError } from '../../src/phoenix/errors.ts'
import { ok, type ChannelHandler } from '../../src/testing/index.ts'
import { DEADLINE_MS, harness, isError, record } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

describe('join timeout', () => {
  test('a join the server never answers rejects with TimeoutError kind join, and the client tells the server to drop it', async (t) => {
    const releases: Array<() => void> = []
    const never: ChannelHandler = { join: async () => new Promise((resolve) => { releases.push(() => { resolve(ok({})) }) }) }
    const { server, connected } = await harness(t, { channels: { 'slow:*': never, 'echo:*': { join: () => ok({}) } } })
    t.after(() => { for (const release of releases) release() })
    const c = await connected({ joinTimeoutMs: 80, rejoinDelay: () => 10_000 })
    const joinError = nextEvent(c.events, 'join_error')
    const leaveSent = server.waitFor('frame', (f) => f.message.event === 'phx_leave' && f.message.topic === 'slow:never', DEADLINE_MS)
    const started = performance.now()
    await assert.rejects(c.join('slow:never'), isError(TimeoutError, (err) => err.kind === 'join' && err.code === 'BC_ERR_TIMEOUT'))
    assert.ok(performance.now() - started >= 75)
    assert.deepEqual(await joinError, { socket: 0, topic: 'slow:never', reason: 'timeout', attempt: 1, willRetry: true })
    await leaveSent
    assert.equal(c.pool.connections[0]?.session.channelState('slow:never'), 'errored')
  })

  test('a join reply later than joinTimeoutMs: timeout, the late join and its phx_close are stale, and the rejoin succeeds', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ joinTimeoutMs: 60, rejoinDelay: () => 20 })
    const ended = record(c, 'leave')
    const stale = record(c, 'stale')
    server.faults.delayReplies(150)
    const scheduled = nextEvent(c.events, 'rejoin_scheduled', (e) => e.topic === 'echo:late')
    await assert.rejects(c.join('echo:late'), isError(TimeoutError, (err) => err.kind === 'join'))
    assert.equal((await scheduled).attempt, 1)
    server.faults.delayReplies(0)
    await nextEvent(c.events, 'join_ok', (e) => e.topic === 'echo:late')
    assert.deepEqual(await c.push('echo:late', 'ping', { n: 1 }), { n: 1 })
    // The server finished the timed-out joins and closed them (answering our phx_leave): those
    // phx_close frames carry a join_ref that is no longer current, so the topic lives on.
    assert.ok(stale.some((s) => s.event === 'phx_close'), 'the old phx_close was dropped as stale')
    assert.deepEqual(ended, [])
  })

  test('join() with its own timeout option rejects with TimeoutError kind join', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    server.faults.delayReplies(300)
    await assert.rejects(c.join('echo:own', {}, { timeout: 40 }), isError(TimeoutError, (err) => err.kind === 'join'))
  })
})

describe('push timeout', () => {
  test('a push the channel never replies to rejects with TimeoutError kind push after pushTimeoutMs', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ pushTimeoutMs: 60 })
    await c.join('echo:quiet')
    const replies = record(c, 'reply')
    const started = performance.now()
    await assert.rejects(c.push('echo:quiet', 'no_reply', {}), isError(TimeoutError, (err) => err.kind === 'push'))
    assert.ok(performance.now() - started >= 55)
    assert.deepEqual(replies.map((r) => [r.event, r.outcome]), [['no_reply', 'BC_ERR_TIMEOUT']])
    // The channel is still joined and answers the next push.
    assert.deepEqual(await c.push('echo:quiet', 'ping', { still: 'here' }), { still: 'here' })
  })

  test("a push's own timeout overrides pushTimeoutMs", async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ pushTimeoutMs: 10_000 })
    await c.join('echo:own')
    const started = performance.now()
    await assert.rejects(c.request('echo:own', 'no_reply', {}, { timeout: 30 }), isError(TimeoutError, (err) => err.kind === 'push'))
    assert.ok(performance.now() - started < 5000)
  })

  test('a reply that comes after the push timed out is ignored', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('echo:slow')
    server.faults.delayReplies(100)
    const replies = record(c, 'reply')
    const unroutable = record(c, 'unroutable')
    await assert.rejects(c.push('echo:slow', 'first', {}, { timeout: 30 }), isError(TimeoutError))
    // The second reply is sent after the first (same delay): once it arrives, the first was received and dropped.
    assert.deepEqual(await c.push('echo:slow', 'second', { n: 2 }), { n: 2 })
    assert.deepEqual(replies.map((r) => [r.event, r.outcome]), [['first', 'BC_ERR_TIMEOUT'], ['second', 'ok']])
    assert.equal(unroutable.length, 0)
  })
})
