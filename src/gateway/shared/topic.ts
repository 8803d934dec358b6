/**
 * One carried topic's part in shared history on this replica: its writer
 * (every message received is offered, never awaited), and which history
 * its readers are served from.
 *
 * - `shared`: a received message waits until it is read back from the
 *   topic's stream (the tail, history.ts) and is published then, with its
 *   shared id `<epoch>:<ms>-<n>`, the same on every replica. Entries the
 *   stream holds that this replica has not received (yet) are published
 *   as they are read; the message received later is not published again.
 * - `local`: a received message is published at once with a local id, and
 *   its identity is remembered, so that the same message read back from the
 *   stream later (appended by the holder once Redis is back) is not given
 *   to readers twice.
 *
 * Each switch puts a `gap` event in the topic's sequence. Going local, what
 * was received and not yet read back is published locally after the gap,
 * in the order received, so nothing received is held back.
 */
import { EventEmitter } from 'node:events'
import { isAsciiText } from '../hub/payload-json.ts'
import type { SharedRoute } from '../hub/shared-route.ts'
import type { Subscription } from '../hub/subscription.ts'
import { compareEntryIds, parseEntryId, type TopicKeys } from './keys.ts'
import type { SharedEntry } from './reader.ts'
import { RecentIdentities } from './recent.ts'
import type { OfferOutcome, SharedTopicWriter } from './writer.ts'

export type TopicMode = 'local' | 'shared'

/** Why a topic went back to local history. */
export type LocalCause = 'unavailable' | 'stalled' | 'closed'

/** Where this replica reads the topic's stream: the stream's epoch ('' before it has one) and the last entry id read. */
export interface StreamPosition { epoch: string, after: string }

interface Waiting { readonly event: string, readonly data: string, readonly ascii: boolean, readonly at: number }

export interface SharedTopicOptions {
  readonly sub: Subscription
  readonly writer: SharedTopicWriter
  readonly keys: TopicKeys
  /** How long an identity is remembered (more than a message can take to be appended: the pending window and a takeover). */
  readonly rememberMs: number
  /** Identities remembered at most, each way; also the most messages that wait to be read back. */
  readonly maxRemembered: number
  /** How long a topic that fell back because too much waited stays local, ms. */
  readonly stallMs: number
  /** Wall clock, ms. */
  readonly now: () => number
}

/** The gap events a topic's switches put in its sequence. */
export type SwitchGap = 'shared_history_unavailable' | 'shared_history_resumed' | 'shared_history_restarted'

export class SharedTopic extends EventEmitter<{ mode: [TopicMode, LocalCause | null], advanced: [], outcome: [OfferOutcome['kind']], gap: [SwitchGap] }> implements SharedRoute {
  readonly sub: Subscription
  readonly writer: SharedTopicWriter
  readonly keys: TopicKeys
  #mode: TopicMode = 'local'
  /** Null until this replica has found its place in the stream. */
  position: StreamPosition | null = null
  /** Not before this time (ms, wall clock) does a topic that went local try shared history again. */
  retryAt = 0
  /** Its writer takes part in the lease (the channel is joined here). */
  writing = false
  readonly #now: () => number
  readonly #maxWaiting: number
  readonly #stallMs: number
  /** Received while shared, not read back yet, in the order received. */
  readonly #waiting = new Map<string, Waiting>()
  /** Published locally: not published again when read back from the stream. */
  readonly #publishedLocally: RecentIdentities<true>
  /**
   * Read from the stream: '' when it was given to readers (published from
   * the stream or locally), so the message received afterwards is not
   * published again; its shared id when it was not (read while local, or
   * before this replica's place), so the message received afterwards is
   * published at once with that id instead of waiting.
   */
  readonly #readBack: RecentIdentities<string>
  /** Something was published locally since the topic was last served from shared history. */
  #localSinceShared = false

  constructor (options: SharedTopicOptions) {
    super()
    this.sub = options.sub
    this.writer = options.writer
    this.keys = options.keys
    this.#now = options.now
    this.#maxWaiting = options.maxRemembered
    this.#stallMs = options.stallMs
    this.#publishedLocally = new RecentIdentities<true>(options.rememberMs, options.maxRemembered)
    this.#readBack = new RecentIdentities<string>(options.rememberMs, options.maxRemembered)
  }

  get mode (): TopicMode { return this.#mode }

  /** When the oldest message still waiting to be read back was received (ms), or null. */
  get oldestWaiting (): number | null {
    const first = this.#waiting.values().next()
    return first.done === true ? null : first.value.at
  }

  received (event: string, data: string, ascii: boolean): boolean {
    const { identity, outcome } = this.writer.take({ event, payload: data })
    outcome.then((o) => { this.emit('outcome', o.kind) }, () => undefined)
    const now = this.#now()
    if (this.#mode === 'shared') {
      const read = this.#readBack.get(identity, now)
      if (read === undefined) {
        this.#waiting.set(identity, { event, data, ascii, at: now })
        // Nothing is read back while this many wait: memory stays bounded, and readers get them locally.
        if (this.#waiting.size > this.#maxWaiting) this.toLocal('stalled', now + this.#stallMs)
      } else if (read !== '') {
        // Read from the stream before it arrived here, and not given to readers then: given now, with its shared id.
        this.#readBack.set(identity, '', now)
        this.sub.publish(event, data, now, ascii, read)
      }
      return true
    }
    this.#publishedLocally.set(identity, true, now)
    this.#localSinceShared = true
    return false
  }

  /** Entries read from the stream, in order: each is published with its shared id unless it was published already. */
  fromStream (entries: readonly SharedEntry[], epoch: string): void {
    const now = this.#now()
    for (const entry of entries) {
      this.position = { epoch, after: entry.entryId }
      const given = this.#given(entry.identity, now)
      if (this.#mode !== 'shared') {
        this.#readBack.set(entry.identity, given ? '' : entry.eventId, now)
        continue
      }
      this.#waiting.delete(entry.identity)
      this.#readBack.set(entry.identity, '', now)
      if (given) continue
      const data = typeof entry.payload === 'string' ? entry.payload : JSON.stringify({ base64: Buffer.from(entry.payload).toString('base64') })
      this.sub.publish(entry.event, data, now, isAsciiText(data) && isAsciiText(entry.event), entry.eventId)
    }
    if (entries.length > 0) this.emit('advanced')
  }

  /** Entries the stream held before this replica's place in it: received later, they are published at once with their shared id. */
  noteBefore (entries: readonly SharedEntry[]): void {
    const now = this.#now()
    for (const entry of entries) this.#readBack.set(entry.identity, this.#given(entry.identity, now) ? '' : entry.eventId, now)
  }

  /**
   * Whether readers were given this message already: published locally, or
   * read from the stream before and published then. The same message can be
   * read twice: a holder appends what is still pending again into the new
   * stream of a Redis that restarted empty.
   */
  #given (identity: string, now: number): boolean {
    return this.#publishedLocally.get(identity, now) === true || this.#readBack.get(identity, now) === ''
  }

  /** Serves readers from shared history from now on: a gap first when readers were given local events since it last did. */
  toShared (): void {
    if (this.#mode === 'shared') return
    if (this.#localSinceShared) this.#gap('shared_history_resumed')
    this.#localSinceShared = false
    this.#mode = 'shared'
    this.sub.sharedIds = true
    this.emit('mode', 'shared', null)
  }

  /**
   * Serves readers from local history from now on: a gap, then what was
   * received and not read back yet, in the order received. The position in
   * the stream is kept: coming back, the topic reads on from it, and skips
   * what it published here.
   */
  toLocal (cause: LocalCause, retryAt = 0): void {
    this.retryAt = retryAt
    if (this.#mode === 'local') return
    this.#mode = 'local'
    this.sub.sharedIds = false
    // At shutdown (`closed`) the readers have ended already: there is no one to tell.
    if (cause !== 'closed') this.#gap('shared_history_unavailable')
    const now = this.#now()
    for (const [identity, waiting] of this.#waiting) {
      this.#publishedLocally.set(identity, true, now)
      this.sub.publish(waiting.event, waiting.data, now, waiting.ascii)
      this.#localSinceShared = true
    }
    this.#waiting.clear()
    this.emit('mode', 'local', cause)
  }

  /** Redis lost the stream (a new epoch): readers are told; the position moves to the new stream's start. */
  restarted (epoch: string): void {
    this.position = { epoch, after: '0-0' }
    if (this.#mode === 'shared') this.#gap('shared_history_restarted')
  }

  /** Whether this replica has read the stream up to `entryId` (in the current epoch). */
  hasRead (entryId: string): boolean {
    const at = this.position === null ? null : parseEntryId(this.position.after)
    const id = parseEntryId(entryId)
    return at !== null && id !== null && compareEntryIds(at, id) >= 0
  }

  #gap (reason: SwitchGap): void {
    const now = this.#now()
    this.emit('gap', reason)
    // Published in local mode (toShared before, toLocal after the switch): it has a local id, so a reader's place is exact here.
    this.sub.control('gap', { reason, at: new Date(now).toISOString() }, now)
  }
}
