/**
 * The official phoenix.js client against the fake server: connecting,
 * joining, pushes and their replies, broadcasts, heartbeats and leaving —
 * the everyday protocol as phoenix.js speaks it (reference A2, A3, A9, B2).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { builtinChannels, ok, type ConnectInfo } from '../../src/testing/index.ts'
import type { QueryParams } from '../../src/testing/fake-phoenix/query.ts'
import {
  DEADLINE_MS, closed, field, join, nextChannelEvent, peers, ping, receive, record, recordMessages, transports,
} from './phoenixjs-helpers.ts'
import { within } from '../helpers/wait.ts'

describe('phoenix.js peer: connect and join', () => {
  for (const { name, transport } of transports) {
    test(`over ${name}: phoenix.js connects (vsn 2.0.0), joins, and a push gets its ok reply`, async (t) => {
      const { server, connect } = await peers(t)
      const connected = server.waitFor('connect', undefined, DEADLINE_MS)
      const socket = await connect({ transport })
      assert.equal((await connected).vsn, '2.0.0')
      assert.equal(socket.isConnected(), true)

      const channel = socket.channel('echo:basic', {})
      assert.equal((await join(channel)).status, 'ok')
      assert.equal(channel.state, 'joined')
      assert.deepEqual(await receive(channel.push('hello', { n: 1 })), { status: 'ok', response: { n: 1 } })
    })
  }

  test('connect params reach the connect callback as Plug decodes them, followed by vsn', async (t) => {
    const seen: QueryParams[] = []
    const { server, connect } = await peers(t, { connect: (params) => { seen.push(params); return { ok: true } } })
    const connected = server.waitFor('connect', undefined, DEADLINE_MS)
    await connect({ params: { token: 'abc 123', user: { id: 7 } } })
    assert.deepEqual(JSON.parse(JSON.stringify(seen)), [{ token: 'abc 123', user: { id: '7' }, vsn: '2.0.0' }])
    assert.equal((await connected).vsn, '2.0.0')
  })

  test('a refused connect (HTTP 403) is an error to phoenix.js: it never opens and the server counts no connection', async (t) => {
    const { server, socket } = await peers(t, { connect: () => ({ ok: false, status: 403 }) })
    const connects: unknown[] = []
    server.events.on('connect', (c) => { connects.push(c) })
    const phx = socket({ reconnectAfterMs: () => 50 })
    let opens = 0
    phx.onOpen(() => { opens++ })
    const errored = within<unknown>(DEADLINE_MS, 'socket error', (resolve) => {
      const ref = phx.onError((err: unknown) => { resolve(err) })
      return () => { phx.off([ref]) }
    })
    const closing = closed(phx)
    phx.connect()
    await errored
    const close = await closing
    assert.equal(close.code, 1006, 'a refused upgrade looks like an abnormal closure to the client')
    assert.equal(opens, 0)
    assert.equal(phx.isConnected(), false)
    assert.deepEqual(connects, [])
  })

  test('authToken travels in Sec-WebSocket-Protocol and the connect callback sees it decoded (standard Base64 with "+")', async (t) => {
    // Standard Base64 of this token is "and0Pj4+fn5+": '+' where URL-safe Base64 would have '-'.
    // ('/' is not an HTTP token character, so ws and the global WebSocket refuse it in a subprotocol.)
    const token = 'jwt>>>~~~'
    assert.equal(btoa(token).replace(/=+$/, ''), 'and0Pj4+fn5+')
    const infos: ConnectInfo[] = []
    const { connect } = await peers(t, { authToken: true, connect: (_params, info) => { infos.push(info); return { ok: true } } })
    const socket = await connect({ authToken: token })
    assert.equal(socket.isConnected(), true, 'the server echoed "phoenix", or the client would have failed the handshake')
    const [info, ...more] = infos
    assert.ok(info !== undefined && more.length === 0, 'one connect')
    assert.equal(info.authToken, token)
    // As Phoenix does, the token entry is stripped from the header the app sees.
    assert.equal(info.secWebsocketHeaders['sec-websocket-protocol'], 'phoenix')
  })

  test('join ok delivers the join reply payload a custom handler returns', async (t) => {
    const channels = { 'greet:*': { join: (topic: string, params: unknown) => ok({ welcome: topic, you: field(params, 'name') }) }, ...builtinChannels() }
    const { server, connect } = await peers(t, { channels })
    const socket = await connect()
    const joined = server.waitFor('join', (j) => j.topic === 'greet:home', DEADLINE_MS)
    const channel = socket.channel('greet:home', { name: 'ada' })
    assert.deepEqual(await join(channel), { status: 'ok', response: { welcome: 'greet:home', you: 'ada' } })
    assert.equal((await joined).status, 'ok')
  })

  test('a refused join arrives as receive("error") with the handler\'s reason', async (t) => {
    const { connect } = await peers(t)
    const socket = await connect({ rejoinAfterMs: () => 60_000 })
    const channel = socket.channel('echo:locked', { refuse: 'unauthorized' })
    assert.deepEqual(await join(channel), { status: 'error', response: { reason: 'unauthorized' } })
    assert.equal(channel.state, 'errored')
    channel.leave() // stops phoenix.js's rejoin timer
  })
})

describe('phoenix.js peer: pushes, broadcasts, heartbeat, leave', () => {
  test('a push answered with an error reply reaches receive("error") with the response', async (t) => {
    const { connect } = await peers(t)
    const channel = (await connect()).channel('echo:replies')
    await join(channel)
    assert.deepEqual(await receive(channel.push('error_reply', { why: 'nope' })), { status: 'error', response: { why: 'nope' } })
  })

  test('a push the server never answers times out in phoenix.js (receive("timeout"))', async (t) => {
    const { server, connect } = await peers(t)
    const channel = (await connect()).channel('echo:silent')
    await join(channel)
    const arrived = server.waitFor('frame', (f) => f.message.event === 'no_reply', DEADLINE_MS)
    const reply = await receive(channel.push('no_reply', {}, 50))
    await arrived
    assert.equal(reply.status, 'timeout')
    // The channel still works: the next push is answered.
    assert.equal((await receive(channel.push('after', {}))).status, 'ok')
  })

  test('a broadcast from one phoenix.js socket reaches the other, and server.broadcast reaches both', async (t) => {
    const { server, connect } = await peers(t)
    const alice = (await connect()).channel('room:lobby')
    const bob = (await connect()).channel('room:lobby')
    await join(alice)
    await join(bob)
    const heardByBob = nextChannelEvent(bob, 'shout', (p) => field(p, 'body') === 'hi')
    assert.equal((await receive(alice.push('shout', { body: 'hi' }))).status, 'ok')
    assert.deepEqual(await heardByBob, { body: 'hi' })

    const news = [nextChannelEvent(alice, 'news'), nextChannelEvent(bob, 'news')]
    assert.equal(server.broadcast('room:lobby', 'news', { n: 1 }), 2)
    assert.deepEqual(await Promise.all(news), [{ n: 1 }, { n: 1 }])
  })

  test('socket.ping() is a heartbeat round trip on topic "phoenix" and reports a latency', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect()
    const heartbeat = server.waitFor('frame', (f) => f.message.topic === 'phoenix' && f.message.event === 'heartbeat', DEADLINE_MS)
    const latency = await ping(socket)
    const { message } = await heartbeat
    assert.equal(typeof latency, 'number')
    assert.ok(latency >= 0)
    assert.equal(message.joinRef, null)
  })

  test('leave: receive("ok"), the server ends the channel, and later broadcasts to the topic are not received', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect()
    const channel = socket.channel('room:exit')
    await join(channel)
    const news = record(channel, 'news')
    const closes = record(channel, 'phx_close')
    const left = server.waitFor('leave', (l) => l.topic === 'room:exit', DEADLINE_MS)
    assert.equal((await receive(channel.leave())).status, 'ok')
    await left
    assert.equal(channel.state, 'closed')
    assert.equal(closes.length, 1)

    assert.equal(server.broadcast('room:exit', 'news', { n: 1 }), 0, 'the server no longer counts the socket as subscribed')
    // Even a broadcast frame forced onto the wire is not dispatched to the left channel.
    const messages = recordMessages(socket)
    server.faults.sendRaw('[null,null,"room:exit","news",{"n":2}]')
    await ping(socket) // answered after the forced frame: it has been handled by then
    assert.ok(messages.some((m) => m.event === 'news'), 'the frame did reach phoenix.js')
    assert.deepEqual(news, [])
  })
})
