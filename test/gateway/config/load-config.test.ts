/**
 * loadConfig: environment, then the file it names, then the checks that need
 * both; one frozen Config, or one ConfigError with every problem. Also the
 * shipped example and demo files, and explainConfig's summary.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { explainConfig, loadConfig, loadConfigFile, validateFileConfig } from '../../../src/gateway/config/index.ts'
import { minimal, problemsOf, root, tempDir, writeTemp } from './helpers.ts'

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

test('loadConfig merges the environment and the file into one deeply frozen value', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.json', { ...minimal, channels: [{ topic: 'room:1', params: { a: { b: 1 } } }] })
  const config = await loadConfig({ CONFIG_FILE: file, PORT: '9000', PATH: '/usr/bin' })
  const upstream = config.upstreams[0]!
  const channel = config.channels[0]!
  assert.equal(config.env.port, 9000)
  assert.equal(config.env.configFile, file)
  assert.equal(upstream.name, 'app')
  assert.equal(channel.replay, 1000)
  for (const value of [config, config.env, config.upstreams, upstream, upstream.reconnectBackoffMs, upstream.params, channel.params, channel.params['a'], config.sse]) {
    assert.ok(Object.isFrozen(value))
  }
  assert.throws(() => { upstream.poolSize = 5 }, TypeError)
})

test('without CONFIG_FILE there is no configuration', async () => {
  assert.deepEqual(await problemsOf(() => loadConfig({})), ['CONFIG_FILE: not set; the gateway needs a config file (see docs/configuration.md)'])
})

test('problems in the environment and in the file are reported together', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.json', { upstreams: [{ name: 'a', url: 'ws://h/s', poolSize: '2' }] })
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file, PORT: 'http', HOST: '0.0.0.0', API_TOKEN: 'tok' })), [
    'PORT: must be a whole number from 0 to 65535, got "http"',
    '/upstreams/0/poolSize: must be integer',
  ])
})

test('variables that the file\'s { env } sources name must be set at start-up', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.json', { upstreams: [{ name: 'a', url: 'ws://h/s', params: { region: { env: 'REGION' } }, authToken: { env: 'AUTH' } }] })
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file, AUTH: '' })), [
    '/upstreams/0/params/region: environment variable REGION is not set',
    '/upstreams/0/authToken: environment variable AUTH is not set',
  ])
  const config = await loadConfig({ CONFIG_FILE: file, REGION: 'eu', AUTH: 'sekrit' })
  assert.deepEqual(config.upstreams[0]?.authToken, { env: 'AUTH' }, 'the source is kept; its value is read at each connect')
})

test('a CA file must be readable and hold a PEM certificate at start-up', async (t) => {
  const dir = await tempDir(t)
  const upstream = { name: 'a', url: 'wss://h/s', tlsCaFile: 'ca.pem' }
  const file = await writeTemp(dir, 'c.json', { upstreams: [upstream] })
  const ca = join(dir, 'ca.pem')
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file })), [`/upstreams/0/tlsCaFile: cannot read ${ca}: ENOENT`])
  await writeTemp(dir, 'ca.pem', 'not a certificate')
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file })), [`/upstreams/0/tlsCaFile: ${ca} holds no PEM certificate`])
  await writeTemp(dir, 'ca.pem', PEM)
  assert.equal((await loadConfig({ CONFIG_FILE: file })).upstreams[0]?.tlsCaFile, ca)
})

test('config/backchannel.example.yaml is valid, and loads with the variables it names', async () => {
  const path = join(root, 'config', 'backchannel.example.yaml')
  const file = await loadConfigFile(path)
  assert.equal(file.upstreams.length, 1)
  assert.ok(file.channels.length >= 3)
  const config = await loadConfig({ CONFIG_FILE: path, REGION: 'eu', PHOENIX_AUTH_TOKEN: 'tok', ORDERS_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32).toString('base64')}` })
  assert.equal(config.upstreams[0]?.name, 'app')
})

test('config/demo.json is the demo: one upstream on the fake server\'s address and three channels, room:demo required', async () => {
  const config = await loadConfigFile(join(root, 'config', 'demo.json'))
  assert.deepEqual(config.upstreams.map((u) => u.url), ['ws://127.0.0.1:4000/socket'])
  assert.deepEqual(config.channels.map((c) => [c.topic, c.required]), [['echo:demo', false], ['room:demo', true], ['presence:demo', false]])
})

test('explainConfig summarises upstreams, channels, replay, SSE and limits without any secret or query', async () => {
  const file = await validateFileConfig({
    upstreams: [{ name: 'app', url: 'wss://app.example/socket', params: { token: 'sekrit-param', region: { env: 'REGION' } }, authToken: 'sekrit-token', headers: { Cookie: 'sekrit-cookie' } }],
    channels: [{ topic: 'room:1', required: true, replay: 50 }, { topic: 'orders', name: 'o', params: { key: 'sekrit-join' } }],
    sse: { keepAliveMs: 1111 },
    maxBodyBytes: 2222,
  }, '/cfg')
  // A URL with a query cannot pass validation; explain must still never show one.
  const withQuery = { ...file, upstreams: file.upstreams.map((u) => ({ ...u, url: `${u.url}?token=sekrit-query` })) }
  const text = explainConfig({ ...withQuery, env: { port: 8080, host: '0.0.0.0', logLevel: 'info', configFile: '/c.yaml', apiToken: 'sekrit-api', readyGraceMs: 3000, shutdownGraceMs: 25000 } })
  assert.doesNotMatch(text, /sekrit/)
  assert.match(text, /app: wss:\/\/app\.example\/socket \(vsn 2\.0\.0\)/)
  assert.match(text, /params: token \(literal\), region \(env REGION\)/)
  assert.match(text, /auth token: literal/)
  assert.match(text, /headers: Cookie/)
  assert.match(text, /Channels \(2; 1 required for readiness\)/)
  assert.match(text, /room:1 on app: replay 50, required/)
  assert.match(text, /orders as "o" on app: replay 1000, join params: key/)
  assert.match(text, /SSE: keep-alive every 1111 ms/)
  assert.match(text, /push body 2222 bytes/)
  assert.match(text, /API on 0\.0\.0\.0:8080, bearer token required/)
})
