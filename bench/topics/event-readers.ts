/**
 * Cheap SSE readers for the topics benchmark: `http.get` with a socket of
 * its own each, and per event only a count. A reader splits the text at
 * the blank lines that end events and counts the events that have an `id:`
 * line and the benchmark's event name; it does not parse the data. Every
 * reader, of a per-topic stream or of a multi-topic one, does exactly the
 * same work per event. All readers of a run add to one `EventCount`.
 */
import { get, type ClientRequest } from 'node:http'
import { withTimeout } from '../lib/measure.ts'

/** Events received by every reader together; `until` waits for a total. */
export class EventCount {
  total = 0
  #target = Number.POSITIVE_INFINITY
  #wake: (() => void) | null = null

  add (n: number): void {
    this.total += n
    if (this.total >= this.#target) {
      const wake = this.#wake
      this.#wake = null
      this.#target = Number.POSITIVE_INFINITY
      wake?.()
    }
  }

  /** Resolves once `total` ≥ `n`; rejects after `timeoutMs`. */
  async until (n: number, timeoutMs: number): Promise<void> {
    if (this.total >= n) return
    const reached = new Promise<void>((resolve) => {
      this.#target = n
      this.#wake = resolve
    })
    await withTimeout(reached, timeoutMs, `SSE: ${n} events in all (have ${this.total})`)
  }
}

/** One stream: resolves `opened` on its `ready` event; counts `event: <name>` events that carry an id. */
class EventReader {
  readonly #request: ClientRequest
  #closing = false

  constructor (url: string, name: string, count: EventCount, onReady: (err?: Error) => void, onCut: () => void) {
    const eventLine = `event: ${name}\n`
    let pending = ''
    let ready = false
    this.#request = get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        onReady(new Error(`GET ${url}: ${res.statusCode}`))
        res.resume()
        return
      }
      res.setEncoding('latin1')
      res.on('data', (chunk: string) => {
        const text = pending + chunk
        let n = 0
        let start = 0
        for (let end = text.indexOf('\n\n', start); end >= 0; end = text.indexOf('\n\n', start)) {
          if (text.startsWith('id: ', start)) {
            if (text.startsWith(eventLine, text.indexOf('\n', start) + 1)) n++
          } else if (!ready && text.startsWith('event: ready\n', start)) {
            ready = true
            onReady()
          }
          start = end + 2
        }
        pending = text.slice(start)
        if (n > 0) count.add(n)
      })
      res.on('close', () => { if (!this.#closing) onCut() })
    })
    this.#request.on('error', (err) => { if (!ready) onReady(err) })
  }

  close (): void {
    this.#closing = true
    this.#request.destroy()
  }
}

/** Readers of SSE streams, each on its own connection. */
export class EventReaders {
  readonly count = new EventCount()
  /** Streams that ended while the benchmark had not closed them. */
  cut = 0
  readonly #readers: EventReader[] = []

  /** Opens a reader of each URL, at most 100 connecting at once; resolves once each has had its `ready` event. */
  static async open (urls: readonly string[], name: string): Promise<EventReaders> {
    const readers = new EventReaders()
    try {
      for (let i = 0; i < urls.length; i += 100) {
        const batch = urls.slice(i, i + 100).map(async (url) => new Promise<void>((resolve, reject) => {
          readers.#readers.push(new EventReader(url, name, readers.count, (err) => { if (err === undefined) resolve(); else reject(err) }, () => { readers.cut++ }))
        }))
        await withTimeout(Promise.all(batch), 20_000, `SSE: open ${urls.length} streams`)
      }
    } catch (err) {
      readers.close()
      throw err
    }
    return readers
  }

  get size (): number { return this.#readers.length }

  close (): void {
    for (const r of this.#readers.splice(0)) r.close()
  }
}
