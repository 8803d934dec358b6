/**
 * A bounded ring of a topic's recent events for Last-Event-ID resume, pure.
 * Entries carry consecutive sequence numbers; the oldest is dropped when
 * the ring is full.
 */
export interface RingEntry {
  readonly seq: number
  /** When it was added (ms since the epoch). */
  readonly at: number
  /** The SSE event name (a Phoenix event, or joined / errored / rejoined / gap). */
  readonly event: string
  /** Formatted SSE text, shared by every reader. */
  readonly wire: string
  /** Lifecycle and gap entries pass every `?events=` filter. */
  readonly control: boolean
}

export class ReplayRing {
  readonly capacity: number
  readonly #entries: Array<RingEntry | undefined>
  #start = 0
  #size = 0
  #evictedUntil: number | null = null

  constructor (capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new TypeError(`ring capacity must be a whole number, got ${capacity}`)
    this.capacity = capacity
    this.#entries = new Array<RingEntry | undefined>(capacity)
  }

  get size (): number { return this.#size }

  /** When the newest entry that fell out of the ring was added, or null if none has. */
  get evictedUntil (): number | null { return this.#evictedUntil }

  push (entry: RingEntry): void {
    if (this.capacity === 0) {
      this.#evictedUntil = entry.at
      return
    }
    if (this.#size < this.capacity) {
      this.#entries[(this.#start + this.#size) % this.capacity] = entry
      this.#size++
    } else {
      this.#evictedUntil = this.#entries[this.#start]?.at ?? null
      this.#entries[this.#start] = entry
      this.#start = (this.#start + 1) % this.capacity
    }
  }

  /** The oldest sequence number still held, or undefined when empty. */
  oldestSeq (): number | undefined {
    return this.#size === 0 ? undefined : this.#entries[this.#start]?.seq
  }

  /** A ring of `capacity` holding this one's newest entries; what does not fit counts as evicted. */
  resized (capacity: number): ReplayRing {
    const ring = new ReplayRing(capacity)
    ring.#evictedUntil = this.#evictedUntil
    for (const entry of this.since(Number.NEGATIVE_INFINITY)) ring.push(entry)
    return ring
  }

  /** Entries with seq > `after`, oldest first. */
  since (after: number): RingEntry[] {
    const out: RingEntry[] = []
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#entries[(this.#start + i) % this.capacity]
      if (entry !== undefined && entry.seq > after) out.push(entry)
    }
    return out
  }
}
