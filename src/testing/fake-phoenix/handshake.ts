/**
 * The HTTP phase of a Phoenix socket (reference A2, Part E 1–7), in
 * Phoenix's order once the path picked the mount: method, origin, auth
 * token, subprotocols, connect_info, vsn, the connect callback, and only
 * then the upgrade headers. The first failure is the answer; nothing is
 * upgraded.
 */
import type { IncomingMessage } from 'node:http'
import { serializerFor, type Serializer } from '../../phoenix/serializer.ts'
import type { ConnectInfo } from './channel-api.ts'
import type { ResolvedMount } from './options.ts'
import { parseQuery, type QueryParams } from './query.ts'

/** Elixir's URI.default_port for the schemes an origin can have. */
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' }

export const AUTH_TOKEN_PREFIX = 'base64url.bearer.phx.'

export interface Refusal {
  kind: 'refuse'
  status: number
  body: string
  headers: Record<string, string>
}

export interface Acceptance {
  kind: 'accept'
  serializer: Serializer
  params: QueryParams
  info: ConnectInfo
  /** The subprotocol to echo, if any. */
  protocol: string | null
  socketId: string | null
  assigns: Record<string, unknown>
}

const refuse = (status: number, body = '', headers: Record<string, string> = {}): Refusal =>
  ({ kind: 'refuse', status, body, headers })

function header (req: IncomingMessage, name: string): string | null {
  const value = req.headers[name]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}

/** Standard Base64 (RFC 4648 §4), padding optional; anything else is malformed. */
export function decodeStandardBase64 (text: string): string | null {
  const bare = text.replace(/=+$/, '')
  if (!/^[A-Za-z0-9+/]*$/.test(bare) || bare.length % 4 === 1) return null
  if (bare.length !== text.length && text.length % 4 !== 0) return null
  return Buffer.from(bare, 'base64').toString('utf8')
}

function originAllowed (origin: string | null, allowed: false | string[]): boolean {
  if (origin === null || allowed === false) return true
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (url.hostname === '') return false
  return allowed.some((entry) => {
    const m = /^(?:([a-z][a-z0-9+.-]*):)?\/\/([^:/]+)(?::(\d+))?/i.exec(entry)
    if (m === null) return false
    const [, scheme, host = '', explicitPort] = m
    // Phoenix parses each entry with URI.parse, which fills in the scheme's default port.
    const port = explicitPort ?? (scheme === undefined ? undefined : DEFAULT_PORTS[scheme.toLowerCase()])
    if (scheme !== undefined && `${scheme.toLowerCase()}:` !== url.protocol) return false
    if (port !== undefined && port !== (url.port === '' ? DEFAULT_PORTS[url.protocol.slice(0, -1)] : url.port)) return false
    if (host.startsWith('*.')) return url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1))
    return url.hostname === host.toLowerCase()
  })
}

function pickHeaders (req: IncomingMessage, test: (name: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (test(name) && value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function upgradeProblem (req: IncomingMessage): string | null {
  const got = (name: string): string => JSON.stringify([header(req, name) ?? ''].filter((v) => v !== ''))
  if ((header(req, 'host') ?? '') === '') return "'host' header is absent"
  if (!/(^|,)\s*upgrade\s*(,|$)/i.test(header(req, 'connection') ?? '')) return `'connection' header must contain 'upgrade', got ${got('connection')}`
  if (!/(^|,)\s*websocket\s*(,|$)/i.test(header(req, 'upgrade') ?? '')) return `'upgrade' header must contain 'websocket', got ${got('upgrade')}`
  if ((header(req, 'sec-websocket-key') ?? '') === '') return "'sec-websocket-key' header is absent"
  if (header(req, 'sec-websocket-version') !== '13') return `'sec-websocket-version' header must equal '13', got ${got('sec-websocket-version')}`
  return null
}

/** The URL of a request, as the server routes it. */
export function requestUrl (req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://fake.invalid')
}

/** The mount whose WebSocket path is `pathname`; other paths are answered 404. */
export function mountFor (mounts: readonly ResolvedMount[], pathname: string): ResolvedMount | Refusal {
  return mounts.find((m) => pathname === `${m.path}/websocket`) ?? refuse(404, 'Not Found')
}

/**
 * Decides an upgrade request to one mount. Mutates
 * `req.headers['sec-websocket-protocol']` as Phoenix does: the auth-token
 * entry is removed, and the header is dropped when the mount has no
 * subprotocol list to check it against.
 */
export async function negotiate (req: IncomingMessage, options: ResolvedMount): Promise<Acceptance | Refusal> {
  const url = requestUrl(req)
  if (req.method !== 'GET') return refuse(400)
  // Plug's fetch_query_params comes next; a query that is not UTF-8 raises (plug_status 400).
  let params: QueryParams
  try {
    params = parseQuery(url.search.slice(1))
  } catch {
    return refuse(400)
  }

  const origin = header(req, 'origin')
  if (!originAllowed(origin, options.checkOrigin)) return refuse(403)

  let authToken: string | null = null
  let offered = (header(req, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')
  if (options.authToken) {
    const tokens = offered.filter((p) => p.startsWith(AUTH_TOKEN_PREFIX))
    if (tokens.length === 1 && tokens[0] !== undefined) {
      authToken = decodeStandardBase64(tokens[0].slice(AUTH_TOKEN_PREFIX.length))
      if (authToken === null) return refuse(500, 'Internal Server Error')
      offered = offered.filter((p) => p !== tokens[0])
    }
  }
  const allowed = options.authToken ? ['phoenix', ...(options.subprotocols ?? [])] : options.subprotocols
  let protocol: string | null = null
  if (allowed === null) {
    delete req.headers['sec-websocket-protocol']
  } else if (offered.length > 0) {
    protocol = allowed.find((p) => offered.includes(p)) ?? null
    if (protocol === null) return refuse(403)
    req.headers['sec-websocket-protocol'] = offered.join(', ')
  } else {
    delete req.headers['sec-websocket-protocol']
  }

  const info: ConnectInfo = {
    authToken,
    peer: { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 },
    uri: { scheme: 'http', host: (header(req, 'host') ?? '').replace(/:\d+$/, ''), port: req.socket.localPort ?? 0, path: url.pathname, query: url.search.slice(1) },
    userAgent: header(req, 'user-agent'),
    origin,
    xHeaders: pickHeaders(req, (n) => n.startsWith('x-')),
    traceContextHeaders: pickHeaders(req, (n) => n === 'traceparent' || n === 'tracestate'),
    secWebsocketHeaders: pickHeaders(req, (n) => n.startsWith('sec-websocket-')),
  }

  // Phoenix puts the chosen subprotocol on the response before it goes on, so every
  // later refusal (vsn, connect, the upgrade's own checks) carries it too.
  const chosen: Record<string, string> = protocol === null ? {} : { 'sec-websocket-protocol': protocol }
  const vsn = params['vsn'] ?? '1.0.0'
  const serializer = typeof vsn === 'string' ? serializerFor(vsn) : undefined
  if (serializer === undefined) return refuse(403, '', chosen)

  const result = await options.connect(params, info)
  if (!result.ok) return refuse(result.status ?? 403, result.body ?? '', { ...chosen, ...result.headers })

  const problem = upgradeProblem(req)
  if (problem !== null) return refuse(400, problem, chosen)
  return { kind: 'accept', serializer, params, info, protocol, socketId: result.id ?? null, assigns: { ...result.assigns } }
}
