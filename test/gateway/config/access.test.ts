/**
 * The config file's `tokens` and `cors`, and the caps in `sse`: defaults,
 * exactly one key source, paths made absolute, origins as browsers send
 * them, a secret's variable and the API token required at load, a short
 * secret or an unreadable key refused when the daemon starts, and the
 * summary check-config prints (sources, never secrets).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import { explainConfig, loadConfig, validateFileConfig } from '../../../src/gateway/config/index.ts'
import { createTokenVerifier } from '../../../src/gateway/access/verifier.ts'
import { minimal, problemsOf, tempDir, writeTemp } from './helpers.ts'
import { tokensConfig } from '../access/support.ts'

const secret = { env: 'BROWSER_SECRET' }

test('tokens: defaults filled in, relative paths made absolute against the config file\'s folder', async () => {
  const config = await validateFileConfig({ ...minimal, tokens: { secret: { file: 'secret.txt' } }, cors: { origins: ['https://app.example'] } }, '/etc/bc')
  assert.deepEqual(config.tokens, { secret: { file: '/etc/bc/secret.txt' }, jwksTimeoutMs: 5000, jwksCooldownMs: 30_000, jwksMaxAgeMs: 600_000, leewayMs: 5000, cookie: 'backchannel_token', queryParameter: false })
  assert.deepEqual(config.cors, { origins: ['https://app.example'], credentials: false, maxAgeSeconds: 600 })
  assert.equal((await validateFileConfig({ ...minimal, tokens: { publicKeyFile: 'k.pem' } }, '/etc/bc')).tokens?.publicKeyFile, '/etc/bc/k.pem')
  assert.deepEqual((await validateFileConfig({ ...minimal, tokens: { jwks: { file: 'k.json' } } }, '/etc/bc')).tokens?.jwks, { file: '/etc/bc/k.json' })
  const without = await validateFileConfig(minimal, '/etc/bc')
  assert.equal(without.tokens, undefined, 'absent: no tokens')
  assert.equal(without.cors, undefined, 'absent: no CORS')
  assert.equal(without.sse.maxClientsPerSubject, undefined)
})

test('tokens need exactly one key source; a JWKS URL is http(s) without credentials; a CORS origin is an origin', async () => {
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, tokens: {} }, '/')), ['/tokens: set exactly one key source, "secret" (HS256), "publicKeyFile" (RS256 or ES256) or "jwks"; none is set'])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, tokens: { secret, publicKeyFile: '/k.pem' } }, '/')), ['/tokens: set exactly one key source, "secret" (HS256), "publicKeyFile" (RS256 or ES256) or "jwks"; secret and publicKeyFile are set'])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, tokens: { jwks: { url: 'ftp://idp/keys' } } }, '/')), ['/tokens/jwks/url: must start with http:// or https://, got ftp://'])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, tokens: { jwks: { url: 'https://u:p@idp/keys' } } }, '/')), ['/tokens/jwks/url: must not hold credentials'])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, tokens: { jwks: { url: 'https://idp/k', file: '/k' } } }, '/')), ['/tokens/jwks: must NOT have more than 1 properties'])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, tokens: { secret, cookie: 'a b' } }, '/')), ['/tokens/cookie: must match pattern "^[!#$%&\'*+.^_`|~0-9A-Za-z-]{1,128}$"'])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, cors: { origins: ['https://app.example/', '*', 'HTTPS://APP.example', 'ws://x'] } }, '/')), [
    '/cors/origins/0: "https://app.example/" must be written as a browser sends it, "https://app.example" (no path, no trailing slash, lower case, no default port)',
    '/cors/origins/1: "*" is not an origin (scheme://host[:port])',
    '/cors/origins/2: "HTTPS://APP.example" must be written as a browser sends it, "https://app.example" (no path, no trailing slash, lower case, no default port)',
    '/cors/origins/3: "ws://x" must start with http:// or https://',
  ])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, cors: { origins: [] } }, '/')), ['/cors/origins: must NOT have fewer than 1 items'])
  assert.deepEqual(await problemsOf(() => validateFileConfig({ ...minimal, sse: { maxClientsPerSubject: 0 } }, '/')), ['/sse/maxClientsPerSubject: must be >= 1'])
})

test('loadConfig: a gateway taking browser tokens needs the API token, and the secret\'s variable must be set', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.json', { ...minimal, tokens: { secret } })
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file })), [
    '/tokens/secret: environment variable BROWSER_SECRET is not set',
    '/tokens: a gateway that takes browser tokens must guard its other routes: set API_TOKEN or API_TOKEN_FILE',
  ])
  const config = await loadConfig({ CONFIG_FILE: file, API_TOKEN: 'api', BROWSER_SECRET: 'x'.repeat(32) })
  assert.deepEqual(config.tokens?.secret, secret)
})

test('the daemon refuses a short HS256 secret and a key file it cannot use, naming the setting and never the secret', async (t) => {
  const dir = await tempDir(t)
  const resolve = async (source: unknown): Promise<string> => String(source)
  const short = 'short-secret-of-31-bytes-exactl'
  await assert.rejects(createTokenVerifier(tokensConfig({ secret: short }), resolve), (err: Error & { problems?: string[] }) => {
    assert.deepEqual(err.problems, ['/tokens/secret: an HS256 secret must be at least 32 bytes long, got 31'])
    assert.ok(!err.message.includes(short))
    return true
  })
  const notPem = join(dir, 'k.pem')
  await writeFile(notPem, 'not a key')
  await assert.rejects(createTokenVerifier(tokensConfig({ secret: undefined, publicKeyFile: notPem }), resolve), { problems: [`/tokens/publicKeyFile: ${notPem} holds no PEM public key or certificate`] })
  await assert.rejects(createTokenVerifier(tokensConfig({ secret: undefined, publicKeyFile: join(dir, 'missing.pem') }), resolve), { problems: [`/tokens/publicKeyFile: cannot read ${join(dir, 'missing.pem')}: ENOENT`] })
})

test('check-config\'s summary names the key source, CORS and the caps, never a secret', async () => {
  const config = await validateFileConfig({ ...minimal, tokens: { secret: 'a-literal-secret-that-is-long-enough!!' }, cors: { origins: ['https://app.example'], credentials: true }, sse: { maxClientsPerSubject: 5 } }, '/')
  const text = explainConfig(config)
  assert.match(text, /Browser tokens: HS256, secret from literal; leeway 5000 ms; cookie "backchannel_token"/)
  assert.match(text, /CORS: https:\/\/app\.example \(with credentials\)/)
  assert.match(text, /SSE streams at most: 5 per token subject/)
  assert.ok(!text.includes('a-literal-secret'))
  const jwks = explainConfig(await validateFileConfig({ ...minimal, tokens: { jwks: { url: 'https://idp.example/keys?tenant=x' } } }, '/'))
  assert.match(jwks, /RS256\/ES256, JWKS https:\/\/idp\.example\/keys;/)
})
