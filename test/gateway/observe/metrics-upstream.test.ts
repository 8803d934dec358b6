/**
 * /metrics for the upstream: refused upgrades and the reconnects after
 * them, refused joins until the channel is given up, a crash and its
 * rejoin, heartbeat round trips, a liveness loss, a protocol error, and the
 * readiness and channel-state gauges as they change. Values are checked
 * against the client events counted by the test itself.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { ClientEvents } from '../../../src/client/events.ts'
import type { Client } from '../../../src/client/client.ts'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { channelConfig, stopGateway, type Running } from '../helpers.ts'
import { joined, startSseGateway, type SseGatewayOptions } from '../sse/helpers.ts'
import { Exposition, scrape } from './support.ts'
import { within } from '../../helpers/wait.ts'

const U = { upstream: 'main' }

async function start (t: { after: (fn: () => Promise<void>) => void }, channels: Parameters<typeof startSseGateway>[0], options: SseGatewayOptions = {}): Promise<Running> {
  const r = await startSseGateway(channels, options)
  t.after(async () => { await stopGateway(r) })
  return r
}

function main (r: Running): Client {
  return r.daemon.broker.clients.get('main')!
}

/** Counts a client event from now on. */
function counter<K extends keyof ClientEvents> (client: Client, name: K, filter: (...args: ClientEvents[K]) => boolean = () => true): () => number {
  let n = 0
  const listener = (...args: ClientEvents[K]): void => { if (filter(...args)) n++ }
  client.events.on(name, listener as never)
  return () => n
}

/** The registry now, read without I/O in between, so it matches counts taken at the same moment. */
async function snapshot (r: Running): Promise<Exposition> {
  return new Exposition(await r.daemon.registry.metrics())
}

test('refused upgrades count as failed connects, the retries as reconnects; ready and channel state follow', async (t) => {
  const phoenix = await startFakePhoenix()
  phoenix.faults.refuseConnections({ status: 403 })
  let fails = (): number => 0
  const r = await start(t, [channelConfig('echo:req', { name: 'required', required: true })], {
    phoenix,
    config: { env: { port: 0, host: '127.0.0.1', logLevel: 'silent', configFile: null, apiToken: null, readyGraceMs: 0, shutdownGraceMs: 5000 } },
    prepare: (daemon) => { fails = counter(daemon.broker.clients.get('main')!, 'connect_fail') },
  })
  const client = main(r)
  await within(5000, 'two refused upgrades', (resolve) => {
    const onFail = (): void => { if (fails() >= 2) resolve(undefined) }
    onFail()
    client.events.on('connect_fail', onFail)
    return () => { client.events.off('connect_fail', onFail) }
  })
  let m = await scrape(r.base)
  assert.equal(m.value('backchannel_ready'), 0)
  assert.equal(m.value('backchannel_upstream_sockets_connected', U), 0)
  assert.equal(m.value('backchannel_channel_state', { subscription: 'required', state: 'joining' }), 1)

  phoenix.faults.acceptConnections()
  await joined(r.daemon, 'echo:req')
  m = await snapshot(r)
  const refused = fails()
  assert.ok(refused >= 2)
  assert.equal(m.value('backchannel_upstream_connects_total', { ...U, result: 'refused' }), refused)
  assert.equal(m.value('backchannel_upstream_reconnects_total', { ...U, result: 'refused' }), refused - 1, 'the first attempt is not a reconnect')
  assert.equal(m.value('backchannel_upstream_connects_total', { ...U, result: 'ok' }), 1)
  assert.equal(m.value('backchannel_upstream_reconnects_total', { ...U, result: 'ok' }), 1)
  assert.equal(m.value('backchannel_upstream_connect_attempts_total', U), refused + 1)
  assert.equal(m.value('backchannel_upstream_reconnect_delay_seconds_count', U), refused)
  assert.equal(m.value('backchannel_ready'), 1)
  assert.equal(m.value('backchannel_channel_state', { subscription: 'required', state: 'joined' }), 1)
  assert.equal(m.value('backchannel_channel_state', { subscription: 'required', state: 'joining' }), 0)
})

test('refused joins count by result until the channel is given up and closed; a crash counts an error and a rejoin', async (t) => {
  const r = await start(t, [
    channelConfig('echo:refused', { name: 'refused', params: { refuse: 'no entry' } }),
    channelConfig('echo:crashy', { name: 'crashy' }),
  ], { upstream: { maxJoinRefusals: 2, rejoinBackoffMs: [5, 60_000] } }) // the gateway asks again only after 60 s
  const client = main(r)
  const refusals = counter(client, 'join_error', (e) => e.topic === 'echo:refused')
  const scheduled = counter(client, 'rejoin_scheduled', (e) => e.topic === 'echo:refused')
  await within(5000, 'the refused channel given up', (resolve) => {
    const onLeave = (e: ClientEvents['leave'][0]): void => { if (e.topic === 'echo:refused') resolve(undefined) }
    client.events.on('leave', onLeave)
    return () => { client.events.off('leave', onLeave) }
  })
  await joined(r.daemon, 'echo:crashy')

  const rejoined = within(5000, 'the crashed channel rejoined', (resolve) => {
    const onJoin = (e: ClientEvents['join_ok'][0]): void => { if (e.topic === 'echo:crashy' && e.rejoin) resolve(undefined) }
    client.events.on('join_ok', onJoin)
    return () => { client.events.off('join_ok', onJoin) }
  })
  const res = await fetch(`${r.base}/v1/channels/echo:crashy/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"crash"}', signal: AbortSignal.timeout(5000) })
  await res.arrayBuffer()
  await rejoined

  const m = await snapshot(r)
  assert.equal(refusals(), 2)
  assert.equal(m.value('backchannel_channel_joins_total', { subscription: 'refused', result: 'refused' }), 2)
  assert.equal(m.value('backchannel_channel_rejoins_total', { subscription: 'refused', result: 'refused' }), undefined, 'never joined, so never a rejoin')
  assert.equal(m.value('backchannel_channel_rejoins_scheduled_total', { subscription: 'refused' }), scheduled())
  assert.equal(m.value('backchannel_channel_leaves_total', { subscription: 'refused', reason: 'refused' }), 1)
  assert.equal(m.value('backchannel_channel_state', { subscription: 'refused', state: 'closed' }), 1)
  assert.equal(m.value('backchannel_channel_errors_total', { subscription: 'crashy', reason: 'crashed' }), 1)
  assert.equal(m.value('backchannel_channel_joins_total', { subscription: 'crashy', result: 'ok' }), 1)
  assert.equal(m.value('backchannel_channel_rejoins_total', { subscription: 'crashy', result: 'ok' }), 1)
  assert.equal(m.value('backchannel_channel_state', { subscription: 'crashy', state: 'joined' }), 1)
  assert.equal(m.value('backchannel_upstream_channels_joined', U), 1)
})

test('heartbeat round trips fill the histogram; a missed reply counts a liveness loss; a bad frame a protocol error', async (t) => {
  const r = await start(t, [channelConfig('echo:hb')], { upstream: { heartbeatIntervalMs: 30, heartbeatTimeoutMs: 60 } })
  const client = main(r)
  const beats = counter(client, 'heartbeat')
  await within(5000, 'three heartbeats', (resolve) => {
    const onBeat = (): void => { if (beats() >= 3) resolve(undefined) }
    client.events.on('heartbeat', onBeat)
    return () => { client.events.off('heartbeat', onBeat) }
  })
  let m = await snapshot(r)
  assert.equal(m.value('backchannel_upstream_heartbeat_rtt_seconds_count', U), beats())
  assert.equal(m.value('backchannel_upstream_heartbeat_rtt_seconds_bucket', { ...U, le: '10' }), beats())

  r.phoenix.faults.pauseHeartbeats()
  const lost = await once(client.events, 'liveness_lost', { signal: AbortSignal.timeout(5000) }) as ClientEvents['liveness_lost']
  r.phoenix.faults.resumeHeartbeats()
  await once(client.events, 'join_ok', { signal: AbortSignal.timeout(5000) })
  const broken = once(client.events, 'protocol_error', { signal: AbortSignal.timeout(5000) })
  const rejoined = once(client.events, 'join_ok', { signal: AbortSignal.timeout(5000) })
  assert.equal(r.phoenix.faults.sendRaw('this is not a Phoenix frame'), 1)
  await broken
  await rejoined

  m = await snapshot(r)
  assert.equal(m.value('backchannel_upstream_liveness_lost_total', { ...U, reason: lost[0].reason }), 1)
  assert.equal(m.value('backchannel_upstream_protocol_errors_total', U), 1)
  assert.equal(m.value('backchannel_upstream_disconnects_total', { ...U, code: '1002' }), 1, 'the client closes a broken socket with 1002')
})
