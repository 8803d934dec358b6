/**
 * Liveness on a real socket (reference B4): a server that stops answering
 * heartbeats, or stops reading altogether, is detected; the socket is closed
 * and reconnected, and the channels rejoined once the server answers again.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, record } from '../client/helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

const quick = { heartbeatIntervalMs: 30, heartbeatTimeoutMs: 30 }
// Only the stalled server's reconnects need a short connect deadline (a first connect on a loaded machine can miss 100 ms).
const quickConnect = { ...quick, connectTimeoutMs: 100 }

describe('liveness', () => {
  test('heartbeats answered: the client reports each round trip and stays connected', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ ...quick, heartbeatTimeoutMs: 2000 })
    const lost = record(c, 'liveness_lost')
    for (let i = 0; i < 3; i++) assert.ok((await nextEvent(c.events, 'heartbeat')).rttMs >= 0)
    assert.equal(lost.length, 0)
    assert.equal(server.connections().length, 1)
  })

  test('a server that stops answering heartbeats: liveness_lost heartbeat_timeout, then reconnect and rejoin', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected(quick)
    await c.join('echo:hb')
    const [first] = server.connections()
    const lost = nextEvent(c.events, 'liveness_lost')
    const serverSaw = server.waitFor('disconnect', (d) => d.connectionId === first?.id)
    server.faults.pauseHeartbeats()
    assert.deepEqual(await lost, { socket: 0, reason: 'heartbeat_timeout' })
    // The client drops the socket without a close handshake.
    assert.equal((await serverSaw).code, 1006)

    const rejoin = nextEvent(c.events, 'join_ok', (e) => e.topic === 'echo:hb' && e.rejoin)
    server.faults.resumeHeartbeats()
    await rejoin
    assert.deepEqual(await c.push('echo:hb', 'ping', { back: true }), { back: true })
    await nextEvent(c.events, 'heartbeat')
  })

  test('a stalled server: liveness is lost, reconnects time out while it stays stalled, and the client recovers after resume', async (t) => {
    const { server, opened } = await harness(t)
    // A first dial on a loaded machine can miss the 100 ms deadline: the test starts once a socket is open.
    const c = await opened(quickConnect)
    await c.join('room:stall')
    const lost = nextEvent(c.events, 'liveness_lost')
    const timedOut = nextEvent(c.events, 'connect_fail', (e) => e.reason === 'BC_ERR_TIMEOUT')
    server.faults.stall()
    const stalledAt = performance.now()
    assert.equal((await lost).socket, 0)
    const failure = await timedOut
    assert.ok(failure.attempt >= 2)
    assert.ok(performance.now() - stalledAt >= quickConnect.connectTimeoutMs)
    assert.equal(c.stats().topicsJoined, 0)

    const rejoin = nextEvent(c.events, 'join_ok', (e) => e.topic === 'room:stall' && e.rejoin)
    server.faults.resume()
    await rejoin
    const shout = c.nextMessage('room:stall', { event: 'shout', timeout: 1000 })
    await c.push('room:stall', 'shout', { after: 'stall' })
    assert.deepEqual((await shout).payload, { after: 'stall' })
  })

  test('silence alone (maxSilenceMs shorter than the heartbeat interval) is reported as silence', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ heartbeatIntervalMs: 10_000, maxSilenceMs: 40 })
    const lost = await nextEvent(c.events, 'liveness_lost')
    assert.deepEqual(lost, { socket: 0, reason: 'silence' })
    await nextEvent(c.events, 'connect_ok')
  })

  test('a push sent before liveness is lost fails with DisconnectedError sent: true', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected(quick)
    await c.join('echo:lost')
    server.faults.pauseHeartbeats()
    await assert.rejects(c.push('echo:lost', 'no_reply', {}, { timeout: 5000 }), (err: unknown) =>
      err instanceof Error && (err as { code?: unknown }).code === 'BC_ERR_DISCONNECTED' && (err as { sent?: unknown }).sent === true)
  })
})
