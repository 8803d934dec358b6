/**
 * The V1 JSON object format and the V2 binary layouts on the wire
 * (reference A7, A8; Part E items 9 and 15 "binary variants").
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { v2 } from '../../../src/phoenix/serializer.ts'
import { noreply, ok, type ChannelHandler, type FakePhoenix } from '../../../src/testing/index.ts'
import type { RawClient } from '../../helpers/raw-client.ts'
import { harness, heartbeat, textFrom } from './setup.ts'

/** Bytes from a mix of byte values and ASCII strings, as the reference writes its vectors. */
function bytes (...parts: Array<number | string>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p, 'utf8'))))
}

function binaryFrames (client: RawClient): Buffer[] {
  return client.frames.filter((f) => typeof f !== 'string').map((f) => Buffer.from(f))
}

describe('V1 (vsn 1.0.0)', () => {
  test('heartbeat, join, push and replies are JSON objects with exactly event, payload, ref, topic', async (t) => {
    const { connect } = await harness(t)
    const client = await connect({ vsn: '1.0.0' })
    client.sendFrame('{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"7"}')
    await client.reply('7')
    client.sendFrame('{"topic":"echo:v1","event":"phx_join","payload":{},"ref":"1","join_ref":"1"}')
    await client.reply('1')
    client.sendFrame('{"topic":"echo:v1","event":"push_back","payload":{"a":1},"ref":"2","join_ref":"1"}')
    await client.reply('2')
    assert.deepEqual(textFrom(client), [
      '{"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"7","topic":"phoenix"}',
      '{"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"1","topic":"echo:v1"}',
      '{"event":"pushed","payload":{"a":1},"ref":null,"topic":"echo:v1"}',
      '{"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"2","topic":"echo:v1"}',
    ])
  })

  test('a V1 client that never sends join_ref can push and leave; phx_close has ref null', async (t) => {
    const { connect } = await harness(t)
    const client = await connect({ vsn: '1.0.0' })
    client.sendFrame('{"topic":"echo:v1","event":"phx_join","payload":{},"ref":"1"}')
    await client.reply('1')
    const from = client.frames.length
    client.sendFrame('{"topic":"echo:v1","event":"hello","payload":{"x":2},"ref":"2"}')
    await client.reply('2')
    client.sendFrame('{"topic":"echo:v1","event":"phx_leave","payload":{},"ref":"3"}')
    await client.next((m) => m.event === 'phx_close')
    assert.deepEqual(textFrom(client, from), [
      '{"event":"phx_reply","payload":{"response":{"x":2},"status":"ok"},"ref":"2","topic":"echo:v1"}',
      '{"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"3","topic":"echo:v1"}',
      '{"event":"phx_close","payload":{},"ref":null,"topic":"echo:v1"}',
    ])
  })

  test('a V1 client receives broadcasts as objects, a V2 client on the same topic as arrays', async (t) => {
    const { connect, server } = await harness(t)
    const old = await connect({ vsn: '1.0.0' })
    const modern = await connect()
    old.sendFrame('{"topic":"room:lobby","event":"phx_join","payload":{},"ref":"1"}')
    await old.reply('1')
    modern.sendFrame('["1","1","room:lobby","phx_join",{}]')
    await modern.reply('1')
    assert.equal(server.broadcast('room:lobby', 'new_msg', { body: 'hi' }), 2)
    await old.next((m) => m.event === 'new_msg')
    await modern.next((m) => m.event === 'new_msg')
    assert.equal(textFrom(old).at(-1), '{"event":"new_msg","payload":{"body":"hi"},"ref":null,"topic":"room:lobby"}')
    assert.equal(textFrom(modern).at(-1), '[null,null,"room:lobby","new_msg",{"body":"hi"}]')
  })

  test('a V1 frame that is a JSON array closes the socket with 1011', async (t) => {
    const { connect } = await harness(t)
    const client = await connect({ vsn: '1.0.0' })
    client.sendFrame('[null,"1","phoenix","heartbeat",{}]')
    assert.equal((await client.closedWithin(2000)).code, 1011)
  })
})

describe('V2 binary frames', () => {
  type Received = Array<{ event: string, payload: unknown }>

  function binaryChannel (): { handler: ChannelHandler, received: Received } {
    const received: Received = []
    const handler: ChannelHandler = {
      join: () => ok({}),
      handleIn (event, payload, socket) {
        received.push({ event, payload })
        const body = payload instanceof Uint8Array ? Buffer.from(payload) : Buffer.alloc(0)
        switch (event) {
          case 'reverse': return ok(Buffer.from(body).reverse())
          case 'push':
            socket.push('bytes', body)
            return noreply()
          default: return ok({ size: body.length })
        }
      },
    }
    return { handler, received }
  }

  async function joinedBinary (t: TestContext): Promise<{ client: RawClient, received: Received, server: FakePhoenix }> {
    const channel = binaryChannel()
    const { connect, server } = await harness(t, { channels: { 'bin:*': channel.handler } })
    const client = await connect()
    client.sendFrame('["1","1","bin:x","phx_join",{}]')
    await client.reply('1')
    return { client, received: channel.received, server }
  }

  test('a kind-0 client push reaches handleIn as bytes', async (t) => {
    const { client, received } = await joinedBinary(t)
    client.sendFrame(bytes(0, 1, 1, 5, 4, '1', '2', 'bin:x', 'data', 1, 2, 3))
    const reply = await client.reply('2')
    assert.deepEqual(reply.payload, { response: { size: 3 }, status: 'ok' })
    assert.equal(received.length, 1)
    const [first] = received
    assert.equal(first?.event, 'data')
    assert.ok(first.payload instanceof Uint8Array)
    assert.deepEqual([...first.payload], [1, 2, 3])
  })

  test('1.8.12: a kind-0 push with an empty join_ref carries "", not null: it is stale, dropped silently', async (t) => {
    const { client, received, server } = await joinedBinary(t)
    const stale = server.waitFor('stale', (e) => e.message.ref === '5')
    const from = client.frames.length
    client.sendFrame(bytes(0, 0, 1, 5, 4, '5', 'bin:x', 'data', 1, 2))
    client.sendFrame(bytes(0, 1, 1, 5, 4, '1', '6', 'bin:x', 'data', 3))
    await client.reply('6')
    assert.deepEqual(textFrom(client, from), ['["1","6","bin:x","phx_reply",{"response":{"size":1},"status":"ok"}]'])
    assert.equal((await stale).message.joinRef, '')
    assert.equal(received.length, 1, 'only the push with the current join_ref reached handleIn')
  })

  test('an empty ref is "" too: a push to a topic not joined is answered with ref ""', async (t) => {
    const { client } = await joinedBinary(t)
    const from = client.frames.length
    client.sendFrame(bytes(0, 0, 0, 8, 4, 'bin:none', 'data', 1))
    await heartbeat(client)
    assert.equal(textFrom(client, from)[0], '[null,"","bin:none","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]')
  })

  test('a binary reply is kind 1: [1, J, R, T, S] join_ref ref topic status response', async (t) => {
    const { client } = await joinedBinary(t)
    client.sendFrame(bytes(0, 1, 1, 5, 7, '1', '3', 'bin:x', 'reverse', 1, 2, 3))
    await client.reply('3')
    assert.deepEqual(binaryFrames(client), [bytes(1, 1, 1, 5, 2, '1', '3', 'bin:x', 'ok', 3, 2, 1)])
  })

  test('a server push of bytes is kind 0 with the 4-byte header and no ref', async (t) => {
    const { client } = await joinedBinary(t)
    client.sendFrame(bytes(0, 1, 1, 5, 4, '1', '4', 'bin:x', 'push', 9, 8, 7))
    await client.next((m) => m.event === 'bytes')
    assert.deepEqual(binaryFrames(client), [bytes(0, 1, 5, 5, '1', 'bin:x', 'bytes', 9, 8, 7)])
  })

  test('a binary broadcast is kind 2: [2, T, E] topic event payload', async (t) => {
    const { client, server } = await joinedBinary(t)
    assert.equal(server.broadcast('bin:x', 'blob', Buffer.from([0xff, 0])), 1)
    await client.next((m) => m.event === 'blob')
    assert.deepEqual(binaryFrames(client), [bytes(2, 5, 4, 'bin:x', 'blob', 0xff, 0)])
    await heartbeat(client)
  })
})

describe('A8 golden vectors through src/phoenix serializers', () => {
  const efg = [0x65, 0x66, 0x67]

  test('kind 0 client push: 00 02 03 05 05 "12" "123" "topic" "event" 65 66 67', () => {
    const frame = bytes(0, 2, 3, 5, 5, '12', '123', 'topic', 'event', ...efg)
    const message = v2.decodeFromClient(frame)
    assert.deepEqual({ ...message, payload: [...(message.payload as Uint8Array)] }, { joinRef: '12', ref: '123', topic: 'topic', event: 'event', payload: efg })
    assert.deepEqual(Buffer.from(v2.encodeToServer({ ...message, payload: Buffer.from(efg) })), frame)
  })

  test('kind 0 server push: 00 02 05 05 "12" "topic" "event" 65 66 67 (ref null)', () => {
    const frame = bytes(0, 2, 5, 5, '12', 'topic', 'event', ...efg)
    const message = v2.decodeFromServer(frame)
    assert.deepEqual({ ...message, payload: [...(message.payload as Uint8Array)] }, { joinRef: '12', ref: null, topic: 'topic', event: 'event', payload: efg })
    assert.deepEqual(Buffer.from(v2.encodeToClient({ joinRef: '12', ref: null, topic: 'topic', event: 'event', payload: Buffer.from(efg) })), frame)
  })

  test('kind 1 reply: 01 02 03 05 02 "12" "123" "topic" "ok" 65 66 67', () => {
    const frame = bytes(1, 2, 3, 5, 2, '12', '123', 'topic', 'ok', ...efg)
    const message = v2.decodeFromServer(frame)
    const payload = message.payload as { status: string, response: Uint8Array }
    assert.deepEqual({ ...message, payload: { status: payload.status, response: [...payload.response] } },
      { joinRef: '12', ref: '123', topic: 'topic', event: 'phx_reply', payload: { status: 'ok', response: efg } })
    const encoded = v2.encodeToClient({ joinRef: '12', ref: '123', topic: 'topic', event: 'phx_reply', payload: { status: 'ok', response: Buffer.from(efg) } })
    assert.deepEqual(Buffer.from(encoded), frame)
  })

  test('kind 2 broadcast: 02 05 05 "topic" "event" 65 66 67 (join_ref and ref null)', () => {
    const frame = bytes(2, 5, 5, 'topic', 'event', ...efg)
    const message = v2.decodeFromServer(frame)
    assert.deepEqual({ ...message, payload: [...(message.payload as Uint8Array)] }, { joinRef: null, ref: null, topic: 'topic', event: 'event', payload: efg })
    assert.deepEqual(Buffer.from(v2.encodeToClient({ joinRef: null, ref: null, topic: 'topic', event: 'event', payload: Buffer.from(efg) })), frame)
  })

  test('phoenix.js vectors: push encode and reply decode', () => {
    const push = v2.encodeToServer({ joinRef: '0', ref: '1', topic: 't', event: 'e', payload: Buffer.from([1]) })
    assert.deepEqual(Buffer.from(push), bytes(0, 1, 1, 1, 1, '0', '1', 't', 'e', 1))
    const reply = v2.decodeFromServer(bytes(1, 3, 2, 3, 2, '100', '12', 'top', 'ok', 1, 1))
    const payload = reply.payload as { status: string, response: Uint8Array }
    assert.deepEqual([reply.joinRef, reply.ref, reply.topic, reply.event, payload.status, [...payload.response]], ['100', '12', 'top', 'phx_reply', 'ok', [1, 1]])
  })
})
