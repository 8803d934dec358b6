/**
 * Back-off policies: phoenix.js's schedules (checked against phoenix.js's own
 * default reconnectAfterMs / rejoinAfterMs), the jitter formula
 * `round(base × (1 − jitter + 2 × jitter × r))` with fixed randomness, the
 * Backoff counter, and validation.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Socket } from 'phoenix'
import { Backoff, backoffDelay, baseDelay, DEFAULT_JITTER, REJOIN_SCHEDULE_MS, RECONNECT_SCHEDULE_MS, type BackoffOptions, type BackoffPolicy } from '../../src/phoenix/backoff.ts'

/** A random() that returns the given values in turn, and fails if asked for more. */
function fixed (...values: number[]): () => number {
  let i = 0
  return () => {
    const value = values[i++]
    if (value === undefined) throw new Error('random() called more often than expected')
    return value
  }
}

const never = (): number => { throw new Error('random() must not be called') }

/** Delays of attempts 1..n from a fresh Backoff. */
function delays (backoff: Backoff, n: number): number[] {
  return Array.from({ length: n }, () => backoff.next())
}

describe('phoenix.js schedules', () => {
  test('RECONNECT_SCHEDULE_MS is 10 ms … 2 s, then 5 s for every later attempt', () => {
    assert.deepEqual(delays(new Backoff(RECONNECT_SCHEDULE_MS, { jitter: 0 }), 12), [10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000, 5000, 5000])
  })

  test('REJOIN_SCHEDULE_MS is 1 s, 2 s, 5 s, then 10 s for every later attempt', () => {
    assert.deepEqual(delays(new Backoff(REJOIN_SCHEDULE_MS, { jitter: 0 }), 6), [1000, 2000, 5000, 10000, 10000, 10000])
  })

  test('with jitter 0 both equal phoenix.js\'s default reconnectAfterMs / rejoinAfterMs for attempts 1–30', () => {
    const socket = new Socket('ws://127.0.0.1:1/socket') as unknown as { reconnectAfterMs: (tries: number) => number, rejoinAfterMs: (tries: number) => number }
    for (let attempt = 1; attempt <= 30; attempt++) {
      assert.equal(backoffDelay(RECONNECT_SCHEDULE_MS, attempt, never, 0), socket.reconnectAfterMs(attempt), `reconnect attempt ${attempt}`)
      assert.equal(backoffDelay(REJOIN_SCHEDULE_MS, attempt, never, 0), socket.rejoinAfterMs(attempt), `rejoin attempt ${attempt}`)
    }
  })

  test('the schedules cannot be modified', () => {
    assert.ok(Object.isFrozen(RECONNECT_SCHEDULE_MS))
    assert.ok(Object.isFrozen(REJOIN_SCHEDULE_MS))
  })
})

describe('jitter', () => {
  const cases: ReadonlyArray<[base: number, jitter: number, r: number, expected: number]> = [
    [1000, 0.2, 0, 800], [1000, 0.2, 0.5, 1000], [1000, 0.2, 0.999, 1200],
    [10, 0.2, 0, 8], [10, 0.2, 0.5, 10], [10, 0.2, 0.999, 12],
    [5000, 0.5, 0, 2500], [5000, 0.5, 0.5, 5000], [5000, 0.5, 0.999, 7495],
    [100, 1, 0, 0], [100, 1, 0.5, 100], [100, 1, 0.999, 200],
    [333, 0.1, 0.25, 316],
  ]
  for (const [base, jitter, r, expected] of cases) {
    test(`base ${base}, jitter ${jitter}, r = ${r} gives ${expected}`, () => {
      assert.equal(backoffDelay([base], 1, fixed(r), jitter), expected)
    })
  }

  test(`the default jitter is ${DEFAULT_JITTER} (±20 %)`, () => {
    assert.equal(DEFAULT_JITTER, 0.2)
    assert.equal(backoffDelay([1000], 1, fixed(0)), 800)
    assert.equal(new Backoff([1000], { random: fixed(0.999) }).next(), 1200)
  })

  test('delays stay whole, within ±jitter of the base, never negative, and grow with r', () => {
    for (const jitter of [0.05, 0.2, 0.5, 1]) {
      for (const base of [...RECONNECT_SCHEDULE_MS, 1, 7, 12345]) {
        let previous = -1
        for (let step = 0; step <= 100; step++) {
          const r = step === 100 ? 0.9999999 : step / 100
          const delay = backoffDelay([base], 1, fixed(r), jitter)
          assert.ok(Number.isInteger(delay) && delay >= 0)
          assert.ok(delay >= Math.round(base * (1 - jitter)) && delay <= Math.round(base * (1 + jitter)), `${base} ${jitter} ${r} → ${delay}`)
          assert.ok(delay >= previous)
          previous = delay
        }
      }
    }
  })

  test('a base of 0 stays 0 and jitter 0 gives the base: random() is not called for either', () => {
    assert.equal(backoffDelay([0], 1, never, 1), 0)
    assert.equal(backoffDelay([1234], 1, never, 0), 1234)
  })

  test('a fractional base is rounded to whole ms', () => {
    assert.equal(backoffDelay([10.4], 1, never, 0), 10)
    assert.equal(backoffDelay(() => 10.5, 1, never, 0), 11)
  })

  test('a Backoff draws one random number per jittered attempt', () => {
    const backoff = new Backoff(REJOIN_SCHEDULE_MS, { jitter: 0.2, random: fixed(0, 0.5, 0.999, 0.25) })
    assert.deepEqual(delays(backoff, 4), [800, 2000, 5998, 9000])
  })
})

describe('Backoff', () => {
  test('attempt counts from 0; next() counts one more and returns that attempt\'s delay', () => {
    const backoff = new Backoff([100, 200, 300], { jitter: 0 })
    assert.equal(backoff.attempt, 0)
    assert.equal(backoff.next(), 100)
    assert.equal(backoff.attempt, 1)
    assert.equal(backoff.next(), 200)
    assert.equal(backoff.attempt, 2)
  })

  test('reset() starts over from attempt 1', () => {
    const backoff = new Backoff(RECONNECT_SCHEDULE_MS, { jitter: 0 })
    delays(backoff, 5)
    backoff.reset()
    assert.equal(backoff.attempt, 0)
    assert.deepEqual(delays(backoff, 3), [10, 50, 100])
  })

  test('a list gives list[attempt − 1], then its last element for every later attempt', () => {
    assert.deepEqual(delays(new Backoff([7], { jitter: 0 }), 4), [7, 7, 7, 7])
    assert.deepEqual(delays(new Backoff([1, 2, 3], { jitter: 0 }), 6), [1, 2, 3, 3, 3, 3])
  })

  test('the Backoff keeps its own copy of the list', () => {
    const list = [100, 200]
    const backoff = new Backoff(list, { jitter: 0 })
    list[0] = 999
    list.push(5)
    assert.deepEqual(delays(backoff, 3), [100, 200, 200])
  })

  test('a function policy gets the attempt number, from 1', () => {
    const seen: number[] = []
    const policy: BackoffPolicy = (attempt) => { seen.push(attempt); return Math.min(100 * 2 ** (attempt - 1), 1000) }
    const backoff = new Backoff(policy, { jitter: 0 })
    assert.deepEqual(delays(backoff, 6), [100, 200, 400, 800, 1000, 1000])
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6])
    backoff.reset()
    backoff.next()
    assert.deepEqual(seen.at(-1), 1)
  })

  test('baseDelay gives the policy\'s delay before jitter', () => {
    assert.equal(baseDelay(RECONNECT_SCHEDULE_MS, 9), 2000)
    assert.equal(baseDelay(RECONNECT_SCHEDULE_MS, 1000), 5000)
    assert.equal(baseDelay((n) => n * 3, 4), 12)
  })
})

describe('validation', () => {
  test('an empty list is refused at construction and by backoffDelay', () => {
    assert.throws(() => new Backoff([], { jitter: 0 }), { name: 'TypeError', message: /list is empty/ })
    assert.throws(() => backoffDelay([], 1, never, 0), { name: 'TypeError', message: /list is empty/ })
  })

  test('a list holding a negative, NaN or infinite delay is refused at construction', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new Backoff([10, bad], { jitter: 0 }), { name: 'TypeError', message: /at index 1; delays must be finite numbers ≥ 0/ })
    }
  })

  test('a policy function returning a negative, NaN or infinite delay throws, and the attempt is not counted', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      let broken = false
      const backoff = new Backoff(() => broken ? bad : 100, { jitter: 0 })
      assert.equal(backoff.next(), 100)
      broken = true
      assert.throws(() => backoff.next(), { name: 'TypeError', message: new RegExp(`policy returned ${String(bad)} for attempt 2; it must return a finite number ≥ 0`) })
      assert.equal(backoff.attempt, 1)
      broken = false
      assert.equal(backoff.next(), 100)
      assert.equal(backoff.attempt, 2)
    }
  })

  test('a jitter outside 0..1 is refused', () => {
    for (const bad of [-0.1, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new Backoff([1], { jitter: bad, random: fixed() }), { name: 'TypeError', message: /jitter must be a ratio between 0 and 1/ })
      assert.throws(() => backoffDelay([1], 1, fixed(), bad), { name: 'TypeError', message: /jitter must be a ratio between 0 and 1/ })
    }
  })

  test('jitter without a random source is refused', () => {
    // @ts-expect-error: a jitter other than 0 needs `random`
    assert.throws(() => new Backoff([1], { jitter: 0.2 }), { name: 'TypeError', message: /needs a random\(\) source/ })
    assert.throws(() => new Backoff([1], {} as unknown as BackoffOptions), { name: 'TypeError', message: /needs a random\(\) source/ })
  })

  test('random() values outside [0, 1) are refused', () => {
    for (const bad of [1, -0.1, Number.NaN, 2]) {
      assert.throws(() => backoffDelay([100], 1, fixed(bad), 0.2), { name: 'TypeError', message: /random\(\) returned .*; it must return a number in \[0, 1\)/ })
    }
  })

  test('attempts must be integers ≥ 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => backoffDelay([1], bad, never, 0), { name: 'TypeError', message: /attempt must be an integer ≥ 1/ })
    }
  })
})
