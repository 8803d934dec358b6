/**
 * Options of one Phoenix connection, with their defaults.
 */
import type { SessionOptionsInput } from '../phoenix/session-options.ts'
import type { Params } from './dial.ts'

export type Awaitable<T> = T | Promise<T>

export interface ConnectionOptions extends SessionOptionsInput {
  /** The socket endpoint as phoenix.js takes it, e.g. `wss://app.example/socket`. */
  url: string
  /** Connect params: an object, or a function evaluated at every connect (a token read from a file). */
  params?: Params | (() => Awaitable<Params>)
  /** Phoenix 1.8 auth token, sent in Sec-WebSocket-Protocol; a function is evaluated at every connect. */
  authToken?: string | (() => Awaitable<string | undefined>)
  /** Extra upgrade request headers (User-Agent, x-*, traceparent, Cookie…). */
  headers?: Record<string, string>
  /** Serializer version; default '2.0.0'. */
  vsn?: '1.0.0' | '2.0.0'
  /** Deadline for TCP, TLS and the upgrade together. Default 10 000 ms. */
  connectTimeoutMs?: number
  /** Largest frame accepted from the server. Default 16 MiB. */
  maxPayloadBytes?: number
  /** Pushes fail with BC_ERR_SEND_BUFFER_FULL while more than this is queued on the socket. Default 8 MiB. */
  maxSendBufferBytes?: number
  /** Offer permessage-deflate. Default false. */
  compress?: boolean
  /** Extra CA certificates (PEM) to trust for wss://. Certificates are always verified. */
  ca?: string | Buffer | Array<string | Buffer>
  /** Delay before the n-th reconnect attempt (n from 1). Default: phoenix.js's schedule with ±20 % jitter. */
  reconnectDelay?: (attempt: number) => number
  /** The clock, in milliseconds; monotonic. Default performance.now. */
  now?: () => number
  /**
   * Keep each V2 text frame's payload as its JSON text (`payloadText`,
   * checked valid and nested at most MAX_JSON_DEPTH levels), parsed only
   * when `payload` is read: for a host that forwards payloads without
   * reading them, as the gateway does. Default false: each frame is parsed
   * whole, once, as phoenix.js does, which is cheaper for a client that
   * reads every payload.
   */
  keepPayloadText?: boolean
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
export const DEFAULT_MAX_SEND_BUFFER_BYTES = 8 * 1024 * 1024
