/**
 * Query decoding as Plug does it (reference A1): `a[b]=1` nests, `a[]=1`
 * appends to a list, `+` and `%20` are spaces, every value is a string.
 */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue }
export type QueryParams = Record<string, QueryValue>

/** Raised for a query Plug refuses (bytes that are not UTF-8): HTTP 400. */
export class InvalidQueryError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** As Elixir's URI.decode_www_form (1.13+): a `%` not followed by two hex digits stays as is. */
function decode (text: string): string {
  const bytes = Buffer.from(text.replace(/\+/g, ' '), 'utf8')
  const out: number[] = []
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 ? bytes.subarray(i + 1, i + 3).toString('latin1') : ''
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      out.push(parseInt(hex, 16))
      i += 2
    } else {
      out.push(bytes[i] ?? 0)
    }
  }
  try {
    return utf8.decode(new Uint8Array(out))
  } catch {
    throw new InvalidQueryError(`invalid urlencoded params, got ${text}`)
  }
}

/** Own keys only, so `__proto__` or `constructor` in a query are plain keys. */
function own (target: Record<string, QueryValue>, key: string): QueryValue | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined
}

function put<T extends QueryValue> (target: Record<string, QueryValue>, key: string, value: T): T {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
  return value
}

function keyPath (rawKey: string): string[] {
  const first = /^[^[]*/.exec(rawKey)?.[0] ?? ''
  const rest = [...rawKey.slice(first.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')
  return [first, ...rest]
}

function assign (target: Record<string, QueryValue>, path: string[], value: string): void {
  const [head = '', next, ...tail] = path
  if (next === undefined) {
    put(target, head, value)
    return
  }
  const existing = own(target, head)
  if (next === '') {
    const list = Array.isArray(existing) ? existing : put(target, head, [])
    list.push(value)
    return
  }
  const child: Record<string, QueryValue> = typeof existing === 'object' && !Array.isArray(existing) ? existing : {}
  put(target, head, child)
  assign(child, [next, ...tail], value)
}

/** Throws InvalidQueryError when a decoded key or value is not UTF-8. */
export function parseQuery (query: string): QueryParams {
  const params: QueryParams = Object.create(null) as QueryParams
  for (const part of query.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const key = decode(eq === -1 ? part : part.slice(0, eq))
    const value = eq === -1 ? '' : decode(part.slice(eq + 1))
    if (key !== '') assign(params, keyPath(key), value)
  }
  return params
}
