/**
 * Label values for metrics, all from bounded sets: names from the config,
 * our own error codes, a fixed list of close codes. A topic that is not in
 * the config is `other`, never the topic itself; payloads never appear.
 */
import type { Hub } from '../hub/hub.ts'

/** The label value of anything that is not in the config. */
export const OTHER = 'other'

/** The configured subscription name for an upstream's topic, or `other`. */
export function subscriptionLabel (hub: Hub, upstream: string, topic: string): string {
  return hub.get(upstream, topic)?.config.name ?? OTHER
}

/** Our error codes (`BC_ERR_TIMEOUT` → `timeout`); anything else is `other`. */
export function codeLabel (code: string): string {
  return /^BC_ERR_[A-Z0-9_]{1,40}$/.test(code) ? code.slice(7).toLowerCase() : OTHER
}

/** A push's outcome: `ok`, `error` (any other reply status), or the failure (`timeout`, `disconnected`…). */
export function pushOutcome (status: string | null, code: string | null): string {
  if (status !== null) return status === 'ok' ? 'ok' : 'error'
  return codeLabel(code ?? '')
}

const CLOSE_CODES = new Set([1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015])

/** A WebSocket close code as a label: the standard codes as numbers, the rest `other`. */
export function closeCodeLabel (code: number): string {
  return CLOSE_CODES.has(code) ? String(code) : OTHER
}
