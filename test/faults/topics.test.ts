/**
 * Guarantee: a topic is valid the same way wherever it comes from. Topics
 * up to 1,024 characters (what the config file allows) can be pushed to and
 * read, over HTTP; longer ones, or path segments past fastify's own limit,
 * are refused in our problem shape; a dynamic topic holding a control
 * character is refused (400) as a configured one would be, and never
 * reaches Phoenix.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig } from '../gateway/helpers.ts'
import { dynamicEntry } from '../gateway/dynamic/support.ts'
import { assertProblem, assertQuietLogs, http, joined, push, startGw } from '../gateway/http/support.ts'
import { SseStream } from '../gateway/sse/helpers.ts'

const LONG = `echo:${'x'.repeat(1019)}`

test('a configured topic of 1,024 characters can be pushed to and read; longer ones get 400 in our shape', async (t) => {
  assert.equal(LONG.length, 1024)
  const gw = await startGw(t, [channelConfig(LONG)])
  await joined(gw, LONG)
  const stream = await SseStream.open(gw.base, LONG)
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  await stream.event('ready')
  const res = await push(gw, encodeURIComponent(LONG), { event: 'ping', payload: { n: 1 } })
  assert.equal(res.status, 200, res.text)
  assert.deepEqual(res.json, { status: 'ok', response: { n: 1 } })
  // Every character percent-encoded still fits the path segment limit.
  const encoded = Buffer.from(LONG).toString('hex').replace(/../g, '%$&')
  assert.equal((await push(gw, encoded, { event: 'ping', payload: { n: 2 } })).status, 200)

  assertProblem(await push(gw, `${LONG}y`, { event: 'ping' }), 400, 'BC_ERR_BAD_REQUEST')
  assertProblem(await http(gw.base, `/v1/channels/${LONG}y/events`), 400, 'BC_ERR_BAD_REQUEST')
  // Past what any valid topic needs (fastify's maxParamLength): still our shape, never fastify's.
  assertProblem(await push(gw, 'x'.repeat(13_000), { event: 'ping' }), 400, 'BC_ERR_BAD_REQUEST')
  assertProblem(await http(gw.base, '/v1/channels/%zz/push', { json: { event: 'ping' } }), 400, 'BC_ERR_BAD_REQUEST')
  assertQuietLogs(gw)
})

test('dynamic topics with control characters are refused with 400 and never joined', async (t) => {
  const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*')] } })
  const joins: string[] = []
  gw.phoenix.events.on('join', (j) => { joins.push(j.topic) })
  for (const bad of ['room:a%0Ab', 'room:a%0D%0Ab', 'room:%00', 'room:a%7Fb', 'room:a%09b']) {
    assertProblem(await push(gw, bad, { event: 'ping' }), 400, 'BC_ERR_BAD_REQUEST')
    assertProblem(await http(gw.base, `/v1/channels/${bad}/events`), 400, 'BC_ERR_BAD_REQUEST')
    assertProblem(await http(gw.base, `/v1/channels/${bad}`, { method: 'PUT', json: {} }), 400, 'BC_ERR_BAD_REQUEST')
  }
  // A valid topic of the same pattern is joined on demand, so the refusals above were not a matter of the pattern.
  const ok = await push(gw, 'room:fine', { event: 'ping', payload: {} })
  assert.equal(ok.status, 200, ok.text)
  assert.deepEqual(joins, ['room:fine'])
  assert.deepEqual(gw.daemon.broker.hub.all().map((s) => s.config.topic), ['room:fine'])
  assertQuietLogs(gw)
})
