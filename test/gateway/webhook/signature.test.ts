/**
 * The signing primitives against the Standard Webhooks spec: its published
 * test vector (from the reference libraries' tests: secret, id, timestamp,
 * payload and the expected `v1,` signature), the `whsec_` secret form and
 * what is refused, and the test's own verifier checked on the same vector
 * so that the gateway tests lean on a verifier known to be right.
 */
import type { KeyObject } from 'node:crypto'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { signatureHeader, signingKey } from '../../../src/gateway/webhook/signature.ts'
import { newSecret, verifyRequest } from './verifier.ts'

const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}

const keyOf = (secret: string): KeyObject => {
  const key = signingKey(secret)
  if (typeof key === 'string') assert.fail(key)
  return key
}

test('the spec\'s test vector: the same signature, byte for byte', () => {
  assert.equal(signatureHeader([keyOf(VECTOR.secret)], VECTOR.id, VECTOR.timestamp, VECTOR.payload), VECTOR.signature)
})

test('the test verifier accepts the vector, and refuses another secret, a changed body and a timestamp off by more than 5 minutes', () => {
  const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature }
  const body = Buffer.from(VECTOR.payload)
  assert.deepEqual(verifyRequest([newSecret(), VECTOR.secret], headers, body, VECTOR.timestamp).matched, [1])
  assert.deepEqual(verifyRequest([newSecret()], headers, body, VECTOR.timestamp).matched, [])
  assert.deepEqual(verifyRequest([VECTOR.secret], headers, Buffer.from(VECTOR.payload.replace('2', '3')), VECTOR.timestamp).matched, [])
  assert.deepEqual(verifyRequest([VECTOR.secret], headers, body, VECTOR.timestamp + 300).matched, [0], '5 minutes is within tolerance')
  assert.throws(() => verifyRequest([VECTOR.secret], headers, body, VECTOR.timestamp + 301), /more than 300 s/)
  assert.throws(() => verifyRequest([VECTOR.secret], headers, body, VECTOR.timestamp - 301), /more than 300 s/)
})

test('two keys: two v1 entries, in order, each the HMAC of its own key', () => {
  const other = newSecret(64)
  const header = signatureHeader([keyOf(VECTOR.secret), keyOf(other)], VECTOR.id, VECTOR.timestamp, VECTOR.payload)
  const entries = header.split(' ')
  assert.equal(entries.length, 2)
  assert.equal(entries[0], VECTOR.signature)
  const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': entries[1] }
  assert.deepEqual(verifyRequest([VECTOR.secret, other], headers, Buffer.from(VECTOR.payload), VECTOR.timestamp).matched, [1])
})

test('the body is signed as UTF-8, as it is sent', () => {
  const body = '{"text":"é 😀 \u2028"}'
  const header = signatureHeader([keyOf(VECTOR.secret)], 'm', 1, body)
  const verified = verifyRequest([VECTOR.secret], { 'webhook-id': 'm', 'webhook-timestamp': '1', 'webhook-signature': header }, Buffer.from(body, 'utf8'), 1)
  assert.deepEqual(verified.matched, [0])
})

test('secrets must be whsec_ and base64 of 24 to 64 bytes; the refusal never quotes the secret', () => {
  assert.equal(keyOf(VECTOR.secret).symmetricKeySize, 24)
  assert.equal(keyOf(newSecret(64)).symmetricKeySize, 64)
  const refused: Array<[string, RegExp]> = [
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /must start with "whsec_".*raw secrets are not accepted/],
    ['my-shared-password-that-is-long-enough', /must start with "whsec_"/],
    ['whsec_not base64!!', /standard base64/],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', /standard base64/],
    ['whsec_', /24 to 64 bytes once decoded \(got 0\)/],
    [newSecret(16), /24 to 64 bytes once decoded \(got 16\)/],
    [newSecret(65), /24 to 64 bytes once decoded \(got 65\)/],
  ]
  for (const [secret, why] of refused) {
    const problem = signingKey(secret)
    if (typeof problem !== 'string') assert.fail(`${secret} was taken`)
    assert.match(problem, why)
    assert.ok(secret === 'whsec_' || !problem.includes(secret.replace(/^whsec_/, '')), 'the secret is not quoted')
  }
})
