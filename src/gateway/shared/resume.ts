/**
 * A reader resuming from a shared id `<epoch>:<ms>-<n>` (given by any
 * replica): exactly the events after it, once each, in the stream's order.
 *
 * 1. The topic must be shared here and in the id's epoch; else a gap
 *    (`shared_history_unavailable`, `shared_history_restarted`) and live.
 * 2. If this replica has not read the stream that far yet (the id came
 *    from a replica a little ahead), wait until it has, within a deadline.
 * 3. The ring holds the id: go on after it. Else read the stream after it
 *    (readAfter) until an entry the ring holds, and give those first.
 *
 * The plan is made and handed to the hub in one turn, so the ring does not
 * move between the two.
 */
import type { Gap } from '../hub/resume.ts'
import { ENTRY_OVERHEAD_BYTES, type RingEntry } from '../hub/ring.ts'
import type { SharedResumePlan } from '../hub/shared-route.ts'
import type { Subscription } from '../hub/subscription.ts'
import { isAsciiText } from '../hub/payload-json.ts'
import type { SharedHistory } from './history.ts'
import { compareEntryIds, parseEntryId, parseSharedEventId, type EntryId } from './keys.ts'
import { readAfter, type SharedEntry } from './reader.ts'
import type { SharedTopic } from './topic.ts'

/** Entries read per call while catching a reader up. */
const PAGE = 500

/** The ring's replay entries of epoch `epoch` with shared ids: their entry ids and seqs, oldest first. */
function sharedInRing (sub: Subscription, epoch: string): Array<{ id: EntryId, eventId: string, seq: number }> {
  const out: Array<{ id: EntryId, eventId: string, seq: number }> = []
  for (const entry of sub.ring.since(0)) {
    if (entry.id === undefined || entry.id === '') continue
    const parsed = parseSharedEventId(entry.id)
    const id = parsed === null || parsed.epoch !== epoch ? null : parseEntryId(parsed.entryId)
    if (id !== null) out.push({ id, eventId: entry.id, seq: entry.seq })
  }
  return out
}

/** Waits until the topic has read its stream up to `entryId`, it stops being shared, or `ms` pass. */
async function readUpTo (topic: SharedTopic, entryId: string, ms: number): Promise<void> {
  if (topic.hasRead(entryId) || topic.mode !== 'shared') return
  let timer: NodeJS.Timeout | undefined
  let check = (): void => undefined
  await new Promise<void>((resolve) => {
    check = () => { if (topic.hasRead(entryId) || topic.mode !== 'shared') resolve() }
    topic.on('advanced', check)
    topic.on('mode', check)
    timer = setTimeout(resolve, ms)
  })
  clearTimeout(timer)
  topic.off('advanced', check)
  topic.off('mode', check)
}

/** Read again after an await: the topic may have gone local, or changed epoch, meanwhile. */
function sharedIn (topic: SharedTopic, epoch: string): boolean {
  return topic.mode === 'shared' && topic.position?.epoch === epoch
}

/** Waits until the topic is served from shared history, or `ms` pass. */
async function becomesShared (topic: SharedTopic, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  let check = (): void => undefined
  await new Promise<void>((resolve) => {
    check = () => { if (topic.mode === 'shared') resolve() }
    topic.on('mode', check)
    timer = setTimeout(resolve, ms)
  })
  clearTimeout(timer)
  topic.off('mode', check)
}

/** What an entry read from Redis counts for against the ring's byte bound (as the ring counts its own). */
function sizeOf (entry: SharedEntry): number {
  return (typeof entry.payload === 'string' ? entry.payload.length : entry.payload.byteLength * 4 / 3) + entry.event.length + ENTRY_OVERHEAD_BYTES
}

function asRingEntry (entry: SharedEntry, now: number): Omit<RingEntry, 'seq'> {
  const data = typeof entry.payload === 'string' ? entry.payload : JSON.stringify({ base64: Buffer.from(entry.payload).toString('base64') })
  return { order: 0, at: now, event: entry.event, data, control: false, ascii: isAsciiText(data) && isAsciiText(entry.event), id: entry.eventId }
}

export function resumeShared (history: SharedHistory, sub: Subscription, lastEventId: string, ready: (plan: SharedResumePlan) => void): void {
  let done = false
  const once = (p: SharedResumePlan): void => {
    if (done) return
    done = true
    ready(p)
  }
  const live = (reason: Gap['reason']): void => { once({ gap: { reason, lastEventId }, before: [], after: sub.seq }) }
  // Redis unavailable (SharedHistoryUnavailableError) or an unexpected reply: the reader goes on live, told so.
  plan(history, sub, lastEventId, once, live).catch(() => { live('shared_history_unavailable') })
}

async function plan (history: SharedHistory, sub: Subscription, lastEventId: string, ready: (plan: SharedResumePlan) => void, live: (reason: Gap['reason']) => void): Promise<void> {
  const topic = history.topics.get(sub)
  const parsed = parseSharedEventId(lastEventId)
  const waitMs = 500 + history.settings.commandTimeoutMs * 2
  if (parsed === null) { live('unknown_id'); return }
  if (topic === undefined) { live('shared_history_unavailable'); return }
  // A topic held a moment ago (a dynamic topic joined for this reader) is shared as soon as the tail finds its place.
  if (topic.mode !== 'shared' && topic.retryAt <= history.now() && history.link.state === 'ready') await becomesShared(topic, waitMs)
  if (topic.mode !== 'shared' || topic.position === null) { live('shared_history_unavailable'); return }
  if (parsed.epoch !== topic.position.epoch) { live('shared_history_restarted'); return }
  await readUpTo(topic, parsed.entryId, waitMs)
  if (!sharedIn(topic, parsed.epoch)) { live('shared_history_unavailable'); return }
  const held = sharedInRing(sub, parsed.epoch).find((e) => e.eventId === lastEventId)
  if (held !== undefined) {
    ready({ gap: null, before: [], after: held.seq })
    return
  }
  // Older than the ring: read the stream after it until an entry the ring holds.
  let before: SharedEntry[] = []
  let gap: Gap | null = null
  // What one resume holds is bounded as the topic's ring is (sse.topicBufferBytes): past it, the oldest go, with a gap.
  const maxBytes = sub.ring.maxBytes ?? Infinity
  let bytes = 0
  let dropped = 0
  let from = lastEventId
  for (let pages = Math.ceil(history.settings.maxLen / PAGE) + 1; pages > 0; pages--) {
    const result = await readAfter(history.link, topic.keys, from, PAGE)
    if (result.epoch !== parsed.epoch) { live('shared_history_restarted'); return }
    if (result.gap && gap === null) gap = { reason: 'replay_exhausted', lastEventId }
    const inRing = new Set(sharedInRing(sub, parsed.epoch).map((e) => e.eventId))
    const stop = result.entries.findIndex((e) => inRing.has(e.eventId))
    for (const entry of stop === -1 ? result.entries : result.entries.slice(0, stop)) {
      before.push(entry)
      bytes += sizeOf(entry)
    }
    let drop = 0
    while (bytes > maxBytes && drop < before.length - 1) bytes -= sizeOf(before[drop++] as SharedEntry)
    if (drop > 0) {
      before = before.slice(drop)
      dropped += drop
    }
    if (stop !== -1 || result.entries.length < PAGE) break
    from = result.entries.at(-1)?.eventId ?? from
  }
  // Trimmed in Redis: how many is not known. Dropped here only: that many.
  if (dropped > 0) gap ??= { reason: 'replay_exhausted', lastEventId, missed: dropped }
  const last = before.at(-1)?.entryId ?? parsed.entryId
  // What was read must not come again from the tail: wait until this replica has read as far.
  await readUpTo(topic, last, waitMs)
  if (!sharedIn(topic, parsed.epoch)) { live('shared_history_unavailable'); return }
  // In one turn from here: the ring goes on after the last event given, skipping what this replica held locally before it.
  const lastId = parseEntryId(last)
  const ring = sharedInRing(sub, parsed.epoch)
  const next = lastId === null ? undefined : ring.find((e) => compareEntryIds(e.id, lastId) > 0)
  const upTo = lastId === null ? undefined : ring.findLast((e) => compareEntryIds(e.id, lastId) <= 0)
  const after = next !== undefined ? next.seq - 1 : upTo !== undefined ? upTo.seq : sub.seq
  const now = history.now()
  ready({ gap, before: before.map((e) => asRingEntry(e, now)), after })
}
