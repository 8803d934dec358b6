/**
 * The webhook's decisions, pure: what an attempt's outcome means (the
 * verdict, compatible with Dapr's pub/sub contract), how long to wait before
 * the next attempt (exponential with full jitter, never less than
 * Retry-After), and when to give up (attempts or age). No I/O, no clock:
 * time and randomness come in as arguments.
 *
 * Dapr's contract, which an app written for Dapr already follows:
 *
 * - 2xx: the body decides. Empty, not JSON, not an object, or an object
 *   without a `status` string: success. `{"status":"SUCCESS"}`: success;
 *   `"RETRY"`: retry; `"DROP"`: drop; any other string: retry. The key is
 *   matched without regard to case (as Go's encoding/json does), the value
 *   exactly.
 * - 404: drop.
 * - Any other status (429, 5xx, other 4xx): retry.
 * - No response (timeout, connection refused or reset): retry.
 *
 * Drop sends the message to the dead letter; retry tries again after a
 * delay, until the attempts or the age run out (then the dead letter too).
 */

export type Verdict = 'success' | 'retry' | 'drop'

/** An attempt's result as counted: the verdict, or what happened when no response came. */
export type AttemptResult = Verdict | 'timeout' | 'error'

/** Why a message went to the dead letter. */
export type DeadLetterReason = 'dropped' | 'max_attempts' | 'max_age' | 'overflow' | 'shutdown'

/** The verdict of a response with `status` and (the first bytes of) its body. */
export function verdictOf (status: number, body: string): Verdict {
  if (status >= 200 && status <= 299) return bodyVerdict(body)
  return status === 404 ? 'drop' : 'retry'
}

function bodyVerdict (body: string): Verdict {
  if (body.trim() === '') return 'success'
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return 'success' // Dapr: a body it cannot parse is ignored
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'success'
  const record = parsed as Record<string, unknown>
  const key = 'status' in record ? 'status' : Object.keys(record).find((k) => k.toLowerCase() === 'status')
  const value = key === undefined ? undefined : record[key]
  if (typeof value !== 'string') return 'success' // Go's decoder fails on a non-string: Dapr ignores the body
  switch (value) {
    case '':
    case 'SUCCESS': return 'success'
    case 'DROP': return 'drop'
    default: return 'retry' // RETRY, and any status Dapr does not know
  }
}

/** Undici's codes for deadlines it enforces itself. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** What a failed request counts as: `timeout` when a deadline ran out, `error` otherwise (refused, reset…). Both are retried. */
export function errorResult (err: unknown, deadlineReached: boolean): 'timeout' | 'error' {
  if (deadlineReached) return 'timeout'
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined
  return typeof code === 'string' && TIMEOUT_CODES.has(code) ? 'timeout' : 'error'
}

/**
 * A Retry-After header (RFC 9110 §10.2.3) as ms from `nowMs` (wall clock):
 * delay-seconds, or an HTTP-date (0 when it is past). null when absent or
 * not understood.
 */
export function retryAfterMs (header: string | string[] | undefined, nowMs: number): number | null {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Math.min(Number(text), 2_147_483) * 1000
  const at = Date.parse(text)
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return null
  return Math.max(0, at - nowMs)
}

export interface BackoffPolicy {
  initialMs: number
  maxMs: number
  multiplier: number
}

/**
 * The delay before retry number `retry` (from 1): full jitter over an
 * exponential ceiling, `r × min(maxMs, initialMs × multiplier^(retry − 1))`
 * with `r` from `random()` in [0, 1), rounded to whole ms; then at least
 * `retryAfter` (ms) when the response asked for it.
 */
export function retryDelay (policy: BackoffPolicy, retry: number, random: () => number, retryAfter: number | null = null): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** Math.max(0, retry - 1))
  const jittered = Math.floor(random() * ceiling)
  return retryAfter === null ? jittered : Math.max(jittered, retryAfter)
}

export interface GiveUpLimits {
  maxAttempts: number
  maxAgeMs: number
}

/**
 * After a failed attempt (`attempts` made so far, the message `ageMs` old):
 * null to retry after `delayMs`, or why not: the attempts are used up, or
 * the message would be older than maxAgeMs by the time of the retry.
 */
export function giveUp (limits: GiveUpLimits, attempts: number, ageMs: number, delayMs: number): 'max_attempts' | 'max_age' | null {
  if (attempts >= limits.maxAttempts) return 'max_attempts'
  if (ageMs + delayMs > limits.maxAgeMs) return 'max_age'
  return null
}
