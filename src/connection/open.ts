/**
 * Opens one WebSocket to a Phoenix endpoint with a single deadline over
 * TCP, TLS and the upgrade. Resolves with the open socket; rejects with a
 * typed error: ConnectRefusedError (an HTTP status instead of 101, with
 * headers and the start of the body), TimeoutError (kind 'connect'), or
 * ConnectError (anything below HTTP).
 */
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { getCACertificates } from 'node:tls'
import { WebSocket, type ClientOptions } from 'ws'
import type { BackchannelError } from '../errors.ts'
import { ClosedError, TimeoutError } from '../phoenix/errors.ts'
import { authTokenProtocol, socketUrl, type Params } from './dial.ts'
import { ConnectError, ConnectRefusedError } from './errors.ts'
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_PAYLOAD_BYTES, type ConnectionOptions } from './options.ts'

const MAX_REFUSAL_BODY = 4096

function headerRecord (res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v
  return out
}

async function evaluate<T> (value: T | (() => T | Promise<T>) | undefined): Promise<T | undefined> {
  return typeof value === 'function' ? (value as () => T | Promise<T>)() : value
}

/**
 * The CAs a TLS connection trusts when extra ones are given: Node's `ca`
 * option replaces its default store, but ours adds to it (an upstream
 * behind a public CA stays reachable when a private CA is configured).
 */
export function trustedCas (extra: NonNullable<ConnectionOptions['ca']>): Array<string | Buffer> {
  return [...getCACertificates('default'), ...(Array.isArray(extra) ? extra : [extra])]
}

/** An open WebSocket and the TCP (or TLS) socket under it. */
export interface OpenSocket { ws: WebSocket, socket: Duplex }

export async function openSocket (options: ConnectionOptions, vsn: string, signal?: AbortSignal): Promise<OpenSocket> {
  let params: Params | undefined
  let token: string | undefined
  try {
    params = await evaluate(options.params)
    token = await evaluate(options.authToken)
  } catch (err) {
    throw new ConnectError('params_failed', err)
  }
  if (signal?.aborted === true) throw new ClosedError()
  const url = socketUrl(options.url, params ?? {}, vsn)
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const wsOptions: ClientOptions = {
    handshakeTimeout: timeoutMs,
    maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    perMessageDeflate: options.compress === true,
    followRedirects: false,
    headers: { ...options.headers },
    ...(options.ca === undefined ? {} : { ca: trustedCas(options.ca) }),
  }
  if (token !== undefined) {
    // ws only lets valid token characters through `protocols`, and standard
    // Base64 may hold '/': offer "phoenix" and write the full header ourselves.
    const header = authTokenProtocol(token)
    wsOptions.finishRequest = (req: ClientRequest) => {
      req.setHeader('Sec-WebSocket-Protocol', header)
      // A server without auth_token ignores the header and echoes nothing
      // (reference A3); ws would fail that handshake, a browser too, but a
      // server-side client need not: take a missing echo as "phoenix".
      req.prependListener('upgrade', (res: IncomingMessage) => {
        res.headers['sec-websocket-protocol'] ??= 'phoenix'
      })
      req.end()
    }
  }
  const ws = new WebSocket(url, token === undefined ? [] : ['phoenix'], wsOptions)
  return new Promise<OpenSocket>((resolve, reject) => {
    let socket: Duplex | undefined
    ws.once('upgrade', (res: IncomingMessage) => { socket = res.socket })
    let settled = false
    const fail = (error: BackchannelError): void => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      signal?.removeEventListener('abort', onAbort)
      ws.terminate()
      reject(error)
    }
    const deadline = setTimeout(() => { fail(new TimeoutError('connect', timeoutMs)) }, timeoutMs)
    // Closing the connection while it connects ends the attempt at once, not at its deadline.
    const onAbort = (): void => { fail(new ClosedError()) }
    signal?.addEventListener('abort', onAbort, { once: true })
    ws.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let size = 0
      const done = (): void => {
        req.destroy()
        fail(new ConnectRefusedError(res.statusCode ?? 0, headerRecord(res), Buffer.concat(chunks).toString('utf8').slice(0, MAX_REFUSAL_BODY)))
      }
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_REFUSAL_BODY) chunks.push(chunk)
        size += chunk.length
        if (size >= MAX_REFUSAL_BODY) done()
      })
      res.once('end', done)
      res.once('error', done)
    })
    ws.on('error', (err: Error & { code?: string }) => {
      fail(new ConnectError(err.code ?? (err.message.includes('timed out') ? 'handshake_timeout' : err.message), err))
    })
    ws.once('open', () => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      signal?.removeEventListener('abort', onAbort)
      if (socket === undefined) {
        ws.terminate()
        reject(new ConnectError('no_socket'))
        return
      }
      resolve({ ws, socket })
    })
  })
}
