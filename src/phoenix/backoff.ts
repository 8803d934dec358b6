/**
 * Back-off policies: how long to wait before retry number `attempt` of a
 * socket reconnect or a channel rejoin. Pure: no timers, no clock; the
 * randomness for jitter comes in as a `random()` function.
 *
 * A policy is a list of delays in ms (attempt n waits `list[n - 1]`, and the
 * last element for every later attempt) or a function `attempt → ms`.
 * Attempts count from 1.
 *
 * Jitter spreads retries of many clients so they do not arrive together:
 *
 *     delay = round(base × (1 − jitter + 2 × jitter × r))
 *
 * where `base` is the policy's delay for the attempt, `jitter` a ratio in
 * [0, 1] (default 0.2, i.e. ±20 %; 0 turns jitter off) and `r` in [0, 1) comes
 * from `random()`. The delay is thus within ±jitter of base, never negative, a
 * whole number of ms, and a base of 0 stays 0.
 *
 * phoenix.js applies no jitter to its schedules (reference B1); a `Backoff`
 * with `jitter: 0` on `RECONNECT_SCHEDULE_MS` or `REJOIN_SCHEDULE_MS` waits
 * exactly as phoenix.js does.
 */

/** phoenix.js's socket reconnect delays (`reconnectAfterMs`): 10 ms … 2 s, then 5 s for every later attempt. */
export const RECONNECT_SCHEDULE_MS: readonly number[] = Object.freeze([10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000])

/** phoenix.js's channel rejoin delays (`rejoinAfterMs`): 1 s, 2 s, 5 s, then 10 s for every later attempt. */
export const REJOIN_SCHEDULE_MS: readonly number[] = Object.freeze([1000, 2000, 5000, 10000])

/** Default jitter ratio: ±20 %. */
export const DEFAULT_JITTER = 0.2

/** Delays in ms per attempt (the last one repeats), or a function of the attempt (from 1) giving ms. */
export type BackoffPolicy = readonly number[] | ((attempt: number) => number)

/** A source of numbers in [0, 1), such as Math.random in the layers that may use it. */
export type RandomSource = () => number

/**
 * Options of a `Backoff`: the jitter ratio (default 0.2) and the `random`
 * source it needs; `random` may be left out only when jitter is 0.
 */
export type BackoffOptions =
  | { readonly jitter?: number, readonly random: RandomSource }
  | { readonly jitter: 0, readonly random?: RandomSource }

function isDelay (value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function checkJitter (jitter: number): void {
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) {
    throw new TypeError(`backoff jitter must be a ratio between 0 and 1, got ${String(jitter)}`)
  }
}

function checkList (list: readonly number[]): void {
  if (list.length === 0) throw new TypeError('backoff policy list is empty: give at least one delay')
  list.forEach((delay, i) => {
    if (!isDelay(delay)) {
      throw new TypeError(`backoff policy list holds ${String(delay)} at index ${i}; delays must be finite numbers ≥ 0`)
    }
  })
}

/** The policy's delay for an attempt, before jitter; throws a TypeError if it is not a finite number ≥ 0. */
export function baseDelay (policy: BackoffPolicy, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new TypeError(`backoff attempt must be an integer ≥ 1, got ${String(attempt)}`)
  }
  if (typeof policy === 'function') {
    const delay = policy(attempt)
    if (!isDelay(delay)) {
      throw new TypeError(`backoff policy returned ${String(delay)} for attempt ${attempt}; it must return a finite number ≥ 0`)
    }
    return delay
  }
  checkList(policy)
  return policy[Math.min(attempt, policy.length) - 1] ?? 0
}

/**
 * The delay in ms before retry number `attempt` (from 1): the policy's delay
 * with jitter applied by the formula in the module comment. `random` is only
 * called when jitter and the base are not 0; it must return a number in
 * [0, 1). Throws a TypeError on a bad policy, attempt, jitter or random value.
 */
export function backoffDelay (policy: BackoffPolicy, attempt: number, random: RandomSource, jitter: number = DEFAULT_JITTER): number {
  checkJitter(jitter)
  const base = baseDelay(policy, attempt)
  if (jitter === 0 || base === 0) return Math.round(base)
  const r = random()
  if (!Number.isFinite(r) || r < 0 || r >= 1) {
    throw new TypeError(`backoff random() returned ${String(r)}; it must return a number in [0, 1)`)
  }
  return Math.round(base * (1 - jitter + 2 * jitter * r))
}

/**
 * A retry counter with its policy: `next()` counts one more attempt and
 * gives its delay; `reset()` after a success starts over from attempt 1.
 * It schedules nothing itself: the caller waits the delay.
 */
export class Backoff {
  readonly #policy: BackoffPolicy
  readonly #jitter: number
  readonly #random: RandomSource
  #attempt = 0

  /** Throws a TypeError on an empty or invalid list, a jitter outside [0, 1], or jitter without `random`. */
  constructor (policy: BackoffPolicy, options: BackoffOptions) {
    const jitter = options.jitter ?? DEFAULT_JITTER
    checkJitter(jitter)
    if (typeof policy !== 'function') checkList(policy)
    const random = options.random
    if (random === undefined && jitter !== 0) {
      throw new TypeError('backoff jitter needs a random() source; pass random or set jitter: 0')
    }
    this.#policy = typeof policy === 'function' ? policy : Object.freeze([...policy])
    this.#jitter = jitter
    this.#random = random ?? (() => 0)
  }

  /** The number of attempts counted since construction or the last reset (0 before the first `next()`). */
  get attempt (): number {
    return this.#attempt
  }

  /**
   * Counts one more attempt and returns its delay in ms. If the policy
   * function gives an invalid delay it throws a TypeError and the count
   * stays as it was.
   */
  next (): number {
    const delay = backoffDelay(this.#policy, this.#attempt + 1, this.#random, this.#jitter)
    this.#attempt += 1
    return delay
  }

  /** Starts over: the next `next()` is attempt 1 again. */
  reset (): void {
    this.#attempt = 0
  }
}
