/**
 * CORS and where a browser token may come from, over real HTTP: no CORS
 * header at all without `cors`; with it, the listed origins get their
 * origin back (never `*`), credentials when configured, and Vary: Origin on
 * every answer, SSE streams included; preflights are answered before any
 * credential is asked for. The cookie counts on the SSE routes only, the
 * query parameter only when turned on.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig } from '../helpers.ts'
import { assertProblem, http, joined, push, startGw } from '../http/support.ts'
import { SseStream } from '../sse/helpers.ts'
import { API_TOKEN, bearer, startTokenGw, tokenFor, tokensConfig } from './support.ts'

const TOPIC = 'room:lobby'
const PATH = `/v1/channels/${encodeURIComponent(TOPIC)}/events`
const APP = 'http://app.example:3000'
const cors = { origins: [APP, 'https://other.example'], credentials: true, maxAgeSeconds: 120 }

test('without cors, no CORS header is ever sent and OPTIONS is what it was (404)', async (t) => {
  const gw = await startGw(t, [channelConfig(TOPIC)])
  await joined(gw, TOPIC)
  const headers = { origin: APP }
  const res = await http(gw.base, '/v1/channels', { headers })
  const preflight = await http(gw.base, PATH, { method: 'OPTIONS', headers: { ...headers, 'access-control-request-method': 'GET' } })
  const stream = await SseStream.openUrl(`${gw.base}${PATH}`, { headers })
  t.after(() => { stream.close() })
  assertProblem(preflight, 404, 'BC_ERR_NOT_FOUND')
  for (const names of [[...res.headers.keys()], [...preflight.headers.keys()], Object.keys(stream.headers)]) {
    assert.deepEqual(names.filter((n) => n.startsWith('access-control-') || n === 'vary'), [])
  }
})

test('a listed origin gets its origin, credentials and exposed headers back, on problems and on SSE streams too; others get none', async (t) => {
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { cors })
  await joined(gw, TOPIC)
  const token = await tokenFor({ subscribe: [TOPIC] })
  const stream = await SseStream.openUrl(`${gw.base}${PATH}`, { headers: { origin: APP, ...bearer(token) } })
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  assert.equal(stream.headers['access-control-allow-origin'], APP)
  assert.equal(stream.headers['access-control-allow-credentials'], 'true')
  assert.equal(stream.headers.vary, 'Origin')
  assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8')

  const refused = await http(gw.base, PATH, { headers: { origin: APP } })
  assertProblem(refused, 401, 'BC_ERR_UNAUTHORIZED')
  assert.equal(refused.headers.get('access-control-allow-origin'), APP, 'a page can read why it was refused')
  assert.match(refused.headers.get('access-control-expose-headers') ?? '', /www-authenticate/)

  for (const origin of ['http://evil.example', 'http://app.example', 'null']) {
    const res = await http(gw.base, '/livez', { headers: { origin } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('access-control-allow-origin'), null, origin)
    assert.equal(res.headers.get('access-control-allow-credentials'), null)
    assert.equal(res.headers.get('vary'), 'Origin', 'answers vary by Origin whatever it is')
  }
})

test('a preflight from a listed origin is 204 with methods, headers and max-age, before any token; from another origin 403 in our shape', async (t) => {
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { cors: { ...cors, credentials: false } })
  const ok = await http(gw.base, `/v1/channels/${encodeURIComponent(TOPIC)}/push`, {
    method: 'OPTIONS',
    headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  })
  assert.equal(ok.status, 204)
  assert.equal(ok.headers.get('access-control-allow-origin'), APP)
  assert.equal(ok.headers.get('access-control-allow-credentials'), null, 'credentials: false sends none')
  assert.equal(ok.headers.get('access-control-allow-methods'), 'GET, POST, PUT, DELETE')
  assert.match(ok.headers.get('access-control-allow-headers') ?? '', /^authorization, content-type, last-event-id/)
  assert.equal(ok.headers.get('access-control-max-age'), '120')
  assert.equal(ok.headers.get('vary'), 'Origin')

  const denied = await http(gw.base, PATH, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })
  assertProblem(denied, 403, 'BC_ERR_ORIGIN_NOT_ALLOWED')
  assert.equal(denied.headers.get('access-control-allow-origin'), null)
})

test('the cookie carries a token to the SSE routes only; a push must send Authorization', async (t) => {
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ cookie: 'bc' }) })
  await joined(gw, TOPIC)
  const token = await tokenFor({ subscribe: [TOPIC], publish: [TOPIC] })
  const cookie = { cookie: `theme=dark; bc=${token}` }
  const one = await SseStream.openUrl(`${gw.base}${PATH}`, { headers: cookie })
  t.after(() => { one.close() })
  assert.equal(one.status, 200)
  const many = await SseStream.openTopics(gw.base, [TOPIC], { headers: cookie })
  t.after(() => { many.close() })
  assert.equal(many.status, 200)
  assertProblem(await push(gw, encodeURIComponent(TOPIC), { event: 'echo', payload: {} }, { headers: cookie }), 401, 'BC_ERR_UNAUTHORIZED')
  assertProblem(await http(gw.base, `/v1/channels/${encodeURIComponent(TOPIC)}/presence`, { headers: cookie }), 401, 'BC_ERR_UNAUTHORIZED')
  assertProblem(await http(gw.base, PATH, { headers: { cookie: `backchannel_token=${token}` } }), 401, 'BC_ERR_UNAUTHORIZED')
  assert.equal((await push(gw, encodeURIComponent(TOPIC), { event: 'echo', payload: {} }, { headers: bearer(token) })).status, 200)
})

test('?access_token= is not read unless tokens.queryParameter is on (then an unknown parameter), and then it opens SSE streams', async (t) => {
  const off = await startTokenGw(t, [channelConfig(TOPIC)])
  const token = await tokenFor({ subscribe: [TOPIC] })
  // Off: the token there is not looked at (401 for want of one), and the parameter is unknown to the route.
  assertProblem(await http(off.base, `${PATH}?access_token=${token}`), 401, 'BC_ERR_UNAUTHORIZED')
  assertProblem(await http(off.base, `${PATH}?access_token=${token}`, { headers: bearer(API_TOKEN) }), 400, 'BC_ERR_BAD_REQUEST')

  const on = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ queryParameter: true }) })
  await joined(on, TOPIC)
  const stream = await SseStream.openUrl(`${on.base}${PATH}?access_token=${token}`)
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  const many = await SseStream.openTopics(on.base, [TOPIC], { query: { access_token: token } })
  t.after(() => { many.close() })
  assert.equal(many.status, 200)
  // Never on push.
  assertProblem(await push(on, encodeURIComponent(TOPIC), { event: 'echo', payload: {} }, { query: `?access_token=${token}` }), 401, 'BC_ERR_UNAUTHORIZED')
})
