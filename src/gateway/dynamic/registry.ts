/**
 * The topics joined at run time, by the allow-list in `dynamic`: which
 * entry each belongs to, whether it is pinned (joined with PUT: held until
 * DELETE) or on demand (joined for an SSE reader or a push: held while it
 * has users, then for the entry's `lingerMs`), and how many each entry
 * holds, never more than its `maxTopics`. It owns the linger timers and
 * calls `onIdle` when one runs out; it never joins or leaves by itself.
 */
import { EventEmitter } from 'node:events'
import type { ChannelConfig, DynamicConfig } from '../config/types.ts'
import { TopicLimitError, TopicNotAllowedError } from '../errors.ts'
import type { Subscription } from '../hub/subscription.ts'
import { firstMatch, matchesPattern } from './patterns.ts'

/** What asked for a dynamic topic. */
export type Trigger = 'put' | 'sse' | 'push'

/** Where a subscription comes from, as GET /v1/channels shows it. */
export type Origin = 'config' | 'dynamic-pinned' | 'dynamic-on-demand'

export interface DynamicEvents {
  topic_added: [{ entry: string, trigger: Trigger }]
  /** `reason`: deleted, linger, reload, server_closed, refused, join_failed. */
  topic_removed: [{ entry: string, reason: string }]
  /** A join not allowed (`entry` null) or beyond an entry's maxTopics. */
  refused: [{ entry: string | null, reason: 'not_allowed' | 'limit' }]
}

interface Held {
  entry: DynamicConfig
  pinned: boolean
  users: number
  timer: NodeJS.Timeout | null
}

/** The channel config of a topic of `entry`; `params` replace the entry's top-level keys. */
export function dynamicChannel (entry: DynamicConfig, topic: string, params: Record<string, unknown> = {}): ChannelConfig {
  return {
    name: entry.name,
    topic,
    upstream: entry.upstream,
    params: { ...entry.params, ...params },
    required: false,
    replay: entry.replay,
    presence: entry.presence,
    ...(entry.traceField === undefined ? {} : { traceField: entry.traceField }),
  }
}

/** The release of a subscription that is not a dynamic one: nothing to do. */
const NOTHING_HELD = (): void => {}

export class DynamicTopics {
  readonly events = new EventEmitter<DynamicEvents>()
  #entries: readonly DynamicConfig[]
  readonly #held = new Map<Subscription, Held>()
  readonly #counts = new Map<string, number>()
  readonly #onIdle: (sub: Subscription) => void
  #closed = false

  constructor (entries: readonly DynamicConfig[], onIdle: (sub: Subscription) => void) {
    this.#entries = entries
    this.#onIdle = onIdle
  }

  get entries (): readonly DynamicConfig[] { return this.#entries }

  /** The entry allowing `topic` (on `upstream` when named), the first in config order. */
  match (topic: string, upstream?: string): DynamicConfig | undefined {
    return firstMatch(this.#entries, topic, upstream)
  }

  /** Reports and throws the 403 for a topic no entry allows. */
  notAllowed (topic: string, upstream: string | undefined): TopicNotAllowedError {
    this.events.emit('refused', { entry: null, reason: 'not_allowed' })
    return new TopicNotAllowedError(topic, upstream)
  }

  /** Throws 503 BC_ERR_TOPIC_LIMIT when `entry` already holds its maxTopics. */
  checkRoom (entry: DynamicConfig): void {
    if (this.count(entry.name) < entry.maxTopics) return
    this.events.emit('refused', { entry: entry.name, reason: 'limit' })
    throw new TopicLimitError(entry.name, entry.maxTopics, entry.lingerMs)
  }

  /** Topics `entry` (by name) holds now. */
  count (name: string): number {
    return this.#counts.get(name) ?? 0
  }

  add (sub: Subscription, entry: DynamicConfig, pinned: boolean, trigger: Trigger): void {
    this.#held.set(sub, { entry, pinned, users: 0, timer: null })
    this.#counts.set(entry.name, this.count(entry.name) + 1)
    this.events.emit('topic_added', { entry: entry.name, trigger })
    if (!pinned) this.#idle(sub)
  }

  /** The entry a dynamic subscription belongs to. */
  entryOf (sub: Subscription): DynamicConfig | undefined {
    return this.#held.get(sub)?.entry
  }

  has (sub: Subscription): boolean {
    return this.#held.has(sub)
  }

  origin (sub: Subscription): Origin {
    const held = this.#held.get(sub)
    if (held === undefined) return 'config'
    return held.pinned ? 'dynamic-pinned' : 'dynamic-on-demand'
  }

  /** Held until `forget` (a PUT). */
  pin (sub: Subscription): void {
    const held = this.#held.get(sub)
    if (held === undefined) return
    held.pinned = true
    this.#clearTimer(held)
  }

  /** One user (an SSE reader, a push) for as long as it lasts: call the result once it is gone. */
  use (sub: Subscription): () => void {
    const held = this.#held.get(sub)
    if (held === undefined) return NOTHING_HELD
    held.users++
    this.#clearTimer(held)
    let released = false
    return () => {
      if (released) return
      released = true
      held.users--
      if (this.#held.get(sub) === held) this.#idle(sub)
    }
  }

  /** No longer held (its timer is stopped); true when it was. */
  forget (sub: Subscription, reason: string): boolean {
    const held = this.#held.get(sub)
    if (held === undefined) return false
    this.#clearTimer(held)
    this.#held.delete(sub)
    const left = this.count(held.entry.name) - 1
    if (left > 0) this.#counts.set(held.entry.name, left)
    else this.#counts.delete(held.entry.name)
    this.events.emit('topic_removed', { entry: held.entry.name, reason })
    return true
  }

  /**
   * A reload's new entries. Topics whose entry is gone (by name), or whose
   * topic or upstream the entry no longer allows, are returned for the
   * caller to leave; the others take their entry's new settings (returned
   * too, to reconfigure their subscription). A shorter linger applies from
   * the next time a topic goes idle.
   */
  update (entries: readonly DynamicConfig[]): { gone: Subscription[], kept: Array<{ sub: Subscription, entry: DynamicConfig }> } {
    this.#entries = entries
    const gone: Subscription[] = []
    const kept: Array<{ sub: Subscription, entry: DynamicConfig }> = []
    for (const [sub, held] of this.#held) {
      const entry = entries.find((e) => e.name === held.entry.name)
      if (entry === undefined || entry.upstream !== sub.config.upstream || !matchesPattern(entry.pattern, sub.config.topic)) {
        gone.push(sub)
        continue
      }
      held.entry = entry
      kept.push({ sub, entry })
    }
    return { gone, kept }
  }

  /** Every dynamic subscription held now. */
  all (): Subscription[] {
    return [...this.#held.keys()]
  }

  /** Stops every linger timer (shutdown); idle topics are no longer reported. */
  close (): void {
    this.#closed = true
    for (const held of this.#held.values()) this.#clearTimer(held)
  }

  #idle (sub: Subscription): void {
    const held = this.#held.get(sub)
    if (held === undefined || held.pinned || held.users > 0 || this.#closed) return
    this.#clearTimer(held)
    held.timer = setTimeout(() => {
      held.timer = null
      if (this.#held.get(sub) === held && held.users === 0 && !held.pinned && !this.#closed) this.#onIdle(sub)
    }, held.entry.lingerMs)
    held.timer.unref()
  }

  #clearTimer (held: Held): void {
    if (held.timer !== null) clearTimeout(held.timer)
    held.timer = null
  }
}
