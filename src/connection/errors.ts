import { BackchannelError } from '../errors.ts'

/** The server answered the upgrade with an HTTP status instead of 101. */
export class ConnectRefusedError extends BackchannelError {
  readonly status: number
  readonly headers: Record<string, string>
  /** The start of the response body (at most 4 KiB). */
  readonly body: string

  constructor (status: number, headers: Record<string, string>, body: string) {
    super('BC_ERR_CONNECT_REFUSED', `the server refused the WebSocket upgrade with HTTP ${status}`, { statusCode: 502 })
    this.status = status
    this.headers = headers
    this.body = body
  }
}

/** TCP, TLS or the upgrade failed below HTTP (refused port, reset, bad certificate…). */
export class ConnectError extends BackchannelError {
  /** The system or TLS error code, e.g. ECONNREFUSED, CERT_HAS_EXPIRED. */
  readonly reason: string

  constructor (reason: string, cause?: unknown) {
    super('BC_ERR_CONNECT', `could not connect: ${reason}`, { statusCode: 502, cause })
    this.reason = reason
  }
}

/** The socket's send queue is over its limit: the push was not sent. */
export class SendBufferFullError extends BackchannelError {
  constructor (limitBytes: number) {
    super('BC_ERR_SEND_BUFFER_FULL', `the socket's send buffer is over ${limitBytes} bytes`, { statusCode: 503 })
  }
}

/** The server sent a frame that breaks the protocol; the socket is closed and reconnected. */
export { ProtocolError } from '../phoenix/errors.ts'
