/**
 * Condition waits for recorders: `until(check)` resolves once `check`
 * returns a value, re-checking each time the owner calls `wake()` after it
 * recorded something; it fails after its deadline.
 */
import { DEADLINE_MS } from '../gateway/sse/helpers.ts'
import { within } from './wait.ts'

export class Wakeups {
  readonly #wakers = new Set<() => void>()

  wake (): void {
    for (const w of [...this.#wakers]) w()
  }

  async until<T> (what: string, check: () => T | undefined, ms = DEADLINE_MS): Promise<T> {
    const now = check()
    if (now !== undefined) return now
    return within<T>(ms, what, (resolve) => {
      const waker = (): void => {
        const value = check()
        if (value !== undefined) resolve(value)
      }
      this.#wakers.add(waker)
      return () => { this.#wakers.delete(waker) }
    })
  }
}
