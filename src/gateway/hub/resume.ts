/**
 * What a client resuming with Last-Event-ID gets, pure: the entries it
 * missed, and a `gap` when they cannot all be given (the ring no longer
 * holds them, the sidecar restarted, the id is from an earlier life of the
 * topic, or the id is not one of ours).
 */
import { parseEventId, parseStreamEventId } from './event-id.ts'
import type { ReplayRing, RingEntry } from './ring.ts'

export interface Gap {
  /** `shared_history_*`: a shared id (`<epoch>:<ms>-<n>`) that cannot be resumed exactly: shared history is unavailable on this replica now, or Redis lost the stream since. */
  reason: 'replay_exhausted' | 'sidecar_restarted' | 'topic_restarted' | 'unknown_id' | 'shared_history_unavailable' | 'shared_history_restarted'
  lastEventId: string
  /** Events that can no longer be replayed, when known. */
  missed?: number
  /** Time of the newest event that was dropped from the ring (ISO 8601), when known. */
  until?: string
}

export interface ResumePlan { gap: Gap | null, entries: RingEntry[] }

/**
 * `base` is the seq before the subscription's first event. No id of this
 * life is at or below it, so such an id is from an earlier life of the
 * topic (held, dropped, held again): what the server sent while the topic
 * was not held never arrived, and the reader is told so.
 */
export function planResume (lastEventId: string | null, epoch: string, ring: ReplayRing, currentSeq: number, evictedUntil: number | null, base = 0): ResumePlan {
  if (lastEventId === null) return { gap: null, entries: [] }
  const parsed = parseEventId(lastEventId)
  if (parsed === null || (parsed.epoch === epoch && parsed.seq > currentSeq)) {
    return { gap: { reason: 'unknown_id', lastEventId }, entries: ring.since(0) }
  }
  if (parsed.epoch !== epoch) {
    return { gap: { reason: 'sidecar_restarted', lastEventId }, entries: ring.since(0) }
  }
  if (base > 0 && parsed.seq <= base) {
    return { gap: { reason: 'topic_restarted', lastEventId }, entries: ring.since(0) }
  }
  const oldest = ring.oldestSeq() ?? currentSeq + 1
  if (parsed.seq < oldest - 1) {
    const gap: Gap = { reason: 'replay_exhausted', lastEventId, missed: oldest - 1 - parsed.seq }
    if (evictedUntil !== null) gap.until = new Date(evictedUntil).toISOString()
    return { gap, entries: ring.since(parsed.seq) }
  }
  return { gap: null, entries: ring.since(parsed.seq) }
}

/** One topic of a stream over several topics, as its resume needs it. */
export interface ResumableTopic {
  readonly ring: ReplayRing
  /** The sequence number of its latest event. */
  readonly seq: number
  /** The hub's order before its first event. */
  readonly baseOrder: number
}

/** Where a topic of a multi-topic stream starts: after its sequence number `after`, told `gap` first when it has one. */
export interface TopicResume { gap: Gap | null, after: number }

/**
 * Where one topic of a multi-topic stream resuming after `lastEventId`
 * (`<epoch>.<order>`, or null for a new stream) starts. Its events above
 * the order are replayed exactly when its replay holds all of them;
 * otherwise it starts at the oldest it holds, with a gap. `endedSince(order)`
 * says whether an earlier life of the topic ended after `order`: what it
 * missed while not held never arrived.
 */
export function planTopicResume (lastEventId: string | null, epoch: string, currentOrder: number, topic: ResumableTopic, endedSince: (order: number) => boolean): TopicResume {
  if (lastEventId === null) return { gap: null, after: topic.seq }
  const replayAll = (topic.ring.oldestSeq() ?? topic.seq + 1) - 1
  const parsed = parseStreamEventId(lastEventId)
  if (parsed === null || (parsed.epoch === epoch && parsed.order > currentOrder)) return { gap: { reason: 'unknown_id', lastEventId }, after: replayAll }
  if (parsed.epoch !== epoch) return { gap: { reason: 'sidecar_restarted', lastEventId }, after: replayAll }
  if (endedSince(parsed.order)) return { gap: { reason: 'topic_restarted', lastEventId }, after: replayAll }
  const beforeReplay = topic.ring.orderBeforeReplay
  if (beforeReplay !== null && beforeReplay > parsed.order) {
    const gap: Gap = { reason: 'replay_exhausted', lastEventId }
    const until = topic.ring.evictedUntil
    if (until !== null) gap.until = new Date(until).toISOString()
    return { gap, after: replayAll }
  }
  const first = topic.ring.firstSeqAfterOrder(parsed.order)
  return { gap: null, after: first === undefined ? topic.seq : first - 1 }
}
