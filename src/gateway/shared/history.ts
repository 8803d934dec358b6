/**
 * Shared history on one replica: the composition of the Redis link, a
 * writer per carried topic, and one tail loop for all of them.
 *
 * - A topic is carried from the moment the hub holds it (`held`) until it
 *   stops (`released`): its writer takes part in the lease then, and its
 *   lease is released at the end. Presence channels stay local: their
 *   events are derived from this replica's merged view.
 * - The tail (tail.ts) reads every shared topic's stream with one
 *   blocking read (XREAD BLOCK over all of them) on the link's blocking
 *   connection, whatever the number of readers, and publishes what it
 *   reads into the topic's ring: readers are served from memory.
 * - A resume from a shared id (resume.ts) is served from the ring when it
 *   holds the id, else from Redis (readAfter) until the ring takes over.
 * - Nothing here is awaited on the receive path, and `close` gives up
 *   waiting for Redis at its deadline.
 */
import { EventEmitter } from 'node:events'
import { newEpoch } from '../hub/event-id.ts'
import type { Hub } from '../hub/hub.ts'
import type { SharedResume } from '../hub/shared-route.ts'
import type { Subscription } from '../hub/subscription.ts'
import type { SharedHistorySettings } from '../config/types.ts'
import { resolveConnectOptions } from './config.ts'
import { topicKeys } from './keys.ts'
import { RedisLink, type LinkState } from './redis-link.ts'
import { resumeShared } from './resume.ts'
import { TailLoop } from './tail.ts'
import { SharedTopic, type LocalCause, type TopicMode } from './topic.ts'
import { SharedTopicWriter, type OfferOutcome } from './writer.ts'

export interface SharedHistoryOptions {
  readonly settings: SharedHistorySettings
  readonly replicaId: string
  /** Wall clock, ms. */
  readonly now: () => number
  readonly random: () => number
  /** Reads the password's source, at every connect. */
  readonly resolve: (source: NonNullable<SharedHistorySettings['password']>) => Promise<string>
}

/** What shared history reports to metrics and logs; `subscription` is the configured name. */
export interface SharedHistoryEvents {
  link: [LinkState]
  holder: [{ subscription: string, holds: boolean }]
  /** What became of one offered message (or one message of a takeover's flush). */
  append: [{ subscription: string, outcome: OfferOutcome['kind'] }]
  /** This replica took a topic's lease (at start, or over from another replica, or again after Redis was lost). */
  acquired: [{ subscription: string }]
  /** Messages left a full pending window unappended. */
  dropped: [{ subscription: string, count: number }]
  mode: [{ subscription: string, mode: TopicMode, cause: LocalCause | null }]
  /** Entries read from a stream: how long after they were appended (Redis's clock against ours), ms. */
  tail: [{ entries: number, lagMs: number }]
  /** A topic began or stopped being carried. */
  carried: [{ subscription: string, carried: boolean }]
}

/** Identities remembered per topic, each way, at most. */
const MAX_REMEMBERED = 10_000

export class SharedHistory {
  readonly link: RedisLink
  readonly events = new EventEmitter<SharedHistoryEvents>()
  readonly settings: SharedHistorySettings
  readonly replicaId: string
  readonly topics = new Map<Subscription, SharedTopic>()
  readonly #now: () => number
  readonly #random: () => number
  readonly #tail: TailLoop
  #closed = false

  /** Reads the CA file (a failure is a ConfigError naming the field); connects in the background. */
  static async open (hub: Hub, options: SharedHistoryOptions): Promise<SharedHistory> {
    const { username, password } = options.settings
    const connect = {
      ...await resolveConnectOptions(options.settings),
      credentials: async () => ({
        ...(username === undefined ? {} : { username }),
        ...(password === undefined ? {} : { password: await options.resolve(password) }),
      }),
    }
    const { commandTimeoutMs, reconnectMinMs, reconnectMaxMs } = options.settings
    const link = new RedisLink({ connect, commandTimeoutMs, reconnectMinMs, reconnectMaxMs, name: `backchannel:${options.replicaId}`.replace(/\s/g, '_'), random: options.random })
    return new SharedHistory(hub, link, options)
  }

  constructor (hub: Hub, link: RedisLink, options: SharedHistoryOptions) {
    this.link = link
    this.settings = options.settings
    this.replicaId = options.replicaId
    this.#now = options.now
    this.#random = options.random
    link.on('state', (state) => { this.events.emit('link', state) })
    this.#tail = new TailLoop(this, options.now)
    hub.topics.on('held', (sub) => { this.#carry(sub, hub) })
    hub.topics.on('released', (sub) => { this.#release(sub) })
    for (const sub of hub.all()) this.#carry(sub, hub)
    hub.sharedResume = this.resume
    this.#tail.run()
  }

  /** How long a received message may wait to be read back before its topic falls back to local history: the writer's pending window. */
  get stallMs (): number { return 2 * this.settings.leaseTtlMs }

  /** For the hub: plans a resume from a shared id. */
  readonly resume: SharedResume = (sub, lastEventId, ready) => {
    resumeShared(this, sub, lastEventId, ready)
  }

  #carry (sub: Subscription, hub: Hub): void {
    if (this.#closed || this.topics.has(sub) || sub.config.presence === true) return
    const { settings } = this
    const subscription = sub.config.name
    const keys = topicKeys(settings.keyPrefix, `${sub.config.upstream}/${sub.config.topic}`)
    const writer = new SharedTopicWriter({
      link: this.link,
      keys,
      topic: sub.config.topic,
      replicaId: this.replicaId,
      leaseTtlMs: settings.leaseTtlMs,
      maxLen: settings.maxLen,
      dedupeWindowMs: 3 * settings.leaseTtlMs,
      newEpoch: () => newEpoch(this.#now(), this.#random),
    })
    const topic = new SharedTopic({ sub, writer, keys, rememberMs: 4 * settings.leaseTtlMs, maxRemembered: MAX_REMEMBERED, stallMs: this.stallMs, now: this.#now })
    writer.on('holder', (holds) => { this.events.emit('holder', { subscription, holds }) })
    writer.on('append', (outcome) => { this.events.emit('append', { subscription, outcome }) })
    writer.lease.on('acquired', () => { this.events.emit('acquired', { subscription }) })
    writer.on('dropped', (count) => { this.events.emit('dropped', { subscription, count }) })
    topic.on('mode', (mode, cause) => { this.events.emit('mode', { subscription, mode, cause }) })
    // Counted and logged with the hub's other gaps (backchannel_sse_gaps_total), for every reader of the topic.
    topic.on('gap', (reason) => { hub.events.emit('gap', { subscription, reason, reader: false }) })
    this.topics.set(sub, topic)
    sub.shared = topic
    this.events.emit('carried', { subscription, carried: true })
    // The writer takes part in the lease while the channel is joined (followJoins).
    this.followJoins()
    this.#tail.wake()
  }

  /**
   * A replica writes a topic only while its channel is joined: one whose
   * channel is down receives nothing to append, and holding the lease then
   * would leave every other replica's messages unappended until it came
   * back. So a writer takes part in the lease while joined, and releases it
   * when the channel goes down (another replica takes over at once).
   * Called by the tail loop at every pass (at least twice a second).
   */
  followJoins (): void {
    if (this.#closed) return
    for (const topic of this.topics.values()) {
      const joined = topic.sub.state === 'joined'
      if (joined === topic.writing) continue
      topic.writing = joined
      if (joined) {
        topic.writer.start()
      } else {
        if (topic.writer.lease.holds()) this.events.emit('holder', { subscription: topic.sub.config.name, holds: false })
        topic.writer.stop().catch(() => undefined)
      }
    }
  }

  #release (sub: Subscription): void {
    const topic = this.topics.get(sub)
    if (topic === undefined) return
    this.topics.delete(sub)
    sub.shared = null
    sub.sharedIds = false
    if (topic.writer.lease.holds()) this.events.emit('holder', { subscription: sub.config.name, holds: false })
    this.events.emit('carried', { subscription: sub.config.name, carried: false })
    // Bounded by the command deadline; another replica takes over at its next try.
    topic.writer.stop().catch(() => undefined)
  }

  /**
   * Stops: the tail ends, every lease held is released, the link closes.
   * Resolves by `deadline` (performance.now() time) whatever Redis does:
   * a release not answered by then runs out with its ttl.
   */
  async close (deadline: number): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#tail.stop()
    // What is received from now until the channels are left goes out locally (webhook sinks still drain), nothing waits.
    for (const topic of this.topics.values()) topic.toLocal('closed')
    const releases = Promise.all([...this.topics.values()].map(async (topic) => topic.writer.stop()))
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, deadline - performance.now())) })
    try {
      await Promise.race([releases.then(() => undefined, () => undefined), late])
    } finally {
      clearTimeout(timer)
      this.link.close()
    }
  }

  get closed (): boolean { return this.#closed }

  /** Wall clock, ms. */
  now (): number { return this.#now() }
}
