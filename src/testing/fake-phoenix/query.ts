/**
 * Query decoding as Plug does it (reference A1): `a[b]=1` nests, `a[]=1`
 * appends to a list, `+` and `%20` are spaces, every value is a string.
 */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue }
export type QueryParams = Record<string, QueryValue>

function decode (text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

function keyPath (rawKey: string): string[] {
  const first = /^[^[]*/.exec(rawKey)?.[0] ?? ''
  const rest = [...rawKey.slice(first.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')
  return [first, ...rest]
}

function assign (target: Record<string, QueryValue>, path: string[], value: string): void {
  const [head = '', next, ...tail] = path
  if (next === undefined) {
    target[head] = value
    return
  }
  if (next === '') {
    const list = Array.isArray(target[head]) ? target[head] : (target[head] = [])
    list.push(value)
    return
  }
  const existing = target[head]
  const child: Record<string, QueryValue> = typeof existing === 'object' && !Array.isArray(existing) ? existing : {}
  target[head] = child
  assign(child, [next, ...tail], value)
}

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
