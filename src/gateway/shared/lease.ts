/**
 * The writer lease of one topic: the replica whose id is in
 * `<prefix>{topic}:lease` is the only one that appends the topic's
 * messages to its stream.
 *
 * Every replica runs one per topic it carries. A holder extends the lease
 * every ttl/3 (ACQUIRE: set if absent, extend if ours, else tell the ms
 * left); a replica that does not hold it tries again when the holder's
 * lease runs out (at most ttl/3 later). So a holder that dies is replaced
 * within ttl + ttl/3 of its last renewal, and one that loses Redis counts
 * itself holder only until ttl − ttl/10 after its last renewal was sent
 * (the tenth covers clock drift between the replica and Redis).
 *
 * `holds()` is advice, for deciding who tries to write. Safety does not
 * depend on it: the append script checks the lease in Redis in the same
 * step as it writes (scripts.ts), so a holder paused past its lease is
 * refused even if it still believes it holds.
 */
import { EventEmitter } from 'node:events'
import type { RedisLink } from './redis-link.ts'
import { ACQUIRE, RELEASE } from './scripts.ts'

export type LeaseLoss = 'taken' | 'expired' | 'fenced'

export interface TopicLeaseOptions {
  readonly link: RedisLink
  /** The lease key (keys.ts). */
  readonly key: string
  readonly replicaId: string
  readonly ttlMs: number
  /** A monotonic clock in ms; performance.now by default. */
  readonly now?: () => number
}

/** When a replica that does not hold the lease tries again: when the holder's `leftMs` run out, and at least every ttl/3. */
export function nextAttemptMs (leftMs: number, ttlMs: number): number {
  const third = Math.max(1, Math.floor(ttlMs / 3))
  return leftMs < 0 ? third : Math.min(leftMs + 1, third)
}

/** Until when a holder counts itself holder after a renewal sent at `sentAt`. */
export function validUntil (sentAt: number, ttlMs: number): number {
  return sentAt + ttlMs - ttlMs / 10
}

/**
 * Events: `acquired` when the lease is taken, and again when it is kept
 * across a failed renewal or found missing by its holder (Redis was
 * unreachable, or restarted empty: what was received meanwhile waits to be
 * appended); `renewed` on each plain renewal; `lost` with why.
 */
export class TopicLease extends EventEmitter<{ acquired: [], renewed: [], lost: [LeaseLoss] }> {
  readonly #options: TopicLeaseOptions
  readonly #now: () => number
  #holding = false
  #validUntil = -Infinity
  #timer: NodeJS.Timeout | undefined
  #running = false
  #ticking = false
  /** The last attempt failed (Redis unavailable): the next success counts as acquired again. */
  #failed = false

  constructor (options: TopicLeaseOptions) {
    super()
    this.#options = options
    this.#now = options.now ?? (() => performance.now())
  }

  /** True while this replica holds the lease as far as it knows. */
  holds (): boolean {
    return this.#holding && this.#now() < this.#validUntil
  }

  start (): void {
    if (this.#running) return
    this.#running = true
    this.#schedule(0)
  }

  /** The append script said another replica holds it: stop writing now, and check again at once. */
  fenced (): void {
    this.#lose('fenced')
    if (this.#running) this.#schedule(0)
  }

  /**
   * Stops renewing. With `release` (the default) a held lease is given up,
   * so another replica takes over at its next try instead of after the ttl.
   */
  async stop ({ release = true }: { release?: boolean } = {}): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    const held = this.#holding
    this.#holding = false
    if (!release || !held) return
    const { link, key, replicaId } = this.#options
    try {
      await link.script('lease release', RELEASE, [key], [replicaId])
    } catch {
      // Redis is down: the lease expires by itself within the ttl.
    }
  }

  #schedule (ms: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => { this.#tick().catch(() => undefined) }, ms)
    this.#timer.unref()
  }

  #lose (loss: LeaseLoss): void {
    if (!this.#holding) return
    this.#holding = false
    this.emit('lost', loss)
  }

  async #tick (): Promise<void> {
    if (!this.#running || this.#ticking) return
    this.#ticking = true
    const { link, key, replicaId, ttlMs } = this.#options
    const third = Math.max(1, Math.floor(ttlMs / 3))
    let next = third
    const sentAt = this.#now()
    try {
      const left = Number(await link.script('lease', ACQUIRE, [key], [replicaId, String(ttlMs)]))
      if (!this.#isRunning()) return
      if (left === -1 || left === -3) {
        this.#validUntil = validUntil(sentAt, ttlMs)
        // Taken anew, or kept across a failure: either way what was received meanwhile may be unappended.
        if (this.#holding && !this.#failed && left === -1) {
          this.emit('renewed')
        } else {
          this.#holding = true
          this.emit('acquired')
        }
      } else {
        this.#lose('taken')
        next = nextAttemptMs(left, ttlMs)
      }
      this.#failed = false
    } catch {
      this.#failed = true
      // Unavailable: keep counting ourselves holder until the lease may have run out, then stop.
      if (this.#now() >= this.#validUntil) this.#lose('expired')
    } finally {
      this.#ticking = false
    }
    if (this.#isRunning()) this.#schedule(next)
  }

  /** Read again after an await: stop() may have run meanwhile. */
  #isRunning (): boolean { return this.#running }
}
