/**
 * /metrics after pushes: counted by the configured subscription name and a
 * bounded outcome, timed, and the HTTP requests by route pattern. Labels
 * never carry a topic that is not in the config, nor a payload; the whole
 * exposition passes `promtool check metrics`, default metrics included.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { channelConfig, startGateway, stopGateway, type Running } from '../helpers.ts'
import { joined } from '../sse/helpers.ts'
import { tool } from '../../helpers/tools.ts'
import { promtoolCheck, scrape } from './support.ts'

const TOPIC = 'echo:obs'
const NAME = 'echo-obs'
const MARKER = 'PAYLOAD-MARKER-77'

async function push (r: Running, topic: string, body: unknown): Promise<number> {
  const res = await fetch(`${r.base}/v1/channels/${encodeURIComponent(topic)}/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
  await res.arrayBuffer()
  return res.status
}

async function start (t: { after: (fn: () => Promise<void>) => void }): Promise<Running> {
  const r = await startGateway([channelConfig(TOPIC, { name: NAME })])
  t.after(async () => { await stopGateway(r) })
  await joined(r.daemon, TOPIC)
  return r
}

test('pushes are counted and timed by subscription name and outcome: ok, error, timeout; an unknown topic is "other"', async (t) => {
  const r = await start(t)
  assert.equal(await push(r, TOPIC, { event: 'hello', payload: { marker: MARKER } }), 200)
  assert.equal(await push(r, TOPIC, { event: 'hello', payload: { n: 2 } }), 200)
  assert.equal(await push(r, TOPIC, { event: 'error_reply', payload: { marker: MARKER } }), 422)
  assert.equal(await push(r, TOPIC, { event: 'no_reply', payload: {}, timeoutMs: 100 }), 504)
  assert.equal(await push(r, 'echo:unknown-42', { event: 'hello', payload: { marker: MARKER } }), 404)
  assert.equal(await push(r, TOPIC, { event: 'hello', bogus: true }), 400)

  const m = await scrape(r.base)
  const pushes = (outcome: string, subscription = NAME): number | undefined => m.value('backchannel_pushes_total', { subscription, outcome })
  assert.equal(pushes('ok'), 2)
  assert.equal(pushes('error'), 1)
  assert.equal(pushes('timeout'), 1)
  assert.equal(pushes('unknown_topic', 'other'), 1)
  assert.deepEqual(m.family('backchannel_pushes_total').map((s) => s.labels['outcome']).sort(), ['error', 'ok', 'timeout', 'unknown_topic'], 'a bad body never reaches the gateway')

  assert.equal(m.value('backchannel_push_duration_seconds_count', { subscription: NAME, outcome: 'ok' }), 2)
  const timedOut = m.value('backchannel_push_duration_seconds_sum', { subscription: NAME, outcome: 'timeout' })
  assert.ok(timedOut !== undefined && timedOut >= 0.1 && timedOut < 5, `the timed-out push took its 100 ms deadline: ${timedOut}`)
  assert.equal(m.value('backchannel_push_duration_seconds_bucket', { subscription: NAME, outcome: 'timeout', le: '0.05' }), 0)
  assert.equal(m.value('backchannel_push_duration_seconds_bucket', { subscription: NAME, outcome: 'timeout', le: '+Inf' }), 1)

  assert.equal(m.value('backchannel_pushes_sent_total', { subscription: NAME }), 4, 'four pushes were written to the socket')
  assert.equal(m.value('backchannel_pushes_in_flight', { upstream: 'main' }), 0)
  assert.equal(m.value('backchannel_pushes_buffered', { upstream: 'main' }), 0)

  const route = '/v1/channels/:topic/push'
  const requests = (status: string): number | undefined => m.value('backchannel_http_requests_total', { method: 'POST', route, status })
  assert.deepEqual(['200', '422', '504', '404', '400'].map(requests), [2, 1, 1, 1, 1])
  assert.equal(m.value('backchannel_http_request_duration_seconds_count', { method: 'POST', route }), 6)
})

test('no label value is a topic missing from the config or a payload, even after traffic for them', async (t) => {
  const r = await start(t)
  const client = r.daemon.broker.clients.get('main')!
  assert.equal(await push(r, 'secret:unknown-topic-1', { event: 'x', payload: { marker: MARKER } }), 404)
  assert.equal(await push(r, TOPIC, { event: `evt-${MARKER}`, payload: { marker: MARKER } }), 200)
  // A message for a topic the gateway never joined: dropped as unroutable, counted per upstream only.
  const unroutable = once(client.events, 'unroutable', { signal: AbortSignal.timeout(5000) })
  r.phoenix.faults.sendRaw(JSON.stringify([null, null, 'secret:raw-topic-99', 'leak', { marker: MARKER }]))
  await unroutable
  const notFound = await fetch(`${r.base}/no/such/path?token=${MARKER}`, { signal: AbortSignal.timeout(5000) })
  assert.equal(notFound.status, 404)

  const m = await scrape(r.base)
  assert.equal(m.value('backchannel_upstream_unroutable_messages_total', { upstream: 'main' }), 1)
  assert.equal(m.value('backchannel_http_requests_total', { method: 'GET', route: 'other', status: '404' }), 1)
  const values = new Set(m.samples.flatMap((s) => Object.values(s.labels)))
  assert.deepEqual([...values].filter((v) => /secret:|unknown-topic|raw-topic|MARKER|echo:obs|\?/.test(v)), [], 'label values that are topics, payloads or URLs')
  for (const leak of ['secret:', 'unknown-topic-1', 'raw-topic-99', MARKER, TOPIC]) assert.ok(!m.text.includes(leak), `${leak} appears in /metrics`)
  const subscriptions = new Set(m.samples.map((s) => s.labels['subscription']).filter((v) => v !== undefined))
  assert.deepEqual([...subscriptions].sort(), ['echo-obs', 'other'], 'subscription labels are config names, or "other"')
})

test('promtool check metrics passes on the whole /metrics output, default process metrics included', async (t) => {
  const promtool = tool(t, 'promtool')
  if (promtool === undefined) return
  const r = await start(t)
  assert.equal(await push(r, TOPIC, { event: 'hello', payload: {} }), 200)
  assert.equal(await push(r, TOPIC, { event: 'error_reply', payload: {} }), 422)
  const m = await scrape(r.base)
  assert.ok(m.value('backchannel_process_cpu_user_seconds_total') !== undefined, 'default process metrics are there, with the prefix')
  assert.ok(m.types.has('backchannel_nodejs_active_handles'), 'the per-type handle gauge stays')
  for (const dropped of ['handles', 'requests', 'resources']) {
    assert.ok(!m.types.has(`backchannel_nodejs_active_${dropped}_total`), `the gauge named …_active_${dropped}_total is dropped`)
  }
  assert.ok(m.ownFamilies().length >= 30, `at least 30 backchannel_* families of our own, got ${m.ownFamilies().length}`)
  const { code, output } = await promtoolCheck(promtool, m.text)
  assert.equal(output, '', 'promtool reports no problem')
  assert.equal(code, 0)
})

test('promtool check metrics does flag a broken exposition (the check can fail)', async (t) => {
  const promtool = tool(t, 'promtool')
  if (promtool === undefined) return
  const bad = await promtoolCheck(promtool, '# TYPE backchannel_x_total gauge\nbackchannel_x_total 1\n')
  assert.equal(bad.code, 3)
  assert.match(bad.output, /non-counter metrics should not have "_total" suffix/)
})
