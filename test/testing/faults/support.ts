/**
 * Shared setup for the fault-control tests: a server and clients closed when
 * the test ends, plain `ws` sockets for frames a Phoenix decoder would refuse,
 * and waits that always carry a deadline.
 */
import { once } from 'node:events'
import { request, type ClientRequest, type IncomingMessage } from 'node:http'
import { WebSocket, type ClientOptions } from 'ws'
import type { FakeConnection, FakePhoenix } from '../../../src/testing/index.ts'

/** The server side of the connection opened last (the server registers it before the client sees 101). */
export function lastConnection (server: FakePhoenix): FakeConnection {
  const conn = server.connections().at(-1)
  if (conn === undefined) throw new Error('the server has no connection')
  return conn
}

/** Resolves with the code and reason of the socket's close, failing after `timeoutMs`. */
export async function closeOf (ws: WebSocket, timeoutMs = 2000): Promise<{ code: number, reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) throw new Error('socket already closed before the wait')
  const [code, reason] = (await once(ws, 'close', { signal: AbortSignal.timeout(timeoutMs) })) as [number, Buffer]
  return { code, reason: reason.toString('utf8') }
}

/**
 * A full HTTP round trip through the server's event loop on another TCP
 * connection (a plain GET, which stall does not hold). Anything the server
 * had already been sent and was going to answer, it answers before this.
 */
export async function httpRoundTrip (server: FakePhoenix): Promise<number> {
  const req = request({ host: '127.0.0.1', port: server.port, path: '/round-trip', agent: false, signal: AbortSignal.timeout(2000) })
  req.end()
  const [res] = (await once(req, 'response', { signal: AbortSignal.timeout(2000) })) as [IncomingMessage]
  res.resume()
  await once(res, 'end', { signal: AbortSignal.timeout(2000) })
  return res.statusCode ?? 0
}

export interface Refused { status: number, headers: IncomingMessage['headers'], body: string }

export type Attempt = { kind: 'open', ws: WebSocket } | { kind: 'refused', refused: Refused } | { kind: 'error', error: NodeJS.ErrnoException }

/** One upgrade attempt: it opens, is refused with an HTTP response, or fails; each within `timeoutMs`. */
export async function attemptUpgrade (url: string, timeoutMs = 2000, options: ClientOptions = {}): Promise<Attempt> {
  const ws = new WebSocket(`${url}?vsn=2.0.0`, options)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`no upgrade outcome within ${timeoutMs} ms`)) }, timeoutMs)
    ws.once('open', () => { clearTimeout(timer); resolve({ kind: 'open', ws }) })
    ws.on('error', (error: NodeJS.ErrnoException) => { clearTimeout(timer); resolve({ kind: 'error', error }) })
    ws.once('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.once('end', () => {
        clearTimeout(timer)
        req.destroy()
        resolve({ kind: 'refused', refused: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') } })
      })
    })
  })
}

export { harness, isReplyTo, joinOk, sendHeartbeat, type Harness } from '../../helpers/fake-harness.ts'
