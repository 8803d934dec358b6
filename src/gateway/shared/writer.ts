/**
 * One topic's writer on one replica: every replica offers every message it
 * receives from Phoenix; only the lease holder appends, each message once.
 *
 * - Holder: appends at once, in the order offered (one append at a time).
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
import { APPEND } from './scripts.ts'

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

/**
 * The fenced append: writes unless another replica holds the lease
 * (LeaseLostError) or the identity was appended within the dedupe window
 * (`duplicate` with the id it got then).
 */
export async function appendEntry (link: RedisLink, keys: TopicKeys, topic: string, identity: string, fields: readonly string[], options: AppendOptions): Promise<{ duplicate: boolean, epoch: string, id: string }> {
  const reply = await link.script('append', APPEND, [keys.lease, keys.stream, keys.epoch, keys.seen + identity],
    [options.replicaId, String(options.maxLen), String(options.dedupeWindowMs), options.newEpoch(), ...fields, 'i', identity, 'w', options.replicaId])
  if (!Array.isArray(reply)) throw new SharedHistoryUnavailableError('refused', 'append')
  const [kind, epoch, id] = reply
  if (kind === 'lost') throw new LeaseLostError(topic)
  return { duplicate: kind === 'duplicate', epoch: String(epoch), id: String(id) }
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
  readonly now?: () => number
}

export class SharedTopicWriter extends EventEmitter<{ holder: [boolean], dropped: [number], append: [OfferOutcome['kind']] }> {
  readonly lease: TopicLease
  readonly #options: SharedTopicWriterOptions
  readonly #pending: PendingWindow
  readonly #now: () => number
  /** Appends run one at a time, in order: a chain whose every link has the link's deadline. */
  #chain: Promise<unknown> = Promise.resolve()

  constructor (options: SharedTopicWriterOptions) {
    super()
    this.#options = options
    this.#now = options.now ?? (() => performance.now())
    const pendingMs = options.pendingWindowMs ?? 2 * options.leaseTtlMs
    if (options.dedupeWindowMs <= pendingMs) throw new RangeError('dedupeWindowMs must exceed the pending window, or a late takeover could append a message twice')
    this.#pending = new PendingWindow(pendingMs, options.maxPending ?? 10_000, options.dedupeWindowMs + options.leaseTtlMs)
    this.lease = new TopicLease({ link: options.link, key: options.keys.lease, replicaId: options.replicaId, ttlMs: options.leaseTtlMs, now: this.#now })
    this.lease.on('acquired', () => {
      this.emit('holder', true)
      this.#serial(async () => { await this.#flush() }).catch(() => undefined)
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
    return { identity: pending.identity, outcome: this.#serial(async () => this.#append(pending)) }
  }

  async #serial<T> (job: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(job, job)
    this.#chain = run.catch(() => undefined)
    return run
  }

  async #flush (): Promise<void> {
    for (const message of this.#pending.unappended(this.#now())) {
      if (!this.lease.holds()) return
      const outcome = await this.#append(message)
      if (outcome.kind !== 'appended' && outcome.kind !== 'duplicate') return
    }
    this.#reportDropped()
  }

  async #append (message: PendingMessage): Promise<OfferOutcome> {
    if (message.appended) return { kind: 'held' }
    try {
      const { duplicate, epoch, id } = await appendEntry(this.#options.link, this.#options.keys, this.#options.topic, message.identity, message.fields, this.#options)
      message.appended = true
      this.emit('append', duplicate ? 'duplicate' : 'appended')
      return { kind: duplicate ? 'duplicate' : 'appended', eventId: formatSharedEventId(epoch, id) }
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.lease.fenced()
        this.emit('append', 'held')
        return { kind: 'held' }
      }
      if (err instanceof SharedHistoryUnavailableError) {
        this.emit('append', 'unavailable')
        return { kind: 'unavailable', error: err }
      }
      throw err
    }
  }

  #reportDropped (): void {
    const dropped = this.#pending.takeDropped()
    if (dropped > 0) this.emit('dropped', dropped)
  }
}
