/**
 * The pure parts of browser access: claims read into grants (and refused
 * when of the wrong type), coverage of topics and requested patterns
 * (checked for soundness against the gateway's own matcher on random
 * topics), credentials found in headers, and the key set's refresh rules
 * with a fake clock and an in-memory loader.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exportJWK, generateKeyPair, SignJWT, jwtVerify, type CryptoKey, type JWK } from 'jose'
import { allows, claimCovers, grantsOf } from '../../../src/gateway/access/claims.ts'
import { bearerToken, cookieValue } from '../../../src/gateway/access/credentials.ts'
import { RefreshingKeySet, type KeySetEvents } from '../../../src/gateway/access/key-set.ts'
import { StreamCaps } from '../../../src/gateway/access/stream-caps.ts'
import { matchesPattern } from '../../../src/gateway/dynamic/patterns.ts'
import { TokenRejectedError, SseClientLimitError } from '../../../src/gateway/errors.ts'
import { mulberry32 } from '../../helpers/prng.ts'

test('grants: backchannel claims, else mercure; sub or a subject of the token\'s own; exp in ms', () => {
  const g = grantsOf({ sub: 'u1', exp: 100, backchannel: { subscribe: ['a:*'], publish: ['a:1'] }, mercure: { subscribe: ['x'] } }, 'tok')
  assert.deepEqual(g, { subject: 'u1', subscribe: ['a:*'], publish: ['a:1'], expiresAtMs: 100_000 })
  const m = grantsOf({ mercure: { subscribe: ['x'] } }, 'tok')
  assert.deepEqual(m.subscribe, ['x'])
  assert.deepEqual(m.publish, [])
  assert.equal(m.expiresAtMs, null)
  assert.match(m.subject, /^token:[\w-]{22}$/)
  assert.equal(grantsOf({}, 'tok').subject, m.subject, 'one token, one subject')
  assert.notEqual(grantsOf({}, 'other').subject, m.subject)
})

test('grants: claims of the wrong type are refused with reason claims', () => {
  for (const payload of [
    { sub: 5 }, { sub: '' }, { exp: '1' }, { backchannel: 'a' }, { backchannel: null }, { backchannel: ['a'] },
    { backchannel: { subscribe: 'a' } }, { backchannel: { publish: [1] } }, { backchannel: { subscribe: [''] } },
    { backchannel: { subscribe: ['a:**'] } }, { backchannel: { subscribe: Array.from({ length: 1001 }, (_, i) => `t:${i}`) } },
  ]) {
    assert.throws(() => grantsOf(payload, 't'), (err: unknown) => err instanceof TokenRejectedError && err.reason === 'claims' && err.code === 'BC_ERR_TOKEN_CLAIMS', JSON.stringify(payload).slice(0, 60))
  }
})

test('coverage: exact topics and patterns, never across a ":"', () => {
  const g = grantsOf({ backchannel: { subscribe: ['room:lobby', 'user:42:*', 'orders:*'], publish: ['room:lobby'] } }, 't')
  for (const topic of ['room:lobby', 'user:42:inbox', 'orders:17', 'orders:*', 'orders:a*', 'user:42:in*']) assert.ok(allows(g, 'subscribe', topic), topic)
  for (const topic of ['room:other', 'user:42', 'user:42:a:b', 'user:4:inbox', 'orders:', 'room:*', '*:lobby', 'orders:1:2', 'phoenix']) assert.ok(!allows(g, 'subscribe', topic), topic)
  assert.ok(allows(g, 'publish', 'room:lobby'))
  assert.ok(!allows(g, 'publish', 'orders:17'))
})

test('coverage of a requested pattern is sound: every topic the pattern matches, the claim matches too (random trials)', () => {
  const random = mulberry32(14)
  const alphabet = ['a', 'b', '*']
  const part = (len: number): string => Array.from({ length: len }, () => alphabet[Math.floor(random() * alphabet.length)]).join('').replace(/\*\*+/g, '*')
  const pattern = (): string => Array.from({ length: 1 + Math.floor(random() * 2) }, () => part(1 + Math.floor(random() * 3))).join(':')
  const topic = (): string => Array.from({ length: 1 + Math.floor(random() * 2) }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => (random() < 0.5 ? 'a' : 'b')).join('')).join(':')
  let covered = 0
  for (let i = 0; i < 3000; i++) {
    const claim = pattern()
    const wanted = pattern()
    if (!claimCovers(claim, wanted)) continue
    covered++
    for (let j = 0; j < 30; j++) {
      const tpc = topic()
      if (matchesPattern(wanted, tpc)) assert.ok(matchesPattern(claim, tpc), `${claim} covers ${wanted}, so it must match ${tpc}`)
    }
  }
  assert.ok(covered > 100, `enough covered pairs were tried (${covered})`)
})

test('credentials: the Bearer scheme in any case, a cookie among others, quoted or not', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc')
  assert.equal(bearerToken('bearer  abc '), 'abc')
  assert.equal(bearerToken('Basic abc'), null)
  assert.equal(bearerToken('Bearer '), null)
  assert.equal(bearerToken(undefined), null)
  assert.equal(cookieValue('a=1; backchannel_token=xyz; b=2', 'backchannel_token'), 'xyz')
  assert.equal(cookieValue('backchannel_token="q.r.s"', 'backchannel_token'), 'q.r.s')
  assert.equal(cookieValue('xbackchannel_token=1', 'backchannel_token'), null)
  assert.equal(cookieValue('backchannel_token=', 'backchannel_token'), null)
  assert.equal(cookieValue(undefined, 'backchannel_token'), null)
})

test('stream caps: per subject and per address, released once, forgotten at zero', () => {
  const caps = new StreamCaps()
  const limits = { maxClientsPerSubject: 2, maxClientsPerAddress: 3, retryMs: 2500 }
  const r1 = caps.admit({ subject: 's', address: '1.1.1.1' }, limits)
  caps.admit({ subject: 's', address: '1.1.1.1' }, limits)
  assert.throws(() => caps.admit({ subject: 's', address: '2.2.2.2' }, limits), (err: unknown) => err instanceof SseClientLimitError && err.scope === 'subject' && err.limit === 2 && err.retryAfterSeconds === 3 && err.statusCode === 429)
  caps.admit({ subject: 't', address: '1.1.1.1' }, limits)
  assert.throws(() => caps.admit({ subject: 'u', address: '1.1.1.1' }, limits), (err: unknown) => err instanceof SseClientLimitError && err.scope === 'address')
  r1.release()
  r1.release()
  assert.equal(caps.subjectCount('s'), 1, 'a release counts once')
  caps.admit({ subject: null, address: '9.9.9.9' }, { retryMs: 1000 })
  assert.equal(caps.addressCount('9.9.9.9'), 1)
  const before = caps.size
  const r = caps.admit({ subject: 'new', address: 'new' }, limits)
  r.release()
  assert.equal(caps.size, before, 'keys at zero are forgotten')
})

test('key set: read once at a time, again for an unknown kid after the cooldown, in the background once old; a failure keeps the set', async () => {
  const sign = async (key: CryptoKey, kid: string): Promise<string> => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).sign(key)
  const make = async (kid: string): Promise<{ jwk: JWK, privateKey: CryptoKey }> => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
    return { privateKey, jwk: { ...await exportJWK(publicKey), kid, alg: 'ES256' } }
  }
  const a = await make('a')
  const b = await make('b')
  let served: unknown = { keys: [a.jwk] }
  let reads = 0
  const clock = { ms: 0 }
  const set = new RefreshingKeySet(async () => {
    reads++
    if (served instanceof Error) throw served
    return served
  }, { cooldownMs: 1000, maxAgeMs: 10_000, now: () => clock.ms })
  const log: Array<KeySetEvents['keys_loaded'][0] | KeySetEvents['keys_failed'][0]> = []
  set.events.on('keys_loaded', (e) => log.push(e))
  set.events.on('keys_failed', (e) => log.push(e))
  const verify = async (token: string): Promise<unknown> => jwtVerify(token, set.resolve)

  // Two tokens at once before any read: one read serves both.
  await Promise.all([verify(await sign(a.privateKey, 'a')), verify(await sign(a.privateKey, 'a'))])
  assert.equal(reads, 1)

  served = { keys: [a.jwk, b.jwk] }
  await assert.rejects(verify(await sign(b.privateKey, 'b')), { code: 'ERR_JWKS_NO_MATCHING_KEY' }, 'within the cooldown the set is not read again')
  assert.equal(reads, 1)
  clock.ms += 1000
  await verify(await sign(b.privateKey, 'b'))
  assert.equal(reads, 2)

  served = new Error('down')
  clock.ms += 20_000
  const failed = new Promise<void>((resolve) => { set.events.once('keys_failed', () => { resolve() }) })
  await verify(await sign(a.privateKey, 'a'))
  await failed
  assert.equal(reads, 3, 'an old set is read again in the background')
  await verify(await sign(b.privateKey, 'b'))
  assert.deepEqual(log.map((e) => ('keys' in e ? `ok:${e.trigger}:${e.keys}` : `failed:${e.trigger}`)), ['ok:start:1', 'ok:unknown_kid:2', 'failed:max_age'])
})
