/**
 * The fast decoder of V2 text frames from the server, pure: it reads the
 * envelope `[join_ref, ref, topic, event, payload]` and checks the payload
 * (json-scan.ts) without parsing it. The payload stays the exact slice of
 * the frame's text, parsed only when someone reads it (a gateway that
 * forwards the text never does).
 *
 * A frame of ASCII only may come with its bytes: long strings are then
 * checked for control characters over the bytes (json-scan.ts).
 *
 * It takes only the common shape: five elements, join_ref and ref null, a
 * number or a string, topic and event strings, a payload nested at most
 * MAX_JSON_DEPTH levels. For anything else it returns null, and the caller
 * decodes the frame with JSON.parse as before: odd and bad frames are
 * refused (or accepted) exactly as they were.
 */
import { MAX_JSON_DEPTH } from './depth.ts'
import { scanJsonValue, scanNumber, scanString, skipWhitespace } from './json-scan.ts'
import type { Message } from './message.ts'

/** Not read yet (a payload may be any JSON value, null included). */
const UNREAD: unique symbol = Symbol('unread')

/** A message whose payload is JSON text, parsed on first read of `payload`. */
export class ScannedMessage implements Message {
  readonly joinRef: string | null
  readonly ref: string | null
  readonly topic: string
  readonly event: string
  readonly payloadText: string
  readonly payloadTextAscii: boolean
  #payload: unknown = UNREAD
  constructor (joinRef: string | null, ref: string | null, topic: string, event: string, payloadText: string, payloadTextAscii = false) {
    this.joinRef = joinRef
    this.ref = ref
    this.topic = topic
    this.event = event
    this.payloadText = payloadText
    this.payloadTextAscii = payloadTextAscii
  }

  /** The payload's value: parsed once (the text was checked: this does not throw), then kept. */
  get payload (): unknown {
    if (this.#payload === UNREAD) this.#payload = JSON.parse(this.payloadText)
    return this.#payload
  }
}

const QUOTE = 0x22

/** Where the scan is, and the last field read. */
interface Cursor { i: number, value: string | null }

/** A string field at `c.i`: true when read (value in `c.value`, `c.i` after it). */
function readString (text: string, c: Cursor): boolean {
  if (text.charCodeAt(c.i) !== QUOTE) return false
  const end = scanString(text, c.i)
  if (end < 0) return false
  // Its inside when it has no escapes, else what JSON.parse makes of the token.
  const inside = text.slice(c.i + 1, end - 1)
  c.value = inside.includes('\\') ? JSON.parse(text.slice(c.i, end)) as string : inside
  c.i = end
  return true
}

/** A ref field (null, a number, a string) at `c.i`, as the full decoder reads it (a number becomes its string). */
function readRef (text: string, c: Cursor): boolean {
  if (text.startsWith('null', c.i)) {
    c.value = null
    c.i += 4
    return true
  }
  if (text.charCodeAt(c.i) === QUOTE) return readString(text, c)
  const end = scanNumber(text, c.i)
  if (end < 0) return false
  c.value = String(Number(text.slice(c.i, end)))
  c.i = end
  return true
}

/** Skips whitespace, a `,` and whitespace; false when the comma is missing. */
function comma (text: string, c: Cursor): boolean {
  const at = skipWhitespace(text, c.i)
  if (text.charCodeAt(at) !== 0x2c) return false
  c.i = skipWhitespace(text, at + 1)
  return true
}

/**
 * The message in a V2 text frame, its payload kept as text; null when the frame is not of the common shape (see above).
 * `ascii`: the caller knows the frame holds only ASCII characters (its payload text then says so); `bytes`: then
 * also the frame's bytes, one per character.
 */
export function scanServerFrame (text: string, ascii = false, bytes?: Uint8Array): ScannedMessage | null {
  const asciiBytes = ascii && bytes !== undefined && bytes.length === text.length ? bytes : undefined
  const start = skipWhitespace(text, 0)
  if (text.charCodeAt(start) !== 0x5b) return null
  const c: Cursor = { i: skipWhitespace(text, start + 1), value: null }
  if (!readRef(text, c) || !comma(text, c)) return null
  const joinRef = c.value
  if (!readRef(text, c) || !comma(text, c)) return null
  const ref = c.value
  if (!readString(text, c) || !comma(text, c)) return null
  const topic = c.value as string
  if (!readString(text, c) || !comma(text, c)) return null
  const event = c.value as string
  const payloadStart = c.i
  const payloadEnd = scanJsonValue(text, payloadStart, MAX_JSON_DEPTH, asciiBytes)
  if (payloadEnd < 0) return null
  const close = skipWhitespace(text, payloadEnd)
  if (text.charCodeAt(close) !== 0x5d || skipWhitespace(text, close + 1) !== text.length) return null
  return new ScannedMessage(joinRef, ref, topic, event, text.slice(payloadStart, payloadEnd), ascii)
}
