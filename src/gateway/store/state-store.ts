/**
 * What the gateway keeps across a restart, as interfaces: the webhook
 * outbox (messages accepted into a webhook queue and not yet delivered,
 * dead-lettered or dropped) and the replay rings (each topic's recent
 * events, its sequence and the hub's epoch and order). The hub and the
 * webhook sinks know the store only through these, so another
 * implementation (a shared one, on Redis Streams) can sit beside the
 * SQLite one (sqlite-store.ts). Without a store (no STATE_DIR) nothing is
 * kept and a restart starts afresh.
 *
 * Writes never throw: a write that fails (disk full, I/O error) is
 * reported as a `write_error` event and what it would have kept stays in
 * memory only, so a failing disk never stops delivery or streaming.
 */
import type { EventEmitter } from 'node:events'
import type { RingEntry } from '../hub/ring.ts'
import type { Delivery } from '../webhook/message.ts'

/**
 * A message held in a webhook's outbox: what a delivery carries on every attempt (its id, body, idempotency key and
 * traceparent stay the same before and after a restart), its ordering lane, and `at`, when it arrived, wall clock ms
 * (its max age counts from it across a restart).
 */
export type StoredDelivery = Pick<Delivery, 'seq' | 'id' | 'event' | 'body' | 'key' | 'traceparent'> & { readonly lane: string, readonly at: number }

export interface WebhookOutbox {
  /** The messages held for `subscription`, oldest first, each with its store id. */
  load: (subscription: string) => Array<StoredDelivery & { storeId: number }>
  /** Keeps a message accepted into `subscription`'s queue; its store id, or null when it could not be written. */
  add: (subscription: string, delivery: StoredDelivery) => number | null
  /** The message left the queue (delivered, dead-lettered, evicted, expired). */
  remove: (storeId: number) => void
  /** Forgets the messages of every subscription not in `keep`; returns how many each had. */
  prune: (keep: ReadonlySet<string>) => Map<string, number>
}

/** A topic's life as kept: where its sequence started, where it is. */
export interface StoredTopic {
  /** The seq before its first event (ids at or below it are from an earlier life). */
  readonly base: number
  /** The hub's order before its first event. */
  readonly baseOrder: number
  /** Its latest seq. */
  readonly seq: number
  /** When it stopped being held (the hub's order then), or null while held. */
  readonly endedAtOrder: number | null
  /** When it stopped being held, wall clock ms; null while held, or when that was not recorded (a store made before it was). */
  readonly endedAt: number | null
}

export interface RingStore {
  /** The topic's life and its entries still held, oldest first; null when none is kept. */
  load: (key: string) => { topic: StoredTopic, entries: RingEntry[] } | null
  /** Every topic kept, by key. */
  topics: () => Map<string, StoredTopic>
  /** A new life of the topic begins (a subscription is created): its old entries are forgotten. */
  begin: (key: string, base: number, baseOrder: number) => void
  /** An event was added to the topic's ring. */
  append: (key: string, entry: RingEntry) => void
  /** The ring no longer holds entries below `firstHeldSeq`. */
  trim: (key: string, firstHeldSeq: number) => void
  /** The topic stopped being held at the hub's `order`, at `at` (wall clock ms): its entries are forgotten (a new life never reads them). */
  end: (key: string, order: number, at: number) => void
  /**
   * Forgets these topics, their life and entries: the store keeps a topic no longer held only so long (see
   * kept-rings.ts). `endedBy` is the hub's order by which each had ended; `forgottenUntil` keeps the highest.
   */
  forget: (keys: readonly string[], endedBy: number) => void
}

export interface StoreEvents {
  /** A write failed: what it would have kept is in memory only. `op` names the write. */
  write_error: [{ op: string, error: string }]
  /** Writes fail now (logged once until they succeed again). */
  failing: [{ op: string, error: string }]
  /** Writes succeed again. */
  recovered: [{ failedWrites: number }]
  /**
   * The write-ahead log was copied into the database: by the checkpointer thread (`copied` of the log's `frames`), or
   * by the writer itself when the log reached its bound (`byWriter`, and then the log is empty).
   */
  checkpointed: [{ frames: number, copied: number, byWriter?: true }]
}

export interface StateStore {
  /** The sidecar's epoch: kept, so ids given out before a restart stay valid after it. */
  readonly epoch: string
  /** The highest seq and the hub's order given out before this start. */
  readonly issued: { maxSeq: number, order: number }
  /** The highest order by which a topic the store forgot had ended (0: none forgotten). */
  readonly forgottenUntil: number
  readonly outbox: WebhookOutbox
  readonly rings: RingStore
  readonly events: EventEmitter<StoreEvents>
  /** Notes the hub's highest seq and order, written with the turn's commit. */
  noteIssued: (maxSeq: number, order: number) => void
  /** Commits what is pending and closes the file. Idempotent. */
  close: () => void
}
