/** A reader of no particular outlet for the hub's tests: it keeps in memory what it is given. */
import { callEndListener, type CutCause, type EndListener, type EndReason, type Reader, type ReaderSource } from '../../../src/gateway/hub/reader.ts'
import type { Gap } from '../../../src/gateway/hub/resume.ts'
import type { RingEntry } from '../../../src/gateway/hub/ring.ts'

/** A reader that takes everything at once and keeps it as `[event, data]`, ids as seqs. */
export class MemoryReader implements Reader {
  readonly got: Array<{ seq: number | null, event: string, data: string }> = []
  ticks = 0
  cutCause: CutCause | null = null
  bufferedBytes = 0
  waiting = false
  #ended: EndReason | null = null
  #listeners: Array<EndListener<this>> = []
  #source: ReaderSource | null = null
  #cursor = 0

  get ended (): boolean { return this.#ended !== null }
  start (source: ReaderSource, after: number): void {
    this.#source = source
    this.#cursor = after
    for (let seq = after + 1; seq <= source.seq; seq++) {
      const entry = source.entry(seq)
      if (entry !== undefined) this.offer(entry)
    }
  }

  offer (entry: RingEntry): boolean {
    if (this.#source === null || entry.seq !== this.#cursor + 1) return false
    this.#cursor = entry.seq
    this.got.push({ seq: entry.seq, event: entry.event, data: entry.data })
    return true
  }

  gap (gap: Gap): boolean {
    this.got.push({ seq: null, event: 'gap', data: JSON.stringify(gap) })
    return true
  }

  after (seq: number, event: string, data: string): void { this.got.push({ seq, event, data }) }
  end (reason: EndReason, data: Record<string, unknown>): void {
    if (this.#ended !== null) return
    this.#ended = reason
    this.got.push({ seq: null, event: reason, data: JSON.stringify(data) })
    for (const listener of this.#listeners) callEndListener(listener, reason, this)
  }

  onEnd (listener: EndListener<this>): void {
    if (this.#ended !== null) callEndListener(listener, this.#ended, this)
    else this.#listeners.push(listener)
  }

  keepAlive (): void { this.ticks++ }
}
