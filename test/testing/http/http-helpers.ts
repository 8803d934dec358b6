/**
 * Helpers for the fake server's HTTP-phase tests: a server closed after the
 * test, plain HTTP requests, hand-written upgrade requests over a raw TCP
 * socket, and `ws` clients that report either the open socket or the
 * refused response. Every wait has a deadline.
 */
import { request } from 'node:http'
import { connect as tcpConnect } from 'node:net'
import type { TestContext } from 'node:test'
import { WebSocket, type ClientOptions } from 'ws'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import { within } from '../../helpers/wait.ts'

const DEADLINE_MS = 2000

export interface HttpAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** Starts a fake server that is closed when the test ends. */
export async function serve (t: TestContext, options: FakePhoenixOptions = {}): Promise<FakePhoenix> {
  const server = await startFakePhoenix(options)
  t.after(async () => { await server.close() })
  return server
}

/** `within`, whose `abort` runs only when the wait fails (a socket that opened is the answer, not to be closed). */
async function withDeadline<T> (what: string, run: (resolve: (value: T) => void, reject: (error: Error) => void) => () => void): Promise<T> {
  let abort = (): void => {}
  try {
    return await within<T>(DEADLINE_MS, `${what}: an answer`, (resolve, reject) => {
      abort = run(resolve, reject)
      return undefined
    })
  } catch (err) {
    abort()
    throw err
  }
}

function flatHeaders (headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** A plain (non-upgrade) HTTP request on its own connection. */
export async function httpRequest (port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return withDeadline(`${method} ${path}`, (resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') })
      })
    })
    req.on('error', reject)
    req.end()
    return () => { req.destroy() }
  })
}

/**
 * Writes `head` (request line and headers, CRLF-separated, without the
 * final blank line) on a raw TCP socket and parses the answer. A 101 is
 * returned as soon as its head arrives; anything else once its body is in.
 */
export async function rawUpgrade (port: number, head: string[]): Promise<HttpAnswer> {
  return withDeadline(head[0] ?? 'raw request', (resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1')
    let buffer = Buffer.alloc(0)
    const parse = (): HttpAnswer | null => {
      const end = buffer.indexOf('\r\n\r\n')
      if (end === -1) return null
      const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const status = Number(statusLine.split(' ')[1])
      const body = buffer.subarray(end + 4)
      const length = Number(headers['content-length'] ?? 0)
      if (status !== 101 && body.length < length) return null
      return { status, headers, body: body.toString('utf8') }
    }
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      const answer = parse()
      if (answer !== null) {
        socket.destroy()
        resolve(answer)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => { reject(new Error(`connection closed before a full answer: ${buffer.toString('latin1')}`)) })
    socket.write(`${head.join('\r\n')}\r\n\r\n`)
    return () => { socket.destroy() }
  })
}

/** The headers of a valid upgrade request for `path`, plus `extra` lines. */
export function upgradeHead (port: number, path: string, extra: string[] = []): string[] {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...extra,
  ]
}

/** Opens a `ws` client; closed when the test ends. Rejects with the status if refused. */
export async function openSocket (t: TestContext, url: string, protocols: string[] = [], options: ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, options)
  t.after(() => { ws.terminate() })
  return withDeadline(`open ${url}`, (resolve, reject) => {
    ws.once('open', () => { resolve(ws) })
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => { reject(new Error(`upgrade refused: HTTP ${res.statusCode ?? 0}`)) })
    return () => { ws.terminate() }
  })
}

/** Attempts an upgrade with a `ws` client that must be refused; returns the HTTP answer. */
export async function refusedSocket (t: TestContext, url: string, protocols: string[] = [], options: ClientOptions = {}): Promise<HttpAnswer> {
  const ws = new WebSocket(url, protocols, options)
  ws.on('error', () => { /* the refusal is read from 'unexpected-response' */ })
  t.after(() => { ws.terminate() })
  return withDeadline(`refused ${url}`, (resolve, reject) => {
    ws.once('open', () => { reject(new Error('upgrade succeeded, expected a refusal')) })
    ws.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      res.on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') })
      })
    })
    return () => { ws.terminate() }
  })
}

/** Standard Base64 without padding, as phoenix.js encodes an auth token. */
export function tokenProtocol (token: string): string {
  return `base64url.bearer.phx.${Buffer.from(token).toString('base64').replace(/=+$/, '')}`
}
