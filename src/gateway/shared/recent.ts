/**
 * Identities seen lately, with a value each, pure (time comes in as an
 * argument): bounded by age and by count, the oldest forgotten first.
 * Shared history keeps two per topic: the messages a replica published
 * locally (so the same ones read back from the stream are not given to
 * readers again) and those it read from the stream (so the same ones
 * received from Phoenix afterwards do not wait for the stream).
 */
export class RecentIdentities<V> {
  readonly #maxAgeMs: number
  readonly #maxCount: number
  /** Identity → its value and when it was noted; a Map keeps insertion order, oldest first. */
  readonly #seen = new Map<string, { value: V, at: number }>()

  constructor (maxAgeMs: number, maxCount: number) {
    this.#maxAgeMs = maxAgeMs
    this.#maxCount = maxCount
  }

  get size (): number { return this.#seen.size }

  set (identity: string, value: V, now: number): void {
    this.#seen.delete(identity)
    this.#seen.set(identity, { value, at: now })
    this.#prune(now)
  }

  get (identity: string, now: number): V | undefined {
    this.#prune(now)
    return this.#seen.get(identity)?.value
  }

  #prune (now: number): void {
    for (const [identity, { at }] of this.#seen) {
      if (now - at <= this.#maxAgeMs && this.#seen.size <= this.#maxCount) return
      this.#seen.delete(identity)
    }
  }
}
