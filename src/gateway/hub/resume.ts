/**
 * What a client resuming with Last-Event-ID gets, pure: the entries it
 * missed, and a `gap` when they cannot all be given (the ring no longer
 * holds them, the sidecar restarted, the id is from an earlier life of the
 * topic, or the id is not one of ours).
 */
import { parseEventId } from './event-id.ts'
import type { ReplayRing, RingEntry } from './ring.ts'

export interface Gap {
  reason: 'replay_exhausted' | 'sidecar_restarted' | 'topic_restarted' | 'unknown_id'
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
