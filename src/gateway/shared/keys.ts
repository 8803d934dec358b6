/**
 * Names in Redis and ids on the wire, pure.
 *
 * Keys: every key of a topic carries the topic in a hash tag, so the
 * stream, its lease, its epoch and its dedupe marks live in one slot of a
 * Redis Cluster and one Lua script may touch them all:
 *
 *   <prefix>{<topic>}:stream     the topic's entries (XADD MAXLEN ~)
 *   <prefix>{<topic>}:lease      the writer lease: the holder's replica id, PX ttl
 *   <prefix>{<topic>}:epoch      names this incarnation of the stream
 *   <prefix>{<topic>}:seen:<h>   a message identity already appended (PX window)
 *
 * (A topic holding `}` still keeps all its keys in one slot: the tag ends at
 * the first `}`, which is the same for every key of the topic.)
 *
 * SSE ids of shared history: `<epoch>:<ms>-<n>`, the stream's epoch and the
 * Redis entry id. Every replica reads the same stream, so the id means the
 * same place on each. The epoch changes when the stream is lost (Redis
 * restarted without persistence, the key deleted): an id of an old epoch
 * resumes with a gap, never at a wrong place. Local ids (`<epoch>-<seq>`,
 * `<epoch>.<order>`, hub/event-id.ts) never contain `:`, so the shapes
 * cannot be confused.
 */

export interface TopicKeys {
  readonly stream: string
  readonly lease: string
  readonly epoch: string
  /** The prefix of the dedupe marks; the identity follows. */
  readonly seen: string
}

export function topicKeys (prefix: string, topic: string): TopicKeys {
  const base = `${prefix}{${topic}}:`
  return { stream: `${base}stream`, lease: `${base}lease`, epoch: `${base}epoch`, seen: `${base}seen:` }
}

/** A Redis stream entry id, `<ms>-<n>`. */
export interface EntryId { readonly ms: bigint, readonly n: bigint }

const ENTRY_ID = /^(\d{1,20})-(\d{1,20})$/

export function parseEntryId (id: string): EntryId | null {
  const m = ENTRY_ID.exec(id)
  if (m === null) return null
  return { ms: BigInt(m[1] ?? '0'), n: BigInt(m[2] ?? '0') }
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareEntryIds (a: EntryId, b: EntryId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1
  return a.n === b.n ? 0 : a.n < b.n ? -1 : 1
}

export function formatSharedEventId (epoch: string, entryId: string): string {
  return `${epoch}:${entryId}`
}

const SHARED_EVENT_ID = /^([0-9a-z]{1,32}):(\d{1,20}-\d{1,20})$/

export function parseSharedEventId (id: string): { epoch: string, entryId: string } | null {
  const m = SHARED_EVENT_ID.exec(id)
  return m === null ? null : { epoch: m[1] ?? '', entryId: m[2] ?? '' }
}
