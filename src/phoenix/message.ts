/**
 * The Phoenix message model: five logical fields on every frame.
 * `payload` is a JSON value, or bytes (a Uint8Array, so also a Buffer) for
 * V2 binary frames. A reply's payload is `{ status, response }`, and its
 * response may itself be bytes (the binary reply layout).
 */
export interface Message extends ReceivedPayload {
  joinRef: string | null
  ref: string | null
  topic: string
  event: string
  payload: unknown
}

/**
 * A received message's payload, read on demand. `payload` is its value
 * (for a V2 text frame, parsed from `payloadText` on first read, then
 * kept); `payloadText`, when set, is its JSON text exactly as the frame
 * carried it, already checked to be valid JSON nested at most
 * MAX_JSON_DEPTH levels (so `payload` never throws). It is unset for
 * bytes, V1 frames, and frames the fast decoder left to JSON.parse. Every
 * decoded Message is one.
 */
export interface ReceivedPayload {
  readonly payload: unknown
  readonly payloadText?: string | undefined
  /** True when `payloadText` is known to hold only ASCII characters (so its UTF-8 bytes are its characters, one each). */
  readonly payloadTextAscii?: boolean | undefined
}

/** A frame as the WebSocket carries it: text, or binary bytes. */
export type Frame = string | Uint8Array

export interface ReplyPayload {
  status: string
  response: unknown
}

/** Events the protocol reserves. */
export const ControlEvent = {
  heartbeat: 'heartbeat',
  join: 'phx_join',
  leave: 'phx_leave',
  reply: 'phx_reply',
  error: 'phx_error',
  close: 'phx_close',
} as const

export const HEARTBEAT_TOPIC = 'phoenix'

export type Vsn = '1.0.0' | '2.0.0'

export function isBytes (value: unknown): value is Uint8Array {
  return value instanceof Uint8Array
}

export function isReplyPayload (value: unknown): value is ReplyPayload {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'string' && 'response' in value
}
