/**
 * Opening the socket on real ports: success, a refused upgrade with its HTTP
 * status, headers and body, a closed port, a stalled upgrade against the
 * connect deadline; and what the upgrade request carries (params evaluated
 * at every connect, headers, the Phoenix 1.8 auth token).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { Client } from '../../src/client/client.ts'
import { ConnectError, ConnectRefusedError } from '../../src/connection/errors.ts'
import { TimeoutError } from '../../src/phoenix/errors.ts'
import type { ConnectInfo } from '../../src/testing/index.ts'
import { DEADLINE_MS, closedPort, fast, harness, isError } from '../client/helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

describe('connect', () => {
  test('await connect() resolves once the socket is open, and the server sees the connection', async (t) => {
    const { server, client } = await harness(t)
    const c = client()
    const seen = server.waitFor('connect', undefined, DEADLINE_MS)
    const ok = nextEvent(c.events, 'connect_ok')
    await c.connect()
    assert.equal((await seen).vsn, '2.0.0')
    assert.equal((await ok).socket, 0)
    assert.equal(c.pool.connections[0]?.state, 'open')
    assert.equal(c.stats().socketsConnected, 1)
  })

  test('a refused upgrade rejects connect() with ConnectRefusedError carrying the status, headers and body', async (t) => {
    const { server, client } = await harness(t)
    server.faults.refuseConnections({ status: 403, body: 'nope', headers: { 'x-why': 't' } })
    const c = client()
    const failed = nextEvent(c.events, 'connect_fail')
    await assert.rejects(c.connect(), isError(ConnectRefusedError, (err) =>
      err.code === 'BC_ERR_CONNECT_REFUSED' && err.status === 403 && err.body === 'nope' && err.headers['x-why'] === 't'))
    assert.deepEqual(await failed, { socket: 0, attempt: 1, reason: 'BC_ERR_CONNECT_REFUSED', status: 403 })
  })

  test("a refusal from the server's connect callback is reported the same way", async (t) => {
    const { client } = await harness(t, { connect: () => ({ ok: false, status: 401, body: 'who are you', headers: { 'x-auth': 'missing' } }) })
    await assert.rejects(client().connect(), isError(ConnectRefusedError, (err) =>
      err.status === 401 && err.body === 'who are you' && err.headers['x-auth'] === 'missing'))
  })

  test('a refused upgrade is retried with back-off and the client connects once the server accepts', async (t) => {
    const { server, client } = await harness(t)
    server.faults.refuseConnections({ status: 503 })
    const c = client()
    await assert.rejects(c.connect(), isError(ConnectRefusedError, (err) => err.status === 503))
    const opened = nextEvent(c.events, 'connect_ok')
    await nextEvent(c.events, 'connect_fail', (e) => e.attempt >= 2 && e.status === 503)
    server.faults.acceptConnections()
    assert.ok((await opened).attempt >= 3)
  })

  test('connect() on an open client resolves at once and leaves nothing behind that a later failure could reject', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    const listeners = c.pool.listenerCount('connect_failed')
    await c.connect()
    assert.equal(c.pool.listenerCount('connect_failed'), listeners)
    // A failed reconnect later must not surface as an unhandled rejection (node:test would fail this test).
    server.faults.refuseConnections({ status: 503 })
    const failed = nextEvent(c.events, 'connect_fail', (e) => e.status === 503)
    server.faults.dropAll()
    await failed
    const back = nextEvent(c.events, 'connect_ok')
    server.faults.acceptConnections()
    await back
  })

  test('a closed port rejects connect() with ConnectError ECONNREFUSED, and connect_fail names the cause', async (t) => {
    const port = await closedPort()
    const c = new Client({ url: `ws://127.0.0.1:${port}/socket`, ...fast })
    t.after(async () => { await c.close() })
    const failed = nextEvent(c.events, 'connect_fail')
    await assert.rejects(c.connect(), isError(ConnectError, (err) => err.code === 'BC_ERR_CONNECT' && err.reason === 'ECONNREFUSED'))
    assert.deepEqual(await failed, { socket: 0, attempt: 1, reason: 'BC_ERR_CONNECT', cause: 'ECONNREFUSED' })
  })

  test('a server that stalls the upgrade fails connect() with TimeoutError kind connect within connectTimeoutMs', async (t) => {
    const { server, client } = await harness(t)
    server.faults.stall()
    const c = client({ connectTimeoutMs: 100 })
    const failed = nextEvent(c.events, 'connect_fail')
    const started = performance.now()
    await assert.rejects(c.connect(), isError(TimeoutError, (err) => err.kind === 'connect'))
    const elapsed = performance.now() - started
    assert.ok(elapsed >= 95 && elapsed < 1000, `took ${elapsed} ms`)
    // The connection's own deadline ends the attempt too, and it is retried.
    assert.equal((await failed).reason, 'BC_ERR_TIMEOUT')
  })

  test('close() during a connect drops the half-open upgrade at once instead of holding it until connectTimeoutMs', async (t) => {
    // A server that accepts TCP and never answers the upgrade.
    const silent = createServer()
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    t.after(() => silent.close())
    const accepted = once(silent, 'connection', { signal: AbortSignal.timeout(DEADLINE_MS) }) as Promise<[Socket]>
    const c = new Client({ url: `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/socket`, connectTimeoutMs: 60_000 })
    c.connect({ signal: AbortSignal.timeout(DEADLINE_MS) }).catch(() => undefined)
    const [socket] = await accepted
    const dropped = once(socket, 'close', { signal: AbortSignal.timeout(DEADLINE_MS) })
    await c.close()
    await dropped
    assert.equal(c.pool.connections[0]?.state, 'closed')
  })
})

describe('what the upgrade request carries', () => {
  test('a params function is evaluated at every connect: the reconnect after a drop sends the new value', async (t) => {
    const received: unknown[] = []
    const { server, client } = await harness(t, {
      connect: (params) => {
        received.push(params['token'])
        return { ok: true }
      },
    })
    let calls = 0
    const c = client({ params: () => ({ token: `t${++calls}` }) })
    await c.connect()
    assert.equal(calls, 1)
    assert.deepEqual(received, ['t1'])

    const reconnected = server.waitFor('connect', undefined, DEADLINE_MS)
    assert.equal(server.faults.dropAll(), 1)
    await reconnected
    assert.equal(calls, 2)
    assert.deepEqual(received, ['t1', 't2'])
  })

  test('an async params function is awaited; one that throws fails the attempt with ConnectError params_failed', async (t) => {
    const { client } = await harness(t)
    const good = client({ params: async () => ({ token: 'later' }) })
    await good.connect()
    const bad = client({ params: () => { throw new Error('token file missing') } })
    await assert.rejects(bad.connect(), isError(ConnectError, (err) => err.reason === 'params_failed'))
  })

  test('static params (nested too) and extra headers reach the server', async (t) => {
    let info: ConnectInfo | undefined
    let params: unknown
    const { client } = await harness(t, {
      connect: (p, i) => {
        params = p
        info = i
        return { ok: true }
      },
    })
    await client({ params: { token: 'abc', user: { id: 7, tags: ['a', 'b'] } }, headers: { 'x-trace': 'tr-1', 'user-agent': 'bc-test' } }).connect()
    assert.deepEqual({ ...params as object }, { token: 'abc', user: { id: '7', tags: { 0: 'a', 1: 'b' } }, vsn: '2.0.0' })
    assert.ok(info !== undefined)
    assert.equal(info.xHeaders['x-trace'], 'tr-1')
    assert.equal(info.userAgent, 'bc-test')
  })

  test('the auth token reaches connectInfo.authToken, even one whose Base64 holds a slash', async (t) => {
    const tokens: Array<string | null> = []
    const { server, client } = await harness(t, {
      authToken: true,
      connect: (_p, info) => {
        tokens.push(info.authToken)
        return { ok: true }
      },
    })
    await client({ authToken: 'plain-token' }).connect()
    // '???' is Pz8/ in standard Base64: a character ws would not let through `protocols`.
    const slashy = client({ authToken: async () => '???' })
    await slashy.connect()
    assert.deepEqual(tokens, ['plain-token', '???'])
    await slashy.join('echo:auth')
    assert.deepEqual(await slashy.push('echo:auth', 'ping', { ok: 1 }), { ok: 1 })
    assert.equal(server.connections().length, 2)
  })

  test('an auth token sent to a server without auth_token still connects (no subprotocol echoed)', async (t) => {
    const { client } = await harness(t)
    const c = client({ authToken: 'ignored' })
    await c.connect()
    await c.join('echo:noauth')
    assert.deepEqual(await c.push('echo:noauth', 'ping', {}), {})
  })
})
