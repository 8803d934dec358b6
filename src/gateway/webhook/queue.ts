/**
 * A subscription's webhook queue: bounded, in arrival order, split into
 * ordering lanes (one per topic, or one per value of the order key). Only
 * a lane's head may be in flight or waiting for a retry, so each lane is
 * delivered strictly in order while lanes proceed independently. Ready
 * lanes are served round robin. No I/O and no timers: the sink drives it.
 *
 * Capacity counts every message held: queued, in flight and waiting for a
 * retry. When it is full, `drop-newest` refuses the arriving message and
 * `drop-oldest` evicts the oldest message not in flight (a waiting head
 * included) to make room; the caller sends the refused or evicted message
 * to the dead letter. If every held message is in flight, there is nothing
 * to evict and the newest is refused.
 *
 * Every operation is O(1) (eviction skips at most the messages in flight):
 * messages are linked in two doubly linked lists, arrival order and lane.
 */

export type EntryState = 'queued' | 'in_flight' | 'waiting'
export type OverflowPolicy = 'drop-newest' | 'drop-oldest'

class Lane<T> {
  readonly key: string
  head: Entry<T> | null = null
  tail: Entry<T> | null = null
  /** Its head is in flight or waiting for a retry. */
  busy = false
  /** It is in the ready list. */
  listed = false

  constructor (key: string) { this.key = key }
}

export class Entry<T> {
  readonly value: T
  readonly lane: Lane<T>
  state: EntryState = 'queued'
  prev: Entry<T> | null = null
  next: Entry<T> | null = null
  lanePrev: Entry<T> | null = null
  laneNext: Entry<T> | null = null

  constructor (value: T, lane: Lane<T>) {
    this.value = value
    this.lane = lane
  }
}

export interface Offered<T> {
  /** The new message's entry, or null when it was refused. */
  accepted: Entry<T> | null
  /** A message evicted to make room (drop-oldest), to be dead-lettered. */
  evicted: Entry<T> | null
}

export class LaneQueue<T> {
  capacity: number
  overflow: OverflowPolicy
  readonly #lanes = new Map<string, Lane<T>>()
  /** Lanes whose head is queued, round robin; stale slots are skipped. */
  #ready: Array<Lane<T> | undefined> = []
  #readyHead = 0
  #first: Entry<T> | null = null
  #last: Entry<T> | null = null
  #size = 0
  #inFlight = 0
  #waiting = 0

  constructor (capacity: number, overflow: OverflowPolicy) {
    this.capacity = capacity
    this.overflow = overflow
  }

  /** Messages held: queued, in flight and waiting. */
  get size (): number { return this.#size }
  get inFlight (): number { return this.#inFlight }
  get waiting (): number { return this.#waiting }
  get lanes (): number { return this.#lanes.size }

  offer (value: T, laneKey: string): Offered<T> {
    let evicted: Entry<T> | null = null
    if (this.#size >= this.capacity) {
      if (this.overflow === 'drop-newest') return { accepted: null, evicted: null }
      evicted = this.#oldestEvictable()
      if (evicted === null) return { accepted: null, evicted: null }
      this.remove(evicted)
    }
    let lane = this.#lanes.get(laneKey)
    if (lane === undefined) {
      lane = new Lane<T>(laneKey)
      this.#lanes.set(laneKey, lane)
    }
    const entry = new Entry(value, lane)
    entry.prev = this.#last
    if (this.#last === null) this.#first = entry
    else this.#last.next = entry
    this.#last = entry
    entry.lanePrev = lane.tail
    if (lane.tail === null) lane.head = entry
    else lane.tail.laneNext = entry
    lane.tail = entry
    this.#size++
    this.#list(lane)
    return { accepted: entry, evicted }
  }

  /** The next ready lane's head, now in flight; null when no lane is ready. */
  take (): Entry<T> | null {
    while (this.#readyHead < this.#ready.length) {
      const lane = this.#ready[this.#readyHead]
      this.#ready[this.#readyHead++] = undefined
      if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
        this.#ready = this.#ready.slice(this.#readyHead)
        this.#readyHead = 0
      }
      if (lane === undefined) continue
      lane.listed = false
      const head = lane.head
      if (lane.busy || head === null) continue
      lane.busy = true
      head.state = 'in_flight'
      this.#inFlight++
      return head
    }
    return null
  }

  /** An in-flight head will be retried later: its lane stays blocked behind it. */
  wait (entry: Entry<T>): void {
    if (entry.state !== 'in_flight') return
    entry.state = 'waiting'
    this.#inFlight--
    this.#waiting++
  }

  /** A waiting head is due again: its lane is ready. */
  release (entry: Entry<T>): void {
    if (entry.state !== 'waiting') return
    entry.state = 'queued'
    this.#waiting--
    entry.lane.busy = false
    this.#list(entry.lane)
  }

  /** Removes an entry, whatever its state (delivered, dead-lettered, evicted); its lane moves on. */
  remove (entry: Entry<T>): void {
    const lane = entry.lane
    if (entry.state === 'in_flight') this.#inFlight--
    else if (entry.state === 'waiting') this.#waiting--
    if (lane.head === entry) lane.busy = false
    if (entry.prev === null) this.#first = entry.next
    else entry.prev.next = entry.next
    if (entry.next === null) this.#last = entry.prev
    else entry.next.prev = entry.prev
    if (entry.lanePrev === null) lane.head = entry.laneNext
    else entry.lanePrev.laneNext = entry.laneNext
    if (entry.laneNext === null) lane.tail = entry.lanePrev
    else entry.laneNext.lanePrev = entry.lanePrev
    entry.prev = entry.next = entry.lanePrev = entry.laneNext = null
    this.#size--
    if (lane.head === null) this.#lanes.delete(lane.key)
    else this.#list(lane)
  }

  /** The entries of `entry`'s lane from `entry` on, in order (to dead-letter a lane as a whole). */
  laneFrom (entry: Entry<T>): Array<Entry<T>> {
    const out: Array<Entry<T>> = []
    for (let e: Entry<T> | null = entry; e !== null; e = e.laneNext) out.push(e)
    return out
  }

  /** Every entry held, oldest first. */
  entries (): Array<Entry<T>> {
    const out: Array<Entry<T>> = []
    for (let e = this.#first; e !== null; e = e.next) out.push(e)
    return out
  }

  /**
   * New limits (a reload): while more is held than `capacity`, the message
   * the policy would drop goes (the oldest, or the newest, not in flight).
   * Returns what was removed, for the dead letter.
   */
  resize (capacity: number, overflow: OverflowPolicy): Array<Entry<T>> {
    this.capacity = capacity
    this.overflow = overflow
    const removed: Array<Entry<T>> = []
    while (this.#size > capacity) {
      const entry = overflow === 'drop-oldest' ? this.#oldestEvictable() : this.#newestEvictable()
      if (entry === null) break
      this.remove(entry)
      removed.push(entry)
    }
    return removed
  }

  #newestEvictable (): Entry<T> | null {
    for (let e = this.#last; e !== null; e = e.prev) if (e.state !== 'in_flight') return e
    return null
  }

  #oldestEvictable (): Entry<T> | null {
    for (let e = this.#first; e !== null; e = e.next) if (e.state !== 'in_flight') return e
    return null
  }

  #list (lane: Lane<T>): void {
    if (lane.listed || lane.busy || lane.head === null) return
    lane.listed = true
    this.#ready.push(lane)
  }
}
