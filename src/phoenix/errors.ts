import { BackchannelError } from '../errors.ts'

/** Why a frame could not be decoded or encoded. */
export type ProtocolFault =
  | 'malformed_json'
  | 'bad_shape'
  | 'bad_field'
  | 'unknown_binary_kind'
  | 'truncated_binary'
  | 'field_too_long'
  | 'binary_not_supported'
  | 'wrong_opcode'
  | 'too_deep'

/** A frame that breaks the Phoenix wire format. Code: BC_ERR_PROTOCOL. */
export class ProtocolError extends BackchannelError {
  readonly fault: ProtocolFault

  constructor (fault: ProtocolFault, message: string, cause?: unknown) {
    super('BC_ERR_PROTOCOL', message, { statusCode: 502, cause })
    this.fault = fault
  }
}

/**
 * No reply within the deadline. `kind` says which wait timed out; for a
 * push, `sent` tells whether it went out (false: it waited for a join or a
 * connection the whole time).
 */
export class TimeoutError extends BackchannelError {
  readonly kind: 'push' | 'join' | 'leave' | 'heartbeat' | 'connect' | 'upgrade' | 'message'
  readonly sent: boolean
  constructor (kind: TimeoutError['kind'], timeoutMs: number, sent = true) {
    super('BC_ERR_TIMEOUT', sent ? `${kind} timed out after ${timeoutMs} ms` : `${kind} waited ${timeoutMs} ms for a join and was never sent`, { statusCode: sent ? 504 : 503 })
    this.kind = kind
    this.sent = sent
  }
}

/** A push or leave for a topic the client has not joined (or has left). */
export class NotJoinedError extends BackchannelError {
  constructor (topic: string) {
    super('BC_ERR_NOT_JOINED', `topic "${topic}" is not joined`, { statusCode: 503 })
  }
}

/** The push buffer is full: the push was not queued. */
export class BufferFullError extends BackchannelError {
  constructor (limit: number) {
    super('BC_ERR_BUFFER_FULL', `push buffer is full (${limit} pushes waiting)`, { statusCode: 503 })
  }
}

/**
 * The socket is not connected. `sent` tells whether the push had already
 * gone out: if it had, the server may have acted on it and its reply is lost.
 */
export class DisconnectedError extends BackchannelError {
  readonly sent: boolean
  constructor (sent: boolean) {
    super('BC_ERR_DISCONNECTED', sent ? 'the connection closed before the reply came; the push may have been processed' : 'not connected', { statusCode: 503 })
    this.sent = sent
  }
}

/** The server refused the join; `response` is its reply payload. */
export class JoinRefusedError extends BackchannelError {
  readonly topic: string
  readonly response: unknown
  constructor (topic: string, response: unknown) {
    super('BC_ERR_JOIN_REFUSED', `the server refused to join "${topic}"`, { statusCode: 502 })
    this.topic = topic
    this.response = response
  }
}

/** The channel ended while the push waited: closed by the server, left, or crashed. */
export class ChannelClosedError extends BackchannelError {
  readonly reason: 'server_closed' | 'left' | 'crashed' | 'refused'
  constructor (topic: string, reason: ChannelClosedError['reason']) {
    super('BC_ERR_CHANNEL_CLOSED', `channel "${topic}" ended (${reason}) before the reply came`, { statusCode: reason === 'crashed' ? 502 : 503 })
    this.reason = reason
  }
}

/** The client (or session) was closed; nothing more will be sent. */
export class ClosedError extends BackchannelError {
  constructor () {
    super('BC_ERR_CLOSED', 'the client is closed', { statusCode: 503 })
  }
}

/** The caller gave up (an AbortSignal fired). */
export class AbortedError extends BackchannelError {
  /** True for an aborted push that had been sent (the server may have acted on it). */
  readonly sent: boolean
  constructor (reason?: unknown, sent = false) {
    super('BC_ERR_ABORTED', 'the operation was aborted', { statusCode: 499, cause: reason })
    this.sent = sent
  }
}
