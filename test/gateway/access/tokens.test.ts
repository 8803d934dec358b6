/**
 * Browser tokens over real HTTP: every kind of bad token gets its 401 with
 * a reason code in the problem shape, on the SSE routes and the push route;
 * a good token reaches the topics its claims cover and gets 403 for the
 * others; the API token keeps full access; the cookie counts on SSE only,
 * the query parameter only when turned on.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from 'jose'
import { channelConfig } from '../helpers.ts'
import { assertProblem, http, joined, push } from '../http/support.ts'
import { SseStream } from '../sse/helpers.ts'
import { API_TOKEN, assertRejected, bearer, nowSeconds, sign, signRaw, startTokenGw, tokenFor, tokensConfig } from './support.ts'

const LOBBY = 'room:lobby'
const OTHER = 'room:other'
const channels = [channelConfig(LOBBY), channelConfig(OTHER), channelConfig('room:42:inbox')]

function b64 (value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
}

const SSE_PATH = `/v1/channels/${encodeURIComponent(LOBBY)}/events`

test('every kind of bad token gets 401 with its own code and reason, on SSE and on push, with no stack', async (t) => {
  const gw = await startTokenGw(t, channels)
  const { privateKey } = await generateKeyPair('RS256')
  const claims = { sub: 'u', exp: nowSeconds() + 600, backchannel: { subscribe: [LOBBY], publish: [LOBBY] } }
  const good = await sign(claims)
  const [head, body] = good.split('.')
  const cases: Array<[string, string, string, string]> = [
    ['not a JWT', 'abc', 'BC_ERR_TOKEN_MALFORMED', 'malformed'],
    ['two parts', `${head!}.${body!}`, 'BC_ERR_TOKEN_MALFORMED', 'malformed'],
    ['a header that is not JSON', `${b64('{nope')}.${body!}.c2ln`, 'BC_ERR_TOKEN_MALFORMED', 'malformed'],
    ['claims that are not an object', signRaw('{"alg":"HS256"}', '[1,2]'), 'BC_ERR_TOKEN_MALFORMED', 'malformed'],
    ['claims that are not JSON', signRaw('{"alg":"HS256"}', 'sub=u'), 'BC_ERR_TOKEN_MALFORMED', 'malformed'],
    ['a header without alg', signRaw('{"typ":"JWT"}', JSON.stringify(claims)), 'BC_ERR_TOKEN_MALFORMED', 'malformed'],
    ['alg none, unsigned', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, 'BC_ERR_TOKEN_ALGORITHM', 'algorithm'],
    ['RS256 where the key is an HS256 secret', await sign(claims, privateKey, { alg: 'RS256' }), 'BC_ERR_TOKEN_ALGORITHM', 'algorithm'],
    ['another secret', await sign(claims, new TextEncoder().encode('x'.repeat(64))), 'BC_ERR_TOKEN_SIGNATURE', 'signature'],
    ['claims changed after signing', `${head!}.${b64({ ...claims, backchannel: { subscribe: ['*'] } })}.${good.split('.')[2]!}`, 'BC_ERR_TOKEN_SIGNATURE', 'signature'],
    ['expired past the leeway', await sign({ ...claims, exp: nowSeconds() - 60 }), 'BC_ERR_TOKEN_EXPIRED', 'expired'],
    ['not valid yet', await sign({ ...claims, nbf: nowSeconds() + 60 }), 'BC_ERR_TOKEN_NOT_YET_VALID', 'not_yet_valid'],
    ['exp of the wrong type', await sign({ ...claims, exp: 'tomorrow' } as unknown as Record<string, unknown>), 'BC_ERR_TOKEN_CLAIMS', 'claims'],
    ['sub of the wrong type', await sign({ ...claims, sub: 42 } as unknown as Record<string, unknown>), 'BC_ERR_TOKEN_CLAIMS', 'claims'],
    ['subscribe not an array', await sign({ ...claims, backchannel: { subscribe: LOBBY } }), 'BC_ERR_TOKEN_CLAIMS', 'claims'],
    ['a pattern that is no pattern', await sign({ ...claims, backchannel: { subscribe: ['room:**'] } }), 'BC_ERR_TOKEN_CLAIMS', 'claims'],
    ['backchannel not an object', await sign({ ...claims, backchannel: [LOBBY] }), 'BC_ERR_TOKEN_CLAIMS', 'claims'],
    ['longer than 8 KiB', await sign({ ...claims, pad: 'x'.repeat(9000) }), 'BC_ERR_TOKEN_MALFORMED', 'malformed'],
  ]
  for (const [what, token, code, reason] of cases) {
    const sse = await http(gw.base, SSE_PATH, { headers: bearer(token) })
    assertRejected(sse, code, reason)
    const pushed = await push(gw, encodeURIComponent(LOBBY), { event: 'e', payload: {} }, { headers: bearer(token) })
    assertRejected(pushed, code, reason)
    assert.ok(!sse.text.includes(token) || token.length < 8, `${what}: the answer does not echo the token`)
  }
  // The good token passes both.
  await joined(gw, LOBBY)
  const ok = await SseStream.openUrl(`${gw.base}${SSE_PATH}`, { headers: bearer(good) })
  t.after(() => { ok.close() })
  assert.equal(ok.status, 200)
  await ok.event('ready')
})

test('no token where one is needed is 401 BC_ERR_UNAUTHORIZED with WWW-Authenticate: Bearer; the API token keeps full access', async (t) => {
  const gw = await startTokenGw(t, channels)
  await joined(gw, LOBBY)
  const none = await http(gw.base, SSE_PATH)
  assertProblem(none, 401, 'BC_ERR_UNAUTHORIZED')
  assert.equal(none.headers.get('www-authenticate'), 'Bearer')
  assertProblem(await push(gw, encodeURIComponent(LOBBY), { event: 'e', payload: {} }), 401, 'BC_ERR_UNAUTHORIZED')

  const api = bearer(API_TOKEN)
  const stream = await SseStream.openUrl(`${gw.base}${SSE_PATH}`, { headers: api })
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  await stream.event('ready')
  assert.equal((await push(gw, encodeURIComponent(LOBBY), { event: 'echo', payload: {} }, { headers: api })).status, 200)
  assert.equal((await http(gw.base, '/v1/channels', { headers: api })).status, 200)
  assert.equal((await http(gw.base, '/metrics', { headers: api })).status, 200)
})

test('a browser token opens nothing of the API token\'s: channel list, PUT, DELETE, metrics and OpenAPI stay 401', async (t) => {
  const gw = await startTokenGw(t, channels)
  const token = await tokenFor({ subscribe: ['*:*'], publish: ['*:*'] })
  for (const [method, path] of [['GET', '/v1/channels'], ['PUT', '/v1/channels/room%3Anew'], ['DELETE', '/v1/channels/room%3Anew'], ['GET', '/metrics'], ['GET', '/openapi.json']] as const) {
    const res = await http(gw.base, path, { method, headers: { ...bearer(token), cookie: `backchannel_token=${token}` } })
    assertProblem(res, 401, 'BC_ERR_UNAUTHORIZED')
  }
  assert.equal((await http(gw.base, '/livez')).status, 200, 'health stays open')
})

test('claims decide: subscribe covers SSE and presence, publish covers push, exact topics and patterns, 403 in our shape otherwise', async (t) => {
  const gw = await startTokenGw(t, channels)
  await joined(gw, LOBBY)
  await joined(gw, 'room:42:inbox')
  const token = await tokenFor({ subscribe: [LOBBY, 'room:42:*'], publish: [LOBBY] })
  const auth = bearer(token)

  const allowed = await SseStream.openUrl(`${gw.base}/v1/channels/${encodeURIComponent('room:42:inbox')}/events`, { headers: auth })
  t.after(() => { allowed.close() })
  assert.equal(allowed.status, 200)
  const denied = await http(gw.base, `/v1/channels/${encodeURIComponent(OTHER)}/events`, { headers: auth })
  const error = assertProblem(denied, 403, 'BC_ERR_TOPIC_FORBIDDEN')
  assert.deepEqual(error.details, { topic: OTHER, action: 'subscribe' })

  assert.equal((await push(gw, encodeURIComponent(LOBBY), { event: 'echo', payload: { a: 1 } }, { headers: auth })).status, 200)
  const pushDenied = await push(gw, encodeURIComponent('room:42:inbox'), { event: 'echo', payload: {} }, { headers: auth })
  assert.deepEqual(assertProblem(pushDenied, 403, 'BC_ERR_TOPIC_FORBIDDEN').details, { topic: 'room:42:inbox', action: 'publish' })
  // Presence reads are subscriptions: the claim is checked before the channel is looked at.
  assertProblem(await http(gw.base, `/v1/channels/${encodeURIComponent(OTHER)}/presence`, { headers: auth }), 403, 'BC_ERR_TOPIC_FORBIDDEN')
  assertProblem(await http(gw.base, `/v1/channels/${encodeURIComponent(LOBBY)}/presence`, { headers: auth }), 409, 'BC_ERR_PRESENCE_OFF')

  // GET /v1/events: every exact topic and pattern asked for must be covered.
  const many = await SseStream.openTopics(gw.base, [LOBBY, 'room:42:*', 'room:42:in*'], { headers: auth })
  t.after(() => { many.close() })
  assert.equal(many.status, 200)
  await many.event('ready')
  for (const topics of [[LOBBY, OTHER], ['room:*'], ['room:*:inbox'], ['*:42:inbox']]) {
    const res = await http(gw.base, `/v1/events?${topics.map((x) => `topic=${encodeURIComponent(x)}`).join('&')}`, { headers: auth })
    assertProblem(res, 403, 'BC_ERR_TOPIC_FORBIDDEN')
  }
})

test('a token with no topic claims reaches nothing; mercure.subscribe / mercure.publish are read the same way', async (t) => {
  const gw = await startTokenGw(t, channels)
  await joined(gw, LOBBY)
  const bare = await sign({ sub: 'u', exp: nowSeconds() + 60 })
  assertProblem(await http(gw.base, SSE_PATH, { headers: bearer(bare) }), 403, 'BC_ERR_TOPIC_FORBIDDEN')
  const mercure = await sign({ sub: 'u', exp: nowSeconds() + 60, mercure: { subscribe: [LOBBY], publish: [] } })
  const stream = await SseStream.openUrl(`${gw.base}${SSE_PATH}`, { headers: bearer(mercure) })
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  assertProblem(await push(gw, encodeURIComponent(LOBBY), { event: 'e', payload: {} }, { headers: bearer(mercure) }), 403, 'BC_ERR_TOPIC_FORBIDDEN')
})

test('exp and nbf are checked with the configured leeway', async (t) => {
  const gw = await startTokenGw(t, channels, { tokens: tokensConfig({ leewayMs: 30_000 }) })
  await joined(gw, LOBBY)
  const topics = { subscribe: [LOBBY] }
  for (const claims of [{ exp: nowSeconds() - 10 }, { nbf: nowSeconds() + 10 }]) {
    const stream = await SseStream.openUrl(`${gw.base}${SSE_PATH}`, { headers: bearer(await tokenFor(topics, claims)) })
    t.after(() => { stream.close() })
    assert.equal(stream.status, 200, `within the leeway the token is accepted: ${JSON.stringify(claims)}`)
    await stream.event('ready')
  }
  assertRejected(await http(gw.base, SSE_PATH, { headers: bearer(await tokenFor(topics, { exp: nowSeconds() - 40 })) }), 'BC_ERR_TOKEN_EXPIRED', 'expired')
  assertRejected(await http(gw.base, SSE_PATH, { headers: bearer(await tokenFor(topics, { nbf: nowSeconds() + 40 })) }), 'BC_ERR_TOKEN_NOT_YET_VALID', 'not_yet_valid')
})
