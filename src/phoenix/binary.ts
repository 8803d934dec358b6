/**
 * The three V2 binary layouts (protocol reference A8). All header lengths
 * are single bytes, so each string field is at most 255 bytes of UTF-8.
 *
 *  kind 0 push, client -> server: [0, J, R, T, E] join_ref ref topic event payload
 *  kind 0 push, server -> client: [0, J, T, E]    join_ref topic event payload
 *  kind 1 reply, server -> client: [1, J, R, T, S] join_ref ref topic status response
 *  kind 2 broadcast, server -> client: [2, T, E]  topic event payload
 */
import { ProtocolError } from './errors.ts'
import type { Message } from './message.ts'

export const BinaryKind = { push: 0, reply: 1, broadcast: 2 } as const

const MAX_FIELD = 255

function utf8 (text: string, field: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length > MAX_FIELD) {
    throw new ProtocolError('field_too_long', `binary ${field} is ${bytes.length} bytes; the layout allows 255`)
  }
  return bytes
}

function assemble (kind: number, fields: Buffer[], body: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(1 + fields.length)
  header[0] = kind
  fields.forEach((f, i) => { header[i + 1] = f.length })
  return Buffer.concat([header, ...fields, body])
}

/** Reads `count` length-prefixed strings after a header of `count` length bytes. */
function readFields (frame: Uint8Array, count: number): { fields: string[], rest: Uint8Array } {
  const headerEnd = 1 + count
  if (frame.length < headerEnd) throw new ProtocolError('truncated_binary', 'binary frame shorter than its header')
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)
  const fields: string[] = []
  let offset = headerEnd
  for (let i = 1; i <= count; i++) {
    const len = buf[i] ?? 0
    if (offset + len > buf.length) throw new ProtocolError('truncated_binary', 'binary frame shorter than its declared fields')
    fields.push(buf.toString('utf8', offset, offset + len))
    offset += len
  }
  return { fields, rest: buf.subarray(offset) }
}

/** Server frames: Phoenix writes a nil join_ref or ref as "" (length 0), so the client reads "" as null. */
const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s)

export function encodeClientPush (msg: Message, payload: Uint8Array): Buffer {
  return assemble(BinaryKind.push, [
    utf8(msg.joinRef ?? '', 'join_ref'), utf8(msg.ref ?? '', 'ref'), utf8(msg.topic, 'topic'), utf8(msg.event, 'event'),
  ], payload)
}

export function decodeClientPush (frame: Uint8Array): Message {
  if (frame[0] !== BinaryKind.push) {
    throw new ProtocolError('unknown_binary_kind', `a client may only send binary kind 0, got ${String(frame[0])}`)
  }
  const { fields, rest } = readFields(frame, 4)
  // Phoenix keeps what the client wrote: an empty join_ref or ref is "", which is not nil (it makes a push stale in 1.8.12).
  const [joinRef = '', ref = '', topic = '', event = ''] = fields
  return { joinRef, ref, topic, event, payload: rest }
}

/** Server side: a push (join_ref set), a reply with binary response, or a broadcast. */
export function encodeServerBinary (msg: Message, payload: Uint8Array, replyStatus?: string): Buffer {
  if (replyStatus !== undefined) {
    return assemble(BinaryKind.reply, [
      utf8(msg.joinRef ?? '', 'join_ref'), utf8(msg.ref ?? '', 'ref'), utf8(msg.topic, 'topic'), utf8(replyStatus, 'status'),
    ], payload)
  }
  if (msg.joinRef === null && msg.ref === null) {
    return assemble(BinaryKind.broadcast, [utf8(msg.topic, 'topic'), utf8(msg.event, 'event')], payload)
  }
  return assemble(BinaryKind.push, [utf8(msg.joinRef ?? '', 'join_ref'), utf8(msg.topic, 'topic'), utf8(msg.event, 'event')], payload)
}

export function decodeServerBinary (frame: Uint8Array): Message {
  switch (frame[0]) {
    case BinaryKind.push: {
      const { fields, rest } = readFields(frame, 3)
      const [joinRef, topic = '', event = ''] = fields
      return { joinRef: orNull(joinRef), ref: null, topic, event, payload: rest }
    }
    case BinaryKind.reply: {
      const { fields, rest } = readFields(frame, 4)
      const [joinRef, ref, topic = '', status = ''] = fields
      return { joinRef: orNull(joinRef), ref: orNull(ref), topic, event: 'phx_reply', payload: { status, response: rest } }
    }
    case BinaryKind.broadcast: {
      const { fields, rest } = readFields(frame, 2)
      const [topic = '', event = ''] = fields
      return { joinRef: null, ref: null, topic, event, payload: rest }
    }
    default:
      throw new ProtocolError('unknown_binary_kind', `unknown binary kind ${String(frame[0])}`)
  }
}
