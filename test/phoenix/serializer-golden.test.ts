/**
 * Golden vectors of the Phoenix wire formats (reference A5, A7, A8): V2 text
 * arrays, V1 objects, the three V2 binary layouts and phoenix.js's own test
 * vectors, encoded and decoded in both directions, byte for byte.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { isBytes, isReplyPayload, type Frame, type Message } from '../../src/phoenix/message.ts'
import { serializerFor, v1, v2 } from '../../src/phoenix/serializer.ts'

/** A frame from parts: number arrays are raw bytes, strings are UTF-8. */
function bytesOf (...parts: Array<number[] | string>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))
}

/** A message with bytes (payload or reply response) as plain arrays, so any Uint8Array compares equal. */
function plain (m: Message): unknown {
  const { payload } = m
  if (isBytes(payload)) return { ...m, payload: { bytes: [...payload] } }
  if (isReplyPayload(payload) && isBytes(payload.response)) return { ...m, payload: { status: payload.status, response: { bytes: [...payload.response] } } }
  return m
}

function assertFrame (actual: Frame, expected: Buffer): void {
  assert.ok(actual instanceof Uint8Array, 'a binary frame')
  assert.equal(Buffer.from(actual).toString('hex'), expected.toString('hex'))
}

const efg = [0x65, 0x66, 0x67] // <<101, 102, 103>>

describe('V2 text frames', () => {
  const fromClient: Array<[string, Message]> = [
    ['[null,"7","phoenix","heartbeat",{}]', { joinRef: null, ref: '7', topic: 'phoenix', event: 'heartbeat', payload: {} }],
    ['["3","3","room:lobby","phx_join",{"token":"x"}]', { joinRef: '3', ref: '3', topic: 'room:lobby', event: 'phx_join', payload: { token: 'x' } }],
  ]
  const fromServer: Array<[string, Message]> = [
    ['[null,"7","phoenix","phx_reply",{"response":{},"status":"ok"}]', { joinRef: null, ref: '7', topic: 'phoenix', event: 'phx_reply', payload: { response: {}, status: 'ok' } }],
    ['["3","3","room:lobby","phx_reply",{"response":{},"status":"ok"}]', { joinRef: '3', ref: '3', topic: 'room:lobby', event: 'phx_reply', payload: { response: {}, status: 'ok' } }],
    ['["3",null,"room:lobby","new_msg",{"body":"hi"}]', { joinRef: '3', ref: null, topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi' } }],
    ['[null,null,"room:lobby","new_msg",{"body":"hi"}]', { joinRef: null, ref: null, topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi' } }],
  ]

  test('client frames: encodeToServer gives the exact text, decodeFromClient the message', () => {
    for (const [frame, message] of fromClient) {
      assert.equal(v2.encodeToServer(message), frame)
      assert.deepEqual(v2.decodeFromClient(frame), message)
    }
  })

  test('server frames: encodeToClient gives the exact text, decodeFromServer the message', () => {
    for (const [frame, message] of fromServer) {
      assert.equal(v2.encodeToClient(message), frame)
      assert.deepEqual(v2.decodeFromServer(frame), message)
    }
  })

  test('arrays longer than five decode, extras ignored; numeric refs read as strings', () => {
    assert.deepEqual(v2.decodeFromClient('["1",2,"t","e",{},"extra"]'), { joinRef: '1', ref: '2', topic: 't', event: 'e', payload: {} })
  })
})

describe('V1 text frames', () => {
  test('server → client: exactly event, payload, ref, topic (never join_ref)', () => {
    const reply: Message = { joinRef: null, ref: '7', topic: 'phoenix', event: 'phx_reply', payload: { response: {}, status: 'ok' } }
    const replyText = '{"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"7","topic":"phoenix"}'
    assert.equal(v1.encodeToClient(reply), replyText)
    assert.deepEqual(v1.decodeFromServer(replyText), reply)
    const push: Message = { joinRef: '3', ref: null, topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi' } }
    const pushText = '{"event":"new_msg","payload":{"body":"hi"},"ref":null,"topic":"room:lobby"}'
    assert.equal(v1.encodeToClient(push), pushText)
    assert.deepEqual(v1.decodeFromServer(pushText), { ...push, joinRef: null })
    assert.equal(v1.decodeFromServer('{"event":"e","payload":{},"ref":null,"topic":"t","join_ref":"9"}').joinRef, null, 'a client reads no join_ref from V1')
  })

  test('client → server: topic, event, payload, ref and join_ref; join_ref is read when present', () => {
    const join: Message = { joinRef: '3', ref: '3', topic: 'room:lobby', event: 'phx_join', payload: { token: 'x' } }
    const text = '{"topic":"room:lobby","event":"phx_join","payload":{"token":"x"},"ref":"3","join_ref":"3"}'
    assert.equal(v1.encodeToServer(join), text)
    assert.deepEqual(v1.decodeFromClient(text), join)
    assert.deepEqual(v1.decodeFromClient('{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"7"}'),
      { joinRef: null, ref: '7', topic: 'phoenix', event: 'heartbeat', payload: {} })
    assert.deepEqual(v1.decodeFromClient(Buffer.from(text)), join, 'V1 ignores the opcode')
  })
})

describe('V2 binary layouts', () => {
  test('kind 0 push, client → server: 00 02 03 05 05 "12" "123" "topic" "event" 65 66 67', () => {
    const frame = bytesOf([0x00, 0x02, 0x03, 0x05, 0x05], '12', '123', 'topic', 'event', efg)
    const message: Message = { joinRef: '12', ref: '123', topic: 'topic', event: 'event', payload: Uint8Array.from(efg) }
    assertFrame(v2.encodeToServer(message), frame)
    assert.deepEqual(plain(v2.decodeFromClient(frame)), plain(message))
  })

  test('kind 0 push, server → client: 00 02 05 05 "12" "topic" "event" 65 66 67 (no ref)', () => {
    const frame = bytesOf([0x00, 0x02, 0x05, 0x05], '12', 'topic', 'event', efg)
    const message: Message = { joinRef: '12', ref: null, topic: 'topic', event: 'event', payload: Uint8Array.from(efg) }
    assertFrame(v2.encodeToClient(message), frame)
    assert.deepEqual(plain(v2.decodeFromServer(frame)), plain(message))
  })

  test('kind 1 reply: 01 02 03 05 02 "12" "123" "topic" "ok" 65 66 67 decodes as phx_reply {status, response: bytes}', () => {
    const frame = bytesOf([0x01, 0x02, 0x03, 0x05, 0x02], '12', '123', 'topic', 'ok', efg)
    const message: Message = { joinRef: '12', ref: '123', topic: 'topic', event: 'phx_reply', payload: { status: 'ok', response: Uint8Array.from(efg) } }
    assertFrame(v2.encodeToClient(message), frame)
    assert.deepEqual(plain(v2.decodeFromServer(frame)), plain(message))
  })

  test('kind 2 broadcast: 02 05 05 "topic" "event" 65 66 67, join_ref and ref null', () => {
    const frame = bytesOf([0x02, 0x05, 0x05], 'topic', 'event', efg)
    const message: Message = { joinRef: null, ref: null, topic: 'topic', event: 'event', payload: Uint8Array.from(efg) }
    assertFrame(v2.encodeToClient(message), frame)
    assert.deepEqual(plain(v2.decodeFromServer(frame)), plain(message))
  })

  test('phoenix.js vectors: push encode and reply decode', () => {
    const push: Message = { joinRef: '0', ref: '1', topic: 't', event: 'e', payload: Uint8Array.from([1]) }
    assertFrame(v2.encodeToServer(push), bytesOf([0x00, 0x01, 0x01, 0x01, 0x01], '0', '1', 't', 'e', [0x01]))
    const reply = bytesOf([0x01, 0x03, 0x02, 0x03, 0x02], '100', '12', 'top', 'ok', [0x01, 0x01])
    assert.deepEqual(plain(v2.decodeFromServer(reply)),
      plain({ joinRef: '100', ref: '12', topic: 'top', event: 'phx_reply', payload: { status: 'ok', response: Uint8Array.from([1, 1]) } }))
  })

  test('from the server an empty join_ref or ref decodes as null; from a client it stays "" as Phoenix keeps it; null encodes as length 0', () => {
    const push = bytesOf([0x00, 0x00, 0x05, 0x01], 'topic', 'e', [9])
    assert.deepEqual(plain(v2.decodeFromServer(push)), plain({ joinRef: null, ref: null, topic: 'topic', event: 'e', payload: Uint8Array.from([9]) }))
    const reply = bytesOf([0x01, 0x00, 0x00, 0x01, 0x02], 't', 'ok', [])
    assert.deepEqual(plain(v2.decodeFromServer(reply)), plain({ joinRef: null, ref: null, topic: 't', event: 'phx_reply', payload: { status: 'ok', response: new Uint8Array() } }))
    const clientPush = bytesOf([0x00, 0x00, 0x00, 0x01, 0x01], 't', 'e', [7])
    const decoded = v2.decodeFromClient(clientPush)
    assert.equal(decoded.joinRef, '')
    assert.equal(decoded.ref, '')
    assertFrame(v2.encodeToServer({ joinRef: null, ref: null, topic: 't', event: 'e', payload: Uint8Array.from([7]) }), clientPush)
  })
})

describe('serializerFor', () => {
  test('negotiates as Phoenix does: ~> 1.0.0 is V1, ~> 2.0.0 is V2, a missing vsn is V1, anything else none', () => {
    assert.equal(serializerFor('1.0.0'), v1)
    assert.equal(serializerFor('1.0.3'), v1)
    assert.equal(serializerFor('2.0.0'), v2)
    assert.equal(serializerFor('2.0.7'), v2)
    assert.equal(serializerFor(undefined), v1)
    for (const vsn of ['2.1.0', '1.1.0', '3.0.0', '123.1.1', 'abc', '', '2.0', '2', 'v2.0.0', ' 2.0.0']) {
      assert.equal(serializerFor(vsn), undefined, `vsn ${JSON.stringify(vsn)}`)
    }
    assert.equal(v1.vsn, '1.0.0')
    assert.equal(v2.vsn, '2.0.0')
  })
})
