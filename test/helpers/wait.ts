/**
 * The waits every test builds on, each with a deadline:
 *
 * - `within`: a promise settled by callbacks, rejected after its deadline,
 *   its clean-up always run. Every other wait is built on it.
 * - `deadline`: a promise, or a rejection after the deadline.
 * - `nextEvent`: the next event of an EventEmitter whose arguments match.
 *
 * A source that is not an EventEmitter (a phoenix.js channel, a recorded
 * message log) has a thin adapter of its own beside its other helpers.
 */
import type { EventEmitter } from 'node:events'

/** The deadline of a wait that names none. */
export const WAIT_MS = 10_000

/** A promise settled by callbacks, rejected after `ms`; the clean-up `start` returns always runs. */
export async function within<T> (ms: number, what: string, start: (resolve: (value: T) => void, reject: (err: Error) => void) => (() => void) | undefined): Promise<T> {
  let cleanup: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`${what}: not within ${ms} ms`)) }, ms)
      cleanup = start(resolve, reject)
    })
  } finally {
    clearTimeout(timer)
    cleanup?.()
  }
}

/** `promise`, or a rejection after `ms`. */
export async function deadline<T> (promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  return within<T>(ms, what, (resolve, reject) => {
    promise.then(resolve, reject)
    return undefined
  })
}

/**
 * The first argument of the next `name` event whose arguments satisfy
 * `predicate`; rejects after `timeoutMs`. It listens from the moment it is
 * called: subscribe before causing the event.
 */
export async function nextEvent<T extends Record<keyof T, unknown[]>, K extends keyof T & string> (
  emitter: EventEmitter<T>,
  name: K,
  predicate?: (...args: T[K]) => boolean,
  timeoutMs = WAIT_MS
): Promise<T[K][0]> {
  const target = emitter as unknown as EventEmitter
  return within<T[K][0]>(timeoutMs, `"${name}" event`, (resolve) => {
    const listener = (...args: unknown[]): void => {
      if (predicate === undefined || predicate(...(args as T[K]))) resolve(args[0])
    }
    target.on(name, listener)
    return () => { target.off(name, listener) }
  })
}
