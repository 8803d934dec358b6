/**
 * The checks after the schema: defaults that depend on other fields, names
 * that must be unique, references that must exist, URLs and headers the
 * connection could not honour, and paths made absolute against the file.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { loadConfigFile, validateFileConfig, type FileConfig } from '../../../src/gateway/config/index.ts'
import { minimal, problemsOf, tempDir, writeTemp } from './helpers.ts'

const validate = async (data: unknown): Promise<FileConfig> => validateFileConfig(data, '/cfg')
const problems = async (data: unknown): Promise<readonly string[]> => problemsOf(() => validate(data))
const two = [{ name: 'a', url: 'ws://a/socket' }, { name: 'b', url: 'ws://b/socket' }]

describe('channel.upstream', () => {
  test('defaults to the only upstream', async () => {
    assert.equal((await validate({ ...minimal, channels: [{ topic: 't' }] })).channels[0]?.upstream, 'app')
  })

  test('is required when there are several upstreams', async () => {
    assert.deepEqual(await problems({ upstreams: two, channels: [{ topic: 't', upstream: 'b' }, { topic: 'u' }] }),
      ['/channels/1: missing required key "upstream" (there are 2 upstreams)'])
  })

  test('must name an upstream', async () => {
    assert.deepEqual(await problems({ upstreams: two, channels: [{ topic: 't', upstream: 'c' }] }),
      ['/channels/0/upstream: no upstream is named "c" (known: "a", "b")'])
  })
})

describe('uniqueness', () => {
  test('upstream names are unique', async () => {
    assert.deepEqual(await problems({ upstreams: [two[0], { name: 'a', url: 'ws://c/socket' }] }),
      ['/upstreams/1/name: duplicate upstream name "a" (also /upstreams/0/name)'])
  })

  test('a topic may appear once per upstream, and on several upstreams under different names', async () => {
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 't', name: 'one' }, { topic: 't', name: 'two' }] }),
      ['/channels/1/topic: duplicate topic "t" on upstream "app" (also /channels/0/topic)'])
    const config = await validate({ upstreams: two, channels: [{ topic: 't', upstream: 'a' }, { topic: 't', upstream: 'b', name: 't-b' }] })
    assert.deepEqual(config.channels.map((c) => [c.name, c.upstream]), [['t', 'a'], ['t-b', 'b']])
  })

  test('channel names default to the topic and are unique', async () => {
    const config = await validate({ ...minimal, channels: [{ topic: 'room:1' }, { topic: 'room:2', name: 'second' }] })
    assert.deepEqual(config.channels.map((c) => c.name), ['room:1', 'second'])
    assert.deepEqual(await problems({ upstreams: two, channels: [{ topic: 't', upstream: 'a' }, { topic: 't', upstream: 'b' }] }),
      ['/channels/1/name: duplicate channel name "t" (a channel\'s name defaults to its topic) (also /channels/0/name)'])
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'x', name: 'n' }, { topic: 'y', name: 'n' }] }),
      ['/channels/1/name: duplicate channel name "n" (a channel\'s name defaults to its topic) (also /channels/0/name)'])
  })
})

describe('upstream url', () => {
  test('ws, wss, http and https are accepted', async () => {
    const urls = ['ws://h/socket', 'wss://h:4443/socket', 'http://h/socket', 'https://h/socket']
    const config = await validate({ upstreams: urls.map((url, i) => ({ name: `u${i}`, url })) })
    assert.deepEqual(config.upstreams.map((u) => u.url), urls)
  })

  test('another scheme, a query, a fragment, credentials or no URL at all are errors', async () => {
    const with_ = (url: string): unknown => ({ upstreams: [{ name: 'a', url }] })
    assert.deepEqual(await problems(with_('ftp://h/socket')), ['/upstreams/0/url: must start with ws://, wss://, http:// or https://, got ftp://'])
    assert.deepEqual(await problems(with_('wss://h/socket?token=sekrit')), ['/upstreams/0/url: must not have a query or fragment; put connect params in "params"'])
    assert.deepEqual(await problems(with_('wss://h/socket#x')), ['/upstreams/0/url: must not have a query or fragment; put connect params in "params"'])
    assert.deepEqual(await problems(with_('wss://user:sekrit@h/socket')), ['/upstreams/0/url: must not hold credentials; use "authToken" or "params"'])
    assert.deepEqual(await problems(with_('h/socket')), ['/upstreams/0/url: not a URL'])
  })
})

test('headers the WebSocket handshake sets itself are refused, in any case', async () => {
  assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', headers: { 'sec-websocket-protocol': 'x', Host: 'y', 'X-Ok': 'z' } }] }), [
    '/upstreams/0/headers/sec-websocket-protocol: set by the WebSocket handshake itself; remove it',
    '/upstreams/0/headers/Host: set by the WebSocket handshake itself; remove it',
  ])
})

test('tlsCaFile needs a TLS url', async () => {
  assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', tlsCaFile: '/ca.pem' }] }),
    ['/upstreams/0/tlsCaFile: only used with wss:// or https://, but the url is not TLS'])
  assert.equal((await validate({ upstreams: [{ name: 'a', url: 'wss://h/s', tlsCaFile: '/ca.pem' }] })).upstreams[0]?.tlsCaFile, '/ca.pem')
})

test('{ env } sources may not use the gateway\'s own BACKCHANNEL_ prefix', async () => {
  assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', params: { t: { env: 'BACKCHANNEL_TOKEN' } }, authToken: { env: 'BACKCHANNEL_AUTH' } }] }), [
    '/upstreams/0/params/t/env: BACKCHANNEL_* variables are reserved for the gateway\'s own settings; use another name',
    '/upstreams/0/authToken/env: BACKCHANNEL_* variables are reserved for the gateway\'s own settings; use another name',
  ])
})

test('the topic "phoenix" is reserved for heartbeats', async () => {
  assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'phoenix' }] }), ['/channels/0/topic: "phoenix" is reserved for heartbeats'])
})

test('an upstream\'s channels must fit in poolSize × maxChannelsPerSocket', async () => {
  const channels = (n: number): object[] => Array.from({ length: n }, (_, i) => ({ topic: `t:${i}` }))
  const upstream = { name: 'a', url: 'ws://h/s', poolSize: 2, maxChannelsPerSocket: 2 }
  assert.equal((await validate({ upstreams: [upstream], channels: channels(4) })).channels.length, 4)
  assert.deepEqual(await problems({ upstreams: [upstream], channels: channels(5) }),
    ['/upstreams/0: 5 channels do not fit in poolSize 2 × maxChannelsPerSocket 2 = 4; raise poolSize'])
})

test('relative file paths are resolved against the config file\'s folder; absolute ones are kept', async (t) => {
  const dir = await tempDir(t)
  const file = await writeTemp(dir, 'c.yaml', [
    'upstreams:',
    '  - name: a',
    '    url: wss://h/socket',
    '    params: { token: { file: secrets/token }, abs: { file: /run/x }, env: { env: X } }',
    '    authToken: { file: ../auth }',
    '    tlsCaFile: ca.pem',
  ].join('\n'))
  const u = (await loadConfigFile(file)).upstreams[0]!
  assert.deepEqual(u.params, { token: { file: join(dir, 'secrets', 'token') }, abs: { file: '/run/x' }, env: { env: 'X' } })
  assert.deepEqual(u.authToken, { file: join(dir, '..', 'auth') })
  assert.equal(u.tlsCaFile, join(dir, 'ca.pem'))
})

test('every cross-check problem is reported at once', async () => {
  const found = await problems({
    upstreams: [{ name: 'a', url: 'ftp://h' }, { name: 'a', url: 'ws://h/s?x=1' }],
    channels: [{ topic: 'phoenix', upstream: 'a' }, { topic: 't' }],
  })
  assert.deepEqual(found, [
    '/upstreams/0/url: must start with ws://, wss://, http:// or https://, got ftp://',
    '/upstreams/1/url: must not have a query or fragment; put connect params in "params"',
    '/upstreams/1/name: duplicate upstream name "a" (also /upstreams/0/name)',
    '/channels/0/topic: "phoenix" is reserved for heartbeats',
    '/channels/1: missing required key "upstream" (there are 2 upstreams)',
  ])
})
