/**
 * Series fed by each upstream client's `client.events`: sockets, connects
 * and reconnects, heartbeats, joins and rejoins, channel errors, messages
 * received, pushes written. Topics become configured subscription names;
 * point-in-time gauges read `client.stats()` at scrape time.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Client } from '../../client/client.ts'
import type { Broker } from '../broker.ts'
import { closeCodeLabel, codeLabel, subscriptionLabel } from './labels.ts'

/** Seconds: 1 ms to 10 s (connects, joins, heartbeats on a slow link). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Seconds: back-off delays, 1 ms to 5 min. */
const DELAY_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300]

const CONNECT_RESULTS: Record<string, string> = { BC_ERR_CONNECT_REFUSED: 'refused', BC_ERR_CONNECT: 'error', BC_ERR_TIMEOUT: 'timeout' }

function connectResult (code: string): string {
  return CONNECT_RESULTS[code] ?? codeLabel(code)
}

export function upstreamMetrics (registry: Registry, broker: Broker): void {
  const registers = [registry]
  const u = ['upstream'] as const
  const s = ['subscription'] as const

  const attempts = new Counter({ name: 'backchannel_upstream_connect_attempts_total', help: 'WebSocket connection attempts started', labelNames: u, registers })
  const connects = new Counter({ name: 'backchannel_upstream_connects_total', help: 'Connection attempts by result: ok, refused (HTTP status instead of 101), error (TCP, TLS), timeout', labelNames: ['upstream', 'result'] as const, registers })
  const reconnects = new Counter({ name: 'backchannel_upstream_reconnects_total', help: 'Connection attempts after a socket\'s first one, by result (as backchannel_upstream_connects_total)', labelNames: ['upstream', 'result'] as const, registers })
  const connectSeconds = new Histogram({ name: 'backchannel_upstream_connect_duration_seconds', help: 'Time from a connection attempt to the open socket', labelNames: u, buckets: LATENCY_BUCKETS, registers })
  const disconnects = new Counter({ name: 'backchannel_upstream_disconnects_total', help: 'Open sockets that closed, by WebSocket close code (standard codes; others are "other")', labelNames: ['upstream', 'code'] as const, registers })
  const reconnectDelay = new Histogram({ name: 'backchannel_upstream_reconnect_delay_seconds', help: 'Back-off delays before a reconnect (its count is the reconnects scheduled)', labelNames: u, buckets: DELAY_BUCKETS, registers })
  const rtt = new Histogram({ name: 'backchannel_upstream_heartbeat_rtt_seconds', help: 'Heartbeat round-trip time', labelNames: u, buckets: LATENCY_BUCKETS, registers })
  const liveness = new Counter({ name: 'backchannel_upstream_liveness_lost_total', help: 'Sockets dropped for silence or a missed heartbeat reply, by reason', labelNames: ['upstream', 'reason'] as const, registers })
  const protocol = new Counter({ name: 'backchannel_upstream_protocol_errors_total', help: 'Frames that broke the protocol (the socket is closed and reconnected)', labelNames: u, registers })
  const stale = new Counter({ name: 'backchannel_upstream_stale_messages_total', help: 'Messages for an old join of a channel, dropped', labelNames: u, registers })
  const unroutable = new Counter({ name: 'backchannel_upstream_unroutable_messages_total', help: 'Messages for a topic the client does not hold, dropped', labelNames: u, registers })

  const joins = new Counter({ name: 'backchannel_channel_joins_total', help: 'First joins of a channel by result: ok, refused, timeout', labelNames: ['subscription', 'result'] as const, registers })
  const rejoins = new Counter({ name: 'backchannel_channel_rejoins_total', help: 'Joins of a channel that was joined before, by result: ok, refused, timeout', labelNames: ['subscription', 'result'] as const, registers })
  const joinSeconds = new Histogram({ name: 'backchannel_channel_join_duration_seconds', help: 'Time from phx_join to its ok reply', labelNames: s, buckets: LATENCY_BUCKETS, registers })
  const rejoinsScheduled = new Counter({ name: 'backchannel_channel_rejoins_scheduled_total', help: 'Rejoins scheduled with back-off after a refusal, a timeout or a crash', labelNames: s, registers })
  const channelErrors = new Counter({ name: 'backchannel_channel_errors_total', help: 'Joined channels that went down, by reason: crashed (phx_error), disconnected', labelNames: ['subscription', 'reason'] as const, registers })
  const leaves = new Counter({ name: 'backchannel_channel_leaves_total', help: 'Channels that ended, by reason: left, server_closed (phx_close), refused (gave up)', labelNames: ['subscription', 'reason'] as const, registers })
  // Every channel message counts here: tallied in a map by subscription name, added to the counters when they are read.
  const received = new Map<string, { messages: number, bytes: number }>()
  const addReceived = (): void => {
    for (const [subscription, tally] of received) {
      messages.inc({ subscription }, tally.messages)
      bytes.inc({ subscription }, tally.bytes)
    }
    received.clear()
  }
  const messages = new Counter({ name: 'backchannel_messages_received_total', help: 'Channel messages received from the upstream', labelNames: s, registers, collect: addReceived })
  const bytes = new Counter({ name: 'backchannel_messages_received_bytes_total', help: 'Bytes of the frames that carried channel messages', labelNames: s, registers, collect: addReceived })
  const sent = new Counter({ name: 'backchannel_pushes_sent_total', help: 'Pushes written to the upstream socket', labelNames: s, registers })

  const dropped = new Counter({ name: 'backchannel_upstream_messages_dropped_total', help: 'Channel messages that could not be handled, dropped (their readers get a gap), by reason: too_deep, handler_error', labelNames: ['upstream', 'reason'] as const, registers })

  const hub = broker.hub
  hub.events.on('message_dropped', (x) => { dropped.inc({ upstream: x.upstream, reason: x.reason }) })
  const wire = (upstream: string, client: Client): void => {
    const sub = (topic: string): { subscription: string } => ({ subscription: subscriptionLabel(hub, upstream, topic) })
    /** The last join of each topic was a rejoin: join_error does not say. */
    const rejoining = new Map<string, boolean>()
    const e = client.events
    e.on('connect_start', () => { attempts.inc({ upstream }) })
    e.on('connect_ok', (x) => {
      connects.inc({ upstream, result: 'ok' })
      if (x.attempt > 1) reconnects.inc({ upstream, result: 'ok' })
      connectSeconds.observe({ upstream }, x.latencyMs / 1000)
    })
    e.on('connect_fail', (x) => {
      const result = connectResult(x.reason)
      connects.inc({ upstream, result })
      if (x.attempt > 1) reconnects.inc({ upstream, result })
    })
    e.on('disconnect', (x) => { disconnects.inc({ upstream, code: closeCodeLabel(x.code) }) })
    e.on('reconnect_scheduled', (x) => { reconnectDelay.observe({ upstream }, x.delayMs / 1000) })
    e.on('heartbeat', (x) => { rtt.observe({ upstream }, x.rttMs / 1000) })
    e.on('liveness_lost', (x) => { liveness.inc({ upstream, reason: x.reason }) })
    e.on('protocol_error', () => { protocol.inc({ upstream }) })
    e.on('stale', () => { stale.inc({ upstream }) })
    e.on('unroutable', () => { unroutable.inc({ upstream }) })
    e.on('join_start', (x) => { rejoining.set(x.topic, x.rejoin) })
    e.on('join_ok', (x) => {
      ;(x.rejoin ? rejoins : joins).inc({ ...sub(x.topic), result: 'ok' })
      joinSeconds.observe(sub(x.topic), x.latencyMs / 1000)
    })
    e.on('join_error', (x) => { (rejoining.get(x.topic) === true ? rejoins : joins).inc({ ...sub(x.topic), result: x.reason }) })
    e.on('rejoin_scheduled', (x) => { rejoinsScheduled.inc(sub(x.topic)) })
    e.on('channel_error', (x) => { channelErrors.inc({ ...sub(x.topic), reason: x.reason }) })
    e.on('leave', (x) => {
      rejoining.delete(x.topic)
      leaves.inc({ ...sub(x.topic), reason: x.reason })
    })
    e.on('message', (x) => {
      const subscription = subscriptionLabel(hub, upstream, x.topic)
      const tally = received.get(subscription)
      if (tally === undefined) received.set(subscription, { messages: 1, bytes: x.bytes })
      else {
        tally.messages++
        tally.bytes += x.bytes
      }
    })
    e.on('push_sent', (x) => { sent.inc(sub(x.topic)) })
  }
  for (const [upstream, client] of broker.clients) wire(upstream, client)
  // A reload may add an upstream or replace its client.
  broker.upstreams.events.on('client_added', (e) => { wire(e.upstream, e.client) })
  upstreamGauges(registry, broker.clients)
}

/** Point-in-time values read from each client's stats at scrape time. */
function upstreamGauges (registry: Registry, clients: ReadonlyMap<string, Client>): void {
  const registers = [registry]
  const labelNames = ['upstream'] as const
  const gauge = (name: string, help: string, read: (client: Client) => number): void => {
    // eslint-disable-next-line no-new -- registered in `registry`, read through it
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect () {
        this.reset() // an upstream removed by a reload has no series
        for (const [upstream, client] of clients) this.set({ upstream }, read(client))
      },
    })
  }
  gauge('backchannel_upstream_sockets', 'Sockets configured in the pool', (c) => c.socketCount)
  gauge('backchannel_upstream_sockets_connected', 'Sockets open now', (c) => c.stats().socketsConnected)
  gauge('backchannel_upstream_channels_joined', 'Channels joined now', (c) => c.stats().topicsJoined)
  gauge('backchannel_pushes_in_flight', 'Pushes sent and waiting for their reply', (c) => c.stats().pendingPushes)
  gauge('backchannel_pushes_buffered', 'Pushes waiting for a join or a connection before they are sent', (c) => c.stats().bufferedPushes)
}
