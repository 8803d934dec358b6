/**
 * One topic's SSE stream, read as a browser's EventSource would (it
 * reconnects with Last-Event-ID when the stream ends), with exact
 * accounting of the fake server's sequence numbers (`s` in each payload):
 * each message is delivered, duplicated (seen again), or skipped; a skip
 * right after a `gap` event is covered by it, any other skip is missing.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http'

export interface Tally {
  delivered: number
  /** Skipped messages that no `gap` event announced: silent loss. */
  missing: number
  /** Skipped messages announced by a `gap` event. */
  covered: number
  duplicated: number
  gaps: number
  /** Streams ended by the gateway with a final event, by its name (overflow, shutdown, channel_closed). */
  ends: Record<string, number>
  /** Streams ended without a final event (cut mid-stream). */
  cutWithoutEvent: number
  reconnects: number
  /** Non-200 answers to a stream request, by status. */
  refused: Record<string, number>
}

export function newTally (): Tally {
  return { delivered: 0, missing: 0, covered: 0, duplicated: 0, gaps: 0, ends: {}, cutWithoutEvent: 0, reconnects: 0, refused: {} }
}

export function addTally (into: Tally, from: Tally): void {
  for (const key of ['delivered', 'missing', 'covered', 'duplicated', 'gaps', 'cutWithoutEvent', 'reconnects'] as const) into[key] += from[key]
  for (const [k, v] of Object.entries(from.ends)) into.ends[k] = (into.ends[k] ?? 0) + v
  for (const [k, v] of Object.entries(from.refused)) into.refused[k] = (into.refused[k] ?? 0) + v
}

/** Where a reader is in its topic's sequence: carried from one reader of a topic to the next. */
export interface Position {
  lastEventId: string | null
  /** The last sequence number received; -1 before the first. */
  lastSeq: number
}

const FINAL_EVENTS = new Set(['overflow', 'shutdown', 'channel_closed'])

export class AccountingReader {
  readonly topic: string
  readonly position: Position
  readonly #base: URL
  readonly #tally: Tally
  #gapSinceLast = false
  #req: ClientRequest | null = null
  #closed = false
  #sawFinal = false
  #onSeq: ((seq: number) => void) | null = null

  constructor (base: string, topic: string, tally: Tally, position: Position = { lastEventId: null, lastSeq: -1 }) {
    this.#base = new URL(base)
    this.topic = topic
    this.#tally = tally
    this.position = position
  }

  /** Calls `listener` with each new sequence number delivered. */
  onSeq (listener: (seq: number) => void): void { this.#onSeq = listener }

  open (): void {
    if (this.#closed) return
    this.#sawFinal = false
    const headers: Record<string, string> = { accept: 'text/event-stream' }
    if (this.position.lastEventId !== null) headers['last-event-id'] = this.position.lastEventId
    const req = request({ host: this.#base.hostname, port: this.#base.port, path: `/v1/channels/${encodeURIComponent(this.topic)}/events`, headers })
    this.#req = req
    req.on('response', (res) => { this.#read(res) })
    req.on('error', () => { this.#again(500) })
    req.end()
  }

  close (): void {
    this.#closed = true
    this.#req?.destroy()
  }

  #again (delayMs: number): void {
    if (this.#closed) return
    this.#tally.reconnects++
    setTimeout(() => { this.open() }, delayMs).unref()
  }

  #read (res: IncomingMessage): void {
    if (res.statusCode !== 200) {
      const key = String(res.statusCode)
      this.#tally.refused[key] = (this.#tally.refused[key] ?? 0) + 1
      res.resume()
      res.on('end', () => { this.#again(500) })
      return
    }
    res.setEncoding('utf8')
    let pending = ''
    res.on('data', (chunk: string) => {
      pending += chunk
      let end = pending.indexOf('\n\n')
      while (end >= 0) {
        this.#event(pending.slice(0, end))
        pending = pending.slice(end + 2)
        end = pending.indexOf('\n\n')
      }
    })
    const ended = (): void => {
      if (this.#closed) return
      if (!this.#sawFinal) this.#tally.cutWithoutEvent++
      this.#again(100)
    }
    res.on('end', ended)
    res.on('error', () => undefined)
    res.on('close', () => { if (!res.complete) ended() })
  }

  #event (block: string): void {
    let event = 'message'
    let data = ''
    let id: string | null = null
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1))
      if (field === 'event') event = value
      else if (field === 'data') data = data === '' ? value : `${data}\n${value}`
      else if (field === 'id') id = value
    }
    if (id !== null) this.position.lastEventId = id
    if (event === 'gap') {
      this.#tally.gaps++
      this.#gapSinceLast = true
      return
    }
    if (FINAL_EVENTS.has(event)) {
      this.#sawFinal = true
      this.#tally.ends[event] = (this.#tally.ends[event] ?? 0) + 1
      return
    }
    if (event !== 'tick') return
    const seq = (JSON.parse(data) as { s: number }).s
    const last = this.position.lastSeq
    if (seq <= last) {
      this.#tally.duplicated++
      return
    }
    if (last >= 0 && seq > last + 1) {
      if (this.#gapSinceLast) this.#tally.covered += seq - last - 1
      else this.#tally.missing += seq - last - 1
    }
    this.#gapSinceLast = false
    this.position.lastSeq = seq
    this.#tally.delivered++
    this.#onSeq?.(seq)
  }

  /** After the run: messages up to `finalSeq` that never arrived count as missing, unless a gap came after the last. */
  settle (finalSeq: number): void {
    const last = this.position.lastSeq
    if (last < 0 || last >= finalSeq) return
    if (this.#gapSinceLast) this.#tally.covered += finalSeq - last
    else this.#tally.missing += finalSeq - last
    this.position.lastSeq = finalSeq
  }
}
