/**
 * Reading a topic's shared history, on any replica: `readAfter` for a
 * resume (XRANGE after an id, atomically with what tells a gap), `tail`
 * for live entries (XREAD BLOCK on the link's blocking connection, with a
 * deadline). Every entry carries its SSE id `<epoch>:<entry id>`.
 *
 * Gap rules (a reader is told, never silently moved): the id's epoch is
 * not the stream's (Redis lost the stream, or the id is another shape);
 * the entry after the id was trimmed (MAXLEN) or deleted. After any
 * SharedHistoryUnavailableError, or a `tail` answering `epochChanged`, the
 * caller resumes with `readAfter`, which checks the epoch again.
 */
import { SharedHistoryUnavailableError } from './errors.ts'
import { compareEntryIds, formatSharedEventId, parseEntryId, parseSharedEventId, type TopicKeys } from './keys.ts'
import type { RawReply, RedisLink } from './redis-link.ts'
import { READ } from './scripts.ts'

export interface SharedEntry {
  /** The Redis entry id, `<ms>-<n>`. */
  readonly entryId: string
  /** The SSE id, `<epoch>:<ms>-<n>`. */
  readonly eventId: string
  readonly event: string
  /** JSON text, or bytes for a binary message. */
  readonly payload: string | Uint8Array
  /** The replica that appended it. */
  readonly writer: string
  /** The message's identity (pending.ts): the same on every replica that received it. */
  readonly identity: string
}

export interface ReadResult {
  /** The stream's epoch; '' while the stream has none (nothing appended since Redis started empty). */
  readonly epoch: string
  readonly entries: SharedEntry[]
  /** Messages between the reader's id and the first entry returned are lost to this history. */
  readonly gap: boolean
}

function malformed (what: string): SharedHistoryUnavailableError {
  return new SharedHistoryUnavailableError('refused', `${what} (an unexpected reply)`)
}

/** One XRANGE/XREAD entry, `[id, [field, value, …]]`. */
export function parseEntry (raw: RawReply, epoch: string): SharedEntry {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Array.isArray(raw[1])) throw malformed('an entry')
  const fields = new Map<string, string>()
  const list = raw[1]
  for (let i = 0; i + 1 < list.length; i += 2) fields.set(String(list[i]), String(list[i + 1]))
  const text = fields.get('p')
  const base64 = fields.get('b')
  const payload = text ?? (base64 === undefined ? 'null' : new Uint8Array(Buffer.from(base64, 'base64')))
  return { entryId: raw[0], eventId: formatSharedEventId(epoch, raw[0]), event: fields.get('e') ?? '', payload, writer: fields.get('w') ?? '', identity: fields.get('i') ?? '' }
}

/** Whether entries right after `afterId` are gone, given the stream's first id and max deleted id. */
export function trimmedAfter (afterId: string, firstId: string, maxDeletedId: string): boolean {
  const after = parseEntryId(afterId)
  if (after === null) return true
  const first = parseEntryId(firstId)
  const deleted = parseEntryId(maxDeletedId)
  if (first !== null && compareEntryIds(after, first) < 0) return true
  return deleted !== null && compareEntryIds(after, deleted) < 0
}

/**
 * Up to `limit` entries after `afterEventId` (an SSE id from any replica),
 * or from the start of what is kept when it is null. An id of another
 * epoch or shape reads from the start, with `gap`.
 */
export async function readAfter (link: RedisLink, keys: TopicKeys, afterEventId: string | null, limit: number): Promise<ReadResult> {
  const parsed = afterEventId === null ? null : parseSharedEventId(afterEventId)
  const reply = await link.script('read', READ, [keys.stream, keys.epoch], [parsed?.entryId ?? '-', String(limit)])
  if (!Array.isArray(reply) || reply.length !== 4 || !Array.isArray(reply[3])) throw malformed('read')
  const epoch = String(reply[0])
  const sameEpoch = parsed !== null && parsed.epoch === epoch
  if (afterEventId !== null && !sameEpoch) {
    // Another epoch: what was after the reader's place is gone; give what is kept from the start.
    const fromStart = parsed === null || epoch === '' ? reply : await link.script('read', READ, [keys.stream, keys.epoch], ['-', String(limit)])
    const list = Array.isArray(fromStart) && Array.isArray(fromStart[3]) ? fromStart[3] : []
    return { epoch: String(Array.isArray(fromStart) ? fromStart[0] : epoch), entries: list.map((raw) => parseEntry(raw, epoch)), gap: true }
  }
  const gap = parsed !== null && trimmedAfter(parsed.entryId, String(reply[1]), String(reply[2]))
  return { epoch, entries: reply[3].map((raw) => parseEntry(raw, epoch)), gap }
}

export interface TailPosition {
  readonly topic: string
  readonly keys: TopicKeys
  /** The epoch the reader's ids are in (from readAfter). */
  readonly epoch: string
  /** The last entry id the reader has, `<ms>-<n>` ('0-0' for an empty stream). */
  readonly afterEntryId: string
}

export type TailResult = { readonly entries: SharedEntry[] } | { readonly epochChanged: true }

/**
 * Entries after each position, waiting up to `blockMs` for the first
 * (XREAD BLOCK over all the topics at once). A topic with nothing new is
 * absent from the answer. A topic whose stream changed epoch answers
 * `epochChanged`: resume it with readAfter.
 */
export async function tail (link: RedisLink, positions: readonly TailPosition[], blockMs: number, count: number): Promise<Map<string, TailResult>> {
  const results = new Map<string, TailResult>()
  if (positions.length === 0) return results
  const reply = await link.blocking('tail', ['XREAD', 'COUNT', String(count), 'BLOCK', String(blockMs), 'STREAMS',
    ...positions.map((p) => p.keys.stream), ...positions.map((p) => p.afterEntryId)], blockMs)
  if (reply === null) return results
  if (!Array.isArray(reply)) throw malformed('tail')
  const byStream = new Map(positions.map((p) => [p.keys.stream, p]))
  const got: Array<{ position: TailPosition, raw: RawReply[] }> = []
  for (const item of reply) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !Array.isArray(item[1])) throw malformed('tail')
    const position = byStream.get(item[0])
    if (position !== undefined) got.push({ position, raw: item[1] })
  }
  if (got.length === 0) return results
  // The epochs now: entries read from a stream Redis lost and started again are not in the reader's epoch.
  const epochs = await link.call('tail epochs', ['MGET', ...got.map((g) => g.position.keys.epoch)])
  if (!Array.isArray(epochs)) throw malformed('tail epochs')
  got.forEach(({ position, raw }, i) => {
    const epoch = epochs[i]
    results.set(position.topic, epoch === position.epoch
      ? { entries: raw.map((entry) => parseEntry(entry, position.epoch)) }
      : { epochChanged: true })
  })
  return results
}
