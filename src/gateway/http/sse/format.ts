/**
 * Server-Sent Events wire format (WHATWG HTML §9.2), pure. A data value with
 * line breaks becomes several `data:` lines; CR and LF in ids and event
 * names, which would break the framing, are refused.
 */
export interface SseEvent {
  id?: string
  event?: string
  data: string
  retryMs?: number
}

const LINE_BREAK = /[\r\n]/

function field (name: string, value: string): string {
  if (LINE_BREAK.test(value)) throw new TypeError(`SSE ${name} must not contain line breaks`)
  return `${name}: ${value}\n`
}

export function formatEvent (e: SseEvent): string {
  let out = ''
  if (e.id !== undefined) out += field('id', e.id)
  if (e.event !== undefined) out += field('event', e.event)
  if (e.retryMs !== undefined) out += `retry: ${Math.max(0, Math.floor(e.retryMs))}\n`
  // JSON from JSON.stringify, the usual data, has no line breaks: one line, without splitting.
  if (!LINE_BREAK.test(e.data)) return `${out}data: ${e.data}\n\n`
  for (const line of e.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`
  return `${out}\n`
}

/** A comment line: ignored by clients, keeps proxies from timing the stream out. */
export function formatComment (text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`
}
