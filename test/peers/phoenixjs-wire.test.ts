/**
 * phoenix.js against the fake server on the wire-format rules: V2 binary
 * frames (reference A8), the V1 JSON object format (A7), and join_ref
 * filtering of stale and duplicate-join messages (A6, A9).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DEADLINE_MS, field, join, nextChannelEvent, peers, ping, receive, record, recordMessages, type SocketOptions,
} from './phoenixjs-helpers.ts'

const bytes = (value: unknown): number[] => {
  assert.ok(value instanceof ArrayBuffer, `expected an ArrayBuffer, got ${Object.prototype.toString.call(value)}`)
  return [...new Uint8Array(value)]
}

describe('phoenix.js peer: binary frames', () => {
  test('an ArrayBuffer push goes out binary and its binary reply arrives as an ArrayBuffer', async (t) => {
    const { server, connect } = await peers(t)
    const channel = (await connect()).channel('echo:bin')
    await join(channel)
    const arrived = server.waitFor('frame', (f) => f.message.event === 'blob', DEADLINE_MS)
    const reply = await receive(channel.push('blob', new Uint8Array([0, 1, 2, 255]).buffer))
    assert.ok((await arrived).message.payload instanceof Uint8Array, 'the server decoded a binary push')
    assert.equal(reply.status, 'ok')
    assert.deepEqual(bytes(reply.response), [0, 1, 2, 255])
  })

  test('a binary broadcast (server.broadcast with a Buffer) arrives as an ArrayBuffer', async (t) => {
    const { server, connect } = await peers(t)
    const channel = (await connect()).channel('room:bin')
    await join(channel)
    const got = nextChannelEvent(channel, 'raw')
    assert.equal(server.broadcast('room:bin', 'raw', Buffer.from([9, 8, 7])), 1)
    assert.deepEqual(bytes(await got), [9, 8, 7])
  })

  test('a binary push from the server (server.pushTo) arrives as an ArrayBuffer', async (t) => {
    const { server, connect } = await peers(t)
    const channel = (await connect()).channel('echo:pushbin')
    const joined = server.waitFor('join', (j) => j.topic === 'echo:pushbin', DEADLINE_MS)
    await join(channel)
    const { connectionId } = await joined
    const got = nextChannelEvent(channel, 'raw')
    assert.equal(server.pushTo(connectionId, 'echo:pushbin', 'raw', Buffer.from('héllo')), true)
    assert.equal(Buffer.from(bytes(await got)).toString('utf8'), 'héllo')
  })
})

describe('phoenix.js peer: the V1 JSON protocol', () => {
  const v1: SocketOptions = {
    vsn: '1.0.0',
    encode: (msg: object, callback: (encoded: string) => void) => { callback(JSON.stringify(msg)) },
    decode: (raw: string, callback: (decoded: unknown) => void) => { callback(JSON.parse(raw)) },
  }

  test('with vsn 1.0.0 and object encode/decode, phoenix.js joins, pushes, gets replies and broadcasts', async (t) => {
    const { server, connect } = await peers(t)
    const connected = server.waitFor('connect', undefined, DEADLINE_MS)
    const socket = await connect(v1)
    assert.equal((await connected).vsn, '1.0.0')
    const messages = recordMessages(socket)

    const channel = socket.channel('room:v1')
    assert.deepEqual(await join(channel), { status: 'ok', response: {} })
    const heard = nextChannelEvent(channel, 'say', (p) => field(p, 'n') === 1)
    assert.deepEqual(await receive(channel.push('say', { n: 1 })), { status: 'ok', response: {} })
    assert.deepEqual(await heard, { n: 1 })

    const news = nextChannelEvent(channel, 'news')
    assert.equal(server.broadcast('room:v1', 'news', { n: 2 }), 1)
    assert.deepEqual(await news, { n: 2 })
    assert.ok(messages.length >= 3)
    assert.ok(messages.every((m) => m.join_ref === undefined), 'V1 server messages carry no join_ref')
  })
})

describe('phoenix.js peer: join_ref filtering', () => {
  test('a server message with a stale join_ref is dropped by phoenix.js; the current one is dispatched', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect()
    const channel = socket.channel('echo:stale')
    const joined = server.waitFor('join', (j) => j.topic === 'echo:stale', DEADLINE_MS)
    await join(channel)
    const { connectionId, joinRef } = await joined
    assert.notEqual(joinRef, '999')
    const seen = record(channel, 'evt')
    const messages = recordMessages(socket)

    const fresh = nextChannelEvent(channel, 'evt', (p) => field(p, 'n') === 'fresh')
    server.faults.sendRaw('["999",null,"echo:stale","evt",{"n":"stale"}]', connectionId)
    assert.equal(server.pushTo(connectionId, 'echo:stale', 'evt', { n: 'fresh' }), true)
    await fresh // sent after the stale one on the same socket: that one has been handled by now
    assert.deepEqual(seen, [{ n: 'fresh' }])
    assert.deepEqual(messages.map((m) => [m.join_ref, m.event, field(m.payload, 'n')]), [['999', 'evt', 'stale'], [joinRef, 'evt', 'fresh']],
      'both reached the socket in order; only the channel filtered the stale one')
  })

  test('a duplicate join on the server: its phx_close for the old join_ref does not close the fresh phoenix.js channel', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect()
    const messages = recordMessages(socket)
    // An earlier join of the topic on this very connection, sent below phoenix.js's channel layer.
    const oldRef = socket.makeRef()
    const rawJoined = server.waitFor('join', (j) => j.topic === 'echo:dup' && j.joinRef === oldRef, DEADLINE_MS)
    socket.push({ topic: 'echo:dup', event: 'phx_join', payload: {}, ref: oldRef, join_ref: oldRef })
    await rawJoined

    const channel = socket.channel('echo:dup')
    const closes = record(channel, 'phx_close')
    assert.equal((await join(channel)).status, 'ok')
    await ping(socket) // the server answers it after the phx_close it queued behind the join reply
    const replyIndex = messages.findIndex((m) => m.event === 'phx_reply' && m.topic === 'echo:dup' && m.join_ref !== oldRef)
    const closeIndex = messages.findIndex((m) => m.event === 'phx_close' && m.join_ref === oldRef)
    assert.ok(replyIndex >= 0 && replyIndex < closeIndex, 'the new join\'s reply comes first, then the old join\'s phx_close')

    assert.deepEqual(closes, [])
    assert.equal(channel.state, 'joined')
    assert.deepEqual(await receive(channel.push('still_here', { ok: true })), { status: 'ok', response: { ok: true } })
  })

  test('two phoenix.js channels on one topic: phoenix.js leaves the first before joining the second, which stays joined', async (t) => {
    const { server, connect } = await peers(t)
    const socket = await connect()
    const first = socket.channel('echo:twice')
    await join(first)
    const firstClosed = nextChannelEvent(first, 'phx_close')
    const left = server.waitFor('leave', (l) => l.topic === 'echo:twice', DEADLINE_MS)
    const second = socket.channel('echo:twice')
    const secondCloses = record(second, 'phx_close')
    assert.equal((await join(second)).status, 'ok')
    await left
    await firstClosed
    assert.equal(first.state, 'closed')
    assert.equal(second.state, 'joined')
    assert.deepEqual(secondCloses, [])
    assert.deepEqual(await receive(second.push('echo', { n: 3 })), { status: 'ok', response: { n: 3 } })
  })
})
