/**
 * Where a request's token is, pure: `Authorization: Bearer …` first (the
 * scheme is case-insensitive, RFC 9110 11.1), then, where the route allows
 * it, the token cookie (EventSource cannot set headers) and the
 * `access_token` query parameter (opt-in, RFC 6750 2.3).
 */

/** The query parameter a token may come in when `tokens.queryParameter` is on. */
export const TOKEN_QUERY_PARAMETER = 'access_token'

/** The token of an `Authorization: Bearer` header, or null. */
export function bearerToken (header: string | undefined): string | null {
  if (header === undefined || !/^bearer +/i.test(header)) return null
  const token = header.replace(/^bearer +/i, '').trim()
  return token === '' ? null : token
}

/** The value of cookie `name` in a Cookie header (`a=1; b=2`), or null; a quoted value is unquoted. */
export function cookieValue (header: string | undefined, name: string): string | null {
  if (header === undefined) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue
    let value = part.slice(eq + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    return value === '' ? null : value
  }
  return null
}
