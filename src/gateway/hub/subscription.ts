/**
 * One configured channel as the gateway sees it: its sequence of events
 * (Phoenix messages, lifecycle, gaps) with ids, the replay ring, its
 * readers and message sinks, and what /v1/channels and /readyz report about it.
 */
import type { ChannelConfig } from '../config/types.ts'
import { formatEventId } from './event-id.ts'
import { PresenceView } from './presence-view.ts'
import type { MessageSink, Reader, ReaderSource } from './reader.ts'
import type { SharedRoute } from './shared-route.ts'
import { ReplayRing, type RingEntry } from './ring.ts'
import type { RingStore, StoredTopic } from '../store/state-store.ts'

export type SubscriptionState = 'joining' | 'joined' | 'errored' | 'closed'

export interface SubscriptionStatus {
  name: string
  upstream: string
  topic: string
  state: SubscriptionState
  required: boolean
  messages: number
  subscribers: number
  lastEventId: string | null
  since: string
  lastError: { code: string, message: string, at: string } | null
}

/**
 * The highest sequence number given out so far by any subscription of one
 * hub (one epoch): a new subscription starts above it, so an id is never
 * given out twice in a sidecar's life, even for a topic held again. And the
 * hub's one order over the events of every topic.
 */
export class IssuedSeq {
  #max: number
  #order: number
  readonly #onIssue: ((max: number, order: number) => void) | null

  /** Starts from what an earlier life of the sidecar gave out (kept in the store), telling `onIssue` of each event's numbers. */
  constructor (max = 0, order = 0, onIssue?: (max: number, order: number) => void) {
    this.#max = max
    this.#order = order
    this.#onIssue = onIssue ?? null
  }

  get max (): number { return this.#max }
  note (seq: number): void { if (seq > this.#max) this.#max = seq }
  /** The order of the latest event of any topic (0 before the first). */
  get order (): number { return this.#order }
  nextOrder (): number {
    const order = ++this.#order
    this.#onIssue?.(this.#max, order)
    return order
  }
}

/**
 * Where a subscription keeps its ring across a restart: the store, under
 * the topic's key, and the life kept there to continue (`restore`), or
 * none to begin a new one.
 */
export interface KeptRing {
  readonly store: RingStore
  readonly key: string
  readonly restore: { topic: StoredTopic, entries: RingEntry[] } | null
}

export class Subscription implements ReaderSource {
  /** Replaced in place by a reload (same upstream and topic). */
  config: ChannelConfig
  ring: ReplayRing
  /** Its open readers, of any outlet. */
  readonly readers = new Set<Reader>()
  readonly #epoch: string
  readonly #issued: IssuedSeq
  /** The sequence number before this life's first event: ids at or below it are from before this subscription. */
  readonly base: number
  /** The hub's order before this life's first event: every event of this subscription comes after it. */
  readonly baseOrder: number
  #seq: number
  #messages = 0
  state: SubscriptionState = 'joining'
  /** When the state last changed (ms since the epoch). */
  since: number
  /** When a joined channel went down; null while joined or never joined. */
  downSince: number | null = null
  joinedOnce = false
  lastError: SubscriptionStatus['lastError'] = null
  /** Events given to readers, replays and per-reader gaps included (read by metrics). */
  eventsSent = 0
  /** Where its messages (not lifecycle events) also go: a webhook sink, or any other. */
  readonly #sinks = new Set<MessageSink>()
  readonly #kept: KeptRing | null
  /** The lowest seq the store was last told the ring holds. */
  #keptFrom: number | undefined
  /** The merged presence, for a channel with `presence: true`; null otherwise. */
  presence: PresenceView | null
  /** Shared history's part in its messages (shared/), or null: every message is published as received. */
  shared: SharedRoute | null = null
  /** Served from shared history now: lifecycle events go out without an id (see RingEntry.id). */
  sharedIds = false

  /** `heldBytes`: what the ring holds at most, for resume and for readers catching up (sse.topicBufferBytes). */
  /**
   * `kept`: the store keeping its ring. A life restored from it continues
   * its numbers and ring, and starts down since its latest event: the
   * messages Phoenix sent while the sidecar was not running are lost, and
   * its join says so with a gap.
   */
  constructor (config: ChannelConfig, epoch: string, now: number, issued: IssuedSeq = new IssuedSeq(), heldBytes?: number, kept: KeptRing | null = null) {
    this.config = config
    this.#issued = issued
    const restore = kept?.restore ?? null
    this.base = restore?.topic.base ?? issued.max
    this.baseOrder = restore?.topic.baseOrder ?? issued.order
    this.#seq = this.base
    this.presence = config.presence === true ? new PresenceView() : null
    this.ring = new ReplayRing(config.replay, heldBytes)
    this.#epoch = epoch
    this.since = now
    this.#kept = kept
    if (kept === null) return
    if (restore === null) {
      kept.store.begin(kept.key, this.base, this.baseOrder)
      return
    }
    const first = restore.entries[0]
    if (first !== undefined && first.seq > this.base + 1) this.ring.noteDroppedBefore(first)
    for (const entry of restore.entries) this.ring.push(entry)
    const last = restore.entries.at(-1)
    this.#seq = Math.max(restore.topic.seq, last?.seq ?? this.base)
    this.#keptFrom = first?.seq
    this.#trimKept()
    this.downSince = last?.at ?? now
    this.joinedOnce = true
  }

  /** A reload changed its config: the ring keeps its newest entries; presence starts afresh (the caller rejoins). */
  reconfigure (config: ChannelConfig): void {
    if (config.replay !== this.config.replay) {
      this.ring = this.ring.resized(config.replay)
      this.#trimKept()
    }
    if ((config.presence === true) !== (this.presence !== null)) this.presence = config.presence === true ? new PresenceView() : null
    this.config = config
  }

  /** The sequence number of the latest event (`base` before the first). */
  get seq (): number { return this.#seq }
  /** Events of this subscription so far. */
  get events (): number { return this.#seq - this.base }
  get epoch (): string { return this.#epoch }

  /** How many readers it has now (ReaderSource). */
  get readerCount (): number { return this.readers.size }

  /** A held event, for a reader pulling what it has not been given yet. */
  entry (seq: number): RingEntry | undefined { return this.ring.get(seq) }

  /** Appends a Phoenix message (`data` is its JSON; `ascii`: it is known to hold only ASCII) and offers it to every reader and sink. */
  publish (event: string, data: string, now: number, ascii = false, id?: string): void {
    this.#messages++
    const entry = this.#append(event, data, false, now, ascii, id)
    for (const sink of this.#sinks) sink.offer(entry)
  }

  /** Feeds `sink` with the messages published from now on (adding it again changes nothing). */
  addSink (sink: MessageSink): void { this.#sinks.add(sink) }
  removeSink (sink: MessageSink): void { this.#sinks.delete(sink) }
  get sinks (): ReadonlySet<MessageSink> { return this.#sinks }

  /** Appends a lifecycle or gap event; these pass every filter. */
  control (event: 'joined' | 'errored' | 'rejoined' | 'gap' | 'closed', data: Record<string, unknown>, now: number): void {
    this.#append(event, JSON.stringify(data), true, now, false, this.sharedIds ? '' : undefined)
  }

  setState (state: SubscriptionState, now: number): void {
    if (state === this.state) return
    this.state = state
    this.since = now
  }

  status (): SubscriptionStatus {
    return {
      name: this.config.name,
      upstream: this.config.upstream,
      topic: this.config.topic,
      state: this.state,
      required: this.config.required,
      messages: this.#messages,
      subscribers: this.readers.size,
      lastEventId: this.#seq === this.base ? null : formatEventId(this.#epoch, this.#seq),
      since: new Date(this.since).toISOString(),
      lastError: this.lastError,
    }
  }

  #append (event: string, data: string, control: boolean, now: number, ascii = false, id?: string): RingEntry {
    const seq = ++this.#seq
    this.#issued.note(seq)
    const entry: RingEntry = id === undefined
      ? { seq, order: this.#issued.nextOrder(), at: now, event, data, control, ascii }
      : { seq, order: this.#issued.nextOrder(), at: now, event, data, control, ascii, id }
    this.ring.push(entry)
    if (this.#kept !== null) {
      this.#kept.store.append(this.#kept.key, entry)
      this.#trimKept()
    }
    for (const reader of this.readers) if (reader.offer(entry)) this.eventsSent++
    return entry
  }

  /** Tells the store when the ring no longer holds its oldest entries. */
  #trimKept (): void {
    const first = this.ring.firstHeldSeq
    if (this.#kept === null || first === undefined || first === this.#keptFrom) return
    this.#keptFrom = first
    this.#kept.store.trim(this.#kept.key, first)
  }
}
