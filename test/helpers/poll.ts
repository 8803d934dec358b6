/**
 * Polling, for the one kind of wait that has no event to wait on: the state
 * of another process seen through its HTTP API (a Prometheus server's
 * targets and queries). Each round asks, and only when the answer is not
 * yet the one wanted does it pause `intervalMs` before asking again; the
 * whole wait fails after `timeoutMs`, naming the last answer or error.
 */
import { setTimeout as pause } from 'node:timers/promises'

export interface PollOptions {
  timeoutMs: number
  intervalMs: number
  /** What is awaited, for the failure message. */
  what?: string
}

/** Calls `fn` until it returns something other than undefined; returns that. */
export async function pollUntil<T> (fn: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = performance.now() + options.timeoutMs
  let last = 'no answer yet'
  for (;;) {
    try {
      const value = await fn()
      if (value !== undefined) return value
      last = 'not yet'
    } catch (err) {
      last = err instanceof Error ? err.message : String(err)
    }
    const left = deadline - performance.now()
    if (left <= 0) throw new Error(`${options.what ?? 'condition'}: not within ${options.timeoutMs} ms (last: ${last})`)
    await pause(Math.min(options.intervalMs, left))
  }
}
