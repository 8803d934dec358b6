/**
 * One configured channel as the gateway sees it: its sequence of events
 * (Phoenix messages, lifecycle, gaps) with ids, the replay ring, its
 * readers and message sinks, and what /v1/channels and /readyz report about it.
 */
import type { ChannelConfig } from '../config/types.ts'
import { formatEventId } from './event-id.ts'
import { PresenceView } from './presence-view.ts'
import type { MessageSink, Reader, ReaderSource } from './reader.ts'
import { ReplayRing, type RingEntry } from './ring.ts'

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
  #max = 0
  #order = 0
  get max (): number { return this.#max }
  note (seq: number): void { if (seq > this.#max) this.#max = seq }
  /** The order of the latest event of any topic (0 before the first). */
  get order (): number { return this.#order }
  nextOrder (): number { return ++this.#order }
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
  /** The merged presence, for a channel with `presence: true`; null otherwise. */
  presence: PresenceView | null

  /** `heldBytes`: what the ring holds at most, for resume and for readers catching up (sse.topicBufferBytes). */
  constructor (config: ChannelConfig, epoch: string, now: number, issued: IssuedSeq = new IssuedSeq(), heldBytes?: number) {
    this.config = config
    this.#issued = issued
    this.base = issued.max
    this.baseOrder = issued.order
    this.#seq = this.base
    this.presence = config.presence === true ? new PresenceView() : null
    this.ring = new ReplayRing(config.replay, heldBytes)
    this.#epoch = epoch
    this.since = now
  }

  /** A reload changed its config: the ring keeps its newest entries; presence starts afresh (the caller rejoins). */
  reconfigure (config: ChannelConfig): void {
    if (config.replay !== this.config.replay) this.ring = this.ring.resized(config.replay)
    if ((config.presence === true) !== (this.presence !== null)) this.presence = config.presence === true ? new PresenceView() : null
    this.config = config
  }

  /** The sequence number of the latest event (`base` before the first). */
  get seq (): number { return this.#seq }
  /** Events of this subscription so far. */
  get events (): number { return this.#seq - this.base }
  get epoch (): string { return this.#epoch }

  /** A held event, for a reader pulling what it has not been given yet. */
  entry (seq: number): RingEntry | undefined { return this.ring.get(seq) }

  /** Appends a Phoenix message (`data` is its JSON; `ascii`: it is known to hold only ASCII) and offers it to every reader and sink. */
  publish (event: string, data: string, now: number, ascii = false): void {
    this.#messages++
    const entry = this.#append(event, data, false, now, ascii)
    for (const sink of this.#sinks) sink.offer(entry)
  }

  /** Feeds `sink` with the messages published from now on (adding it again changes nothing). */
  addSink (sink: MessageSink): void { this.#sinks.add(sink) }
  removeSink (sink: MessageSink): void { this.#sinks.delete(sink) }
  get sinks (): ReadonlySet<MessageSink> { return this.#sinks }

  /** Appends a lifecycle or gap event; these pass every filter. */
  control (event: 'joined' | 'errored' | 'rejoined' | 'gap' | 'closed', data: Record<string, unknown>, now: number): void {
    this.#append(event, JSON.stringify(data), true, now)
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

  #append (event: string, data: string, control: boolean, now: number, ascii = false): RingEntry {
    const seq = ++this.#seq
    this.#issued.note(seq)
    const entry: RingEntry = { seq, order: this.#issued.nextOrder(), at: now, event, data, control, ascii }
    this.ring.push(entry)
    for (const reader of this.readers) if (reader.offer(entry)) this.eventsSent++
    return entry
  }
}
