/**
 * /metrics for the SSE side and the channel's life: readers attached and
 * ended, events sent, messages received, resumes (complete or with a gap),
 * the gap after an upstream drop with its reconnect and rejoin, and a slow
 * reader cut off. Labels are the subscription's configured name.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { request, type IncomingMessage } from 'node:http'
import { channelConfig, stopGateway, type Running } from '../helpers.ts'
import { joined, SseStream, startSseGateway, type SseGatewayOptions } from '../sse/helpers.ts'
import { scrape } from './support.ts'
import { within } from '../../helpers/wait.ts'
import { pollUntil } from '../../helpers/poll.ts'

const TOPIC = 'room:obs'
const NAME = 'lobby'
const L = { subscription: NAME }

async function start (t: { after: (fn: () => Promise<void>) => void }, options: SseGatewayOptions = {}): Promise<Running> {
  const r = await startSseGateway([channelConfig(TOPIC, { name: NAME })], options)
  t.after(async () => { await stopGateway(r) })
  await joined(r.daemon, TOPIC)
  return r
}

async function open (t: { after: (fn: () => void) => void }, r: Running, lastEventId?: string): Promise<SseStream> {
  const stream = await SseStream.open(r.base, TOPIC, lastEventId === undefined ? {} : { lastEventId })
  t.after(() => { stream.close() })
  await stream.event('ready')
  return stream
}

test('a reader, broadcasts and two resumes: subscribers, events sent, messages received, resumes and a restart gap', async (t) => {
  const r = await start(t)
  const hub = r.daemon.broker.hub
  const first = await open(t, r)
  let m = await scrape(r.base)
  assert.equal(m.value('backchannel_sse_subscribers', L), 1)
  assert.equal(m.value('backchannel_sse_connections_total', L), 1)
  assert.equal(m.value('backchannel_sse_events_sent_total', L), 0)

  for (const n of [1, 2, 3]) r.phoenix.broadcast(TOPIC, 'msg', { n })
  await first.until('three messages', (s) => s.named('msg').length === 3)
  m = await scrape(r.base)
  assert.equal(m.value('backchannel_messages_received_total', L), 3)
  assert.ok((m.value('backchannel_messages_received_bytes_total', L) ?? 0) > 3 * 10, 'the frames\' bytes are counted')
  assert.equal(m.value('backchannel_sse_events_sent_total', L), 3)
  assert.equal(m.value('backchannel_channel_events_total', L), 4, 'joined, then three messages')
  assert.equal(m.value('backchannel_replay_ring_events', L), 4)

  const ended = once(hub.events, 'reader_close', { signal: AbortSignal.timeout(5000) })
  first.close()
  await ended
  m = await scrape(r.base)
  assert.equal(m.value('backchannel_sse_subscribers', L), 0)
  assert.equal(m.value('backchannel_sse_disconnects_total', { ...L, reason: 'client_closed' }), 1)

  const firstMsg = first.named('msg')[0]!.id!
  const resumed = await open(t, r, firstMsg)
  await resumed.until('two replayed messages', (s) => s.named('msg').length === 2)
  const restarted = await open(t, r, 'zzzzzzzzzzz-3')
  await restarted.event('gap')
  await restarted.until('the whole ring replayed', (s) => s.named('msg').length === 3)

  m = await scrape(r.base)
  assert.equal(m.value('backchannel_sse_subscribers', L), 2)
  assert.equal(m.value('backchannel_sse_connections_total', L), 3)
  assert.equal(m.value('backchannel_sse_resumes_total', { ...L, result: 'complete' }), 1)
  assert.equal(m.value('backchannel_sse_resumes_total', { ...L, result: 'gap' }), 1)
  assert.equal(m.value('backchannel_sse_gaps_total', { ...L, reason: 'sidecar_restarted' }), 1)
  assert.equal(m.value('backchannel_sse_replayed_events_total', L), 2 + 4)
  assert.equal(m.value('backchannel_sse_events_sent_total', L), 3 + 2 + (1 + 4), 'live, replayed, and the gap with the whole ring')
})

test('an upstream drop: a 1006 disconnect, a reconnect, a channel error, a rejoin and an upstream_disconnected gap', async (t) => {
  const r = await start(t)
  const stream = await open(t, r)
  r.phoenix.faults.dropAll()
  const gap = await stream.event('gap')
  await stream.event('rejoined')
  assert.equal((JSON.parse(gap.data) as { reason: string }).reason, 'upstream_disconnected')

  const m = await scrape(r.base)
  const U = { upstream: 'main' }
  assert.equal(m.value('backchannel_upstream_disconnects_total', { ...U, code: '1006' }), 1)
  assert.equal(m.value('backchannel_upstream_connect_attempts_total', U), 2)
  assert.equal(m.value('backchannel_upstream_connects_total', { ...U, result: 'ok' }), 2)
  assert.equal(m.value('backchannel_upstream_reconnects_total', { ...U, result: 'ok' }), 1)
  assert.equal(m.value('backchannel_upstream_reconnect_delay_seconds_count', U), 1)
  assert.equal(m.value('backchannel_upstream_connect_duration_seconds_count', U), 2)
  assert.equal(m.value('backchannel_upstream_sockets', U), 1)
  assert.equal(m.value('backchannel_upstream_sockets_connected', U), 1)
  assert.equal(m.value('backchannel_channel_errors_total', { ...L, reason: 'disconnected' }), 1)
  assert.equal(m.value('backchannel_channel_joins_total', { ...L, result: 'ok' }), 1)
  assert.equal(m.value('backchannel_channel_rejoins_total', { ...L, result: 'ok' }), 1)
  assert.equal(m.value('backchannel_channel_join_duration_seconds_count', L), 2)
  assert.equal(m.value('backchannel_sse_gaps_total', { ...L, reason: 'upstream_disconnected' }), 1)
  assert.equal(m.value('backchannel_channel_state', { ...L, state: 'joined' }), 1)
  assert.equal(m.value('backchannel_channel_state', { ...L, state: 'errored' }), 0)
})

test('a reader that falls behind is cut off and counted, and leaves the subscriber gauge', async (t) => {
  const r = await start(t, { sse: { clientQueue: 2 } })
  const hub = r.daemon.broker.hub
  const client = r.daemon.broker.clients.get('main')!
  // A reader that never reads: once the socket buffers are full, the gateway's queue fills.
  const req = request(`${r.base}/v1/channels/${encodeURIComponent(TOPIC)}/events`, { agent: false })
  t.after(() => { req.destroy() })
  const res = await within<IncomingMessage>(5000, 'SSE response', (resolve, reject) => {
    req.once('response', resolve).once('error', reject).end()
    return undefined
  })
  res.pause()
  const ends: string[] = []
  hub.events.on('reader_close', (e) => { ends.push(e.reason) })
  const big = { blob: 'x'.repeat(256 * 1024) }
  for (let i = 0; i < 400 && !ends.includes('overflow'); i++) {
    const received = once(client.events, 'message', { signal: AbortSignal.timeout(5000) })
    r.phoenix.broadcast(TOPIC, 'big', big)
    await received
  }
  assert.deepEqual(ends, ['overflow'], 'the reader was cut off')
  const m = await scrape(r.base)
  assert.equal(m.value('backchannel_sse_clients_cut_off_total', L), 1)
  assert.equal(m.value('backchannel_sse_disconnects_total', { ...L, reason: 'overflow' }), 1)
  assert.equal(m.value('backchannel_sse_subscribers', L), 0)
})

test('an SSE stream is one HTTP request sample, whether the client or the gateway ends it', async (t) => {
  const r = await start(t)
  const route = '/v1/channels/:topic/events'
  const recorded = async (n: number): Promise<true | undefined> => {
    const m = await scrape(r.base)
    return m.value('backchannel_http_requests_total', { method: 'GET', route, status: '200' }) === n ? true : undefined
  }
  const first = await open(t, r)
  first.close()
  await pollUntil(async () => recorded(1), { timeoutMs: 5000, intervalMs: 20, what: 'the stream the client closed, recorded' })

  // The gateway ends the next one: its response finishes, then closes; it is recorded once, on its close.
  const second = await open(t, r)
  assert.equal(r.daemon.broker.readers.endAll('shutdown', {}), 1)
  await second.event('shutdown')
  await pollUntil(async () => recorded(2), { timeoutMs: 5000, intervalMs: 20, what: 'the stream the gateway ended, recorded' })
  const m = await scrape(r.base)
  assert.equal(m.value('backchannel_http_request_duration_seconds_count', { method: 'GET', route }), 2)
})
