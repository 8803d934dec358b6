/**
 * The source of a reader that resumes from a shared id older than what its
 * topic's ring holds: first the events read from shared history (numbered
 * just below the ring's place `after`), then the topic's own events after
 * `after`. The reader pulls through it as from the topic itself, so its
 * back-pressure and cut-off rules are the same; live events offered by the
 * topic have the topic's numbers, which this source shares.
 */
import type { ReaderSource } from './reader.ts'
import type { RingEntry } from './ring.ts'

export class CatchUpSource implements ReaderSource {
  readonly #topic: ReaderSource
  readonly #before: readonly RingEntry[]
  readonly #after: number
  /** The seq of the first event read from shared history. */
  readonly first: number

  constructor (topic: ReaderSource, before: ReadonlyArray<Omit<RingEntry, 'seq'>>, after: number) {
    this.#topic = topic
    this.#after = after
    this.first = after - before.length + 1
    this.#before = before.map((entry, i) => ({ ...entry, seq: this.first + i }))
  }

  get epoch (): string { return this.#topic.epoch }
  get seq (): number { return this.#topic.seq }
  get eventsSent (): number { return this.#topic.eventsSent }
  set eventsSent (n: number) { this.#topic.eventsSent = n }
  get readerCount (): number { return this.#topic.readerCount }

  entry (seq: number): RingEntry | undefined {
    return seq <= this.#after ? this.#before[seq - this.first] : this.#topic.entry(seq)
  }
}
