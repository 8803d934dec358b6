/**
 * Series of shared history (`sharedHistory`, Redis): the link's state,
 * which topics this replica writes (holds the lease of), what became of
 * offered messages, leases taken, messages that left a full pending window
 * unappended, how far the tail runs behind the appends, and how many
 * topics are served from shared history or fell back to local history.
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { SharedHistory } from '../shared/history.ts'
import type { LinkState } from '../shared/redis-link.ts'

const STATES: readonly LinkState[] = ['connecting', 'ready', 'down', 'closed']
const OUTCOMES = ['appended', 'duplicate', 'held', 'unavailable'] as const

export function sharedHistoryMetrics (registry: Registry, shared: SharedHistory): void {
  const registers = [registry]
  const link = new Gauge({ name: 'backchannel_shared_history_link_state', help: 'The Redis link of shared history: 1 for its current state (connecting, ready, down, closed), 0 for the others', labelNames: ['state'] as const, registers })
  const setState = (state: LinkState): void => { for (const s of STATES) link.set({ state: s }, s === state ? 1 : 0) }
  setState(shared.link.state)
  shared.events.on('link', setState)
  const held = new Gauge({ name: 'backchannel_shared_history_lease_held', help: '1 while this replica holds the writer lease of the subscription\'s topic (it appends the topic\'s messages), 0 otherwise', labelNames: ['subscription'] as const, registers })
  shared.events.on('holder', (e) => { held.set({ subscription: e.subscription }, e.holds ? 1 : 0) })
  const appends = new Counter({ name: 'backchannel_shared_history_appends_total', help: 'Messages offered to shared history by outcome: appended, duplicate (another replica had appended it), held (another replica holds the lease), unavailable (Redis failed the call: the message stays pending)', labelNames: ['outcome'] as const, registers })
  for (const outcome of OUTCOMES) appends.inc({ outcome }, 0)
  shared.events.on('append', (e) => { appends.inc({ outcome: e.outcome }) })
  const takeovers = new Counter({ name: 'backchannel_shared_history_lease_takeovers_total', help: 'Writer leases this replica took: a topic\'s first, one taken over from a replica that stopped renewing, or one taken again after Redis was lost (each then appends what it received and was not appended)', registers })
  shared.events.on('acquired', () => { takeovers.inc() })
  const dropped = new Counter({ name: 'backchannel_shared_history_pending_dropped_total', help: 'Received messages that left a full pending window (10,000) before any replica appended them: a takeover then could not append them', registers })
  shared.events.on('dropped', (e) => { dropped.inc(e.count) })
  const lag = new Gauge({ name: 'backchannel_shared_history_tail_lag_seconds', help: 'How long after it was appended the last entry read from a stream was read (Redis\'s clock against this replica\'s)', registers })
  shared.events.on('tail', (e) => { lag.set(e.lagMs / 1000) })
  const topics = new Gauge({ name: 'backchannel_shared_history_topics', help: 'Carried topics by where their readers are served from: shared (ids `<epoch>:<ms>-<n>`) or local (Redis unavailable, or no writer appends)', labelNames: ['mode'] as const, registers })
  const count = (): void => {
    let inShared = 0
    for (const topic of shared.topics.values()) if (topic.mode === 'shared') inShared++
    topics.set({ mode: 'shared' }, inShared)
    topics.set({ mode: 'local' }, shared.topics.size - inShared)
  }
  count()
  shared.events.on('mode', count)
  shared.events.on('carried', count)
  const fallbacks = new Counter({ name: 'backchannel_shared_history_fallbacks_total', help: 'Switches of a topic to local history, by cause: unavailable (Redis failed a call or the link is down), stalled (received messages were not read back within the pending window)', labelNames: ['cause'] as const, registers })
  fallbacks.inc({ cause: 'unavailable' }, 0)
  fallbacks.inc({ cause: 'stalled' }, 0)
  shared.events.on('mode', (e) => { if (e.mode === 'local' && e.cause !== null && e.cause !== 'closed') fallbacks.inc({ cause: e.cause }) })
}
