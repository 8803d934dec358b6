/**
 * One topic's writer on one replica: every replica offers every message it
 * receives from Phoenix; only the lease holder appends, each message once.
 *
 * - Holder: appends at once, in the order offered. One script call is in
 *   flight at a time; what arrives meanwhile queues, and the next call
 *   appends the queue's oldest messages together (batch.ts: up to 100
 *   messages or 1 MiB), each fenced and deduplicated as if alone.
 * - Not holder: keeps the message in its pending window and answers `held`.
 * - Taking the lease over: appends what is pending and unappended, oldest
 *   first; what the old holder had appended comes back `duplicate` (the
 *   dedupe mark of its identity), the rest fills what it missed.
 * - Redis unavailable: answers `unavailable` (the hub keeps local history
 *   and marks a gap); the message stays pending and is appended if the
 *   lease is held again while it is still in the window.
 */
import { EventEmitter } from 'node:events'
import { LeaseLostError, SharedHistoryUnavailableError } from './errors.ts'
import { formatSharedEventId, type TopicKeys } from './keys.ts'
import { TopicLease } from './lease.ts'
import { contentHash, PendingWindow, type PendingMessage } from './pending.ts'
import type { RedisLink } from './redis-link.ts'
import { APPEND_BATCH } from './scripts.ts'
import { batchArguments, batchLength, DEFAULT_BATCH_LIMITS, fieldsBytes, parseBatchReply, withFlush, type BatchEntryResult, type BatchLimits } from './batch.ts'

/** A channel message as the hub has it: JSON text, or the bytes of a binary push. */
export interface SharedMessage {
  readonly event: string
  readonly payload: string | Uint8Array
}

export type OfferOutcome =
  | { readonly kind: 'appended' | 'duplicate', readonly eventId: string }
  | { readonly kind: 'held' }
  | { readonly kind: 'unavailable', readonly error: SharedHistoryUnavailableError }

/** The field/value pairs of a stream entry: e event, p JSON text or b base64 bytes, i identity, w writer. */
export function entryFields (message: SharedMessage): string[] {
  const body = typeof message.payload === 'string' ? ['p', message.payload] : ['b', Buffer.from(message.payload).toString('base64')]
  return ['e', message.event, ...body]
}

export interface AppendOptions {
  readonly replicaId: string
  readonly maxLen: number
  readonly dedupeWindowMs: number
  /** The epoch a stream gets if it has none (its first append, or after Redis lost it). */
  readonly newEpoch: () => string
}

/** One message to append: its identity (the dedupe mark's name) and its entry fields, without `i` and `w`. */
export interface AppendItem { readonly identity: string, readonly fields: readonly string[] }

/**
 * The fenced append of `items`, in order, in one script call: all of them
 * or, when another replica holds the lease, none (LeaseLostError). Each
 * identity appended within the dedupe window comes back `duplicate` with
 * the id it got then.
 */
export async function appendEntries (link: RedisLink, keys: TopicKeys, topic: string, items: readonly AppendItem[], options: AppendOptions): Promise<{ epoch: string, results: readonly BatchEntryResult[] }> {
  const seen = items.map((item) => keys.seen + item.identity)
  const fields = items.map((item) => [...item.fields, 'i', item.identity, 'w', options.replicaId])
  const reply = parseBatchReply(await link.script('append', APPEND_BATCH, [keys.lease, keys.stream, keys.epoch, ...seen],
    [options.replicaId, String(options.maxLen), String(options.dedupeWindowMs), options.newEpoch(), ...batchArguments(fields)]), items.length)
  if (reply === null) throw new SharedHistoryUnavailableError('refused', 'append')
  if (reply.kind === 'lost') throw new LeaseLostError(topic)
  return reply
}

/** A message waiting in the writer's queue; `settle` is its offer's (absent for a message a takeover's flush added). */
interface QueuedAppend {
  readonly message: PendingMessage
  readonly bytes: number
  readonly settle?: { resolve: (outcome: OfferOutcome) => void, reject: (err: unknown) => void }
}

export interface SharedTopicWriterOptions extends AppendOptions {
  readonly link: RedisLink
  readonly keys: TopicKeys
  readonly topic: string
  readonly leaseTtlMs: number
  /** How long a received message waits for a writer; default 2 × leaseTtlMs (more than a takeover takes). */
  readonly pendingWindowMs?: number
  /** At most this many pending messages; default 10,000. */
  readonly maxPending?: number
  /** Bounds of one append call; default 100 messages, 1 MiB of fields. */
  readonly batch?: BatchLimits
  readonly now?: () => number
}

export class SharedTopicWriter extends EventEmitter<{ holder: [boolean], dropped: [number], append: [OfferOutcome['kind']] }> {
  readonly lease: TopicLease
  readonly #options: SharedTopicWriterOptions
  readonly #pending: PendingWindow
  readonly #now: () => number
  readonly #batch: BatchLimits
  /** Messages to append, oldest first; one batch of them is in flight at a time (while `#draining`). */
  #queue: QueuedAppend[] = []
  #draining = false

  constructor (options: SharedTopicWriterOptions) {
    super()
    this.#options = options
    this.#now = options.now ?? (() => performance.now())
    const pendingMs = options.pendingWindowMs ?? 2 * options.leaseTtlMs
    if (options.dedupeWindowMs <= pendingMs) throw new RangeError('dedupeWindowMs must exceed the pending window, or a late takeover could append a message twice')
    this.#pending = new PendingWindow(pendingMs, options.maxPending ?? 10_000, options.dedupeWindowMs + options.leaseTtlMs)
    this.lease = new TopicLease({ link: options.link, key: options.keys.lease, replicaId: options.replicaId, ttlMs: options.leaseTtlMs, now: this.#now })
    this.#batch = options.batch ?? DEFAULT_BATCH_LIMITS
    this.lease.on('acquired', () => {
      this.emit('holder', true)
      // Everything pending and not appended goes first, oldest first: what the old holder missed.
      this.#queue = withFlush(this.#queue, this.#pending.unappended(this.#now()), (message) => this.#queued(message))
      this.#drain()
    })
    this.lease.on('lost', () => { this.emit('holder', false) })
  }

  start (): void { this.lease.start() }

  async stop (options?: { release?: boolean }): Promise<void> {
    await this.lease.stop(options)
  }

  get pendingCount (): number { return this.#pending.size }

  /** Offers one received message; settles within the link's deadline. */
  async offer (message: SharedMessage): Promise<OfferOutcome> {
    return this.take(message).outcome
  }

  /** Offers one received message: its identity at once, the outcome when the append (if any) settles, within the link's deadline. */
  take (message: SharedMessage): { identity: string, outcome: Promise<OfferOutcome> } {
    const fields = entryFields(message)
    const pending = this.#pending.add(contentHash(message.event, message.payload), fields, this.#now())
    this.#reportDropped()
    if (!this.lease.holds()) return { identity: pending.identity, outcome: Promise.resolve({ kind: 'held' }) }
    const outcome = new Promise<OfferOutcome>((resolve, reject) => { this.#queue.push(this.#queued(pending, { resolve, reject })) })
    this.#drain()
    return { identity: pending.identity, outcome }
  }

  #queued (message: PendingMessage, settle?: QueuedAppend['settle']): QueuedAppend {
    return settle === undefined ? { message, bytes: fieldsBytes(message.fields) } : { message, bytes: fieldsBytes(message.fields), settle }
  }

  /** Starts appending unless a batch is in flight; after the current turn, so every message of one socket read goes in one batch. */
  #drain (): void {
    if (this.#draining) return
    this.#draining = true
    queueMicrotask(() => { this.#run().catch(() => undefined) })
  }

  /** Appends the queue batch by batch until it is empty; each batch settles its messages' offers. */
  async #run (): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        if (!this.lease.holds()) {
          // Not the writer (any more): they stay pending, for whoever takes the lease (this replica too, later).
          this.#settleAll({ kind: 'held' })
          break
        }
        const sizes = this.#queue.slice(0, this.#batch.maxCount).map((item) => item.bytes)
        const batch = this.#queue.splice(0, batchLength(sizes, this.#batch))
        let outcomes: OfferOutcome[]
        try {
          outcomes = await this.#append(batch.map((item) => item.message))
        } catch (err) {
          for (const item of batch) item.settle?.reject(err)
          continue
        }
        batch.forEach((item, i) => { item.settle?.resolve(outcomes[i] ?? { kind: 'held' }) })
        const failed = outcomes.find((o): o is Extract<OfferOutcome, { kind: 'unavailable' }> => o.kind === 'unavailable')
        // Redis unavailable: what waits fails alike at once (it stays pending) rather than each waiting for a deadline of its own.
        if (failed !== undefined) this.#settleAll(failed)
      }
      this.#reportDropped()
    } finally {
      // In the same turn as the last look at the queue: a message queued after it starts a new run.
      this.#draining = false
    }
  }

  #settleAll (outcome: OfferOutcome): void {
    const queue = this.#queue
    this.#queue = []
    for (const item of queue) item.settle?.resolve(outcome)
  }

  /** Appends `messages` in one call; one outcome per message, in order. */
  async #append (messages: readonly PendingMessage[]): Promise<OfferOutcome[]> {
    const outcomes: OfferOutcome[] = messages.map(() => ({ kind: 'held' }))
    const todo = messages.flatMap((message, i) => message.appended ? [] : [{ message, i }])
    if (todo.length === 0) return outcomes
    try {
      const { epoch, results } = await appendEntries(this.#options.link, this.#options.keys, this.#options.topic, todo.map(({ message }) => message), this.#options)
      todo.forEach(({ message, i }, k) => {
        const result = results[k]
        if (result === undefined) return
        message.appended = true
        this.emit('append', result.duplicate ? 'duplicate' : 'appended')
        outcomes[i] = { kind: result.duplicate ? 'duplicate' : 'appended', eventId: formatSharedEventId(epoch, result.id) }
      })
      return outcomes
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.lease.fenced()
        todo.forEach(() => { this.emit('append', 'held') })
        return outcomes
      }
      if (err instanceof SharedHistoryUnavailableError) {
        for (const { i } of todo) {
          this.emit('append', 'unavailable')
          outcomes[i] = { kind: 'unavailable', error: err }
        }
        return outcomes
      }
      throw err
    }
  }

  #reportDropped (): void {
    const dropped = this.#pending.takeDropped()
    if (dropped > 0) this.emit('dropped', dropped)
  }
}
