/**
 * When topics stopped being held, by topic, for the resume of streams over
 * several topics: a topic held again after a stream's last id missed what
 * its server sent in between. Bounded: past `limit` topics the oldest are
 * forgotten, and a resume from before the newest forgotten end counts as
 * having missed something on every topic not remembered (a gap too many,
 * never one too few).
 */
export class EndedLives {
  readonly #limit: number
  /** Order at each topic's latest end; a Map keeps insertion order, so the first key ended longest ago. */
  readonly #ends = new Map<string, number>()
  #forgottenUntil = 0

  constructor (limit = 10_000) {
    this.#limit = limit
  }

  /** The topic `key` stopped being held when the hub's order was `order`. */
  note (key: string, order: number): void {
    this.#ends.delete(key)
    this.#ends.set(key, order)
    if (this.#ends.size <= this.#limit) return
    const [oldest, end] = this.#ends.entries().next().value ?? ['', 0]
    this.#ends.delete(oldest)
    this.#forgottenUntil = Math.max(this.#forgottenUntil, end)
  }

  /** Topics that ended by `order` were forgotten elsewhere (the durable store's): a resume from before it may have missed them. */
  forgotten (order: number): void {
    this.#forgottenUntil = Math.max(this.#forgottenUntil, order)
  }

  /** Whether an earlier life of topic `key` ended after `order` (or may have: see the class). */
  endedSince (key: string, order: number): boolean {
    const end = this.#ends.get(key)
    return (end ?? this.#forgottenUntil) > order
  }
}
