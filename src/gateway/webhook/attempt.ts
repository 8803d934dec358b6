/**
 * One delivery attempt: a POST through the origin's pool with its own
 * deadline (headers and body), the response read only as far as the
 * verdict needs, and every failure turned into an outcome (never thrown).
 */
import type { Dispatcher } from 'undici'
import { errorResult, retryAfterMs, verdictOf, type AttemptResult } from './policy.ts'
import { readVerdictBody } from './verdict-body.ts'

export interface AttemptOutcome { result: AttemptResult, status: number | null, retryAfter: number | null, error: string | null }

export interface AttemptRequest {
  path: string
  headers: Record<string, string>
  body: string
  timeoutMs: number
}

/** POSTs `req` through `dispatcher`; `now` is the wall clock (for a Retry-After date). */
export async function sendAttempt (dispatcher: Dispatcher, req: AttemptRequest, now: () => number): Promise<AttemptOutcome> {
  const timeoutMs = req.timeoutMs
  const abort = new AbortController()
  const timer = setTimeout(() => { abort.abort() }, timeoutMs)
  try {
    const res = await dispatcher.request({
      method: 'POST',
      path: req.path,
      headers: req.headers,
      body: req.body,
      signal: abort.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    })
    const ok = res.statusCode >= 200 && res.statusCode <= 299
    const length = res.headers['content-length']
    let text = ''
    if (ok) text = await readVerdictBody(res.body, typeof length === 'string' ? length : undefined)
    else await res.body.dump()
    const result = verdictOf(res.statusCode, text)
    return { result, status: res.statusCode, retryAfter: result === 'retry' ? retryAfterMs(res.headers['retry-after'], now()) : null, error: null }
  } catch (err) {
    const result = errorResult(err, abort.signal.aborted)
    const code = (err as { code?: unknown }).code
    return { result, status: null, retryAfter: null, error: result === 'timeout' ? `no answer within ${timeoutMs} ms` : typeof code === 'string' ? code : (err as Error).name }
  } finally {
    clearTimeout(timer)
  }
}
