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
  const parts: string[] = []
  if (e.id !== undefined) parts.push(field('id', e.id))
  if (e.event !== undefined) parts.push(field('event', e.event))
  if (e.retryMs !== undefined) parts.push(`retry: ${Math.max(0, Math.floor(e.retryMs))}\n`)
  // JSON from JSON.stringify, the usual data, has no line breaks: one line, without splitting. (Two native searches:
  // over long data, several times faster than the regexp's loop.)
  if (!e.data.includes('\n') && !e.data.includes('\r')) parts.push('data: ', e.data, '\n\n')
  else {
    for (const line of e.data.split(/\r\n|\r|\n/)) parts.push(`data: ${line}\n`)
    parts.push('\n')
  }
  // Joined, the text is one flat string: a held event keeps its SSE text as it is written, not as a tree of its pieces.
  return parts.join('')
}

/** A comment line: ignored by clients, keeps proxies from timing the stream out. */
export function formatComment (text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`
}
