/**
 * Every push ends in exactly one outcome, and each failure has its typed
 * error: not joined, closed, the socket's send buffer over its limit.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { SendBufferFullError } from '../../src/connection/errors.ts'
import { ReplyError } from '../../src/client/reply-error.ts'
import type { PushOutcome } from '../../src/phoenix/session-types.ts'
import { ClosedError, DisconnectedError, NotJoinedError } from '../../src/phoenix/errors.ts'
import { DEADLINE_MS, harness, isError, record, until } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

function label (outcome: PushOutcome): string {
  return outcome.kind === 'reply' ? outcome.status : outcome.error.code
}

describe('exactly one outcome', () => {
  test('every push ends once: replies, errors, timeouts, a crash, a dropped socket and the buffer', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ pushTimeoutMs: 2000 })
    await c.join('echo:once')
    const calls: number[] = []
    const outcomes: string[] = []
    const push = (event: string, timeoutMs?: number): void => {
      const i = calls.push(0) - 1
      c.pool.push('echo:once', event, { i }, timeoutMs === undefined ? {} : { timeoutMs }, (outcome) => {
        calls[i] = (calls[i] ?? 0) + 1
        outcomes[i] = label(outcome)
      })
    }
    const events = record(c, 'reply')
    const settled = (): boolean => calls.every((n) => n > 0)

    // Replies of each status and a timeout; then a crash with pushes in flight and behind it.
    for (const event of ['ping', 'error_reply']) push(event)
    push('no_reply', 30)
    await until(c, settled, 'replies and timeout settled')
    assert.deepEqual(outcomes, ['ok', 'error', 'BC_ERR_TIMEOUT'])
    for (const event of ['no_reply', 'crash', 'after1', 'after2']) push(event)
    await until(c, settled, 'crash batch settled')
    assert.deepEqual(outcomes.slice(3, 5), ['BC_ERR_CHANNEL_CLOSED', 'BC_ERR_CHANNEL_CLOSED'])
    await nextEvent(c.events, 'join_ok', (e) => e.rejoin)

    // Sent pushes when the socket drops, then pushes made while it is down.
    const first = calls.length
    push('no_reply')
    push('no_reply')
    const down = nextEvent(c.events, 'disconnect')
    server.faults.dropAll()
    await down
    push('buffered1')
    push('buffered2')
    await until(c, settled, 'second batch settled')
    assert.deepEqual(outcomes.slice(first), ['BC_ERR_DISCONNECTED', 'BC_ERR_DISCONNECTED', 'ok', 'ok'])

    // Ordering proof that no second outcome is on its way: one more round trip.
    assert.deepEqual(await c.push('echo:once', 'last', { n: 1 }), { n: 1 })
    assert.ok(calls.every((n) => n === 1), `outcome counts ${calls.join(',')}`)
    assert.equal(events.length, calls.length + 1)
    assert.equal(c.stats().pendingPushes, 0)
    assert.equal(c.stats().bufferedPushes, 0)
  })

  test('a push reply that is not ok rejects push() with ReplyError; request() resolves with it', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('echo:status')
    await assert.rejects(c.push('echo:status', 'error_reply', { why: 'bad' }), isError(ReplyError, (err) =>
      err.code === 'BC_ERR_REPLY' && err.status === 'error' && JSON.stringify(err.response) === '{"why":"bad"}'))
    assert.deepEqual(await c.request('echo:status', 'error_reply', { why: 'bad' }), { status: 'error', response: { why: 'bad' } })
  })
})

describe('typed errors', () => {
  test('a push to a topic never joined, or left, fails with NotJoinedError', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await assert.rejects(c.push('echo:nowhere', 'x', {}), isError(NotJoinedError, (err) => err.code === 'BC_ERR_NOT_JOINED'))
    await c.join('echo:left')
    await c.leave('echo:left')
    await assert.rejects(c.push('echo:left', 'x', {}), isError(NotJoinedError))
  })

  test('with an AbortSignal, a push that fails at once still fails with its own error', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    const signal = new AbortController().signal
    await assert.rejects(c.push('echo:nowhere', 'x', {}, { signal }), isError(NotJoinedError))
    await c.join('echo:left-signal')
    await c.leave('echo:left-signal')
    await assert.rejects(c.request('echo:left-signal', 'x', {}, { signal }), isError(NotJoinedError))
  })

  test('after close() every call fails with ClosedError', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('echo:closed')
    await c.close()
    await assert.rejects(c.push('echo:closed', 'x', {}), isError(ClosedError, (err) => err.code === 'BC_ERR_CLOSED'))
    await assert.rejects(c.request('echo:closed', 'x', {}), isError(ClosedError))
    await assert.rejects(c.join('echo:other'), isError(ClosedError))
    await assert.rejects(c.connect(), isError(ClosedError))
    await assert.rejects(c.nextMessage('echo:closed'), isError(ClosedError))
    await c.close()
  })

  test('a push in flight when close() is called fails with ClosedError', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('echo:inflight')
    const sent = nextEvent(c.events, 'push_sent')
    const pending = c.push('echo:inflight', 'no_reply', {})
    await sent
    const failed = assert.rejects(pending, isError(ClosedError))
    await c.close()
    await failed
  })

  test('a push sent before the socket dropped fails with DisconnectedError sent: true', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('echo:drop')
    const sent = nextEvent(c.events, 'push_sent')
    const pending = c.push('echo:drop', 'no_reply', {})
    await sent
    const failed = assert.rejects(pending, isError(DisconnectedError, (err) => err.sent && err.code === 'BC_ERR_DISCONNECTED'))
    server.faults.dropAll()
    await failed
  })

  test("the socket's send queue over maxSendBufferBytes fails the push with SendBufferFullError; earlier pushes still get their replies", async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ maxSendBufferBytes: 1, heartbeatIntervalMs: 60_000, pushTimeoutMs: 20_000 })
    await c.join('echo:full')
    server.faults.stall()
    const big = 'x'.repeat(1 << 20)
    const accepted: Array<Promise<PushOutcome>> = []
    let refusal: unknown
    for (let i = 0; i < 64 && refusal === undefined; i++) {
      // A refused push fails inside push() itself; an accepted one waits while the server is stalled.
      accepted.push(new Promise((resolve) => {
        c.pool.push('echo:full', 'big', { i, big }, {}, (outcome) => {
          if (outcome.kind === 'failed' && refusal === undefined) refusal = outcome.error
          resolve(outcome)
        })
      }))
    }
    assert.ok(refusal instanceof SendBufferFullError, `got ${String(refusal)}`)
    assert.equal(refusal.code, 'BC_ERR_SEND_BUFFER_FULL')
    const refused = await accepted.pop()
    assert.equal(refused?.kind, 'failed')
    assert.ok(accepted.length >= 1)
    assert.ok(c.pool.connections[0]!.stats().sendBufferBytes > 1)
    server.faults.resume()
    const replies = await Promise.all(accepted)
    assert.deepEqual(replies.map((r) => r.kind === 'reply' ? (r.response as { i: number }).i : label(r)), accepted.map((_, i) => i))
    assert.ok(c.pool.connections[0]!.stats().sendBufferBytes <= 1)
    assert.deepEqual(await c.push('echo:full', 'small', { ok: true }, { timeout: DEADLINE_MS }), { ok: true })
  })
})
