/**
 * A URL as it may be logged or printed: scheme://host/path. The query (where
 * connect params, which may hold tokens, travel) and any user:password are
 * left out. Pure, shared by every layer.
 */
export function redactUrl (url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '<invalid url>'
  }
}
