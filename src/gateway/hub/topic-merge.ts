/**
 * One stream over several topics, transport-neutral: a reader per topic
 * (a lane), and the events of all of them given to one output in the hub's
 * order, so one id (the order of the last event given) marks the stream's
 * place in every topic.
 *
 * While the output takes what it is given, each new event is given at once.
 * Once it is full, lanes keep only their cursor; when it can take more, the
 * lane whose next event is oldest goes first (a heap by order), until it is
 * full again or every lane has caught up. So the stream holds nothing but
 * cursors, however far behind it is, and every event it has not given yet
 * comes after the last one it gave: resuming from that id misses nothing.
 * It is cut off (`behind`) when the event a lane needs next is no longer held.
 *
 * A topic that stops being held is given to its last event, then the
 * output is told `topic_removed`; one followed after the stream opened is
 * announced with `topic_added` before its first event.
 */
import type { Hub } from './hub.ts'
import { OrderHeap } from './order-heap.ts'
import { isAsciiText } from './payload-json.ts'
import { callEndListener, type CutCause, type EndListener, type EndReason, type Reader, type ReaderSource } from './reader.ts'
import type { Gap } from './resume.ts'
import type { RingEntry } from './ring.ts'
import type { Subscription } from './subscription.ts'

/** A topic of the stream, as its output names it. */
export interface FollowedTopic {
  readonly topic: string
  readonly upstream: string
  /** The topic as a JSON string, made once. */
  readonly topicJson: string
  /** That string holds only ASCII characters (checked once). */
  readonly topicAscii: boolean
}

/** Where the merged events go: the stream's transport. */
export interface MergeOutput {
  /** It holds as much as it may: nothing more is given until the merge's `resume()`. */
  readonly full: boolean
  /** An event of a followed topic, in the hub's order. */
  event: (topic: FollowedTopic, entry: RingEntry) => void
  /** A notice without a place in the order (`data` is JSON): gap, presence_state, topic_added, topic_removed, topic_skipped. */
  notice: (event: string, data: string) => void
  /** The event a topic needs next is no longer held: the output ends the stream (and then calls `close`). */
  cut: (cause: CutCause) => void
}

/** One topic of the stream: the hub's reader of it. */
class TopicLane implements Reader, FollowedTopic {
  readonly topic: string
  readonly upstream: string
  readonly topicJson: string
  readonly topicAscii: boolean
  readonly sub: Subscription
  readonly #merge: TopicMerge
  /** Set by `start`: the topic's held events. */
  source: ReaderSource
  /** The sequence number of the last event given or passed over (filtered out). */
  cursor = 0
  /** Set once the topic is no longer held: its last event, after which the output is told `topic_removed` (with `removal`). */
  endAt: number | null = null
  removal = ''
  /** It has events waiting, and is in the merge's heap. */
  inHeap = false
  /** An event to give once the cursor reaches `seq` (a presence state as of that event). */
  pending: { seq: number, event: string, data: string } | null = null
  #ended: EndReason | null = null
  readonly #listeners: Array<EndListener<this>> = []

  constructor (merge: TopicMerge, sub: Subscription) {
    this.#merge = merge
    this.sub = sub
    this.source = sub
    this.topic = sub.config.topic
    this.upstream = sub.config.upstream
    this.topicJson = JSON.stringify(this.topic)
    this.topicAscii = isAsciiText(this.topicJson)
  }

  get ended (): boolean { return this.#ended !== null }
  get cutCause (): CutCause | null { return this.#merge.cutCause }
  /** The stream's transport holds its bytes (counted once, by the stream). */
  get bufferedBytes (): number { return 0 }
  get waiting (): boolean { return this.#merge.waiting }
  /** The event it has given last, or will give; the newest once its topic is no longer held. */
  get limit (): number { return this.endAt ?? this.source.seq }

  start (source: ReaderSource, after: number): void {
    this.source = source
    this.cursor = after
    this.#merge.started(this)
  }

  offer (entry: RingEntry): boolean { return this.#merge.offered(this, entry) }
  gap (gap: Gap): boolean { return this.#merge.notice(this, 'gap', JSON.stringify(gap)) }
  after (seq: number, event: string, data: string): void { this.#merge.after(this, seq, event, data) }

  /** Ended by the hub when its topic is no longer held (`channel_closed`): the stream goes on without it. */
  end (reason: EndReason, data: Record<string, unknown>): void {
    if (this.#ended !== null) return
    if (reason === 'channel_closed') this.#merge.removed(this, data)
    this.finish(reason)
  }

  onEnd (listener: EndListener<this>): void {
    if (this.#ended !== null) callEndListener(listener, this.#ended, this)
    else this.#listeners.push(listener)
  }

  finish (reason: EndReason): void {
    if (this.#ended !== null) return
    this.#ended = reason
    for (const listener of this.#listeners.splice(0)) callEndListener(listener, reason, this)
  }
}

export interface TopicMergeOptions {
  /** Phoenix events to pass (null: all). Lifecycle and gap events always pass. */
  events: ReadonlySet<string> | null
}

export class TopicMerge {
  readonly #hub: Hub
  readonly #output: MergeOutput
  readonly #events: ReadonlySet<string> | null
  /** The topics followed now, by subscription (a topic no longer held leaves at once, and drains from the heap). */
  readonly #lanes = new Map<Subscription, TopicLane>()
  readonly #heap = new OrderHeap<TopicLane>()
  /** Lanes followed after the stream opened, not yet announced with `topic_added`. */
  readonly #unannounced = new Set<TopicLane>()
  #opening = true
  #ended = false
  #cutCause: CutCause | null = null

  constructor (hub: Hub, output: MergeOutput, options: TopicMergeOptions) {
    this.#hub = hub
    this.#output = output
    this.#events = options.events
  }

  /** Topics followed now. */
  get size (): number { return this.#lanes.size }
  get cutCause (): CutCause | null { return this.#cutCause }
  get waiting (): boolean { return this.#output.full }
  follows (sub: Subscription): boolean { return this.#lanes.has(sub) }

  /**
   * Follows `sub`, resuming after the stream id `lastEventId`. Topics followed before `open()` are merged from
   * their resume points; one followed later starts at its newest event, announced with `topic_added`.
   * The returned function runs when the topic is no longer followed.
   */
  follow (sub: Subscription, lastEventId: string | null): TopicLane | null {
    if (this.#ended || this.#lanes.has(sub)) return null
    const lane = new TopicLane(this, sub)
    this.#lanes.set(sub, lane)
    lane.onEnd(() => { if (this.#lanes.get(sub) === lane) this.#lanes.delete(sub) })
    if (!this.#opening) this.#unannounced.add(lane)
    this.#hub.attachInOrder(sub, lane, this.#opening ? lastEventId : null)
    if (!this.#opening) this.#pump()
    return lane
  }

  /** The topics to follow from the start are followed: what they missed is given, oldest first. */
  open (): void {
    this.#opening = false
    this.#pump()
  }

  /** The output can take more: pull what waits, oldest first. */
  resume (): void { this.#pump() }

  /** A topic matched but not followed (the stream follows as many as it may). */
  skipped (sub: Subscription, limit: number): void {
    this.#output.notice('topic_skipped', JSON.stringify({ topic: sub.config.topic, upstream: sub.config.upstream, reason: 'topic_limit', limit }))
  }

  /** Whether the event some lane needs next is no longer held (checked while the output is full). */
  behind (): boolean {
    for (const lane of this.#heap.items()) if (lane.source.entry(lane.cursor + 1) === undefined) return true
    return false
  }

  /** The stream ended (`reason`): every lane ends with it. */
  close (reason: EndReason): void {
    if (this.#ended) return
    this.#ended = true
    for (const lane of [...this.#lanes.values()]) lane.finish(reason)
    this.#lanes.clear()
    this.#unannounced.clear()
  }

  started (lane: TopicLane): void {
    if (lane.cursor < lane.limit) this.#enqueue(lane)
  }

  offered (lane: TopicLane, entry: RingEntry): boolean {
    if (this.#ended) return false
    if (lane.inHeap) {
      if (lane.source.entry(lane.cursor + 1) === undefined) this.#cut('behind')
      return false
    }
    if (this.#opening || this.#output.full || this.#heap.size > 0 || entry.seq !== lane.cursor + 1) {
      this.#enqueue(lane)
      this.#pump()
      return false
    }
    return this.#give(lane, entry)
  }

  notice (lane: TopicLane, event: string, payload: string): boolean {
    if (this.#ended) return false
    this.#output.notice(event, `{"topic":${lane.topicJson},"payload":${payload}}`)
    return true
  }

  after (lane: TopicLane, seq: number, event: string, data: string): void {
    if (this.#ended || (this.#events !== null && !this.#events.has(event))) return
    if (lane.cursor >= seq) this.notice(lane, event, data)
    else lane.pending = { seq, event, data }
  }

  /** `lane`'s topic is no longer held: it is given to its last event, then `topic_removed`. */
  removed (lane: TopicLane, data: Record<string, unknown>): void {
    lane.endAt = lane.source.seq
    lane.removal = JSON.stringify({ topic: lane.topic, upstream: lane.upstream, reason: data['reason'] ?? 'closed' })
    if (!lane.inHeap && !this.#ended) this.#sayRemoved(lane)
  }

  #enqueue (lane: TopicLane): void {
    if (lane.inHeap || lane.cursor >= lane.limit) return
    const next = lane.source.entry(lane.cursor + 1)
    if (next === undefined) {
      this.#cut('behind')
      return
    }
    lane.inHeap = true
    this.#heap.push(lane, next.order)
  }

  /** Gives `entry` (the next of `lane`) to the output if it passes the filter; true when given. */
  #give (lane: TopicLane, entry: RingEntry): boolean {
    lane.cursor = entry.seq
    if (this.#unannounced.has(lane)) this.#announce(lane)
    const passes = entry.control || this.#events === null || this.#events.has(entry.event)
    if (passes) this.#output.event(lane, entry)
    const pending = lane.pending
    if (pending !== null && pending.seq <= lane.cursor) {
      lane.pending = null
      this.notice(lane, pending.event, pending.data)
    }
    return passes
  }

  #pump (): void {
    while (!this.#ended && !this.#opening && !this.#output.full) {
      const lane = this.#heap.peek()
      if (lane === undefined) break
      const entry = lane.source.entry(lane.cursor + 1)
      if (entry === undefined) {
        this.#cut('behind')
        return
      }
      if (this.#give(lane, entry)) lane.source.eventsSent++
      if (lane.cursor < lane.limit) {
        const next = lane.source.entry(lane.cursor + 1)
        if (next === undefined) {
          this.#cut('behind')
          return
        }
        this.#heap.rekeyTop(next.order)
        continue
      }
      this.#heap.pop()
      lane.inHeap = false
      if (lane.endAt !== null) this.#sayRemoved(lane)
    }
    if (this.#ended || this.#opening || this.#heap.size > 0) return
    for (const lane of this.#unannounced) this.#announce(lane)
  }

  #announce (lane: TopicLane): void {
    this.#unannounced.delete(lane)
    this.#output.notice('topic_added', JSON.stringify({ topic: lane.topic, upstream: lane.upstream, state: lane.sub.state }))
  }

  #sayRemoved (lane: TopicLane): void {
    if (this.#unannounced.has(lane)) this.#announce(lane)
    this.#output.notice('topic_removed', lane.removal)
  }

  #cut (cause: CutCause): void {
    if (this.#ended || this.#cutCause !== null) return
    this.#cutCause = cause
    this.#output.cut(cause)
  }
}
