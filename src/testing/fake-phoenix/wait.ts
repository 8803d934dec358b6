import type { EventEmitter } from 'node:events'

/**
 * Resolves with the first `event` whose arguments satisfy `predicate`, or
 * rejects after `timeoutMs`: every wait in the test kit has a deadline.
 */
export async function waitForEvent<T extends Record<keyof T, unknown[]>, K extends keyof T & string> (
  emitter: EventEmitter<T>,
  event: K,
  predicate: ((...args: T[K]) => boolean) | undefined,
  timeoutMs: number
): Promise<T[K][0]> {
  const target = emitter as unknown as EventEmitter
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      if (predicate !== undefined && !predicate(...(args as T[K]))) return
      clearTimeout(timer)
      target.off(event, listener)
      resolve(args[0])
    }
    const timer = setTimeout(() => {
      target.off(event, listener)
      reject(new Error(`no "${event}" event within ${timeoutMs} ms`))
    }, timeoutMs)
    target.on(event, listener)
  })
}
