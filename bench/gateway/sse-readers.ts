/**
 * Many Server-Sent Events readers on raw TCP sockets, as cheap as a reader
 * can be: a hand-written GET, then each chunk is scanned for the payloads'
 * `{"t":<ms>,"s":<seq>` without parsing the SSE framing or the JSON. Each
 * receipt counts toward its sequence number, and its latency (receipt wall
 * clock − the fake server's `t`) is kept. The readers share one `Capture`
 * at a time, which knows how many events every reader has received.
 */
import { connect, type Socket } from 'node:net'
import { withTimeout, wallClock } from '../lib/measure.ts'

const MARK = '{"t":'

/** Receipts of one measured step, for `readers` readers and events numbered 0..capacity-1. */
export class Capture {
  readonly readers: number
  /** Every receipt so far. */
  received = 0
  /** Events 0..done-1 have reached every reader. */
  done = 0
  /** Latencies (ms) of the first `latencies.length` receipts. */
  readonly latencies: Float64Array
  lateCount = 0
  readonly #counts: Int32Array
  #until = Number.POSITIVE_INFINITY
  #wake: (() => void) | null = null
  #watched = -1
  #seen: (() => void) | null = null

  constructor (readers: number, events: number, latencies: Float64Array) {
    this.readers = readers
    this.#counts = new Int32Array(events)
    this.latencies = latencies
  }

  get capacity (): number { return this.#counts.length }

  record (seq: number, latencyMs: number): void {
    if (seq < 0 || seq >= this.#counts.length) return
    this.received++
    if (this.lateCount < this.latencies.length) this.latencies[this.lateCount++] = latencyMs
    if (this.#counts[seq]! + 1 === this.readers && seq === this.#watched) {
      this.#watched = -1
      this.#seen?.()
      this.#seen = null
    }
    if (++this.#counts[seq]! === this.readers && seq === this.done) {
      while (this.done < this.#counts.length && this.#counts[this.done] === this.readers) this.done++
      if (this.done >= this.#until) {
        const wake = this.#wake
        this.#wake = null
        this.#until = Number.POSITIVE_INFINITY
        wake?.()
      }
    }
  }

  /** Resolves once events 0..n-1 have reached every reader. */
  async until (n: number, timeoutMs: number): Promise<void> {
    if (this.done >= n) return
    const reached = new Promise<void>((resolve) => {
      this.#until = n
      this.#wake = resolve
    })
    await withTimeout(reached, timeoutMs, `SSE: ${n} events at ${this.readers} readers (have ${this.done})`)
  }

  /** Resolves once event `seq` has reached every reader, whether or not every event before it did (one skipped after a `gap` never comes). */
  async reached (seq: number, timeoutMs: number): Promise<void> {
    if (this.#counts[seq] === this.readers) return
    const seen = new Promise<void>((resolve) => {
      this.#watched = seq
      this.#seen = resolve
    })
    await withTimeout(seen, timeoutMs, `SSE: event ${seq} at ${this.readers} readers (have ${this.received} receipts)`)
  }

  /** The latencies kept, sorted. */
  sortedLatencies (): Float64Array {
    return this.latencies.slice(0, this.lateCount).sort()
  }
}

class Reader {
  readonly socket: Socket
  #pending = ''
  #headers = false
  #closing = false
  readonly #owner: SseReaders

  constructor (owner: SseReaders, port: number, path: string, onConnected: (err?: Error) => void) {
    this.#owner = owner
    this.socket = connect({ host: '127.0.0.1', port })
    this.socket.setNoDelay(true)
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`)
    this.socket.on('data', (chunk: Buffer) => {
      let text = this.#pending + chunk.toString('latin1')
      if (!this.#headers) {
        const end = text.indexOf('\r\n\r\n')
        if (end < 0) {
          this.#pending = text
          return
        }
        if (!text.startsWith('HTTP/1.1 200')) {
          onConnected(new Error(`SSE ${path}: ${text.slice(0, text.indexOf('\r\n'))}`))
          this.socket.destroy()
          return
        }
        this.#headers = true
        onConnected()
        text = text.slice(end + 4)
      }
      this.#scan(text)
    })
    this.socket.on('error', (err) => { if (!this.#headers) onConnected(err) })
    this.socket.on('close', () => {
      if (!this.#closing) this.#owner.noteCutOff()
    })
  }

  #scan (text: string): void {
    const end = text.lastIndexOf('\n\n')
    if (end < 0) {
      this.#pending = text
      return
    }
    const capture = this.#owner.capture
    if (capture !== null) {
      const now = wallClock()
      let i = text.indexOf(MARK)
      while (i >= 0 && i < end) {
        const a = text.indexOf(',', i + MARK.length)
        const b = text.indexOf(',', a + 5) // after `,"s":`
        capture.record(Number(text.slice(a + 5, b)), now - Number(text.slice(i + MARK.length, a)))
        i = text.indexOf(MARK, b)
      }
    }
    this.#pending = text.slice(end + 2)
  }

  close (): void {
    this.#closing = true
    this.socket.destroy()
  }
}

/** `n` readers of one SSE stream. */
export class SseReaders {
  capture: Capture | null = null
  /** Readers whose stream ended while the benchmark did not close them (e.g. cut off as too slow). */
  cutOff = 0
  readonly #readers: Reader[] = []
  #cut: (() => void) | null = null
  /** Rejects once a reader has been cut off: its events never come, so a wait for them can stop at once. */
  readonly cut: Promise<never> = new Promise<never>((_resolve, reject) => {
    this.#cut = () => { reject(new Error('an SSE reader was cut off (it fell further behind than its topic holds)')) }
  })

  constructor () {
    this.cut.catch(() => {})
  }

  noteCutOff (): void {
    this.cutOff++
    this.#cut?.()
  }

  /** Opens `n` readers of `base` + `path`, at most 100 connecting at once; resolves when each has its 200. */
  static async open (base: string, path: string, n: number): Promise<SseReaders> {
    const port = Number(new URL(base).port)
    const readers = new SseReaders()
    for (let i = 0; i < n; i += 100) {
      const batch = Array.from({ length: Math.min(100, n - i) }, async () => new Promise<void>((resolve, reject) => {
        readers.#readers.push(new Reader(readers, port, path, (err) => { if (err === undefined) resolve(); else reject(err) }))
      }))
      await withTimeout(Promise.all(batch), 10_000, `SSE: open ${n} readers of ${path}`)
    }
    return readers
  }

  get size (): number { return this.#readers.length }

  close (): void {
    for (const r of this.#readers.splice(0)) r.close()
  }
}
