import { AbortedError, TimeoutError } from '../phoenix/errors.ts'

/**
 * Races `promise` against a deadline (0 means none: the inner operation has
 * its own) and an AbortSignal. The timer never outlives the race.
 */
export async function withDeadline<T> (promise: Promise<T>, timeoutMs: number, kind: TimeoutError['kind'], signal?: AbortSignal): Promise<T> {
  if (timeoutMs <= 0 && signal === undefined) return promise
  let timer: NodeJS.Timeout | undefined
  let onAbort = (): void => {}
  const stop = new Promise<never>((_resolve, reject) => {
    if (timeoutMs > 0) timer = setTimeout(() => { reject(new TimeoutError(kind, timeoutMs)) }, timeoutMs)
    if (signal !== undefined) {
      onAbort = () => { reject(new AbortedError(signal.reason)) }
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
    }
  })
  try {
    return await Promise.race([promise, stop])
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}
