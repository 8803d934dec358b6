/**
 * A stream does not outlive its token: `endAtExpiry` ends it with a final
 * `token_expired` event once the token's `exp` (plus the leeway) has
 * passed. One timer per stream, cleared when the stream ends; an expiry
 * further away than setTimeout's longest delay is reached in steps.
 */
import type { OpenStream } from '../hub/reader.ts'

/** setTimeout's longest delay, ms. */
export const MAX_TIMER_MS = 2_147_483_647

/** Ends `stream` with `token_expired` (and the `retryMs` hint) at `atMs` on the `now` clock; nothing once the stream has ended. */
export function endAtExpiry (stream: OpenStream, atMs: number, retryMs: number, now: () => number = Date.now): void {
  if (stream.ended) return
  let timer: NodeJS.Timeout | undefined
  const check = (): void => {
    const left = atMs - now()
    if (left <= 0) {
      stream.end('token_expired', { reason: 'token_expired' }, retryMs)
      return
    }
    timer = setTimeout(check, Math.min(left, MAX_TIMER_MS))
    timer.unref()
  }
  check()
  stream.onEnd(() => { clearTimeout(timer) })
}
