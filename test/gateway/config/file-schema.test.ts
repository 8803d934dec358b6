/**
 * The config file against its JSON Schema: YAML and JSON, every default,
 * unknown keys and wrong types reported with their JSON path, nothing
 * coerced and nothing dropped.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfigFile, validateFileConfig, type FileConfig } from '../../../src/gateway/config/index.ts'
import { readSchema, type SchemaNode } from '../../../src/gateway/config/schema.ts'
import { minimal, problemsOf, tempDir, writeTemp } from './helpers.ts'

const validate = async (data: unknown): Promise<FileConfig> => validateFileConfig(data, '/cfg')
const problems = async (data: unknown): Promise<readonly string[]> => problemsOf(() => validate(data))

const defaultUpstream = {
  name: 'app',
  url: 'ws://127.0.0.1:4000/socket',
  params: {},
  authToken: null,
  headers: {},
  poolSize: 1,
  maxChannelsPerSocket: 100,
  heartbeatIntervalMs: 30000,
  heartbeatTimeoutMs: 30000,
  joinTimeoutMs: 10000,
  pushTimeoutMs: 10000,
  connectTimeoutMs: 10000,
  maxBufferedPushes: 1000,
  reconnectBackoffMs: [10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000],
  rejoinBackoffMs: [1000, 2000, 5000, 10000],
  jitter: 0.2,
  maxJoinRefusals: 3,
  tlsCaFile: null,
  vsn: '2.0.0',
}

test('a minimal file gets every default', async () => {
  assert.deepEqual(await validate({ ...minimal, channels: [{ topic: 'room:1' }] }), {
    upstreams: [defaultUpstream],
    channels: [{ topic: 'room:1', name: 'room:1', upstream: 'app', params: {}, required: false, replay: 1000 }],
    dynamic: [],
    sse: { keepAliveMs: 15000, clientBufferBytes: 65536, topicBufferBytes: 16777216, maxClients: 10000, maxTopicsPerStream: 1000, stallTimeoutMs: 30000, lingerMs: 10000, clientQueue: 1000, retryMs: 2000 },
    maxBodyBytes: 1048576,
    pushTimeoutMs: 10000,
  })
})

test('heartbeatTimeoutMs defaults to the heartbeat interval', async () => {
  const config = await validate({ upstreams: [{ name: 'a', url: 'ws://h/s', heartbeatIntervalMs: 1234 }] })
  assert.equal(config.upstreams[0]?.heartbeatTimeoutMs, 1234)
})

test('channels may be left out: none', async () => {
  assert.deepEqual((await validate(minimal)).channels, [])
})

test('every value given is kept as given: nothing dropped, nothing changed', async () => {
  const full = {
    upstreams: [{
      name: 'main',
      url: 'wss://app.example/socket',
      params: { literal: 'x', number: 7, flag: false, fromEnv: { env: 'APP_TOKEN' }, fromFile: { file: '/run/token' } },
      authToken: { file: '/run/auth' },
      headers: { 'User-Agent': 'bc', 'x-trace': '1' },
      poolSize: 3,
      maxChannelsPerSocket: 50,
      heartbeatIntervalMs: 1000,
      heartbeatTimeoutMs: 500,
      joinTimeoutMs: 2000,
      pushTimeoutMs: 3000,
      connectTimeoutMs: 4000,
      maxBufferedPushes: 5,
      reconnectBackoffMs: [1, 2],
      rejoinBackoffMs: [3],
      jitter: 0,
      maxJoinRefusals: 9,
      tlsCaFile: '/etc/ca.pem',
      vsn: '1.0.0',
    }],
    channels: [{ topic: 'room:1', name: 'one', upstream: 'main', params: { a: [1, { b: null }] }, required: true, replay: 0 }],
    dynamic: [{ pattern: 'room:*', name: 'rooms', upstream: 'main', params: { c: 2 }, lingerMs: 5, maxTopics: 6, replay: 7, presence: true, traceField: 'tp' }],
    sse: { keepAliveMs: 1, clientBufferBytes: 1024, topicBufferBytes: 65536, maxClients: 4, maxTopicsPerStream: 5, stallTimeoutMs: 3, lingerMs: 0, clientQueue: 2, retryMs: 0 },
    maxBodyBytes: 10,
    pushTimeoutMs: 20,
  }
  assert.deepEqual(await validate(full), full)
})

test('a YAML file and a JSON file with the same content give the same configuration', async (t) => {
  const dir = await tempDir(t)
  const yaml = await writeTemp(dir, 'c.yaml', [
    'upstreams:',
    '  - name: app',
    '    url: ws://127.0.0.1:4000/socket',
    '    params: { flag: yes, n: 0x10 }',
    'channels:',
    '  - topic: "room:1"',
    '    required: true',
  ].join('\n'))
  const json = await writeTemp(dir, 'c.json', {
    upstreams: [{ name: 'app', url: 'ws://127.0.0.1:4000/socket', params: { flag: 'yes', n: 16 } }],
    channels: [{ topic: 'room:1', required: true }],
  })
  const fromYaml = await loadConfigFile(yaml)
  assert.deepEqual(fromYaml, await loadConfigFile(json))
  assert.equal(fromYaml.upstreams[0]?.params['flag'], 'yes', 'YAML 1.2: yes is a string, not true')
  assert.equal((await loadConfigFile(await writeTemp(dir, 'c.yml', 'upstreams: [{ name: a, url: "ws://h/s" }]'))).upstreams[0]?.name, 'a')
})

describe('unknown keys are errors naming the path and the key', () => {
  test('at the top level', async () => {
    assert.deepEqual(await problems({ ...minimal, chanels: [] }), ['/: unknown key "chanels" (did you mean "channels"?)'])
  })

  test('in an upstream', async () => {
    assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', hearbeatIntervalMs: 5 }] }),
      ['/upstreams/0: unknown key "hearbeatIntervalMs" (did you mean "heartbeatIntervalMs"?)'])
  })

  test('in a channel', async () => {
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'a' }, { topic: 'b' }, { topic: 'c', requried: true }] }),
      ['/channels/2: unknown key "requried" (did you mean "required"?)'])
  })

  test('in sse and in a value source, and without a hint when nothing is close', async () => {
    assert.deepEqual(await problems({ ...minimal, sse: { keepAlive: 5 } }), ['/sse: unknown key "keepAlive" (did you mean "keepAliveMs"?)'])
    assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', params: { t: { evn: 'X' } } }] }),
      ['/upstreams/0/params/t: unknown key "evn" (did you mean "env"?)'])
    assert.deepEqual(await problems({ ...minimal, webhooks: [] }), ['/: unknown key "webhooks"'])
  })

  test('every key of every object, misspelt, is reported; none is silently dropped', async () => {
    const schema = await readSchema()
    const objects: Array<[string, SchemaNode, (key: string) => unknown]> = [
      ['/', schema, (key) => ({ ...minimal, [key]: 1 })],
      ['/upstreams/0', schema.definitions?.['upstream'] ?? {}, (key) => ({ upstreams: [{ name: 'a', url: 'ws://h/s', [key]: 1 }] })],
      ['/channels/0', schema.definitions?.['channel'] ?? {}, (key) => ({ ...minimal, channels: [{ topic: 't', [key]: 1 }] })],
      ['/sse', schema.properties?.['sse'] ?? {}, (key) => ({ ...minimal, sse: { [key]: 1 } })],
    ]
    let checked = 0
    for (const [path, node, build] of objects) {
      for (const key of Object.keys(node.properties ?? {})) {
        const typo = `${key.slice(0, -1)}${key.at(-1) === 'x' ? 'y' : 'x'}`
        assert.deepEqual(await problems(build(typo)), [`${path}: unknown key "${typo}" (did you mean "${key}"?)`])
        checked++
      }
    }
    assert.ok(checked > 30)
  })
})

describe('wrong types are errors naming the path; nothing is coerced', () => {
  test('a string of digits is not a number', async () => {
    assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', poolSize: '8' }] }), ['/upstreams/0/poolSize: must be integer'])
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'a' }, { topic: 'b' }, { topic: 'c', replay: '8' }] }), ['/channels/2/replay: must be integer'])
  })

  test('a quoted YAML number is a string', async (t) => {
    const file = await writeTemp(await tempDir(t), 'c.yaml', 'upstreams: [{ name: a, url: "ws://h/s" }]\nmaxBodyBytes: "1024"\n')
    assert.deepEqual(await problemsOf(() => loadConfigFile(file)), ['/maxBodyBytes: must be integer'])
  })

  test('booleans, integers, arrays, objects and enums are each checked', async () => {
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'a', required: 'true' }] }), ['/channels/0/required: must be boolean'])
    assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', poolSize: 1.5, jitter: 2, vsn: '3.0.0' }] }), [
      '/upstreams/0/poolSize: must be integer',
      '/upstreams/0/jitter: must be <= 1',
      '/upstreams/0/vsn: must be one of "2.0.0", "1.0.0"',
    ])
    assert.deepEqual(await problems({ upstreams: {} }), ['/upstreams: must be array'])
    assert.deepEqual(await problems({ upstreams: [] }), ['/upstreams: must NOT have fewer than 1 items'])
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'a', replay: 100001 }] }), ['/channels/0/replay: must be <= 100000'])
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'a', params: [] }] }), ['/channels/0/params: must be object'])
    assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', reconnectBackoffMs: [] }] }), ['/upstreams/0/reconnectBackoffMs: must NOT have fewer than 1 items'])
    assert.deepEqual(await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', heartbeatIntervalMs: 2147483648 }] }), ['/upstreams/0/heartbeatIntervalMs: must be <= 2147483647'])
  })

  test('required keys', async () => {
    assert.deepEqual(await problems({}), ['/: missing required key "upstreams"'])
    assert.deepEqual(await problems({ upstreams: [{}] }), ['/upstreams/0: missing required key "name"', '/upstreams/0: missing required key "url"'])
    assert.deepEqual(await problems({ ...minimal, channels: [{}] }), ['/channels/0: missing required key "topic"'])
    assert.deepEqual(await problems(null), ['/: must be object'])
  })

  test('params values, auth tokens and headers', async () => {
    const upstream = (extra: object): unknown => ({ upstreams: [{ name: 'a', url: 'ws://h/s', ...extra }] })
    assert.deepEqual(await problems(upstream({ params: { a: [1], b: null, c: {}, d: { env: 'X', file: '/f' }, e: { env: '1BAD' } } })), [
      '/upstreams/0/params/a: must be string, number, boolean or object',
      '/upstreams/0/params/b: must be string, number, boolean or object',
      '/upstreams/0/params/c: must have exactly one key, "env" or "file"',
      '/upstreams/0/params/d: must have exactly one key, "env" or "file"',
      '/upstreams/0/params/e/env: must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"',
    ])
    assert.deepEqual(await problems(upstream({ authToken: 5 })), ['/upstreams/0/authToken: must be string, object or null'])
    assert.deepEqual(await problems(upstream({ authToken: '' })), ['/upstreams/0/authToken: must NOT have fewer than 1 characters'])
    assert.deepEqual(await problems(upstream({ headers: { 'bad name': 'x', ok: 'a\r\nInjected: 1', n: 1 } })), [
      '/upstreams/0/headers: invalid key "bad name"',
      '/upstreams/0/headers/ok: must match pattern "^[^\\r\\n\\u0000]*$"',
      '/upstreams/0/headers/n: must be string',
    ])
  })

  test('every problem in the file is reported at once', async () => {
    const found = await problems({ upstreams: [{ name: 'a', url: 'ws://h/s', poolSize: '2', extra: 1 }], channels: [{ topic: 1 }], sse: { retryMs: -1 } })
    assert.equal(found.length, 4)
  })
})
