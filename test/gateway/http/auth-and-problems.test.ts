/**
 * Bind and auth: the API listens on 127.0.0.1 by default; with an API token
 * every route but /livez and /readyz needs `Authorization: Bearer <token>`,
 * compared in constant time on digests (so a token of another length is
 * simply wrong, never an error). Errors share one problem shape with a
 * stable code and nothing internal; an unknown route is 404
 * BC_ERR_NOT_FOUND.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { EnvConfig } from '../../../src/gateway/config/types.ts'
import { channelConfig } from '../helpers.ts'
import { assertProblem, assertQuietLogs, clientOf, http, joined, push, startGw, type Gw } from './support.ts'
import { nextEvent } from '../../helpers/wait.ts'

const TOKEN = 's3cret-token-0123456789'

function env (over: Partial<EnvConfig>): EnvConfig {
  return { port: 0, host: '127.0.0.1', logLevel: 'silent', configFile: null, apiToken: null, readyGraceMs: 3000, shutdownGraceMs: 5000, ...over }
}

async function startWithToken (t: Parameters<typeof startGw>[0]): Promise<Gw> {
  const gw = await startGw(t, [channelConfig('echo:lobby', { required: true })], { config: { env: env({ apiToken: TOKEN }) } })
  await joined(gw, 'echo:lobby')
  return gw
}

/** Pushes with an Authorization header (or none). */
async function pushAs (gw: Gw, authorization: string | null): Promise<ReturnType<typeof http>> {
  return push(gw, 'echo:lobby', { event: 'hello', payload: { n: 1 } }, { headers: authorization === null ? {} : { authorization } })
}

describe('bind', () => {
  test('the API listens on 127.0.0.1', async (t) => {
    const gw = await startGw(t, [])
    const url = new URL(gw.base)
    assert.equal(url.hostname, '127.0.0.1')
    assert.equal((await http(gw.base, '/livez')).status, 200)
  })

  test('without a token configured, no Authorization is needed', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    assert.equal((await pushAs(gw, null)).status, 200)
    assert.equal((await http(gw.base, '/v1/channels')).status, 200)
  })
})

describe('bearer token', () => {
  const rejected: Array<[string, string | null]> = [
    ['no Authorization header', null],
    ['a wrong token of the same length', `Bearer ${'x'.repeat(TOKEN.length)}`],
    ['a shorter token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['a longer token', `Bearer ${TOKEN}x`],
    ['an empty token', 'Bearer '],
    ['the token without a scheme', TOKEN],
    ['the token as Basic credentials', `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`],
  ]
  for (const [name, authorization] of rejected) {
    test(`${name} is 401 BC_ERR_UNAUTHORIZED, and nothing is pushed`, async (t) => {
      const gw = await startWithToken(t)
      const pushes: string[] = []
      gw.phoenix.events.on('frame', (e) => { if (e.message.event === 'hello') pushes.push(e.message.event) })
      const res = await pushAs(gw, authorization)
      assertProblem(res, 401, 'BC_ERR_UNAUTHORIZED')
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer\b/, 'a 401 names the scheme to use')
      assert.equal((await pushAs(gw, `Bearer ${TOKEN}`)).status, 200)
      assert.deepEqual(pushes, ['hello'], 'only the authorized push went out')
      assertQuietLogs(gw)
    })
  }

  test('the right token passes on every API route', async (t) => {
    const gw = await startWithToken(t)
    const authorization = `Bearer ${TOKEN}`
    assert.equal((await pushAs(gw, authorization)).status, 200)
    for (const path of ['/v1/channels', '/openapi.json', '/metrics']) {
      assert.equal((await http(gw.base, path, { headers: { authorization } })).status, 200, path)
    }
  })

  test('the scheme is case-insensitive (RFC 9110): "bearer" passes', async (t) => {
    const gw = await startWithToken(t)
    assert.equal((await pushAs(gw, `bearer ${TOKEN}`)).status, 200)
    assert.equal((await pushAs(gw, `BEARER ${TOKEN}`)).status, 200)
  })

  test('every API route needs it, the SSE route and unknown routes included', async (t) => {
    const gw = await startWithToken(t)
    for (const path of ['/v1/channels', '/openapi.json', '/metrics', '/v1/channels/echo:lobby/events', '/nope']) {
      assertProblem(await http(gw.base, path), 401, 'BC_ERR_UNAUTHORIZED')
    }
  })

  test('/livez and /readyz need no token (with or without a query string)', async (t) => {
    const gw = await startWithToken(t)
    for (const path of ['/livez', '/readyz', '/livez?probe=1', '/readyz?probe=1']) {
      assert.equal((await http(gw.base, path)).status, 200, path)
    }
    // A path that only looks like them does not slip past.
    for (const path of ['/livez/', '/LIVEZ', '/readyz.json']) {
      assertProblem(await http(gw.base, path), 401, 'BC_ERR_UNAUTHORIZED')
    }
  })
})

describe('the problem shape', () => {
  test('an unknown route is 404 BC_ERR_NOT_FOUND naming the method and path, not the query', async (t) => {
    const gw = await startGw(t, [])
    const problem = assertProblem(await http(gw.base, '/v2/things?token=abc'), 404, 'BC_ERR_NOT_FOUND')
    assert.match(problem.message, /GET \/v2\/things/)
    assert.doesNotMatch(problem.message, /token=abc/)
  })

  test('a known path with the wrong method is 404 BC_ERR_NOT_FOUND', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    for (const [method, path] of [['DELETE', '/v1/channels'], ['GET', '/v1/channels/echo:lobby/push'], ['POST', '/livez']] as const) {
      const problem = assertProblem(await http(gw.base, path, { method }), 404, 'BC_ERR_NOT_FOUND')
      assert.match(problem.message, new RegExp(`${method} `))
    }
  })

  test('every kind of error has the one shape, with no stack or internal detail', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby'), channelConfig('echo:refused', { params: { refuse: 'nope' } })], {
      config: { maxBodyBytes: 256 },
      upstream: { maxJoinRefusals: 100, rejoinBackoffMs: [60_000] },
    })
    // Subscribed before any I/O ran: the refusal cannot have come yet.
    const refused = nextEvent(clientOf(gw).events, 'join_error', (e) => e.topic === 'echo:refused')
    await joined(gw, 'echo:lobby')
    await refused
    const json = { 'content-type': 'application/json' }
    const cases: Array<[number, string, () => Promise<Awaited<ReturnType<typeof http>>>]> = [
      [400, 'BC_ERR_BAD_REQUEST', async () => http(gw.base, '/v1/channels/echo:lobby/push', { body: '{', headers: json })],
      [400, 'BC_ERR_BAD_REQUEST', async () => push(gw, 'echo:lobby', { event: 'x', nope: 1 })],
      [404, 'BC_ERR_UNKNOWN_TOPIC', async () => push(gw, 'echo:none', { event: 'x' })],
      [404, 'BC_ERR_NOT_FOUND', async () => http(gw.base, '/nope')],
      [413, 'BC_ERR_PAYLOAD_TOO_LARGE', async () => push(gw, 'echo:lobby', { event: 'x', payload: 'y'.repeat(300) })],
      [415, 'BC_ERR_UNSUPPORTED_MEDIA_TYPE', async () => http(gw.base, '/v1/channels/echo:lobby/push', { body: 'x', headers: { 'content-type': 'text/csv' } })],
      [422, '', async () => push(gw, 'echo:lobby', { event: 'error_reply', payload: { reason: 'no' } })],
      [502, 'BC_ERR_JOIN_REFUSED', async () => push(gw, 'echo:refused', { event: 'x' })],
      [504, 'BC_ERR_TIMEOUT', async () => push(gw, 'echo:lobby', { event: 'no_reply', timeoutMs: 50 })],
      // Last: the crashed channel is rejoined only after the (long) back-off.
      [502, 'BC_ERR_CHANNEL_CLOSED', async () => push(gw, 'echo:lobby', { event: 'crash' })],
    ]
    for (const [status, code, send] of cases) {
      const res = await send()
      if (status === 422) {
        // The channel's own error reply is not a problem: it is the reply, as the channel sent it.
        assert.equal(res.status, 422)
        assert.deepEqual(res.json, { status: 'error', response: { reason: 'no' } })
        continue
      }
      assertProblem(res, status, code)
    }
    gw.daemon.broker.drain()
    assertProblem(await push(gw, 'echo:lobby', { event: 'x' }), 503, 'BC_ERR_DRAINING')
    assertQuietLogs(gw)
  })
})
