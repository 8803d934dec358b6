/**
 * What a client may hold of the HTTP server, and how it is let go: Node's
 * header and request timeouts (checked often enough to bite on time), the
 * keep-alive timeout, a cap on open connections (SSE streams count; they
 * are not subject to the request timeout once their GET is in), and
 * client errors (a timeout, headers too large, bytes that are not HTTP)
 * answered in the problem shape with `Connection: close`.
 */
import type { IncomingMessage, ServerOptions } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify'
import type { HttpLimits } from '../config/types.ts'

/** How often Node checks connections for the header and request timeouts, at most, ms (its default, 30 s, would let a 10 s timeout run to 40 s). */
const MAX_CHECK_INTERVAL_MS = 1000
/** How long a connection answered after a client error may take to take its answer before it is destroyed, ms. */
const CLOSE_LINGER_MS = 1000

/** fastify's options for `limits`. */
export function serverOptions (limits: HttpLimits): Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout'> & { http: ServerOptions } {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs)
  return {
    // fastify sets the server's requestTimeout itself (0 unless told): the same value as Node's option.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // No idle timeout on the socket: an SSE stream may be quiet between keep-alive comments, and the
    // header, request and keep-alive timeouts cover every other wait.
    connectionTimeout: 0,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(shortest / 4))),
    },
  }
}

/** The problem a client error is answered with: a status, a code and a message. */
export function clientProblem (err: NodeJS.ErrnoException): { status: number, code: string, message: string } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'BC_ERR_REQUEST_TIMEOUT', message: 'the request did not arrive in time' }
  if (err.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'BC_ERR_HEADERS_TOO_LARGE', message: 'the request headers are too large' }
  return { status: 400, code: 'BC_ERR_BAD_REQUEST', message: 'the request is not valid HTTP/1.1' }
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }

/**
 * fastify's clientErrorHandler: Node reports a connection that broke the
 * protocol or its deadlines; it gets one problem response (unless a
 * response already started) and is closed.
 */
export function clientErrorHandler (log: FastifyBaseLogger): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    const { status, code, message } = clientProblem(err)
    log.debug({ code, reason: err.code ?? null }, 'client error: connection closed')
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent === true
    if (!socket.writable || started) {
      socket.destroy()
      return
    }
    const body = JSON.stringify({ error: { code, message } })
    // Ended, then destroyed once flushed, or after a moment whatever the peer does.
    const timer = setTimeout(() => { socket.destroy() }, CLOSE_LINGER_MS)
    timer.unref()
    socket.once('close', () => { clearTimeout(timer) })
    socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`, () => { socket.destroy() })
  }
}

/** True when the request's body has not been read to its end: an answer to it must close the connection. */
export function bodyUnread (raw: IncomingMessage): boolean {
  return !raw.complete
}
