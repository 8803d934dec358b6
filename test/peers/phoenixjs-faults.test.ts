/**
 * phoenix.js against the fake server when things go wrong: channel crashes
 * (phx_error), server-side closes and restarts, the server's idle timeout,
 * and phoenix.js's own heartbeat timeout (reference A9, A10, B3, B4).
 * Small timers (`reconnectAfterMs`, `rejoinAfterMs` of 10 ms) make every
 * recovery take milliseconds.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DEADLINE_MS, closed, field, join, nextChannelEvent, opened, peers, receive, type SocketOptions,
} from './phoenixjs-helpers.ts'

const fast: SocketOptions = { reconnectAfterMs: () => 10, rejoinAfterMs: () => 10 }

describe('phoenix.js peer: channel crash', () => {
  test('a handler crash sends phx_error: channel.onError fires and phoenix.js rejoins with a new join_ref', async (t) => {
    const { server, connect } = await peers(t)
    const channel = (await connect(fast)).channel('echo:crashy')
    const firstJoin = server.waitFor('join', (j) => j.topic === 'echo:crashy', DEADLINE_MS)
    await join(channel)
    const { joinRef: first } = await firstJoin

    const errored = nextChannelEvent(channel, 'phx_error')
    const rejoined = server.waitFor('join', (j) => j.topic === 'echo:crashy' && j.joinRef !== first, DEADLINE_MS)
    const crashed = server.waitFor('channelEnd', (e) => e.topic === 'echo:crashy', DEADLINE_MS)
    channel.push('crash', {}, 50) // never answered: a short push timeout so no timer outlives the test
    assert.deepEqual(await errored, { reason: 'channel_crash' })
    assert.match((await crashed).reason, /^crash/)
    const second = await rejoined
    assert.equal(second.status, 'ok')
    assert.notEqual(second.joinRef, null)
    assert.deepEqual(await receive(channel.push('after', { n: 1 })), { status: 'ok', response: { n: 1 } })
    assert.equal(channel.state, 'joined')
  })
})

describe('phoenix.js peer: server closes', () => {
  test('a server close with 1011 makes phoenix.js reconnect and rejoin its channel', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect(fast)
    const channel = socket.channel('room:resilient')
    const firstJoin = server.waitFor('join', (j) => j.topic === 'room:resilient', DEADLINE_MS)
    await join(channel)
    const { connectionId: before } = await firstJoin

    const closing = closed(socket)
    const reconnected = server.waitFor('connect', (c) => c.connectionId !== before, DEADLINE_MS)
    const rejoined = server.waitFor('join', (j) => j.topic === 'room:resilient' && j.connectionId !== before, DEADLINE_MS)
    assert.equal(server.faults.closeAll(1011), 1)
    assert.equal((await closing).code, 1011)
    await reconnected
    assert.equal((await rejoined).status, 'ok')
    const news = nextChannelEvent(channel, 'news')
    assert.equal(server.broadcast('room:resilient', 'news', { back: true }), 1)
    assert.deepEqual(await news, { back: true })
  })

  test('a server restart (drain: close 1012, port down, up again) is followed by reconnect and rejoin', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect(fast)
    const channel = socket.channel('echo:restart')
    await join(channel)

    const closing = closed(socket)
    const rejoined = server.waitFor('join', (j) => j.topic === 'echo:restart', DEADLINE_MS)
    await server.faults.restart()
    assert.equal((await closing).code, 1012)
    assert.equal((await rejoined).status, 'ok')
    assert.deepEqual(await receive(channel.push('again', { n: 2 })), { status: 'ok', response: { n: 2 } })
  })

  test('phoenix.js 1.8.16 reconnects even after a server close with code 1000 (it only stays down after its own disconnect)', async (t) => {
    // Reference B3 (read from 1.8.12) says 1000 stops reconnects; 1.8.16's onConnClose reconnects any close it did not start.
    const { server, connect } = await peers(t)
    const socket = await connect(fast)
    const [before] = server.connections()
    const closing = closed(socket)
    const reconnected = server.waitFor('connect', (c) => c.connectionId !== before?.id, DEADLINE_MS)
    assert.equal(server.faults.closeAll(1000), 1)
    assert.equal((await closing).code, 1000)
    await reconnected
  })

  test('after socket.disconnect() phoenix.js schedules no reconnect (reconnectAfterMs is never asked)', async (t) => {
    const { server, connect } = await peers(t)
    let asked = 0
    const socket = await connect({ ...fast, reconnectAfterMs: () => { asked++; return 10 } })
    const gone = server.waitFor('disconnect', undefined, DEADLINE_MS)
    // phoenix.js asks reconnectAfterMs synchronously when it schedules a reconnect, before calling onClose callbacks.
    const closing = closed(socket)
    socket.disconnect(undefined, 1000)
    const close = await closing
    assert.equal(close.code, 1000)
    assert.equal((await gone).code, 1000)
    assert.equal(asked, 0)
    assert.equal(socket.isConnected(), false)
  })

  test('a server close with 1011 asks reconnectAfterMs at once, before onClose runs (the control for the test above)', async (t) => {
    const { server, connect } = await peers(t)
    let asked = 0
    const socket = await connect({ ...fast, reconnectAfterMs: () => { asked++; return 10 } })
    const askedAtClose = new Promise<number>((resolve) => { socket.onClose(() => { resolve(asked) }) })
    const reopened = opened(socket)
    server.faults.closeAll(1011)
    assert.equal(await askedAtClose, 1)
    await reopened
  })
})

describe('phoenix.js peer: timeouts', () => {
  test('the server\'s idle timeout closes a silent phoenix.js socket with 1002 (Bandit)', async (t) => {
    const { server, connect } = await peers(t, { idleTimeoutMs: 150 })
    const socket = await connect({ heartbeatIntervalMs: 60_000, reconnectAfterMs: () => 60_000 })
    const closing = closed(socket)
    const gone = server.waitFor('disconnect', undefined, DEADLINE_MS)
    assert.equal((await closing).code, 1002)
    assert.equal((await gone).code, 1002)
  })

  test('heartbeat replies withheld: phoenix.js closes with 1000 "heartbeat timeout", errors its channels, then reconnects', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect({ ...fast, heartbeatIntervalMs: 50 })
    const channel = socket.channel('echo:hb')
    await join(channel)
    const [before] = server.connections()
    server.faults.pauseHeartbeats()
    const errored = nextChannelEvent(channel, 'phx_error')
    const closing = closed(socket)
    const reconnected = server.waitFor('connect', (c) => c.connectionId !== before?.id, DEADLINE_MS)
    const close = await closing
    assert.equal(close.code, 1000)
    assert.equal(close.reason, 'heartbeat timeout')
    assert.equal(field(await errored, 'reason'), 'heartbeat_timeout')
    server.faults.resumeHeartbeats()
    await reconnected
  })
})
