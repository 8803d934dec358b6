/**
 * Phoenix serializers, both directions (protocol reference A5, A7, A8).
 *
 * V2 ("2.0.0"): text frames are JSON arrays `[join_ref, ref, topic, event,
 * payload]`; bytes travel in the binary layouts of binary.ts. V1 ("1.0.0"):
 * JSON objects; the server never sends `join_ref` and there is no binary.
 *
 * The client uses `encodeToServer` / `decodeFromServer`; the fake server
 * uses `encodeToClient` / `decodeFromClient`. The client's connection
 * decodes with `decodeFromServerLazily`, which keeps a V2 text frame's
 * payload as text when it can (frame-scan.ts).
 */
import { decodeClientPush, decodeServerBinary, encodeClientPush, encodeServerBinary } from './binary.ts'
import { ProtocolError } from './errors.ts'
import { scanServerFrame } from './frame-scan.ts'
import { isBytes, isReplyPayload, type Frame, type Message, type Vsn } from './message.ts'

export interface Serializer {
  readonly vsn: Vsn
  encodeToServer: (msg: Message) => Frame
  decodeFromServer: (frame: Frame) => Message
  /**
   * As decodeFromServer (same messages, same errors), but a V2 text frame's
   * payload may be kept as text: `payloadText` is set and `payload` is
   * parsed on first read. Such a message is a class instance with `payload`
   * a getter: read its fields by name (a spread or a deep equality check
   * does not see `payload`). `asciiText`: the caller knows a text frame
   * holds only ASCII characters; a payload kept as text then has
   * `payloadTextAscii` set (which lets it be written without measuring or
   * encoding it).
   */
  decodeFromServerLazily: (frame: Frame, asciiText?: boolean, asciiBytes?: Uint8Array) => Message
  encodeToClient: (msg: Message) => Frame
  decodeFromClient: (frame: Frame) => Message
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ProtocolError('malformed_json', 'frame is not valid JSON', err)
  }
}

function asText (frame: Frame): string {
  return typeof frame === 'string' ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8')
}

/** A ref or join_ref off the wire: a string, null, or (from loose clients) a number. */
function refField (value: unknown, name: string): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  throw new ProtocolError('bad_field', `${name} must be a string or null`)
}

function stringField (value: unknown, name: string): string {
  if (typeof value !== 'string') throw new ProtocolError('bad_field', `${name} must be a string`)
  return value
}

function fromArray (value: unknown): Message {
  if (!Array.isArray(value) || value.length < 5) {
    throw new ProtocolError('bad_shape', 'a V2 text frame is a JSON array of five elements')
  }
  const [joinRef, ref, topic, event, payload] = value as unknown[]
  return {
    joinRef: refField(joinRef, 'join_ref'),
    ref: refField(ref, 'ref'),
    topic: stringField(topic, 'topic'),
    event: stringField(event, 'event'),
    payload,
  }
}

function toArray (msg: Message): string {
  return JSON.stringify([msg.joinRef, msg.ref, msg.topic, msg.event, msg.payload])
}

function noBytes (msg: Message): void {
  if (isBytes(msg.payload) || (isReplyPayload(msg.payload) && isBytes(msg.payload.response))) {
    throw new ProtocolError('binary_not_supported', 'V1 cannot carry binary payloads')
  }
}

function fromObject (value: unknown, withJoinRef: boolean): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('bad_shape', 'a V1 frame is a JSON object')
  }
  const obj = value as Record<string, unknown>
  for (const key of ['topic', 'event', 'payload', 'ref']) {
    if (!(key in obj)) throw new ProtocolError('bad_shape', `a V1 frame needs the key "${key}"`)
  }
  return {
    joinRef: withJoinRef ? refField(obj['join_ref'], 'join_ref') : null,
    ref: refField(obj['ref'], 'ref'),
    topic: stringField(obj['topic'], 'topic'),
    event: stringField(obj['event'], 'event'),
    payload: obj['payload'],
  }
}

export const v2: Serializer = {
  vsn: '2.0.0',
  encodeToServer (msg) {
    return isBytes(msg.payload) ? encodeClientPush(msg, msg.payload) : toArray(msg)
  },
  decodeFromServer (frame) {
    return typeof frame === 'string' ? fromArray(parseJson(frame)) : decodeServerBinary(frame)
  },
  decodeFromServerLazily (frame, asciiText = false, asciiBytes) {
    // The common shape keeps its payload as text (frame-scan.ts); anything else is decoded whole, as before.
    return (typeof frame === 'string' ? scanServerFrame(frame, asciiText, asciiBytes) : null) ?? v2.decodeFromServer(frame)
  },
  encodeToClient (msg) {
    const { payload } = msg
    if (isReplyPayload(payload) && isBytes(payload.response)) {
      return encodeServerBinary(msg, payload.response, payload.status)
    }
    return isBytes(payload) ? encodeServerBinary(msg, payload) : toArray(msg)
  },
  decodeFromClient (frame) {
    return typeof frame === 'string' ? fromArray(parseJson(frame)) : decodeClientPush(frame)
  },
}

export const v1: Serializer = {
  vsn: '1.0.0',
  encodeToServer (msg) {
    noBytes(msg)
    return JSON.stringify({ topic: msg.topic, event: msg.event, payload: msg.payload, ref: msg.ref, join_ref: msg.joinRef })
  },
  decodeFromServer (frame) {
    return fromObject(parseJson(asText(frame)), false)
  },
  decodeFromServerLazily (frame) {
    return v1.decodeFromServer(frame)
  },
  encodeToClient (msg) {
    noBytes(msg)
    return JSON.stringify({ event: msg.event, payload: msg.payload, ref: msg.ref, topic: msg.topic })
  },
  decodeFromClient (frame) {
    // V1 ignores the opcode and always decodes JSON (reference A7).
    return fromObject(parseJson(asText(frame)), true)
  },
}

/** The serializer for a `vsn` query value, as Phoenix negotiates it (`~> 1.0.0`, `~> 2.0.0`). */
export function serializerFor (vsn: string | undefined): Serializer | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(vsn ?? '1.0.0')
  if (match === null || match[2] !== '0') return undefined
  if (match[1] === '1') return v1
  if (match[1] === '2') return v2
  return undefined
}
