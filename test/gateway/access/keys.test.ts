/**
 * Token keys over real HTTP: RS256 and ES256 from a PEM file, a JWKS from a
 * file and from a URL served on port 0. A token naming a kid the set does
 * not hold makes the sidecar read it again (once per cooldown); a failed
 * read keeps the last good set; a set never read answers 503 with
 * Retry-After; a fetch that hangs is cut at its deadline. An unknown kid
 * and a bad signature get the same answer.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose'
import { channelConfig } from '../helpers.ts'
import { assertProblem, http, joined } from '../http/support.ts'
import { SseStream } from '../sse/helpers.ts'
import { tempDir } from '../../helpers/temp-dir.ts'
import { assertRejected, bearer, nowSeconds, sign, startTokenGw, tokensConfig } from './support.ts'

const TOPIC = 'room:lobby'
const PATH = `/v1/channels/${encodeURIComponent(TOPIC)}/events`
const claims = { sub: 'u', backchannel: { subscribe: [TOPIC] } }

interface Pair { kid: string, alg: 'RS256' | 'ES256', privateKey: CryptoKey, publicKey: CryptoKey, jwk: JWK }

async function pair (kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<Pair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return { kid, alg, privateKey, publicKey, jwk: { ...await exportJWK(publicKey), kid, alg, use: 'sig' } }
}

async function tokenOf (p: Pair, kid: string = p.kid): Promise<string> {
  return sign({ ...claims, exp: nowSeconds() + 600 }, p.privateKey, { alg: p.alg, kid })
}

/** 200 when the token opens the stream (which is then closed), else the problem answer. */
async function opens (t: TestContext, base: string, token: string): Promise<number> {
  const stream = await SseStream.openUrl(`${base}${PATH}`, { headers: bearer(token) })
  t.after(() => { stream.close() })
  if (stream.status === 200) await stream.event('ready')
  stream.close()
  return stream.status
}

/** A JWKS server on port 0: what it serves, how many reads it got; `hang` holds answers back. */
async function jwksServer (t: TestContext): Promise<{ url: string, keys: JWK[], status: number, hang: boolean, reads: number }> {
  const state = { url: '', keys: [] as JWK[], status: 200, hang: false, reads: 0 }
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    state.reads++
    if (state.hang) return
    res.writeHead(state.status, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(async () => { server.closeAllConnections(); server.close() })
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`
  return state
}

test('RS256 and ES256 tokens verify with a PEM public key; another algorithm or another key is refused', async (t) => {
  const dir = await tempDir(t)
  for (const alg of ['RS256', 'ES256'] as const) {
    const key = await pair('k', alg)
    const file = join(dir, `${alg}.pem`)
    await writeFile(file, await exportSPKI(key.publicKey))
    const gw = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ secret: undefined, publicKeyFile: file }) })
    await joined(gw, TOPIC)
    assert.equal(await opens(t, gw.base, await tokenOf(key)), 200, alg)
    const other = await pair('k', alg)
    assertRejected(await http(gw.base, PATH, { headers: bearer(await tokenOf(other)) }), 'BC_ERR_TOKEN_SIGNATURE', 'signature')
    const wrongAlg = await pair('k', alg === 'RS256' ? 'ES256' : 'RS256')
    assertRejected(await http(gw.base, PATH, { headers: bearer(await tokenOf(wrongAlg)) }), 'BC_ERR_TOKEN_ALGORITHM', 'algorithm')
    // An HS256 token signed with the public key's PEM as its secret: the algorithm-confusion attack.
    const confused = await sign({ ...claims, exp: nowSeconds() + 60 }, new TextEncoder().encode(await exportSPKI(key.publicKey)))
    assertRejected(await http(gw.base, PATH, { headers: bearer(confused) }), 'BC_ERR_TOKEN_ALGORITHM', 'algorithm')
  }
})

test('a JWKS file: keys by kid; a new kid makes the sidecar read the file again; an unknown kid and a bad signature get one answer', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'jwks.json')
  const a = await pair('a')
  const b = await pair('b', 'ES256')
  await writeFile(file, JSON.stringify({ keys: [a.jwk] }))
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ secret: undefined, jwks: { file }, jwksCooldownMs: 0 }) })
  await joined(gw, TOPIC)
  assert.equal(await opens(t, gw.base, await tokenOf(a)), 200)

  // Unknown kid, and kid "a" with a signature from another key: the same status, headers and body.
  const unknown = await http(gw.base, PATH, { headers: bearer(await tokenOf(b)) })
  const forged = await http(gw.base, PATH, { headers: bearer(await tokenOf(await pair('a'))) })
  assertRejected(unknown, 'BC_ERR_TOKEN_SIGNATURE', 'signature')
  assert.equal(unknown.text, forged.text)
  assert.equal(unknown.headers.get('www-authenticate'), forged.headers.get('www-authenticate'))

  // Rotation: b is published, a token with kid b makes the sidecar read the file again.
  await writeFile(file, JSON.stringify({ keys: [a.jwk, b.jwk] }))
  assert.equal(await opens(t, gw.base, await tokenOf(b)), 200)
})

test('a JWKS URL: read at start, again for an unknown kid once per cooldown, the last good set kept when the server fails', async (t) => {
  const server = await jwksServer(t)
  const a = await pair('a')
  const b = await pair('b')
  const c = await pair('c')
  server.keys = [a.jwk]
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ secret: undefined, jwks: { url: server.url }, jwksCooldownMs: 0 }) })
  await joined(gw, TOPIC)
  assert.equal(server.reads, 1, 'read once at start')
  assert.equal(await opens(t, gw.base, await tokenOf(a)), 200)
  assert.equal(server.reads, 1, 'a known kid reads nothing')

  server.keys = [a.jwk, b.jwk]
  assert.equal(await opens(t, gw.base, await tokenOf(b)), 200, 'rotation: the new kid is fetched')
  assert.equal(server.reads, 2)

  // The server fails: an unknown kid is refused, and the keys held still verify.
  server.status = 500
  assertRejected(await http(gw.base, PATH, { headers: bearer(await tokenOf(c)) }), 'BC_ERR_TOKEN_SIGNATURE', 'signature')
  assert.equal(server.reads, 3)
  assert.equal(await opens(t, gw.base, await tokenOf(a)), 200, 'the last good set is kept')
  assert.equal(await opens(t, gw.base, await tokenOf(b)), 200)
  const metrics = await http(gw.base, '/metrics', { headers: bearer('api-token-for-tests') })
  assert.match(metrics.text, /backchannel_jwks_reads_total\{result="ok",trigger="start"\} 1/)
  assert.match(metrics.text, /backchannel_jwks_reads_total\{result="ok",trigger="unknown_kid"\} 1/)
  assert.match(metrics.text, /backchannel_jwks_reads_total\{result="failed",trigger="unknown_kid"\} 1/)
})

test('unknown kids within the cooldown do not reach the JWKS server', async (t) => {
  const server = await jwksServer(t)
  const a = await pair('a')
  server.keys = [a.jwk]
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ secret: undefined, jwks: { url: server.url }, jwksCooldownMs: 60_000 }) })
  for (let i = 0; i < 20; i++) {
    assertRejected(await http(gw.base, PATH, { headers: bearer(await tokenOf(await pair(`x${i}`))) }), 'BC_ERR_TOKEN_SIGNATURE', 'signature')
  }
  assert.equal(server.reads, 1, 'only the read at start')
})

test('a JWKS URL that hangs is cut at jwksTimeoutMs; until a first read succeeds tokens get 503 with Retry-After, then they verify', async (t) => {
  const server = await jwksServer(t)
  const a = await pair('a')
  server.keys = [a.jwk]
  server.hang = true
  const started = performance.now()
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { manualClock: true, tokens: tokensConfig({ secret: undefined, jwks: { url: server.url }, jwksTimeoutMs: 200, jwksCooldownMs: 1000 }) })
  // start() waited for the read, which failed at its deadline rather than hanging the start.
  assert.equal(server.reads, 1)
  assert.ok(performance.now() - started < 5000)
  const res = await http(gw.base, PATH, { headers: bearer(await tokenOf(a)) })
  assertProblem(res, 503, 'BC_ERR_TOKEN_KEYS_UNAVAILABLE')
  assert.equal(server.reads, 1, 'within the cooldown, no read')
  server.hang = false
  const metrics = await http(gw.base, '/metrics', { headers: bearer('api-token-for-tests') })
  assert.match(metrics.text, /backchannel_jwks_reads_total\{result="failed",trigger="start"\} 1/)
  // Once the cooldown has passed (on the sidecar's clock), the next token makes it read the set again.
  gw.clock.ms += 1000
  assert.equal(await opens(t, gw.base, await tokenOf(a)), 200)
  assert.equal(server.reads, 2)
})
