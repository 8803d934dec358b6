/**
 * One configured channel as the gateway sees it: its sequence of events
 * (Phoenix messages, lifecycle, gaps) with ids, the replay ring, the SSE
 * readers, and what /v1/channels and /readyz report about it.
 */
import type { ChannelConfig } from '../config/types.ts'
import { formatEvent } from '../http/sse/format.ts'
import type { SseStreamWriter, SseSource } from '../http/sse/stream-writer.ts'
import { formatEventId } from './event-id.ts'
import { PresenceView } from './presence-view.ts'
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
 * hub (one epoch). A new subscription starts above it, so an id is never
 * given out twice in a sidecar's life, even for a topic held again.
 */
export class IssuedSeq {
  #max = 0
  get max (): number { return this.#max }
  note (seq: number): void { if (seq > this.#max) this.#max = seq }
}

/** Where a channel's messages also go (a webhook sink): each message with its sequence number. */
export interface MessageSink {
  offer: (seq: number, event: string, data: string) => void
}

export class Subscription implements SseSource {
  /** Replaced in place by a reload (same upstream and topic). */
  config: ChannelConfig
  ring: ReplayRing
  readonly clients = new Set<SseStreamWriter>()
  readonly #epoch: string
  readonly #issued: IssuedSeq
  /** The sequence number before this life's first event: ids at or below it are from before this subscription. */
  readonly base: number
  #seq: number
  #messages = 0
  state: SubscriptionState = 'joining'
  /** When the state last changed (ms since the epoch). */
  since: number
  /** When a joined channel went down; null while joined or never joined. */
  downSince: number | null = null
  joinedOnce = false
  lastError: SubscriptionStatus['lastError'] = null
  /** SSE events written to readers, replays and per-reader gaps included (read by metrics). */
  eventsSent = 0
  /** The webhook sink fed with this channel's messages (not lifecycle events), if it has one. */
  sink: MessageSink | null = null
  /** The merged presence, for a channel with `presence: true`; null otherwise. */
  presence: PresenceView | null

  /** `heldBytes`: what the ring holds at most, for resume and for readers catching up (sse.topicBufferBytes). */
  constructor (config: ChannelConfig, epoch: string, now: number, issued: IssuedSeq = new IssuedSeq(), heldBytes?: number) {
    this.config = config
    this.#issued = issued
    this.base = issued.max
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

  /** Appends a Phoenix message (`data` is its JSON) and sends it to every reader. */
  publish (event: string, data: string, now: number): void {
    this.#messages++
    this.#append(event, data, false, now)
    this.sink?.offer(this.#seq, event, data)
  }

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
      subscribers: this.clients.size,
      lastEventId: this.#seq === this.base ? null : formatEventId(this.#epoch, this.#seq),
      since: new Date(this.since).toISOString(),
      lastError: this.lastError,
    }
  }

  #append (event: string, data: string, control: boolean, now: number): void {
    const seq = ++this.#seq
    this.#issued.note(seq)
    const id = formatEventId(this.#epoch, seq)
    // A Phoenix event name may hold anything; a line break would end the SSE field, so it becomes a space.
    const name = event.replace(/[\r\n]+/g, ' ')
    const entry: RingEntry = { seq, at: now, event: name, control, wire: formatEvent({ id, event: name, data }) }
    this.ring.push(entry)
    for (const client of this.clients) if (client.offer(entry)) this.eventsSent++
  }
}
