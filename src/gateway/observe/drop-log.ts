/**
 * One warn line per dropped message, but a flood of them cannot flood the
 * log: per upstream and topic, the first drop is logged at once and the
 * rest within the next `windowMs` are only counted; the next line logged
 * says how many were left out (`suppressed`). Memory stays bounded: at most
 * `maxTopics` topics are remembered, the stalest forgotten first.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { HubEvents } from '../hub/hub.ts'

type Dropped = HubEvents['message_dropped'][0]

export interface DropLogOptions {
  windowMs?: number
  maxTopics?: number
  now?: () => number
}

export class DropLog {
  readonly #log: FastifyBaseLogger
  readonly #windowMs: number
  readonly #maxTopics: number
  readonly #now: () => number
  /** By upstream and topic: when a line was last written, and the drops since then not logged. */
  readonly #last = new Map<string, { at: number, suppressed: number }>()

  constructor (log: FastifyBaseLogger, options: DropLogOptions = {}) {
    this.#log = log
    this.#windowMs = options.windowMs ?? 60_000
    this.#maxTopics = options.maxTopics ?? 1000
    this.#now = options.now ?? (() => performance.now())
  }

  dropped (x: Dropped): void {
    const key = `${x.upstream}\u0000${x.topic}`
    const now = this.#now()
    const last = this.#last.get(key)
    if (last !== undefined && now - last.at < this.#windowMs) {
      last.suppressed++
      return
    }
    const suppressed = last?.suppressed ?? 0
    this.#last.delete(key) // re-inserted last: the map's order is oldest line first
    this.#last.set(key, { at: now, suppressed: 0 })
    if (this.#last.size > this.#maxTopics) {
      const oldest = this.#last.keys().next().value
      if (oldest !== undefined) this.#last.delete(oldest)
    }
    this.#log.warn({ ...x, ...(suppressed > 0 ? { suppressed } : {}) }, 'upstream message dropped: it could not be handled')
  }
}
