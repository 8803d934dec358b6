/**
 * The subscription hub: every configured channel, fed by the upstream
 * clients, read by readers and fed to sinks of any outlet (./reader.ts). It turns channel messages and lifecycle
 * changes into numbered events, keeps them for resume, and says `gap`
 * where messages may have been lost: while the upstream was down, when a
 * resume reaches past the ring, or across a sidecar restart.
 */
import { EventEmitter } from 'node:events'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../phoenix/depth.ts'
import type { ReceivedPayload } from '../../phoenix/message.ts'
import type { ChannelConfig } from '../config/types.ts'
import type { PresenceEvent } from './presence-view.ts'
import { EndedLives } from './ended-lives.ts'
import { forwardedJson, isAsciiText } from './payload-json.ts'
import type { CutCause, EndReason, Reader, ReaderSource } from './reader.ts'
import { TopicReaderEnds } from './reader-ends.ts'
import { CatchUpSource } from './catch-up.ts'
import { isSharedId, type SharedResume } from './shared-route.ts'
import { planResume, planTopicResume, type Gap } from './resume.ts'
import { IssuedSeq, Subscription } from './subscription.ts'
import { STORED_TOPIC_RETENTION_MS, continuedNumbers, forgetUnheldTopics, keptRing, type HubStore, type StartMark } from './kept-rings.ts'

export interface HubOptions {
  epoch: string
  /** Wall-clock time in ms (for the times in gap events). */
  now: () => number
  /** Bytes of events each topic holds at most, for resume and for readers catching up (sse.topicBufferBytes); unset: its replay only. */
  topicBufferBytes?: number
  /**
   * The durable store (STATE_DIR): the hub continues the numbers it gave
   * out before (with `epoch` the store's), keeps every topic's ring there
   * and restores a topic's ring when it is held again after a restart.
   */
  store?: HubStore
}

/**
 * Why a channel message was dropped instead of published: `too_deep` (its
 * payload nests too deeply to be written as JSON), `handler_error` (its
 * handling failed in some other way).
 */
export type DropReason = 'too_deep' | 'handler_error'

export function dropReason (err: unknown): DropReason {
  return err instanceof RangeError && /call stack/i.test(err.message) ? 'too_deep' : 'handler_error'
}

/** What the hub reports to metrics and logs; `subscription` is the configured name. */
export interface HubEvents {
  /** A message could not be handled: dropped, and its readers told with a `gap` (`subscription` null when no subscription holds the topic). */
  message_dropped: [{ upstream: string, topic: string, subscription: string | null, event: string, reason: DropReason }]
  /** Messages may be missing: for every reader (`reader: false`, the upstream was down) or for one resuming reader. */
  gap: [{ subscription: string, reason: Gap['reason'] | 'upstream_disconnected' | 'message_dropped' | 'shared_history_resumed', reader: boolean }]
  /** A reader attached (SSE is the only outlet with readers so far); `resumed` when it gave a Last-Event-ID. */
  reader_open: [{ subscription: string, resumed: boolean, gap: Gap['reason'] | null, replayed: number }]
  /** `cause` says why a reader was cut off (reason `overflow`). */
  reader_close: [{ subscription: string, reason: EndReason, cause?: CutCause }]
}

/** What the hub tells readers that follow topics by pattern. */
export interface HubTopicEvents {
  /** A subscription began to be held (configured by a reload, or a dynamic topic joined). */
  held: [Subscription]
  /** A subscription stopped being held (left, removed by a reload); its messages are dropped from now on. */
  released: [Subscription]
}

function keyOf (upstream: string, topic: string): string {
  return `${upstream}\u0000${topic}`
}

export class Hub {
  readonly epoch: string
  readonly events = new EventEmitter<HubEvents>()
  readonly topics = new EventEmitter<HubTopicEvents>()
  /** When topics stopped being held, for the resume of streams over several topics. */
  readonly #ended = new EndedLives()
  readonly #now: () => number
  /** Sequence numbers are never reused within the epoch: a topic held again starts above every id given out. */
  readonly #issued: IssuedSeq
  readonly #topicBufferBytes: number | undefined
  readonly #store: HubStore | null
  readonly #start: StartMark
  /** Topics held in this process: held again, they begin a new life instead of continuing the one kept in the store. */
  readonly #heldHere = new Set<string>()
  /** Counts of subscriptions removed, by name, so that counters read from live subscriptions never go down. */
  readonly retired = new Map<string, { events: number, eventsSent: number }>()
  readonly #byKey = new Map<string, Subscription>()
  /** The same by upstream, then topic: looked up per message without building a key string. */
  readonly #byUpstream = new Map<string, Map<string, Subscription>>()
  readonly #byTopic = new Map<string, Subscription[]>()
  /** Resumes from shared ids (shared history wires it); null: such an id is one this hub does not know. */
  sharedResume: SharedResume | null = null
  /** What each topic's readers call when they end (see TopicReaderEnds). */
  readonly #readerEnds = new WeakMap<Subscription, TopicReaderEnds>()

  constructor (channels: readonly ChannelConfig[], options: HubOptions) {
    this.epoch = options.epoch
    this.#now = options.now
    this.#topicBufferBytes = options.topicBufferBytes
    this.#store = options.store ?? null
    this.#issued = this.#store === null ? new IssuedSeq() : continuedNumbers(this.#store, this.#ended)
    this.#start = { at: this.#now(), order: this.#issued.order }
    for (const config of channels) this.add(config)
    // One listener per open multi-topic stream.
    this.topics.setMaxListeners(0)
  }

  add (config: ChannelConfig): Subscription {
    return this.register(this.create(config))
  }

  /** A subscription not yet in the hub (its messages are dropped until `register`). */
  create (config: ChannelConfig): Subscription {
    const key = keyOf(config.upstream, config.topic)
    const kept = this.#store === null ? null : keptRing(this.#store, key, this.#heldHere.has(key))
    return new Subscription(config, this.epoch, this.#now(), this.#issued, this.#topicBufferBytes, kept)
  }

  register (sub: Subscription): Subscription {
    const { upstream, topic } = sub.config
    this.#heldHere.add(keyOf(upstream, topic))
    this.#byKey.set(keyOf(upstream, topic), sub)
    let topics = this.#byUpstream.get(upstream)
    if (topics === undefined) this.#byUpstream.set(upstream, (topics = new Map<string, Subscription>()))
    topics.set(topic, sub)
    this.#byTopic.set(topic, [...(this.#byTopic.get(topic) ?? []), sub])
    this.topics.emit('held', sub)
    return sub
  }

  /**
   * Takes a subscription out: its messages are dropped from now on, and each
   * reader gets a final `channel_closed` event (with `reason`) and is ended.
   */
  remove (sub: Subscription, reason: string, retryMs?: number): void {
    const { upstream, topic } = sub.config
    const key = keyOf(upstream, topic)
    if (this.#byKey.get(key) !== sub) return
    this.#byKey.delete(key)
    const topics = this.#byUpstream.get(upstream)
    topics?.delete(topic)
    if (topics?.size === 0) this.#byUpstream.delete(upstream)
    this.#ended.note(key, this.#issued.order)
    this.#store?.rings.end(key, this.#issued.order, this.#now())
    const rest = (this.#byTopic.get(topic) ?? []).filter((s) => s !== sub)
    if (rest.length === 0) this.#byTopic.delete(topic)
    else this.#byTopic.set(topic, rest)
    for (const reader of [...sub.readers]) reader.end('channel_closed', { topic, reason }, retryMs)
    this.topics.emit('released', sub)
    const retired = this.retired.get(sub.config.name) ?? { events: 0, eventsSent: 0 }
    this.retired.set(sub.config.name, { events: retired.events + sub.events, eventsSent: retired.eventsSent + sub.eventsSent })
  }

  all (): Subscription[] {
    return [...this.#byKey.values()]
  }

  /** The subscription for a topic; `upstream` picks one when several upstreams carry the topic. */
  find (topic: string, upstream?: string): Subscription | 'ambiguous' | undefined {
    if (upstream !== undefined) return this.get(upstream, topic)
    const subs = this.#byTopic.get(topic)
    if (subs === undefined) return undefined
    return subs.length === 1 ? subs[0] : 'ambiguous'
  }

  get (upstream: string, topic: string): Subscription | undefined {
    return this.#byUpstream.get(upstream)?.get(topic)
  }

  /** A channel message with its payload as a value (see onReceived). */
  onMessage (upstream: string, topic: string, event: string, payload: unknown): void {
    this.onReceived(upstream, topic, event, { payload })
  }

  /**
   * A channel message as the client decoded it: its payload's JSON text,
   * when it came as text, is published as it is (on one line, see
   * payload-json.ts) and never parsed; only a presence channel's presence
   * messages are read, and become the derived presence events instead.
   * Whatever the payload holds, nothing throws out of here: a message that
   * cannot be handled is dropped (see `onDropped`).
   */
  onReceived (upstream: string, topic: string, event: string, received: ReceivedPayload): void {
    const sub = this.get(upstream, topic)
    if (sub === undefined) return
    const presence = event === 'presence_state' || event === 'presence_diff' ? sub.presence : null
    // The merged presence keeps what it is given: a presence message nested too deep is refused before it is folded in.
    if (presence !== null && nestedDeeperThan(received.payload, MAX_JSON_DEPTH)) {
      this.#dropped(upstream, topic, sub, event, 'too_deep')
      return
    }
    let derived: PresenceEvent[] | null
    let data = ''
    try {
      derived = presence?.take(event, received.payload) ?? null
      if (derived === null) data = forwardedJson(received)
    } catch (err) {
      this.#dropped(upstream, topic, sub, event, dropReason(err))
      return
    }
    if (derived === null) {
      const ascii = received.payloadText !== undefined && received.payloadTextAscii === true && isAsciiText(event)
      // Shared history takes it (and publishes it from the shared stream), or it is published here and now.
      if (sub.shared?.received(event, data, ascii) === true) return
      // The text received goes on as it is (payload-json.ts), so what is known of its characters holds for it; the
      // event name, which a JSON escape may have made non-ASCII, is checked once here rather than at every write.
      sub.publish(event, data, this.#now(), ascii)
      return
    }
    for (const e of derived) sub.publish(e.event, e.data, this.#now())
  }

  /** A message of `topic` could not be handled (here or below): its readers get a `gap` in its place. */
  onDropped (upstream: string, topic: string, event: string, reason: DropReason): void {
    this.#dropped(upstream, topic, this.get(upstream, topic), event, reason)
  }

  #dropped (upstream: string, topic: string, sub: Subscription | undefined, event: string, reason: DropReason): void {
    this.events.emit('message_dropped', { upstream, topic, subscription: sub?.config.name ?? null, event, reason })
    if (sub === undefined) return
    this.events.emit('gap', { subscription: sub.config.name, reason: 'message_dropped', reader: false })
    const now = this.#now()
    sub.control('gap', { reason: 'message_dropped', event, cause: reason, at: new Date(now).toISOString() }, now)
  }

  onJoined (upstream: string, topic: string): void {
    const sub = this.get(upstream, topic)
    if (sub === undefined) return
    const now = this.#now()
    if (sub.downSince !== null) {
      this.events.emit('gap', { subscription: sub.config.name, reason: 'upstream_disconnected', reader: false })
      sub.control('gap', { reason: 'upstream_disconnected', from: new Date(sub.downSince).toISOString(), to: new Date(now).toISOString() }, now)
    }
    sub.control(sub.joinedOnce ? 'rejoined' : 'joined', { topic }, now)
    sub.joinedOnce = true
    sub.downSince = null
    sub.lastError = null
    sub.setState('joined', now)
  }

  /** The channel is down (disconnected, crashed, refused, timed out). Messages may be lost until it rejoins. */
  onDown (upstream: string, topic: string, reason: string, error?: { code: string, message: string }): void {
    const sub = this.get(upstream, topic)
    if (sub !== undefined) this.markDown(sub, reason, error)
  }

  /** As onDown, for a subscription in hand (registered or not yet). */
  markDown (sub: Subscription, reason: string, error?: { code: string, message: string }): void {
    const topic = sub.config.topic
    const now = this.#now()
    sub.presence?.down()
    if (error !== undefined) sub.lastError = { code: error.code, message: error.message, at: new Date(now).toISOString() }
    if (sub.state === 'joined') {
      sub.downSince = now
      sub.control('errored', { topic, reason }, now)
    }
    sub.setState(sub.state === 'closed' ? 'closed' : 'errored', now)
  }

  /** Why the channel cannot be joined now when the cause lies outside it (its socket cannot connect); its state stays. */
  noteError (sub: Subscription, error: { code: string, message: string }): void {
    sub.lastError = { code: error.code, message: error.message, at: new Date(this.#now()).toISOString() }
  }

  onClosed (upstream: string, topic: string, reason: string): void {
    const sub = this.get(upstream, topic)
    if (sub === undefined) return
    const now = this.#now()
    sub.presence?.down()
    if (sub.state !== 'closed') sub.control('closed', { topic, reason }, now)
    if (sub.state === 'joined') sub.downSince = now
    sub.setState('closed', now)
  }

  /**
   * Adds a reader: first what it missed since `lastEventId` (with a gap if need be), then live events. It pulls
   * them from the topic's held events as fast as its response takes them.
   */
  attach (sub: Subscription, reader: Reader, lastEventId: string | null): void {
    const sharedResume = this.sharedResume
    if (lastEventId !== null && sharedResume !== null && isSharedId(lastEventId)) {
      // Planned against shared history (it may read Redis first); the reader is attached in the turn its plan is made.
      sharedResume(sub, lastEventId, (plan) => {
        if (reader.ended) return
        const source = plan.before.length === 0 ? sub : new CatchUpSource(sub, plan.before, plan.after)
        this.#attach(sub, reader, true, plan.gap, plan.after - plan.before.length, source)
      })
      return
    }
    const plan = planResume(lastEventId, this.epoch, sub.ring, sub.seq, sub.ring.evictedUntil, sub.base)
    this.#attach(sub, reader, lastEventId !== null, plan.gap, (plan.entries[0]?.seq ?? sub.seq + 1) - 1)
  }

  /**
   * Adds the reader of one topic of a stream over several topics, resuming after the stream's id `lastEventId`
   * (`<epoch>.<order>`, see planTopicResume): what the topic's replay holds since is given exactly, else a gap.
   */
  attachInOrder (sub: Subscription, reader: Reader, lastEventId: string | null): void {
    const key = keyOf(sub.config.upstream, sub.config.topic)
    const plan = planTopicResume(lastEventId, this.epoch, this.#issued.order, sub, (order) => order < sub.baseOrder && this.#ended.endedSince(key, order))
    this.#attach(sub, reader, lastEventId !== null, plan.gap, plan.after)
  }

  #attach (sub: Subscription, reader: Reader, resumed: boolean, gap: Gap | null, after: number, source: ReaderSource = sub): void {
    const subscription = sub.config.name
    this.events.emit('reader_open', { subscription, resumed, gap: gap?.reason ?? null, replayed: sub.seq - after })
    // One end listener does both (the reader's leaving and its report), an object shared by the topic's readers.
    let ends = this.#readerEnds.get(sub)
    if (ends === undefined) {
      ends = new TopicReaderEnds(sub, this.events)
      this.#readerEnds.set(sub, ends)
    }
    reader.onEnd(ends)
    if (gap !== null) {
      this.events.emit('gap', { subscription, reason: gap.reason, reader: true })
      if (reader.gap(gap)) sub.eventsSent++
    }
    reader.start(source, after)
    // A presence channel's reader that starts afresh (or could not be given everything it missed) gets the merged
    // state as of the latest event, with that event's id, after the replay: resuming after it misses nothing.
    if (sub.presence?.synced === true && sub.events > 0 && (!resumed || gap !== null)) {
      reader.after(sub.seq, 'presence_state', JSON.stringify(sub.presence.state()))
    }
    if (!reader.ended) sub.readers.add(reader)
  }

  /** Forgets the topics the store keeps that have not been held here for `retentionMs` (kept-rings.ts); their keys. */
  forgetUnheldTopics (retentionMs = STORED_TOPIC_RETENTION_MS): string[] {
    if (this.#store === null) return []
    return forgetUnheldTopics(this.#store, (key) => this.#byKey.has(key), this.#ended, this.#start, this.#now(), retentionMs)
  }

  /** Ready when every required channel is joined, or has been down for less than `graceMs` after being joined. */
  notReady (graceMs: number): Subscription[] {
    const now = this.#now()
    return this.all().filter((s) => s.config.required && s.state !== 'joined' && !(s.downSince !== null && now - s.downSince < graceMs))
  }
}
