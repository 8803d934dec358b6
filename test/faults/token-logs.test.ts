/**
 * Guarantee: no token ever appears in a log line. A gateway logging at
 * trace, every line captured, is sent tokens every way they can come
 * (header, cookie, query parameter), good and bad, on every kind of route,
 * with answers from 200 to 404, plus the API token, right and wrong; no
 * line holds a token, nor the signature part of one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { createDaemon } from '../../src/gateway/daemon.ts'
import { startFakePhoenix } from '../../src/testing/index.ts'
import { loggerOptions } from '../../src/gateway/observe/logger.ts'
import { channelConfig, gatewayConfig, literal } from '../gateway/helpers.ts'
import { http, joined, type Gw } from '../gateway/http/support.ts'
import { SseStream } from '../gateway/sse/helpers.ts'
import { API_TOKEN, bearer, nowSeconds, sign, sseConfig, tokenFor, tokensConfig } from '../gateway/access/support.ts'

const TOPIC = 'room:lobby'
const PATH = `/v1/channels/${encodeURIComponent(TOPIC)}/events`

test('no log line, at any level, holds a token or its signature, whatever the route, the way it came or the answer', async (t) => {
  const lines: string[] = []
  const phoenix = await startFakePhoenix()
  t.after(async () => { await phoenix.close() })
  const base = gatewayConfig(phoenix.endpoint, [channelConfig(TOPIC)])
  const config = { ...base, tokens: tokensConfig({ queryParameter: true }), sse: sseConfig({ maxClientsPerSubject: 1 }), env: { ...base.env, apiToken: API_TOKEN, logLevel: 'trace' as const } }
  const logger = pino({ ...loggerOptions('trace') }, { write (line: string) { lines.push(line) } })
  const daemon = await createDaemon(config, { logger, resolve: literal })
  t.after(async () => { await daemon.close() })
  const gw = { base: await daemon.start(), daemon } as unknown as Gw
  await joined({ ...gw, phoenix }, TOPIC)

  const good = await tokenFor({ subscribe: [TOPIC], publish: [TOPIC] })
  const expired = await sign({ sub: 'e', exp: nowSeconds() - 3600, backchannel: { subscribe: [TOPIC] } })
  const forbidden = await tokenFor({ subscribe: ['room:other'] }, {}, 'f')
  const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(43)}`
  const secrets = [good, expired, forbidden, forged, API_TOKEN]

  const stream = await SseStream.openUrl(`${gw.base}${PATH}`, { headers: bearer(good) })
  t.after(() => { stream.close() })
  await stream.event('ready')
  const requests: Array<[string, Record<string, string>, string?]> = [
    [PATH, bearer(good)], // 429: the subject holds its one stream
    [PATH, { cookie: `backchannel_token=${expired}` }],
    [`${PATH}?access_token=${forged}`, {}],
    [`${PATH}?access_token=${forbidden}`, {}],
    [`/v1/events?topic=room%3A*&access_token=${forbidden}`, {}],
    [`/v1/channels/${encodeURIComponent(TOPIC)}/push`, bearer(expired), 'POST'],
    [`/v1/channels/${encodeURIComponent(TOPIC)}/push?access_token=${good}`, {}, 'POST'],
    [`/v1/channels/%E0%A4%A/events?access_token=${good}`, {}],
    [`/v1/nothing?access_token=${good}`, bearer(good)],
    ['/v1/channels', bearer(`${API_TOKEN}x`)],
    ['/v1/channels', bearer(API_TOKEN)],
    ['/metrics', { cookie: `backchannel_token=${good}` }],
  ]
  const statuses: number[] = []
  for (const [path, headers, method] of requests) {
    const res = await http(gw.base, path, { headers, ...(method === 'POST' ? { method, json: { event: 'echo', payload: {} } } : {}) })
    statuses.push(res.status)
  }
  assert.deepEqual(statuses, [429, 401, 401, 403, 403, 401, 401, 400, 401, 401, 200, 401])
  stream.close()
  await daemon.close()

  assert.ok(lines.length > 20, `the gateway logged (${lines.length} lines)`)
  assert.ok(lines.some((l) => l.includes('"request rejected"')), 'the refusals were logged')
  for (const line of lines) {
    for (const secret of secrets) {
      assert.ok(!line.includes(secret), `a log line holds a token: ${line.slice(0, 200)}`)
      const signature = secret.split('.').at(-1) ?? ''
      if (signature.length >= 16) assert.ok(!line.includes(signature), `a log line holds a token's signature: ${line.slice(0, 200)}`)
    }
  }
})
