/**
 * Checks shared by the parts of the config file: URLs and `{ env }` sources.
 * Each pushes a problem naming the JSON path; none throws.
 */
import type { ValueSource } from './types.ts'

export const RESERVED_ENV_PREFIX = 'BACKCHANNEL_'

export interface UrlRule {
  /** Allowed schemes, e.g. `['http:', 'https:']`. */
  schemes: readonly string[]
  /** The problem when the scheme is another one. */
  schemeMessage: string
  /** The problem for a query or fragment (`query: false` allows a query). */
  fragmentMessage: string
  query: boolean
  /** The problem for user:password@ in the URL. */
  credentialsMessage: string
}

export function checkUrl (url: string, at: string, rule: UrlRule, problems: string[]): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    problems.push(`${at}: not a URL`)
    return
  }
  if (!rule.schemes.includes(parsed.protocol)) problems.push(`${at}: ${rule.schemeMessage}, got ${parsed.protocol}//`)
  if (parsed.hash !== '' || (!rule.query && parsed.search !== '')) problems.push(`${at}: ${rule.fragmentMessage}`)
  if (parsed.username !== '' || parsed.password !== '') problems.push(`${at}: ${rule.credentialsMessage}`)
}

/** An `{ env }` source may not name a BACKCHANNEL_* variable: the environment check would itself refuse it. */
export function checkSource (source: ValueSource, at: string, problems: string[]): void {
  if (typeof source === 'object' && 'env' in source && source.env.startsWith(RESERVED_ENV_PREFIX)) {
    problems.push(`${at}/env: ${RESERVED_ENV_PREFIX}* variables are reserved for the gateway's own settings; use another name`)
  }
}

/**
 * The upstream an item (`at`, e.g. `/channels/2`) names, or the only one when
 * it names none; '' with a problem when that cannot be told.
 */
export function resolveUpstream (named: string | undefined, at: string, upstreams: ReadonlyArray<{ name: string }>, problems: string[]): string {
  if (named === undefined) {
    if (upstreams.length === 1) return upstreams[0]?.name ?? ''
    problems.push(`${at}: missing required key "upstream" (there are ${upstreams.length} upstreams)`)
    return ''
  }
  if (!upstreams.some((u) => u.name === named)) {
    problems.push(`${at}/upstream: no upstream is named "${named}" (known: ${[...new Set(upstreams.map((u) => `"${u.name}"`))].join(', ')})`)
  }
  return named
}

/**
 * Things that validate but are most likely mistakes, one line each naming the
 * JSON path: an upstream url ending in /websocket (a copy of the address the
 * browser's DevTools show). The client appends /websocket itself, so every
 * connect would ask for …/websocket/websocket and get 404.
 */
export function configWarnings (upstreams: ReadonlyArray<{ url: string }>): string[] {
  const warnings: string[] = []
  upstreams.forEach((u, index) => {
    let path: string
    try {
      path = new URL(u.url).pathname.replace(/\/+$/, '')
    } catch {
      return
    }
    if (!path.endsWith('/websocket')) return
    const mount = new URL(u.url)
    mount.pathname = path.slice(0, -'/websocket'.length) || '/'
    mount.search = ''
    warnings.push(`/upstreams/${index}/url: ends in /websocket, which the client appends itself (it would connect to ${path}/websocket); give the socket's mount instead, e.g. ${mount.origin}${mount.pathname === '/' ? '' : mount.pathname}`)
  })
  return warnings
}
