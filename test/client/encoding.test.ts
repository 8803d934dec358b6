/**
 * Payloads the serializer cannot encode (bytes on V1, a BigInt, a cycle)
 * fail their own push or join with a ProtocolError, exactly once, and
 * nothing else: pushes queued behind them still go out, and the session
 * keeps working.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ProtocolError } from '../../src/phoenix/errors.ts'
import type { PushOutcome } from '../../src/phoenix/session-types.ts'
import { harness, isError, record } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

describe('payloads that cannot be encoded', () => {
  test('bytes on V1 fail that push once with ProtocolError binary_not_supported; the channel keeps working', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ vsn: '1.0.0' })
    await c.join('echo:v1-bytes')
    const replies = record(c, 'reply')
    const outcomes: PushOutcome[] = []
    c.pool.push('echo:v1-bytes', 'blob', new Uint8Array([1, 2]), {}, (o) => outcomes.push(o))
    assert.equal(outcomes.length, 1)
    assert.ok(outcomes[0]?.kind === 'failed' && outcomes[0].error instanceof ProtocolError && outcomes[0].error.fault === 'binary_not_supported')
    assert.deepEqual(await c.push('echo:v1-bytes', 'ping', { n: 1 }), { n: 1 })
    assert.equal(outcomes.length, 1)
    assert.deepEqual(replies.map((r) => [r.event, r.outcome]), [['blob', 'BC_ERR_PROTOCOL'], ['ping', 'ok']])
    assert.equal(c.stats().pendingPushes, 0)
  })

  test('an unencodable push waiting for the join fails alone; the pushes behind it are still sent', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ vsn: '1.0.0' })
    server.faults.delayReplies(30)
    const joined = c.join('echo:v1-buffered')
    const bad = c.push('echo:v1-buffered', 'blob', new Uint8Array([1]))
    const good = c.push('echo:v1-buffered', 'ping', { n: 2 })
    await assert.rejects(bad, isError(ProtocolError, (err) => err.code === 'BC_ERR_PROTOCOL'))
    await joined
    assert.deepEqual(await good, { n: 2 })
  })

  test('a BigInt or a cycle in a V2 payload fails the push with ProtocolError bad_field', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('echo:json')
    await assert.rejects(c.push('echo:json', 'big', { n: 1n }), isError(ProtocolError, (err) => err.fault === 'bad_field'))
    const cycle: Record<string, unknown> = {}
    cycle['self'] = cycle
    await assert.rejects(c.push('echo:json', 'cycle', cycle), isError(ProtocolError, (err) => err.fault === 'bad_field'))
    assert.deepEqual(await c.push('echo:json', 'ping', {}), {})
  })

  test('join params that cannot be encoded fail the join and give the topic up; the socket lives on', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ joinTimeoutMs: 50 })
    const starts = record(c, 'join_start')
    const gaveUp = nextEvent(c.events, 'leave', (e) => e.topic === 'echo:bad-params')
    await assert.rejects(c.join('echo:bad-params', { n: 1n }), isError(ProtocolError, (err) => err.fault === 'bad_field'))
    assert.deepEqual(await gaveUp, { socket: 0, topic: 'echo:bad-params', reason: 'refused' })
    assert.equal(c.pool.socketOf('echo:bad-params'), undefined)
    // The session no longer wants the topic, so no timer can retry it; the same socket still answers.
    assert.deepEqual(c.pool.connections[0]!.session.topics(), [])
    await c.join('echo:fine')
    assert.deepEqual(await c.push('echo:fine', 'ping', {}, { timeout: 1000 }), {})
    assert.deepEqual(starts.map((s) => s.topic), ['echo:fine'])
    assert.equal(c.stats().socketsConnected, 1)
  })
})
