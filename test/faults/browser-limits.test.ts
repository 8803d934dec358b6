/**
 * Guarantee: a browser-facing edge bounds what one client holds. Past
 * sse.maxClientsPerSubject (one token subject) or sse.maxClientsPerAddress
 * (one client address), a stream is refused with 429
 * BC_ERR_SSE_CLIENT_LIMIT and Retry-After, in our problem shape, on both SSE
 * routes; a stream that ends frees its place; the API token's streams are
 * not counted; every refusal is counted by reason in
 * backchannel_sse_refused_total.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Daemon } from '../../src/gateway/daemon.ts'
import { channelConfig } from '../gateway/helpers.ts'
import { assertProblem, http, joined } from '../gateway/http/support.ts'
import { SseStream } from '../gateway/sse/helpers.ts'
import { nextEvent } from '../helpers/wait.ts'
import { API_TOKEN, bearer, startTokenGw, tokenFor } from '../gateway/access/support.ts'

const TOPIC = 'room:lobby'

async function openAs (t: TestContext, base: string, token: string, many = false): Promise<SseStream> {
  const stream = many ? await SseStream.openTopics(base, [TOPIC], { headers: bearer(token) }) : await SseStream.open(base, TOPIC, { headers: bearer(token) })
  t.after(() => { stream.close() })
  if (stream.status === 200) await stream.event('ready')
  return stream
}

async function refusals (base: string): Promise<Record<string, number>> {
  const text = (await http(base, '/metrics', { headers: bearer(API_TOKEN) })).text
  return Object.fromEntries([...text.matchAll(/^backchannel_sse_refused_total\{reason="(\w+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]))
}

/** Closes `stream` and resolves once the gateway has let it go. */
async function closed (daemon: Daemon, stream: SseStream): Promise<void> {
  const before = daemon.broker.readers.size
  const gone = nextEvent(daemon.broker.hub.events, 'reader_close')
  stream.close()
  await gone
  assert.equal(daemon.broker.readers.size, before - 1)
}

test('past sse.maxClientsPerSubject a subject gets 429 with Retry-After on both routes; another subject and the API token still open; a closed stream frees its place', async (t) => {
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { sse: { maxClientsPerSubject: 2, retryMs: 2500 } })
  await joined(gw, TOPIC)
  const alice = await tokenFor({ subscribe: [TOPIC] }, {}, 'alice')
  const first = await openAs(t, gw.base, alice)
  await openAs(t, gw.base, alice, true)
  for (const many of [false, true]) {
    const refused = await openAs(t, gw.base, alice, many)
    assert.equal(refused.status, 429)
    assert.equal(refused.headers['retry-after'], '3')
    await refused.endedWithin()
    const error = JSON.parse(refused.text) as { error: { code: string, details: unknown } }
    assert.equal(error.error.code, 'BC_ERR_SSE_CLIENT_LIMIT')
    assert.deepEqual(error.error.details, { scope: 'subject', limit: 2 })
  }
  // The same answer through the shared problem checks.
  assertProblem(await http(gw.base, `/v1/channels/${encodeURIComponent(TOPIC)}/events`, { headers: bearer(alice) }), 429, 'BC_ERR_SSE_CLIENT_LIMIT')
  assert.equal((await openAs(t, gw.base, await tokenFor({ subscribe: [TOPIC] }, {}, 'bob'))).status, 200, 'another subject')
  for (let i = 0; i < 3; i++) assert.equal((await openAs(t, gw.base, API_TOKEN)).status, 200, 'the API token is not counted')

  await closed(gw.daemon, first)
  assert.equal((await openAs(t, gw.base, alice)).status, 200, 'a place freed by a closed stream')
  assert.equal((await openAs(t, gw.base, alice)).status, 429)
  const counted = await refusals(gw.base)
  assert.equal(counted['subject_limit'], 4)
  assert.equal(counted['address_limit'], 0)
})

test('past sse.maxClientsPerAddress one address gets 429 whatever the subject; refusals for tokens and topics are counted too', async (t) => {
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { sse: { maxClientsPerAddress: 3, maxClients: 100 } })
  await joined(gw, TOPIC)
  for (let i = 0; i < 3; i++) assert.equal((await openAs(t, gw.base, await tokenFor({ subscribe: [TOPIC] }, {}, `user-${i}`))).status, 200)
  const refused = await openAs(t, gw.base, await tokenFor({ subscribe: [TOPIC] }, {}, 'user-9'), true)
  assert.equal(refused.status, 429)
  await refused.endedWithin()
  assert.deepEqual((JSON.parse(refused.text) as { error: { details: unknown } }).error.details, { scope: 'address', limit: 3 })
  assert.equal((await openAs(t, gw.base, API_TOKEN)).status, 200, 'the API token is not counted')

  assert.equal((await http(gw.base, `/v1/channels/${encodeURIComponent(TOPIC)}/events`)).status, 401)
  assert.equal((await http(gw.base, `/v1/channels/${encodeURIComponent('room:other')}/events`, { headers: bearer(await tokenFor({ subscribe: [TOPIC] })) })).status, 403)
  assert.deepEqual(await refusals(gw.base), { max_clients: 0, subject_limit: 0, address_limit: 1, unauthorized: 1, forbidden: 1 })
})

test('sse.maxClients still caps everything, the API token\'s streams included, with 503 and max_clients counted', async (t) => {
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { sse: { maxClients: 2, maxClientsPerSubject: 5 } })
  await joined(gw, TOPIC)
  await openAs(t, gw.base, API_TOKEN)
  await openAs(t, gw.base, await tokenFor({ subscribe: [TOPIC] }))
  const refused = await openAs(t, gw.base, API_TOKEN)
  assert.equal(refused.status, 503)
  assert.equal((await refusals(gw.base))['max_clients'], 1)
})
