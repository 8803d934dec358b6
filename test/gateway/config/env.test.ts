/**
 * Environment variables: each one's parsing, default and error. Values stay
 * strings until checked, so nothing is coerced; loadEnv reads only the record
 * it is given.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { loadEnv } from '../../../src/gateway/config/index.ts'
import { ENV_SCHEMA } from '../../../src/gateway/config/env.ts'
import { problemsOf, tempDir, writeTemp } from './helpers.ts'

const allVariables = `the gateway's variables have no prefix: ${Object.keys(ENV_SCHEMA.properties).join(', ')}`

const defaults = {
  port: 8080,
  host: '127.0.0.1',
  logLevel: 'info',
  configFile: null,
  apiToken: null,
  readyGraceMs: 3000,
  shutdownGraceMs: 25000,
  configWatch: true,
  configWatchDebounceMs: 500,
  httpHeadersTimeoutMs: 10_000,
  httpRequestTimeoutMs: 30_000,
  httpKeepAliveTimeoutMs: 72_000,
  httpMaxConnections: 10_000,
  stateDir: null,
  stateMaxBytes: 268_435_456,
  stateSync: 'normal',
}

test('with no variables every setting takes its default', () => {
  assert.deepEqual(loadEnv({}), defaults)
})

test('every variable is read into its typed field', () => {
  assert.deepEqual(loadEnv({
    PORT: '9090',
    HOST: '::1',
    LOG_LEVEL: 'debug',
    CONFIG_FILE: '/etc/backchannel/config.yaml',
    API_TOKEN: 's3cr3t-t0ken',
    READY_GRACE_MS: '10',
    SHUTDOWN_GRACE_MS: '20',
    CONFIG_WATCH: 'false',
    CONFIG_WATCH_DEBOUNCE_MS: '30',
    HTTP_HEADERS_TIMEOUT_MS: '40',
    HTTP_REQUEST_TIMEOUT_MS: '50',
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '60',
    HTTP_MAX_CONNECTIONS: '70',
    STATE_DIR: '/var/lib/backchannel',
    STATE_MAX_BYTES: '2097152',
    STATE_SYNC: 'full',
  }), {
    port: 9090,
    host: '::1',
    logLevel: 'debug',
    configFile: '/etc/backchannel/config.yaml',
    apiToken: 's3cr3t-t0ken',
    readyGraceMs: 10,
    shutdownGraceMs: 20,
    configWatch: false,
    configWatchDebounceMs: 30,
    httpHeadersTimeoutMs: 40,
    httpRequestTimeoutMs: 50,
    httpKeepAliveTimeoutMs: 60,
    httpMaxConnections: 70,
    stateDir: '/var/lib/backchannel',
    stateMaxBytes: 2_097_152,
    stateSync: 'full',
  })
})

test('the store settings are checked: a size below 1 MiB and an unknown sync policy are refused', async () => {
  assert.deepEqual(await problemsOf(() => loadEnv({ STATE_MAX_BYTES: '1000' })), ['STATE_MAX_BYTES: must be at least 1048576 bytes (1 MiB), got "1000"'])
  assert.deepEqual(await problemsOf(() => loadEnv({ STATE_MAX_BYTES: '0' })), ['STATE_MAX_BYTES: must be a whole number of bytes, at least 1, got "0"'])
  assert.deepEqual(await problemsOf(() => loadEnv({ STATE_SYNC: 'always' })), ['STATE_SYNC: must be one of normal, full, got "always"'])
  assert.deepEqual(await problemsOf(() => loadEnv({ STATE_DIR: '' })), ['STATE_DIR: must not be empty'])
})

test('loadEnv reads only the record it is given, never process.env', () => {
  process.env['PORT'] = '1234'
  process.env['BACKCHANNEL_NOT_A_SETTING'] = 'x'
  try {
    assert.deepEqual(loadEnv({}), defaults)
  } finally {
    delete process.env['PORT']
    delete process.env['BACKCHANNEL_NOT_A_SETTING']
  }
})

describe('PORT', () => {
  test('accepts 0 to 65535', () => {
    assert.equal(loadEnv({ PORT: '0' }).port, 0)
    assert.equal(loadEnv({ PORT: '65535' }).port, 65535)
  })

  test('anything but a plain whole number in range is an error, not coerced', async () => {
    for (const value of ['abc', '65536', '0x10', ' 8', '8 ', '8.0', '1e3', '', '-1', '08']) {
      assert.deepEqual(await problemsOf(() => loadEnv({ PORT: value })), [`PORT: must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`], value)
    }
  })
})

describe('HOST and the bearer token', () => {
  test('loopback addresses need no token', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      assert.equal(loadEnv({ HOST: host }).apiToken, null, host)
    }
  })

  test('any other address without API_TOKEN or API_TOKEN_FILE is an error', async () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'gateway.internal']) {
      assert.deepEqual(await problemsOf(() => loadEnv({ HOST: host })),
        [`HOST: ${host} is not a loopback address, so the API needs a bearer token: set API_TOKEN or API_TOKEN_FILE`], host)
    }
  })

  test('any other address with a token is accepted', async (t) => {
    assert.equal(loadEnv({ HOST: '0.0.0.0', API_TOKEN: 'tok' }).host, '0.0.0.0')
    const file = await writeTemp(await tempDir(t), 'token', 'from-file\n')
    assert.equal(loadEnv({ HOST: '0.0.0.0', API_TOKEN_FILE: file }).apiToken, 'from-file')
  })

  test('a value that is neither an IP address nor a host name is an error', async () => {
    assert.deepEqual(await problemsOf(() => loadEnv({ HOST: 'not a host' })), ['HOST: must be an IP address or a host name, got "not a host"'])
    assert.deepEqual(await problemsOf(() => loadEnv({ HOST: '' })), ['HOST: must not be empty'])
  })
})

describe('LOG_LEVEL', () => {
  test('accepts the pino levels and silent', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      assert.equal(loadEnv({ LOG_LEVEL: level }).logLevel, level)
    }
  })

  test('anything else is an error listing the levels', async () => {
    for (const level of ['verbose', 'INFO', '']) {
      assert.deepEqual(await problemsOf(() => loadEnv({ LOG_LEVEL: level })),
        [`LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got ${JSON.stringify(level)}`])
    }
  })
})

test('CONFIG_FILE may not be empty', async () => {
  assert.deepEqual(await problemsOf(() => loadEnv({ CONFIG_FILE: '' })), ['CONFIG_FILE: must not be empty'])
})

describe('API_TOKEN and API_TOKEN_FILE', () => {
  test('a token with spaces or control characters is an error that does not show the token', async () => {
    for (const token of ['has space-sekrit', 'tab\there-sekrit', '']) {
      const problems = await problemsOf(() => loadEnv({ API_TOKEN: token }))
      assert.deepEqual(problems, ['API_TOKEN: must be printable ASCII without spaces'])
    }
  })

  test('API_TOKEN_FILE is read and one trailing newline trimmed', async (t) => {
    const dir = await tempDir(t)
    assert.equal(loadEnv({ API_TOKEN_FILE: await writeTemp(dir, 'lf', 'tok-lf\n') }).apiToken, 'tok-lf')
    assert.equal(loadEnv({ API_TOKEN_FILE: await writeTemp(dir, 'crlf', 'tok-crlf\r\n') }).apiToken, 'tok-crlf')
    assert.equal(loadEnv({ API_TOKEN_FILE: await writeTemp(dir, 'bare', 'tok-bare') }).apiToken, 'tok-bare')
  })

  test('a token file that is missing, empty or holds more than a token is an error without its content', async (t) => {
    const dir = await tempDir(t)
    const missing = `${dir}/missing`
    assert.deepEqual(await problemsOf(() => loadEnv({ API_TOKEN_FILE: missing })), [`API_TOKEN_FILE: cannot read ${missing}: ENOENT`])
    const empty = await writeTemp(dir, 'empty', '\n')
    assert.deepEqual(await problemsOf(() => loadEnv({ API_TOKEN_FILE: empty })), [`API_TOKEN_FILE: ${empty} is empty`])
    const two = await writeTemp(dir, 'two', 'sekrit-one\nsekrit-two\n')
    const problems = await problemsOf(() => loadEnv({ API_TOKEN_FILE: two }))
    assert.equal(problems.length, 1)
    assert.match(problems[0] ?? '', /^API_TOKEN_FILE: the token in .* must be printable ASCII without spaces/)
    assert.doesNotMatch(problems.join('\n'), /sekrit/)
  })

  test('setting both is an error', async (t) => {
    const file = await writeTemp(await tempDir(t), 'token', 'tok\n')
    assert.deepEqual(await problemsOf(() => loadEnv({ API_TOKEN: 'tok', API_TOKEN_FILE: file })), ['API_TOKEN_FILE: set together with API_TOKEN; set one of them'])
  })
})

describe('READY_GRACE_MS and SHUTDOWN_GRACE_MS', () => {
  test('accept whole milliseconds up to the timer limit', () => {
    const env = loadEnv({ READY_GRACE_MS: '0', SHUTDOWN_GRACE_MS: '2147483647' })
    assert.equal(env.readyGraceMs, 0)
    assert.equal(env.shutdownGraceMs, 2147483647)
  })

  test('reject fractions, negatives, words and values past the timer limit', async () => {
    for (const name of ['READY_GRACE_MS', 'SHUTDOWN_GRACE_MS']) {
      for (const value of ['1.5', '-1', 'soon', '3s']) {
        assert.deepEqual(await problemsOf(() => loadEnv({ [name]: value })), [`${name}: must be a whole number of milliseconds, got ${JSON.stringify(value)}`])
      }
      assert.deepEqual(await problemsOf(() => loadEnv({ [name]: '2147483648' })), [`${name}: must be at most 2147483647 ms, got "2147483648"`])
    }
  })
})

describe('other variables', () => {
  test('variables that are not ours are ignored', () => {
    assert.deepEqual(loadEnv({ PATH: '/usr/bin', NODE_ENV: 'production', HOME: '/root', TOKEN: undefined }), defaults)
  })

  test('an unknown BACKCHANNEL_* variable is an error, with a hint when it is a prefixed setting', async () => {
    assert.deepEqual(await problemsOf(() => loadEnv({ BACKCHANNEL_LOGLEVEL: 'debug' })), ['BACKCHANNEL_LOGLEVEL: unknown variable (did you mean LOG_LEVEL?)'])
    assert.deepEqual(await problemsOf(() => loadEnv({ BACKCHANNEL_SHUTDOWN_GRCE_MS: '1' })), ['BACKCHANNEL_SHUTDOWN_GRCE_MS: unknown variable (did you mean SHUTDOWN_GRACE_MS?)'])
    assert.deepEqual(await problemsOf(() => loadEnv({ BACKCHANNEL_LOG_LEVEL: 'debug' })), ['BACKCHANNEL_LOG_LEVEL: unknown variable (did you mean LOG_LEVEL?)'])
    assert.deepEqual(await problemsOf(() => loadEnv({ BACKCHANNEL_PORT: '9000' })), ['BACKCHANNEL_PORT: unknown variable (did you mean PORT?)'])
  })

  test('the client side\'s BACKCHANNEL_URL and BACKCHANNEL_AUTH_TOKEN (the examples, push and listen) are ignored', () => {
    assert.deepEqual(loadEnv({ BACKCHANNEL_URL: 'http://127.0.0.1:8080', BACKCHANNEL_AUTH_TOKEN: 't' }), defaults)
  })

  test('Kubernetes service links for a Service named backchannel are ignored', () => {
    assert.deepEqual(loadEnv({
      BACKCHANNEL_SERVICE_HOST: '10.0.0.11',
      BACKCHANNEL_SERVICE_PORT: '8080',
      BACKCHANNEL_SERVICE_PORT_HTTP: '8080',
      BACKCHANNEL_PORT: 'tcp://10.0.0.11:8080',
      BACKCHANNEL_PORT_8080_TCP: 'tcp://10.0.0.11:8080',
      BACKCHANNEL_PORT_8080_TCP_PROTO: 'tcp',
      BACKCHANNEL_PORT_8080_TCP_PORT: '8080',
      BACKCHANNEL_PORT_8080_TCP_ADDR: '10.0.0.11',
    }), defaults)
  })

  test('service links of other Services whose names start with backchannel- are ignored too', async () => {
    assert.deepEqual(loadEnv({
      BACKCHANNEL_API_SERVICE_HOST: '10.0.0.12',
      BACKCHANNEL_API_SERVICE_PORT: '8080',
      BACKCHANNEL_API_PORT: 'tcp://10.0.0.12:8080',
      BACKCHANNEL_API_PORT_8080_TCP_PORT: '8080',
    }), defaults)
    assert.deepEqual(await problemsOf(() => loadEnv({ BACKCHANNEL_API_PORT: '8080' })), [`BACKCHANNEL_API_PORT: unknown variable (${allVariables})`])
  })

  test('every problem is reported at once', async () => {
    const problems = await problemsOf(() => loadEnv({ PORT: 'x', LOG_LEVEL: 'y', BACKCHANNEL_Z: '1', READY_GRACE_MS: 'w' }))
    assert.deepEqual([...problems].sort(), [
      `BACKCHANNEL_Z: unknown variable (${allVariables})`,
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "y"',
      'PORT: must be a whole number from 0 to 65535, got "x"',
      'READY_GRACE_MS: must be a whole number of milliseconds, got "w"',
    ])
  })
})

describe('HTTP connection limits', () => {
  test('the timeouts take whole milliseconds from 1, and the connection cap a whole number from 1', async () => {
    for (const name of ['HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS']) {
      for (const value of ['1.5', '-1', '1e3', '10s']) {
        assert.deepEqual(await problemsOf(() => loadEnv({ [name]: value })), [`${name}: must be a whole number of milliseconds, got ${JSON.stringify(value)}`])
      }
    }
    assert.deepEqual(await problemsOf(() => loadEnv({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' })), ['HTTP_KEEP_ALIVE_TIMEOUT_MS: must be at least 1 ms (0 would let a connection hold on forever), got "0"'])
    for (const value of ['0', '1.5', '-1', '1e3']) {
      assert.deepEqual(await problemsOf(() => loadEnv({ HTTP_MAX_CONNECTIONS: value })), [`HTTP_MAX_CONNECTIONS: must be a whole number from 1 to 9999999, got ${JSON.stringify(value)}`])
    }
  })

  test('the header timeout may not be longer than the request timeout', async () => {
    assert.deepEqual(await problemsOf(() => loadEnv({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '4000' })), ['HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (4000 ms), got "5000"'])
    assert.equal(loadEnv({ HTTP_HEADERS_TIMEOUT_MS: '4000', HTTP_REQUEST_TIMEOUT_MS: '4000' }).httpHeadersTimeoutMs, 4000)
  })
})
