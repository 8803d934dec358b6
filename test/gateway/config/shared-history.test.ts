/**
 * The config file's `sharedHistory`: defaults, paths made absolute, the URL
 * and timings checked as a whole (each problem naming its field), the
 * password's variable and the CA file checked at load, the replica id from
 * POD_NAME or the host name, and a change needing a restart.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { explainConfig, loadConfig, loadEnv, validateFileConfig } from '../../../src/gateway/config/index.ts'
import { diffConfig } from '../../../src/gateway/reload/diff.ts'
import { minimal, problemsOf, tempDir, writeTemp } from './helpers.ts'

const url = 'redis://127.0.0.1:6379'

test('sharedHistory: defaults filled in, relative paths made absolute; absent: none', async () => {
  const config = await validateFileConfig({ ...minimal, sharedHistory: { url: 'rediss://redis:6380', password: { file: 'pw' }, tlsCaFile: 'ca.pem' } }, '/etc/bc')
  assert.deepEqual(config.sharedHistory, {
    url: 'rediss://redis:6380',
    password: { file: '/etc/bc/pw' },
    tlsCaFile: '/etc/bc/ca.pem',
    keyPrefix: 'bc:',
    leaseTtlMs: 3000,
    maxLen: 10_000,
    commandTimeoutMs: 500,
    reconnectMinMs: 100,
    reconnectMaxMs: 5000,
  })
  assert.equal((await validateFileConfig(minimal, '/')).sharedHistory, undefined)
})

test('sharedHistory: the URL is redis(s) without credentials, a command deadline under ttl/3, back-off in order, a CA only with TLS', async () => {
  const problems = async (section: object): Promise<readonly string[]> => problemsOf(() => validateFileConfig({ ...minimal, sharedHistory: section }, '/'))
  assert.deepEqual(await problems({ url: 'http://redis:6379' }), ['/sharedHistory/url: must start with redis:// or rediss://, got http://'])
  assert.deepEqual(await problems({ url: 'redis://u:p@redis:6379' }), ['/sharedHistory/url: must not hold credentials; set username and password (from a file) instead'])
  assert.deepEqual(await problems({ url: 'not a url' }), ['/sharedHistory/url: not a URL (expected redis://host:port or rediss://host:port)'])
  assert.deepEqual(await problems({ url, leaseTtlMs: 1500 }), ['/sharedHistory/commandTimeoutMs: 500 ms must be under leaseTtlMs / 3 (500 ms), so a lease renewal can fail and be retried before the lease runs out'])
  assert.deepEqual(await problems({ url, reconnectMinMs: 6000 }), ['/sharedHistory/reconnectMinMs: 6000 ms must be at most reconnectMaxMs (5000 ms)'])
  assert.deepEqual(await problems({ url, tlsCaFile: '/ca.pem' }), ['/sharedHistory/tlsCaFile: set, but the URL is not rediss://'])
  assert.deepEqual(await problems({ url, password: { env: 'BACKCHANNEL_PW' } }), ['/sharedHistory/password/env: BACKCHANNEL_* variables are reserved for the gateway\'s own settings; use another name'])
  assert.deepEqual(await problems({ url, hosts: [] }), ['/sharedHistory: unknown key "hosts"'])
})

test('sharedHistory at load: the password\'s variable must be set and the CA file readable', async (t) => {
  const dir = await tempDir(t)
  const file = await writeTemp(dir, 'c.json', { ...minimal, sharedHistory: { url: 'rediss://redis:6380', password: { env: 'REDIS_PW' }, tlsCaFile: 'missing.pem' } })
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file })), [
    '/sharedHistory/password: environment variable REDIS_PW is not set',
    `/sharedHistory/tlsCaFile: cannot read ${dir}/missing.pem: ENOENT`,
  ])
  await writeTemp(dir, 'missing.pem', '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n')
  const config = await loadConfig({ CONFIG_FILE: file, REDIS_PW: 'secret' })
  assert.equal(config.sharedHistory?.tlsCaFile, `${dir}/missing.pem`)
})

test('the replica id is POD_NAME, else the host name; a change of sharedHistory needs a restart', async () => {
  assert.equal(loadEnv({ POD_NAME: 'backchannel-7d9f-x2' }).replicaId, 'backchannel-7d9f-x2')
  assert.equal(loadEnv({}).replicaId, undefined, 'unset: the daemon uses the host name')
  assert.throws(() => loadEnv({ POD_NAME: 'a b' }), /POD_NAME: must be printable ASCII without spaces/)
  const before = await validateFileConfig(minimal, '/')
  const after = await validateFileConfig({ ...minimal, sharedHistory: { url } }, '/')
  const env = loadEnv({ POD_NAME: 'p' })
  assert.deepEqual(diffConfig({ ...before, env }, { ...after, env }).needRestart, ['sharedHistory'])
})

test('check-config describes shared history without a secret', async () => {
  const config = await validateFileConfig({ ...minimal, sharedHistory: { url: 'rediss://redis:6380', username: 'bc', password: { file: '/run/pw' } } }, '/')
  const text = explainConfig(config)
  assert.match(text, /Shared history: rediss:\/\/redis:6380\/?, user bc, password from file \/run\/pw; keys "bc:…"/)
  assert.match(text, /lease 3000 ms \(takeover within 4000 ms\), 10000 entries per topic, command deadline 500 ms, reconnect 100–5000 ms/)
  assert.doesNotMatch(explainConfig(await validateFileConfig(minimal, '/')), /Shared history/)
})
