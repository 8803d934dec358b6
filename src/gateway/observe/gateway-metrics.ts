/**
 * Series fed by the gateway and its hub: pushes by outcome and latency,
 * channel state, SSE readers, resumes, gaps and cut-offs, readiness.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Broker } from '../broker.ts'
import type { Subscription, SubscriptionState } from '../hub/subscription.ts'
import { OTHER, pushOutcome } from './labels.ts'

/** Seconds: a push's whole life over HTTP, 1 ms to 60 s. */
const PUSH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
const STATES: readonly SubscriptionState[] = ['joining', 'joined', 'errored', 'closed']

export function gatewayMetrics (registry: Registry, broker: Broker, version: string): void {
  const registers = [registry]
  const s = ['subscription'] as const
  const hub = broker.hub
  /** A gauge with one series per subscription, read from the live subscriptions at scrape time. */
  const subscriptionGauge = (name: string, help: string, value: (sub: Subscription) => number): Gauge => {
    return new Gauge({
      name,
      help,
      labelNames: s,
      registers,
      collect () {
        this.reset()
        for (const sub of hub.all()) this.inc({ subscription: sub.config.name }, value(sub))
      },
    })
  }

  const pushes = new Counter({ name: 'backchannel_pushes_total', help: 'Pushes over HTTP by outcome: ok, error (any other reply status), or the failure (timeout, disconnected, buffer_full, join_refused, unknown_topic…)', labelNames: ['subscription', 'outcome'] as const, registers })
  const pushSeconds = new Histogram({ name: 'backchannel_push_duration_seconds', help: 'Time from a push request to its outcome', labelNames: ['subscription', 'outcome'] as const, buckets: PUSH_BUCKETS, registers })
  broker.events.on('push_done', (e) => {
    const labels = { subscription: e.subscription ?? OTHER, outcome: pushOutcome(e.status, e.code) }
    pushes.inc(labels)
    pushSeconds.observe(labels, e.seconds)
  })

  // Counted as a number per subscription and read at scrape time: prom-client hashes a sample's labels into a new
  // string at every inc, garbage made for each stream opened.
  const opened = new Map<string, number>()
  new Counter({ // eslint-disable-line no-new -- registered in `registers`, read through it
    name: 'backchannel_sse_connections_total',
    help: 'SSE readers that attached',
    labelNames: s,
    registers,
    collect () {
      this.reset()
      for (const [subscription, n] of opened) this.inc({ subscription }, n)
    },
  })
  const closes = new Counter({ name: 'backchannel_sse_disconnects_total', help: 'SSE readers that ended, by reason: client_closed, overflow, shutdown, channel_closed, token_expired', labelNames: ['subscription', 'reason'] as const, registers })
  const resumes = new Counter({ name: 'backchannel_sse_resumes_total', help: 'SSE readers that resumed with a Last-Event-ID, by result: complete, or gap (not everything could be replayed)', labelNames: ['subscription', 'result'] as const, registers })
  const replayed = new Counter({ name: 'backchannel_sse_replayed_events_total', help: 'Events replayed from the ring to resuming readers', labelNames: s, registers })
  const gaps = new Counter({ name: 'backchannel_sse_gaps_total', help: 'Gap events, by reason: upstream_disconnected, message_dropped (sent to every reader), replay_exhausted, sidecar_restarted, topic_restarted, unknown_id (one resuming reader); with sharedHistory shared_history_unavailable, shared_history_resumed, shared_history_restarted (a switch, to every reader; or one resuming reader)', labelNames: ['subscription', 'reason'] as const, registers })
  const cutOff = new Counter({ name: 'backchannel_sse_clients_cut_off_total', help: 'SSE readers cut off for falling behind (a final overflow event)', labelNames: s, registers })
  hub.events.on('reader_open', (e) => {
    opened.set(e.subscription, (opened.get(e.subscription) ?? 0) + 1)
    if (e.resumed) resumes.inc({ subscription: e.subscription, result: e.gap === null ? 'complete' : 'gap' })
    if (e.replayed > 0) replayed.inc({ subscription: e.subscription }, e.replayed)
  })
  hub.events.on('reader_close', (e) => {
    closes.inc({ subscription: e.subscription, reason: e.reason })
    if (e.reason === 'overflow') cutOff.inc({ subscription: e.subscription })
  })
  hub.events.on('gap', (e) => { gaps.inc({ subscription: e.subscription, reason: e.reason }) })

  /* eslint-disable no-new -- registered in `registry`, read through it */
  // Read from the live subscriptions at scrape time. Topics of one dynamic entry share its name, so values are
  // summed by name; counts of subscriptions gone (left, removed by a reload) stay in, so counters never go down.
  new Counter({
    name: 'backchannel_sse_events_sent_total',
    help: 'SSE events written to readers (replays and gaps included, keep-alives not)',
    labelNames: s,
    registers,
    collect () {
      this.reset()
      for (const [name, retired] of hub.retired) this.inc({ subscription: name }, retired.eventsSent)
      for (const sub of hub.all()) this.inc({ subscription: sub.config.name }, sub.eventsSent)
    },
  })
  new Counter({
    name: 'backchannel_channel_events_total',
    help: 'Numbered events of a channel: messages, lifecycle and gap events',
    labelNames: s,
    registers,
    collect () {
      this.reset()
      for (const [name, retired] of hub.retired) this.inc({ subscription: name }, retired.events)
      for (const sub of hub.all()) this.inc({ subscription: sub.config.name }, sub.events)
    },
  })
  subscriptionGauge('backchannel_sse_subscribers', 'SSE readers attached now', (sub) => sub.readers.size)
  subscriptionGauge('backchannel_replay_ring_events', 'Events held in the replay ring now', (sub) => sub.ring.size)
  subscriptionGauge('backchannel_topic_held_bytes', 'Bytes of events a topic holds now, for resume and for readers catching up (at most sse.topicBufferBytes, plus its newest event)', (sub) => sub.ring.bytes)
  subscriptionGauge('backchannel_sse_buffered_bytes', 'Bytes held in SSE readers\' socket buffers now (each at most sse.clientBufferBytes plus one event)', (sub) => {
    let bytes = 0
    for (const reader of sub.readers) bytes += reader.bufferedBytes
    return bytes
  })
  subscriptionGauge('backchannel_sse_readers_catching_up', 'SSE readers whose socket is full now: they pull what they have not been given from the topic as it drains', (sub) => {
    let waiting = 0
    for (const reader of sub.readers) if (reader.waiting) waiting++
    return waiting
  })
  new Gauge({
    name: 'backchannel_sse_streams',
    help: 'SSE streams open now, by shape: topic (GET /v1/channels/{topic}/events) or topics (GET /v1/events, one stream over several topics)',
    labelNames: ['shape'] as const,
    registers,
    collect () {
      let topics = 0
      for (const stream of broker.readers) if (stream.topics !== undefined) topics++
      this.set({ shape: 'topic' }, broker.readers.count('sse') - topics)
      this.set({ shape: 'topics' }, topics)
    },
  })
  new Gauge({
    name: 'backchannel_sse_stream_topics',
    help: 'Topics followed now by the streams over several topics (GET /v1/events), all together',
    registers,
    collect () {
      let followed = 0
      for (const stream of broker.readers) followed += stream.topics ?? 0
      this.set(followed)
    },
  })
  new Gauge({
    name: 'backchannel_sse_streams_buffered_bytes',
    help: 'Bytes held in the socket buffers of the streams over several topics now: each at most sse.clientBufferBytes plus one event (per-topic streams: backchannel_sse_buffered_bytes)',
    registers,
    collect () {
      let bytes = 0
      for (const stream of broker.readers) if (stream.topics !== undefined) bytes += stream.bufferedBytes
      this.set(bytes)
    },
  })
  new Gauge({
    name: 'backchannel_channel_state',
    help: 'Channels in each state: joining, joined, errored, closed (for a configured channel, 1 for its current state)',
    labelNames: ['subscription', 'state'] as const,
    registers,
    collect () {
      this.reset()
      for (const sub of hub.all()) for (const state of STATES) this.inc({ subscription: sub.config.name, state }, sub.state === state ? 1 : 0)
    },
  })
  new Gauge({
    name: 'backchannel_ready',
    help: '1 when /readyz answers ready: every required channel joined (within the grace period) and not draining',
    registers,
    collect () {
      this.set(!broker.draining && hub.notReady(broker.config.env.readyGraceMs).length === 0 ? 1 : 0)
    },
  })
  new Gauge({ name: 'backchannel_build_info', help: 'Always 1; the version in a label', labelNames: ['version'] as const, registers }).set({ version }, 1)
  /* eslint-enable no-new */
}
