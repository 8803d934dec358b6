/**
 * The JSON text the hub publishes for a channel message's payload, pure.
 * A payload received as text (a V2 text frame) goes out as that text: it
 * is never parsed nor encoded again. Otherwise (bytes, V1 frames, values
 * handed in) the value is encoded.
 */
import type { ReceivedPayload } from '../../phoenix/message.ts'

/** Phoenix payloads are JSON; bytes (V2 binary frames) travel as `{"base64": "…"}`. */
export function payloadJson (payload: unknown): string {
  if (payload instanceof Uint8Array) return JSON.stringify({ base64: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64') })
  return payload === undefined ? 'null' : JSON.stringify(payload)
}

/**
 * Valid JSON text on one line. JSON holds a raw CR or LF only as
 * whitespace between tokens (inside strings they must be escaped), and no
 * two JSON tokens need whitespace between them: taking every CR and LF out
 * leaves the same value, and text that fits on one SSE `data:` line.
 */
export function oneLineJson (text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]+/g, '') : text
}

// eslint-disable-next-line no-control-regex -- every character below U+0080, controls included: ASCII
const ASCII = /^[\u0000-\u007f]*$/

/** Whether `text` holds only ASCII characters (for short texts: event names, topics, epochs). */
export function isAsciiText (text: string): boolean {
  return ASCII.test(text)
}

/** The payload's JSON text to publish: the text received (on one line), else the value encoded. */
export function forwardedJson (received: ReceivedPayload): string {
  const text = received.payloadText
  return text === undefined ? payloadJson(received.payload) : oneLineJson(text)
}
