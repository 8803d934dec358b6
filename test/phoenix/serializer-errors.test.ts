/**
 * Frames that break the wire format (reference A7, A8): each is refused with
 * a ProtocolError (code BC_ERR_PROTOCOL) whose `fault` names what was wrong.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BackchannelError, isBackchannelError } from '../../src/errors.ts'
import { ProtocolError, type ProtocolFault } from '../../src/phoenix/errors.ts'
import type { Message } from '../../src/phoenix/message.ts'
import { v1, v2 } from '../../src/phoenix/serializer.ts'

function throwsFault (run: () => unknown, fault: ProtocolFault, label: string = fault): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ProtocolError, `${label}: a ProtocolError`)
    assert.equal(err.code, 'BC_ERR_PROTOCOL')
    assert.equal(err.fault, fault, label)
    return true
  })
}

const bytes = Uint8Array.from([1, 2, 3])
const push = (fields: Partial<Message>): Message => ({ joinRef: '1', ref: '2', topic: 't', event: 'e', payload: bytes, ...fields })

describe('ProtocolError', () => {
  test('carries code BC_ERR_PROTOCOL, a fault, status 502 and its cause', () => {
    let caught: unknown
    try {
      v2.decodeFromServer('[not json')
    } catch (err) {
      caught = err
    }
    assert.ok(caught instanceof ProtocolError)
    assert.ok(caught instanceof BackchannelError)
    assert.ok(isBackchannelError(caught))
    assert.equal(caught.name, 'ProtocolError')
    assert.equal(caught.code, 'BC_ERR_PROTOCOL')
    assert.equal(caught.fault, 'malformed_json')
    assert.equal(caught.statusCode, 502)
    assert.ok(caught.cause instanceof SyntaxError, 'the JSON parser error is the cause')
  })
})

describe('field_too_long', () => {
  test('each binary string field allows 255 bytes and refuses 256', () => {
    const at = 'a'.repeat(255)
    const over = 'a'.repeat(256)
    for (const field of ['joinRef', 'ref', 'topic', 'event'] as const) {
      assert.ok(v2.encodeToServer(push({ [field]: at })) instanceof Uint8Array, `${field} of 255 bytes encodes`)
      throwsFault(() => v2.encodeToServer(push({ [field]: over })), 'field_too_long', `client push ${field}`)
    }
    throwsFault(() => v2.encodeToClient(push({ ref: null, topic: over })), 'field_too_long', 'server push topic')
    throwsFault(() => v2.encodeToClient(push({ joinRef: null, ref: null, event: over })), 'field_too_long', 'broadcast event')
    const reply = (status: string): Message => ({ joinRef: '1', ref: '2', topic: 't', event: 'phx_reply', payload: { status, response: bytes } })
    assert.ok(v2.encodeToClient(reply(at)) instanceof Uint8Array)
    throwsFault(() => v2.encodeToClient(reply(over)), 'field_too_long', 'reply status')
  })

  test('the limit counts UTF-8 bytes, not UTF-16 units: a multi-byte topic shorter than 255 characters is refused', () => {
    for (const topic of ['é'.repeat(128), '€'.repeat(86), '😀'.repeat(64)]) {
      assert.ok(topic.length < 255, 'fewer than 255 UTF-16 units')
      assert.ok(Buffer.byteLength(topic) > 255, 'more than 255 UTF-8 bytes')
      throwsFault(() => v2.encodeToServer(push({ topic })), 'field_too_long', `topic of ${topic.length} units`)
      throwsFault(() => v2.encodeToClient(push({ ref: null, topic })), 'field_too_long', `server topic of ${topic.length} units`)
    }
    const fits = `${'é'.repeat(127)}a`
    assert.equal(Buffer.byteLength(fits), 255)
    assert.equal(v2.decodeFromClient(v2.encodeToServer(push({ topic: fits }))).topic, fits)
  })
})

describe('malformed binary frames', () => {
  test('a header shorter than its layout, or fields longer than the frame, is truncated_binary', () => {
    const truncated: Array<[string, (frame: Uint8Array) => Message, number[]]> = [
      ['client push header', (f) => v2.decodeFromClient(f), [0, 1, 1]],
      ['client push fields', (f) => v2.decodeFromClient(f), [0, 5, 0, 0, 0, 0x61, 0x62]],
      ['server push header', (f) => v2.decodeFromServer(f), [0, 1]],
      ['server push fields', (f) => v2.decodeFromServer(f), [0, 0, 9, 1, 0x74, 0x6f, 0x70]],
      ['reply header', (f) => v2.decodeFromServer(f), [1, 0, 0, 1]],
      ['reply fields', (f) => v2.decodeFromServer(f), [1, 0, 0, 1, 2, 0x74, 0x6f]],
      ['broadcast header', (f) => v2.decodeFromServer(f), [2]],
      ['broadcast fields', (f) => v2.decodeFromServer(f), [2, 3, 3, 0x61, 0x62, 0x63, 0x64]],
    ]
    for (const [label, decode, frame] of truncated) throwsFault(() => decode(Uint8Array.from(frame)), 'truncated_binary', label)
  })

  test('unknown kinds are refused: a client may send only kind 0, a server only 0, 1 and 2', () => {
    for (const kind of [1, 2, 3, 255]) {
      throwsFault(() => v2.decodeFromClient(Uint8Array.from([kind, 0, 0, 0, 0])), 'unknown_binary_kind', `client kind ${kind}`)
    }
    for (const kind of [3, 4, 128, 255]) {
      throwsFault(() => v2.decodeFromServer(Uint8Array.from([kind, 0, 0, 0, 0])), 'unknown_binary_kind', `server kind ${kind}`)
    }
    throwsFault(() => v2.decodeFromClient(new Uint8Array()), 'unknown_binary_kind', 'empty client frame')
    throwsFault(() => v2.decodeFromServer(new Uint8Array()), 'unknown_binary_kind', 'empty server frame')
  })

  test('V1 refuses bytes in either direction', () => {
    throwsFault(() => v1.encodeToServer(push({})), 'binary_not_supported', 'client push')
    throwsFault(() => v1.encodeToClient(push({ ref: null })), 'binary_not_supported', 'server push')
    throwsFault(() => v1.encodeToClient({ joinRef: '1', ref: '2', topic: 't', event: 'phx_reply', payload: { status: 'ok', response: bytes } }),
      'binary_not_supported', 'binary reply')
  })
})

describe('malformed text frames', () => {
  test('V2: bad JSON, a short array or a non-array, and wrongly typed fields', () => {
    for (const decode of [v2.decodeFromClient, v2.decodeFromServer]) {
      throwsFault(() => decode('[null,"1","t","e",'), 'malformed_json')
      throwsFault(() => decode(''), 'malformed_json')
      throwsFault(() => decode('[null,"1","t","e"]'), 'bad_shape', 'four elements')
      throwsFault(() => decode('{"topic":"t","event":"e","payload":{},"ref":"1"}'), 'bad_shape', 'an object')
      throwsFault(() => decode('"text"'), 'bad_shape', 'a string')
      throwsFault(() => decode('[null,"1",7,"e",{}]'), 'bad_field', 'numeric topic')
      throwsFault(() => decode('[null,"1","t",null,{}]'), 'bad_field', 'null event')
      throwsFault(() => decode('[{},"1","t","e",{}]'), 'bad_field', 'object join_ref')
      throwsFault(() => decode('[null,true,"t","e",{}]'), 'bad_field', 'boolean ref')
    }
    throwsFault(() => v2.decodeFromClient(Buffer.from('[null,"1","t","e",{}]')), 'unknown_binary_kind', 'JSON in a binary frame')
  })

  test('V1: a non-object, or an object missing topic, event, payload or ref', () => {
    for (const decode of [v1.decodeFromClient, v1.decodeFromServer]) {
      throwsFault(() => decode('{"topic":'), 'malformed_json')
      throwsFault(() => decode('[null,"1","t","e",{}]'), 'bad_shape', 'an array')
      throwsFault(() => decode('null'), 'bad_shape', 'null')
      for (const missing of ['topic', 'event', 'payload', 'ref']) {
        const frame: Record<string, unknown> = { topic: 't', event: 'e', payload: {}, ref: '1' }
        Reflect.deleteProperty(frame, missing)
        throwsFault(() => decode(JSON.stringify(frame)), 'bad_shape', `without ${missing}`)
      }
      throwsFault(() => decode('{"topic":1,"event":"e","payload":{},"ref":"1"}'), 'bad_field', 'numeric topic')
    }
  })
})
