/**
 * Guarantee: no client holds a connection open forever. Headers that never
 * finish and bodies that stop are answered 408 BC_ERR_REQUEST_TIMEOUT (our
 * problem shape) and closed after HTTP_HEADERS_TIMEOUT_MS and
 * HTTP_REQUEST_TIMEOUT_MS; HTTP_MAX_CONNECTIONS refuses connections beyond
 * it, SSE streams counted; an SSE stream outlives the request timeout; and
 * an error answered before the body was read (401, 413, 415, 404 on a POST)
 * closes the connection.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { Socket } from 'node:net'
import type { EnvConfig } from '../../src/gateway/config/types.ts'
import { channelConfig, gatewayConfig } from '../gateway/helpers.ts'
import { assertQuietLogs, joined, startGw, type Gw } from '../gateway/http/support.ts'
import { SseStream } from '../gateway/sse/helpers.ts'
import { RawHttp } from './raw-http.ts'

async function gateway (t: TestContext, env: Partial<EnvConfig>): Promise<Gw> {
  const base = gatewayConfig('ws://unused', []).env
  const gw = await startGw(t, [channelConfig('room:a')], { config: { env: { ...base, ...env }, maxBodyBytes: 1000 } })
  await joined(gw, 'room:a')
  return gw
}

async function open (t: TestContext, base: string): Promise<RawHttp> {
  const raw = await RawHttp.open(base)
  t.after(() => { raw.destroy() })
  return raw
}

function problemCode (body: string): string | undefined {
  return (JSON.parse(body) as { error?: { code?: string } }).error?.code
}

test('headers that never finish and a body that stops are answered 408 in our shape and closed', async (t) => {
  const gw = await gateway(t, { httpHeadersTimeoutMs: 150, httpRequestTimeoutMs: 300 })
  const headers = await open(t, gw.base)
  headers.write('POST /v1/channels/room:a/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n')
  const body = await open(t, gw.base)
  body.write('POST /v1/channels/room:a/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"event":')

  for (const raw of [headers, body]) {
    const res = await raw.nextResponse()
    assert.equal(res.status, 408)
    assert.match(res.headers['content-type'] ?? '', /^application\/json/)
    assert.equal(res.headers['connection'], 'close')
    assert.equal(problemCode(res.body), 'BC_ERR_REQUEST_TIMEOUT')
    await raw.closedWithin()
  }
  assertQuietLogs(gw)
})

test('an SSE stream outlives the request timeout', async (t) => {
  const gw = await gateway(t, { httpHeadersTimeoutMs: 100, httpRequestTimeoutMs: 100 })
  const stream = await SseStream.open(gw.base, 'room:a')
  t.after(() => { stream.close() })
  await stream.event('ready')
  // A connection opened after the stream and timed out: the stream is older than the request timeout now.
  const later = await open(t, gw.base)
  later.write('GET /livez HTTP/1.1\r\nHost: x\r\n')
  assert.equal((await later.nextResponse()).status, 408)
  await later.closedWithin()
  gw.phoenix.broadcast('room:a', 'msg', { n: 1 })
  await stream.event('msg')
  assert.equal(stream.ended, false)
})

test('connections beyond HTTP_MAX_CONNECTIONS are refused, SSE streams counted, and room frees up as they close', async (t) => {
  const gw = await gateway(t, { httpMaxConnections: 3 })
  const streams = await Promise.all([1, 2].map(async () => SseStream.open(gw.base, 'room:a')))
  t.after(() => { for (const s of streams) s.close() })
  await Promise.all(streams.map(async (s) => s.event('ready')))
  const accepted = once(gw.daemon.app.server, 'connection') as Promise<[Socket]>
  const third = await open(t, gw.base)
  const [thirdOnServer] = await accepted
  third.write('GET /livez HTTP/1.1\r\nHost: x\r\n\r\n')
  assert.equal((await third.nextResponse()).status, 200)

  const refused = await open(t, gw.base)
  refused.write('GET /livez HTTP/1.1\r\nHost: x\r\n\r\n')
  await refused.closedWithin()
  assert.equal(refused.text, '', 'closed unanswered')
  const refusedCount = (await gw.daemon.registry.getSingleMetric('backchannel_http_connections_refused_total')?.get())?.values[0]?.value
  assert.equal(refusedCount, 1)

  // The streams still flow.
  gw.phoenix.broadcast('room:a', 'msg', { n: 1 })
  await Promise.all(streams.map(async (s) => s.event('msg')))
  const gone = once(thirdOnServer, 'close', { signal: AbortSignal.timeout(5000) })
  third.destroy()
  await gone
  const next = await open(t, gw.base)
  next.write('GET /livez HTTP/1.1\r\nHost: x\r\n\r\n')
  assert.equal((await next.nextResponse()).status, 200)
})

test('an error answered before the body was read closes the connection: 401, 413, 415 and 404 on a POST', async (t) => {
  // Request timeouts far away: the connection must close because of the answer, not a timeout.
  const gw = await gateway(t, { apiToken: 'tok', httpHeadersTimeoutMs: 60_000, httpRequestTimeoutMs: 60_000 })
  const cases = [
    { status: 401, code: 'BC_ERR_UNAUTHORIZED', head: 'POST /v1/channels/room:a/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"event":' },
    { status: 413, code: 'BC_ERR_PAYLOAD_TOO_LARGE', head: 'POST /v1/channels/room:a/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"event":' },
    { status: 415, code: 'BC_ERR_UNSUPPORTED_MEDIA_TYPE', head: 'POST /v1/channels/room:a/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Type: text/csv\r\nContent-Length: 500\r\n\r\na,b' },
    { status: 404, code: 'BC_ERR_NOT_FOUND', head: 'POST /v1/nowhere HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"event":' },
  ]
  for (const c of cases) {
    const raw = await open(t, gw.base)
    raw.write(c.head)
    const res = await raw.nextResponse()
    assert.equal(res.status, c.status, c.code)
    assert.equal(problemCode(res.body), c.code)
    assert.equal(res.headers['connection'], 'close', `${c.code}: Connection: close`)
    await raw.closedWithin()
  }

  // A request whose body was read keeps its connection (keep-alive) even when it is refused.
  const kept = await open(t, gw.base)
  kept.write('POST /v1/channels/room:a/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"event":123}')
  const refused = await kept.nextResponse()
  assert.equal(refused.status, 400)
  assert.notEqual(refused.headers['connection'], 'close')
  assert.equal(kept.closed, false)
  assertQuietLogs(gw)
})
