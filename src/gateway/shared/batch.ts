/**
 * The pure parts of batched appends (writer.ts): which queued messages go
 * into the next script call, how a takeover's flush joins the queue, and
 * what the batch script's reply says about each message. No I/O here.
 *
 * While one batch is in flight the next messages queue; the next batch is
 * the oldest queued messages, at most `maxCount` of them and at most
 * `maxBytes` of entry fields (always at least one, however large).
 */

/** A message waiting for an append, as far as choosing a batch needs it. */
export interface BatchItem<M> {
  readonly message: M
}

export interface BatchLimits {
  /** At most this many messages per script call. */
  readonly maxCount: number
  /** At most this many bytes of entry fields per script call (a single larger message goes alone). */
  readonly maxBytes: number
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxCount: 100, maxBytes: 1024 * 1024 }

/** How many bytes a message's entry fields take in the script call. */
export function fieldsBytes (fields: readonly string[]): number {
  let bytes = 0
  for (const field of fields) bytes += Buffer.byteLength(field)
  return bytes
}

/**
 * How many of `sizes` (oldest first, the byte size of each queued message)
 * the next batch takes: at least one if any, then while both bounds hold.
 */
export function batchLength (sizes: readonly number[], limits: BatchLimits): number {
  let count = 0
  let bytes = 0
  for (const size of sizes) {
    if (count >= limits.maxCount || (count > 0 && bytes + size > limits.maxBytes)) break
    count++
    bytes += size
  }
  return count
}

/**
 * The queue after taking the lease: every message of the pending window
 * not appended yet (`unappended`, oldest first) comes first, in that order,
 * keeping the entry already queued for it (its caller waits on it); then
 * the queued entries the window no longer holds, in their order.
 */
export function withFlush<M, I extends BatchItem<M>> (queue: readonly I[], unappended: readonly M[], make: (message: M) => I): I[] {
  const queued = new Map<M, I>()
  for (const item of queue) queued.set(item.message, item)
  const merged = unappended.map((message) => queued.get(message) ?? make(message))
  const inFlush = new Set(unappended)
  for (const item of queue) if (!inFlush.has(item.message)) merged.push(item)
  return merged
}

/** What the batch script answered for one message. */
export interface BatchEntryResult { readonly duplicate: boolean, readonly id: string }

export type BatchReply =
  | { readonly kind: 'lost' }
  | { readonly kind: 'ok', readonly epoch: string, readonly results: readonly BatchEntryResult[] }

/** Parses the batch script's reply for `count` messages; null when it is not one (the caller reports Redis refused it). */
export function parseBatchReply (reply: unknown, count: number): BatchReply | null {
  if (!Array.isArray(reply)) return null
  if (reply[0] === 'lost') return { kind: 'lost' }
  const [kind, epoch, flat] = reply as unknown[]
  if (kind !== 'ok' || typeof epoch !== 'string' || !Array.isArray(flat) || flat.length !== 2 * count) return null
  const results: BatchEntryResult[] = []
  for (let i = 0; i < count; i++) {
    const outcome: unknown = flat[2 * i]
    const id: unknown = flat[2 * i + 1]
    if ((outcome !== 'appended' && outcome !== 'duplicate') || typeof id !== 'string') return null
    results.push({ duplicate: outcome === 'duplicate', id })
  }
  return { kind: 'ok', epoch, results }
}

/** The batch script's ARGV tail for messages: per message its field count, then its fields. */
export function batchArguments (messages: ReadonlyArray<readonly string[]>): string[] {
  const args: string[] = []
  for (const fields of messages) args.push(String(fields.length), ...fields)
  return args
}
