/**
 * How a connection attempt is addressed: the endpoint URL with `/websocket`,
 * the params (phoenix.js's flattening) and `vsn`; the Phoenix 1.8 auth-token
 * subprotocol; and a form of the URL that is safe to log (no query, since
 * tokens travel there).
 */

export const AUTH_TOKEN_PREFIX = 'base64url.bearer.phx.'

export type ParamValue = string | number | boolean | null | undefined | ParamValue[] | { [key: string]: ParamValue }
export type Params = Record<string, ParamValue>

/** phoenix.js's query form: `key=value`, nested objects (and arrays, by index) as `parent[child]=value`. */
export function encodeParams (params: Params | ParamValue[], prefix = ''): string[] {
  const parts: string[] = []
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue
    const name = prefix === '' ? key : `${prefix}[${key}]`
    if (value !== null && typeof value === 'object') {
      parts.push(...encodeParams(value, name))
    } else {
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value === null ? 'null' : String(value))}`)
    }
  }
  return parts
}

/** `ws://host/socket` → `ws://host/socket/websocket?…&vsn=2.0.0`. An http(s) endpoint becomes ws(s). */
export function socketUrl (endpoint: string, params: Params, vsn: string): string {
  const url = new URL(endpoint)
  if (url.protocol === 'http:') url.protocol = 'ws:'
  if (url.protocol === 'https:') url.protocol = 'wss:'
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`the endpoint must be a ws:// or wss:// URL, got ${url.protocol}`)
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/websocket`
  const query = [...encodeParams(params), `vsn=${encodeURIComponent(vsn)}`]
  url.search = `?${query.join('&')}`
  return url.toString()
}

/** The Sec-WebSocket-Protocol value phoenix.js sends with an auth token: standard Base64, no padding. */
export function authTokenProtocol (token: string): string {
  return `phoenix, ${AUTH_TOKEN_PREFIX}${Buffer.from(token, 'utf8').toString('base64').replace(/=+$/, '')}`
}
