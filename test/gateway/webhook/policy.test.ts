/**
 * The webhook policy, pure: verdicts compatible with Dapr's pub/sub
 * contract, exponential back-off with full jitter honouring Retry-After,
 * and the give-up rules.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorResult, giveUp, retryAfterMs, retryDelay, verdictOf } from '../../../src/gateway/webhook/policy.ts'
import { fixedRandom } from './harness.ts'

test('a 2xx is success when its body is empty, not JSON, not an object, or has no status string (as Dapr reads it)', () => {
  for (const [status, body] of [[200, ''], [204, ''], [201, '  \n'], [200, 'ok'], [200, '{"status":'], [200, '[]'], [200, '"RETRY"'], [200, 'null'], [200, '{}'], [200, '{"other":"RETRY"}'], [200, '{"status":5}'], [200, '{"status":null}'], [299, '{"status":""}']] as const) {
    assert.equal(verdictOf(status, body), 'success', `${status} ${JSON.stringify(body)}`)
  }
})

test('a 2xx body {"status"} decides: SUCCESS, RETRY, DROP; any other status string is retried', () => {
  assert.equal(verdictOf(200, '{"status":"SUCCESS"}'), 'success')
  assert.equal(verdictOf(200, '{"status":"RETRY"}'), 'retry')
  assert.equal(verdictOf(200, '{"status":"DROP"}'), 'drop')
  assert.equal(verdictOf(202, '{"status":"DROP","reason":"poison"}'), 'drop')
  assert.equal(verdictOf(200, '{"status":"LATER"}'), 'retry')
  assert.equal(verdictOf(200, '{"status":"success"}'), 'retry', 'the value is matched exactly, as Dapr does')
})

test('the status key is matched without regard to case, as Go\'s encoding/json does', () => {
  assert.equal(verdictOf(200, '{"Status":"DROP"}'), 'drop')
  assert.equal(verdictOf(200, '{"STATUS":"RETRY"}'), 'retry')
  assert.equal(verdictOf(200, '{"status":"SUCCESS","Status":"DROP"}'), 'success', 'an exact key wins')
})

test('a 404 is dropped; 429, 5xx and every other status are retried, whatever the body says', () => {
  assert.equal(verdictOf(404, ''), 'drop')
  assert.equal(verdictOf(404, '{"status":"RETRY"}'), 'drop')
  for (const status of [429, 500, 502, 503, 504, 400, 401, 403, 409, 410, 301, 100]) {
    assert.equal(verdictOf(status, '{"status":"SUCCESS"}'), 'retry', String(status))
  }
})

test('a failed request is a timeout when a deadline ran out (ours or undici\'s), otherwise an error', () => {
  assert.equal(errorResult(new Error('aborted'), true), 'timeout')
  for (const code of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) assert.equal(errorResult(Object.assign(new Error('x'), { code }), false), 'timeout')
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']) assert.equal(errorResult(Object.assign(new Error('x'), { code }), false), 'error')
  assert.equal(errorResult('not an error', false), 'error')
})

test('retry delays are full jitter over an exponential ceiling capped at maxMs', () => {
  const policy = { initialMs: 100, maxMs: 1000, multiplier: 2 }
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelay(policy, n, () => 0.5)), [50, 100, 200, 400, 500, 500])
  const random = fixedRandom(0, 0.25, 0.999999, 0.1)
  assert.deepEqual([1, 1, 1, 4].map((n) => retryDelay(policy, n, random)), [0, 25, 99, 80])
  assert.equal(retryDelay({ initialMs: 10, maxMs: 10_000, multiplier: 3 }, 3, () => 0.5), 45)
  assert.equal(retryDelay({ initialMs: 0, maxMs: 0, multiplier: 2 }, 9, () => 0.7), 0)
})

test('Retry-After sets the least delay: the jittered delay when longer, Retry-After otherwise (even beyond maxMs)', () => {
  const policy = { initialMs: 1000, maxMs: 2000, multiplier: 2 }
  assert.equal(retryDelay(policy, 1, () => 0.9, 300), 900)
  assert.equal(retryDelay(policy, 1, () => 0.1, 300), 300)
  assert.equal(retryDelay(policy, 5, () => 0.1, 30_000), 30_000)
})

test('Retry-After is read as delay-seconds or an HTTP-date; anything else is ignored', () => {
  const now = Date.parse('2025-01-01T00:00:00Z')
  assert.equal(retryAfterMs('3', now), 3000)
  assert.equal(retryAfterMs(' 0 ', now), 0)
  assert.equal(retryAfterMs(['2', '9'], now), 2000)
  assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now), 5000)
  assert.equal(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now), 0, 'a past date means now')
  for (const bad of [undefined, '', '-1', '1.5', 'soon', '12:00']) assert.equal(retryAfterMs(bad, now), null, String(bad))
})

test('a message is given up when its attempts are used up, or when the retry would come after maxAgeMs', () => {
  const limits = { maxAttempts: 3, maxAgeMs: 1000 }
  assert.equal(giveUp(limits, 1, 0, 100), null)
  assert.equal(giveUp(limits, 2, 800, 200), null, 'exactly at the age limit is still allowed')
  assert.equal(giveUp(limits, 2, 800, 201), 'max_age')
  assert.equal(giveUp(limits, 3, 0, 0), 'max_attempts')
  assert.equal(giveUp({ maxAttempts: 1, maxAgeMs: 1000 }, 1, 0, 0), 'max_attempts', 'one attempt: no retry')
})
