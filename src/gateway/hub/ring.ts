/**
 * A topic's recent events, pure: the newest `capacity` of them are its
 * replay for Last-Event-ID resume, and beyond that it holds as many of the
 * newest as fit in `maxBytes`, so that a reader that lags behind the live
 * stream can pull what it has not been given yet. Entries carry consecutive
 * sequence numbers; the oldest are dropped first. What it holds is bounded
 * in bytes as well as in entries; the newest entry is always held,
 * whatever its size. An entry counts its event name and data plus a fixed
 * overhead (about what its SSE text and the entry took before the ring
 * kept messages, so a byte bound holds as many events as it did). The SSE
 * text a stream formats from a short entry is kept on it beside the message
 * while the topic has more than one reader, and is not counted: such a
 * topic holds up to about twice its count (a long entry's text is not
 * kept, nor any on a topic with one reader: http/sse/stream-writer.ts).
 */

/** One event of a topic as the hub keeps it: the message, not any outlet's wire text. */
export interface RingEntry {
  readonly seq: number
  /** Its place in the hub's one order over every topic (increasing across all topics of a sidecar): what multi-topic streams number events by. */
  readonly order: number
  /** When it was added (ms since the epoch). */
  readonly at: number
  /** The event name: the Phoenix event, or joined / errored / rejoined / gap / closed (as sent, line breaks and all). */
  readonly event: string
  /** The payload as JSON text. */
  readonly data: string
  /** Lifecycle and gap entries pass every `?events=` filter. */
  readonly control: boolean
  /** `data` and `event` are known to hold only ASCII characters (they came so from upstream): their UTF-8 bytes are their characters. */
  readonly ascii?: boolean
  /**
   * Its SSE id when it is not the local `<epoch>-<seq>`: an entry of shared
   * history carries `<epoch>:<ms>-<n>`, the same on every replica; '' for a
   * lifecycle event while the topic is served from shared history, which
   * goes out without an id (the reader's place stays the last shared id).
   */
  readonly id?: string
  /**
   * The SSE outlet's formatted text of it, filled in by the first SSE
   * reader that writes it and shared by the rest (so a message is
   * formatted once however many streams read it). Owned by `http/sse`: the
   * hub never sets or reads it.
   */
  sseText?: string
}

/** What an entry counts for besides its event name and data: the entry object, its slot, and an SSE id and field names (bytes, a round estimate). */
export const ENTRY_OVERHEAD_BYTES = 128

/** The bytes an entry counts for in a ring's byte bound. */
export function entryBytes (entry: RingEntry): number {
  return entry.data.length + entry.event.length + ENTRY_OVERHEAD_BYTES
}

export class ReplayRing {
  /** Entries replayed to a resuming reader, at most. */
  readonly capacity: number
  /** Bytes held at most (the newest entry excepted); without it, only the replay is held. */
  readonly maxBytes: number | null
  /** Held entries from index #head on; the slots before it are dropped and compacted away now and then. */
  #entries: Array<RingEntry | undefined> = []
  #head = 0
  #bytes = 0
  /** When the newest entry that was dropped was added, or null if none has been. */
  #droppedUntil: number | null = null
  /** The order of the newest entry that was dropped, or null if none has been. */
  #droppedOrder: number | null = null

  constructor (capacity: number, maxBytes?: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new TypeError(`ring capacity must be a whole number, got ${capacity}`)
    if (maxBytes !== undefined && !(maxBytes >= 0)) throw new TypeError(`ring bytes must be a number >= 0, got ${maxBytes}`)
    this.capacity = capacity
    this.maxBytes = maxBytes ?? null
  }

  /** Entries that a resuming reader can be given. */
  get size (): number { return Math.min(this.held, this.capacity) }

  /** Entries held (the replay and what lagging readers may still pull). */
  get held (): number { return this.#entries.length - this.#head }

  /** Bytes the held entries count for. */
  get bytes (): number { return this.#bytes }

  /** The oldest sequence number held (for lagging readers), or undefined when empty. */
  get firstHeldSeq (): number | undefined { return this.#entries[this.#head]?.seq }

  /** When the newest entry that is no longer in the replay was added, or null if none has left it. */
  get evictedUntil (): number | null {
    const beyond = this.held - this.capacity
    if (beyond > 0) return this.#entries[this.#head + beyond - 1]?.at ?? null
    return this.#droppedUntil
  }

  /** The order of the newest entry that is no longer in the replay (held for lagging readers only, or dropped), or null if none has left it. */
  get orderBeforeReplay (): number | null {
    const beyond = this.held - this.capacity
    if (beyond > 0) return this.#entries[this.#head + beyond - 1]?.order ?? null
    return this.#droppedOrder
  }

  /** The sequence number of the first replay entry whose order is above `order`, or undefined when there is none. */
  firstSeqAfterOrder (order: number): number | undefined {
    let lo = this.#entries.length - this.size
    let hi = this.#entries.length
    // Entries are held in increasing order: the first one above `order`, by halving.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.#entries[mid]?.order ?? Infinity) > order) hi = mid
      else lo = mid + 1
    }
    return this.#entries[lo]?.seq
  }

  push (entry: RingEntry): void {
    this.#entries.push(entry)
    this.#bytes += entryBytes(entry)
    const limit = this.maxBytes
    if (limit === null) {
      while (this.held > this.capacity) this.#drop()
    } else {
      while (this.held > 1 && this.#bytes > limit) this.#drop()
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head)
      this.#head = 0
    }
  }

  /** The held entry with sequence number `seq`, or undefined when it is not (or no longer) held. */
  get (seq: number): RingEntry | undefined {
    const first = this.firstHeldSeq
    if (first === undefined || seq < first) return undefined
    return this.#entries[this.#head + seq - first]
  }

  /** The oldest sequence number of the replay, or undefined when it is empty. */
  oldestSeq (): number | undefined {
    return this.size === 0 ? undefined : this.#entries[this.#entries.length - this.size]?.seq
  }

  /** A ring with another replay capacity holding this one's entries; what does not fit counts as dropped. */
  resized (capacity: number, maxBytes = this.maxBytes ?? undefined): ReplayRing {
    const ring = new ReplayRing(capacity, maxBytes)
    ring.#droppedUntil = this.#droppedUntil
    ring.#droppedOrder = this.#droppedOrder
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i]
      if (entry !== undefined) ring.push(entry)
    }
    return ring
  }

  /**
   * Entries from before `first` were dropped before this ring was built (a
   * ring restored from the store): a resume over several topics from an
   * order below `first`'s misses them, as it would had this ring dropped them.
   */
  noteDroppedBefore (first: RingEntry): void {
    if (this.#droppedOrder === null) this.#droppedOrder = first.order - 1
  }

  /** Replay entries with seq > `after`, oldest first. */
  since (after: number): RingEntry[] {
    const out: RingEntry[] = []
    for (let i = this.#entries.length - this.size; i < this.#entries.length; i++) {
      const entry = this.#entries[i]
      if (entry !== undefined && entry.seq > after) out.push(entry)
    }
    return out
  }

  #drop (): void {
    const entry = this.#entries[this.#head]
    if (entry === undefined) return
    this.#entries[this.#head] = undefined
    this.#head++
    this.#bytes -= entryBytes(entry)
    this.#droppedUntil = entry.at
    this.#droppedOrder = entry.order
  }
}
