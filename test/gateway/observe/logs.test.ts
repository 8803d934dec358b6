/**
 * The logs: JSON lines from pino, one child per component, one line per
 * HTTP request with its reqId and route pattern. Secrets never appear: the
 * connect param, the auth token (and its subprotocol form) and the API
 * token reach the wire, yet no log line holds them, even when the upstream
 * refuses the connection and the refusal is logged with its URL.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { request } from 'node:http'
import { Writable } from 'node:stream'
import { createDaemon } from '../../../src/gateway/daemon.ts'
import { componentLogger, createLogger, REDACTED } from '../../../src/gateway/observe/logger.ts'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { channelConfig, gatewayConfig, literal } from '../helpers.ts'
import { joined } from '../sse/helpers.ts'
import { within } from '../../helpers/wait.ts'

const PARAM = 'SECRET-PARAM-123'
const TOKEN = 'SECRET-TOKEN-456'
const API = 'SECRET-API-789'
const SIGNING = 'whsec_U0VDUkVULVNJR05JTkctS0VZLTAxMjM0NTY3'
const SECRETS = [PARAM, TOKEN, API, Buffer.from(TOKEN).toString('base64').replace(/=+$/, '')]

type Line = Record<string, unknown>

/** A pino destination in memory: every line as text and parsed. */
class Sink extends Writable {
  readonly text: string[] = []
  readonly lines: Line[] = []

  override _write (chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter((l) => l !== '')) {
      this.text.push(line)
      this.lines.push(JSON.parse(line) as Line)
      this.emit('line')
    }
    done()
  }

  async until (what: string, cond: (line: Line) => boolean): Promise<Line> {
    return within<Line>(5000, what, (resolve) => {
      const check = (): void => { const found = this.lines.find(cond); if (found !== undefined) resolve(found) }
      check()
      this.on('line', check)
      return () => { this.off('line', check) }
    })
  }
}

const isRequestLine = (l: Line): boolean => l['component'] === 'http' && typeof l['route'] !== 'undefined'

test('no token, auth header or connect param is ever logged; connect lines name the upstream as scheme://host/path; request lines carry reqId', async (t) => {
  const phoenix = await startFakePhoenix({
    authToken: true,
    connect: (params, info) => params['token'] === PARAM && info.authToken === TOKEN ? { ok: true } : { ok: false, status: 403 },
  })
  t.after(async () => { await phoenix.close() })
  phoenix.faults.refuseConnections({ status: 403, body: `no entry for token ${PARAM}` })
  const sink = new Sink()
  const base = gatewayConfig(phoenix.endpoint, [channelConfig('echo:logs', { name: 'logs' })], {}, { params: { token: PARAM }, authToken: TOKEN })
  const config = { ...base, env: { ...base.env, apiToken: API, logLevel: 'trace' as const } }
  const daemon = await createDaemon(config, { logger: createLogger({ level: 'trace', destination: sink }), resolve: literal })
  t.after(async () => { await daemon.close() })
  const client = daemon.broker.clients.get('main')!
  const refused = once(client.events, 'connect_fail', { signal: AbortSignal.timeout(5000) })
  const address = await daemon.start()
  await refused
  phoenix.faults.acceptConnections()
  await joined(daemon, 'echo:logs')

  const push = async (headers: Record<string, string>): Promise<number> => {
    const res = await fetch(`${address}/v1/channels/echo:logs/push?upstream=main`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ event: 'hello', payload: { n: 1 } }),
      signal: AbortSignal.timeout(5000),
    })
    await res.arrayBuffer()
    return res.status
  }
  assert.equal(await push({ authorization: `Bearer ${API}`, 'x-request-id': 'req-ok-1' }), 200)
  assert.equal(await push({ authorization: `Bearer ${API}x` }), 401)
  // An SSE stream: a hijacked reply, logged when it ends.
  const sse = request(`${address}/v1/channels/echo:logs/events?lastEventId=x-1`, { agent: false, headers: { authorization: `Bearer ${API}` } })
  const response = await within<number>(5000, 'SSE response', (resolve, reject) => {
    sse.once('response', (res) => { resolve(res.statusCode ?? 0) }).once('error', () => {}).end()
    sse.once('error', reject)
    return undefined
  })
  assert.equal(response, 200)
  sse.destroy()
  await sink.until('the SSE request line', (l) => isRequestLine(l) && l['route'] === '/v1/channels/:topic/events')

  // The secrets did reach the wire: the fake Phoenix accepted the connection only with both.
  const url = `ws://127.0.0.1:${phoenix.port}/socket`
  for (const text of sink.text) for (const secret of SECRETS) assert.ok(!text.includes(secret), `a log line holds a secret: ${text}`)

  const failed = sink.lines.find((l) => l['msg'] === 'upstream connect failed')
  assert.ok(failed !== undefined, 'the refusal is logged')
  assert.deepEqual([failed['level'], failed['url'], failed['status'], failed['code'], failed['component'], failed['upstream']], [40, url, 403, 'BC_ERR_CONNECT_REFUSED', 'upstream', 'main'])
  const connected = sink.lines.find((l) => l['msg'] === 'upstream connected')
  assert.equal(connected?.['url'], url)
  assert.ok(sink.lines.some((l) => l['msg'] === 'channel joined' && l['topic'] === 'echo:logs'))

  assert.ok(sink.lines.every((l) => l['service'] === 'backchannel'), 'every line is JSON with the service')
  const components = new Set(sink.lines.map((l) => l['component']))
  for (const c of ['http', 'upstream', 'hub', 'sse']) assert.ok(components.has(c), `a line from ${c}`)

  const requests = sink.lines.filter(isRequestLine)
  assert.deepEqual(requests.map((l) => [l['method'], l['route'], l['status'], l['level']]), [
    ['POST', '/v1/channels/:topic/push', 200, 20],
    ['POST', '/v1/channels/:topic/push', 401, 40],
    ['GET', '/v1/channels/:topic/events', 200, 20],
  ], 'one line per request, with the route pattern, never the URL')
  assert.equal(requests[0]?.['reqId'], 'req-ok-1', 'the x-request-id header is the reqId')
  for (const l of requests) {
    assert.equal(typeof l['reqId'], 'string')
    assert.ok(typeof l['durationMs'] === 'number' && l['durationMs'] >= 0)
    assert.ok(!JSON.stringify(l).includes('?'), 'no query string')
  }
})

test('the redact paths censor auth headers, tokens, params and signing secrets wherever a caller logs them', () => {
  const sink = new Sink()
  const root = createLogger({ level: 'info', destination: sink })
  const log = componentLogger(root, 'upstream')
  log.info({
    req: { headers: { authorization: `Bearer ${API}`, cookie: `s=${API}`, 'sec-websocket-protocol': `phoenix, base64url.bearer.phx.${TOKEN}` } },
    headers: { authorization: `Bearer ${API}` },
    upstream: { token: PARAM, authToken: TOKEN, apiToken: API, params: { token: PARAM } },
    params: { token: PARAM },
    token: TOKEN,
    webhook: { signingSecrets: [SIGNING] },
    signingSecrets: [SIGNING],
  }, 'everything that must not be seen')
  const [line] = sink.lines
  assert.ok(line !== undefined)
  for (const secret of [...SECRETS, SIGNING]) assert.ok(!sink.text[0]!.includes(secret), `${secret} was logged`)
  assert.deepEqual(line['req'], { headers: { authorization: REDACTED, cookie: REDACTED, 'sec-websocket-protocol': REDACTED } })
  assert.deepEqual(line['upstream'], { token: REDACTED, authToken: REDACTED, apiToken: REDACTED, params: REDACTED })
  assert.equal(line['params'], REDACTED)
  assert.deepEqual([line['webhook'], line['signingSecrets']], [{ signingSecrets: REDACTED }, REDACTED])
  assert.equal(line['component'], 'upstream')
  assert.equal(line['service'], 'backchannel')
})
