/**
 * The server side of one SSE stream, a `Reader` of the hub: writes its
 * topic's events to a raw HTTP response, pulling from the topic's held
 * events. While the response takes what it is given, each new event is
 * written at once (the formatted text every reader shares). Once the
 * response holds `bufferBytes` (what sits in its socket's buffer), nothing
 * more is copied into it: the reader keeps only its cursor, the sequence
 * number of the last event it was given, and on `drain` pulls what came
 * since from the topic until the buffer is full again. So its memory is
 * its buffer plus one event, however far behind it is, and a burst never
 * cuts off a reader that keeps up on average.
 *
 * A reader is cut off (`overflow`) only when the event it needs next is no
 * longer held, or when it has taken nothing for `stallMs` while events wait
 * for it. The final event names the last id written to it: everything
 * before it arrives first (one ordered stream), so resuming from it loses
 * nothing. The socket is destroyed only if that final event cannot be
 * flushed within `lingerMs`.
 */
import type { ServerResponse } from 'node:http'
import { formatEventId } from '../../hub/event-id.ts'
import type { CutCause, EndReason, Reader, ReaderSource } from '../../hub/reader.ts'
import type { Gap } from '../../hub/resume.ts'
import type { RingEntry } from '../../hub/ring.ts'
import { formatComment, formatEvent } from './format.ts'

/**
 * The SSE text of a held event, formatted by the first stream that writes it and kept on the entry for the rest.
 * A Phoenix event name may hold anything; a line break would end the SSE field, so it becomes a space.
 */
export function sseText (entry: RingEntry, epoch: string): string {
  entry.sseText ??= formatEvent({ id: formatEventId(epoch, entry.seq), event: entry.event.replace(/[\r\n]+/g, ' '), data: entry.data })
  return entry.sseText
}

const KEEP_ALIVE = formatComment('keep-alive')

export interface SseStreamWriterOptions {
  /** Bytes the response may hold before the reader is left to catch up (the socket's high-water mark at least). */
  bufferBytes: number
  /** Phoenix events to pass (null: all). Control events always pass. */
  events: ReadonlySet<string> | null
  /** How long a cut-off or ended stream may take to flush before its socket is destroyed. */
  lingerMs?: number
  /** A reader that takes nothing for this long while events wait for it is cut off, ms. */
  stallMs?: number
  /** Clock for `stallMs` (ms). */
  now?: () => number
}

type EndListener = (reason: EndReason) => void

/** The reader of each open response: the response's listeners are shared functions, not closures per stream. */
const readers = new WeakMap<ServerResponse, SseStreamWriter>()

function onDrain (this: ServerResponse): void { readers.get(this)?.drained() }
function onClose (this: ServerResponse): void { readers.get(this)?.closed() }

export class SseStreamWriter implements Reader {
  readonly #res: ServerResponse
  readonly #options: SseStreamWriterOptions
  readonly #now: () => number
  #source: ReaderSource | null = null
  /** The sequence number of the last event given or passed over (filtered out). */
  #cursor = 0
  /** The response is full: nothing is written until it drains. */
  #waiting = false
  #waitingSince = 0
  /** The id the reader resumed from, until something is written. */
  readonly #resumedFrom: string | null
  #lastWrittenSeq: number | null = null
  /** An event to write once the cursor reaches `seq` (a presence state as of that event). */
  #pending: { seq: number, event: string, data: string } | null = null
  #ended: EndReason | null = null
  #cutCause: CutCause | null = null
  /** Something was written since the last keep-alive tick: the stream is not idle. */
  #active = false
  /** Most streams have one end listener: an array only for more. */
  #onEnd: EndListener | EndListener[] | null = null

  constructor (res: ServerResponse, lastEventId: string | null, options: SseStreamWriterOptions) {
    this.#res = res
    this.#options = options
    this.#now = options.now ?? Date.now
    this.#resumedFrom = lastEventId
    readers.set(res, this)
    res.on('drain', onDrain)
    res.on('close', onClose)
  }

  get ended (): boolean { return this.#ended !== null }
  /** The id of the last event written to it (or the one it resumed from). */
  get lastEventId (): string | null {
    return this.#lastWrittenSeq === null || this.#source === null ? this.#resumedFrom : formatEventId(this.#source.epoch, this.#lastWrittenSeq)
  }

  /** Why it was cut off, when it was. */
  get cutCause (): CutCause | null { return this.#cutCause }
  /** Bytes its response holds now (its share of the gateway's memory besides the topic's events). */
  get bufferedBytes (): number { return this.#res.writableLength }
  /** It waits for its response to drain, keeping only its cursor. */
  get waiting (): boolean { return this.#waiting }

  /** Starts reading `source` after sequence number `after`: what is held since is pulled now, as far as the response takes. */
  start (source: ReaderSource, after: number): void {
    this.#source = source
    this.#cursor = after
    this.#pump()
  }

  /** Writes `event` with id `seq` (`data` is JSON) once everything up to `seq` has been given (at once if it has). */
  after (seq: number, event: string, data: string): void {
    if (this.#ended !== null || !this.#passes({ control: false, event })) return
    if (this.#cursor >= seq) this.#writeAt(seq, event, data)
    else this.#pending = { seq, event, data }
  }

  /** A new event of the source: written at once unless the reader is catching up. True when written (for metrics). */
  offer (entry: RingEntry): boolean {
    const source = this.#source
    if (this.#ended !== null || source === null) return false
    if (this.#waiting) {
      this.#checkProgress()
      return false
    }
    if (entry.seq !== this.#cursor + 1) {
      this.#pump()
      return false
    }
    this.#cursor = entry.seq
    if (!this.#passes(entry)) return false
    this.#lastWrittenSeq = entry.seq
    this.#write(sseText(entry, source.epoch))
    return true
  }

  /** The response's buffer emptied: pull what came since. */
  drained (): void {
    if (this.#ended !== null) return
    this.#waiting = false
    this.#pump()
  }

  /** The response closed (the client went away, or the stream ended). */
  closed (): void {
    this.#finish('client_closed')
  }

  /** Calls `listener` when the stream ends, or at once if it has ended already. */
  onEnd (listener: EndListener): void {
    if (this.#ended !== null) listener(this.#ended)
    else if (this.#onEnd === null) this.#onEnd = listener
    else if (Array.isArray(this.#onEnd)) this.#onEnd.push(listener)
    else this.#onEnd = [this.#onEnd, listener]
  }

  /** Writes a keep-alive comment unless something else was written since the last call: only idle streams need one. */
  keepAlive (): void {
    if (this.#ended !== null) return
    if (this.#waiting) {
      this.#checkProgress()
      return
    }
    if (!this.#active) this.#write(KEEP_ALIVE)
    this.#active = false
  }

  /** Messages may be missing for this reader (it resumed): a `gap` event without an id, now. True when written. */
  gap (gap: Gap): boolean {
    return this.write(formatEvent({ event: 'gap', data: JSON.stringify(gap) }))
  }

  /** Writes preformatted SSE text now. True when written. */
  write (text: string): boolean {
    if (this.#ended !== null) return false
    this.#write(text)
    return true
  }

  /** Ends the stream with a final event (named after the reason) naming the last id written, and a retry hint. */
  end (reason: EndReason, data: Record<string, unknown>, retryMs?: number): void {
    if (this.#ended !== null) return
    const final = formatEvent({ event: reason, data: JSON.stringify({ lastEventId: this.lastEventId, ...data }), ...(retryMs === undefined ? {} : { retryMs }) })
    this.#finish(reason)
    const socket = this.#res.socket
    if (socket !== null) {
      const timer = setTimeout(() => { socket.destroy() }, this.#options.lingerMs ?? 1000)
      const flushed = (): void => { clearTimeout(timer); socket.off('close', flushed) }
      socket.once('close', flushed)
      // Once flushed, the connection may carry the client's reconnect (keep-alive): leave it be.
      this.#res.once('finish', flushed)
    }
    this.#res.end(final)
  }

  /** Pulls held events after the cursor until the response is full or the reader has caught up. */
  #pump (): void {
    const source = this.#source
    if (source === null) return
    while (this.#ended === null && !this.#waiting && this.#cursor < source.seq) {
      const entry = source.entry(this.#cursor + 1)
      if (entry === undefined) {
        this.#cut('behind')
        return
      }
      this.#cursor = entry.seq
      if (this.#passes(entry)) {
        this.#lastWrittenSeq = entry.seq
        this.#write(sseText(entry, source.epoch))
        source.eventsSent++
      }
      const pending = this.#pending
      if (pending !== null && pending.seq <= this.#cursor) {
        this.#pending = null
        this.#writeAt(pending.seq, pending.event, pending.data)
      }
    }
  }

  /** A reader catching up is cut off once the event it needs next is dropped, or when it has taken nothing for `stallMs`. */
  #checkProgress (): void {
    const source = this.#source
    if (source !== null && this.#cursor < source.seq && source.entry(this.#cursor + 1) === undefined) this.#cut('behind')
    else if (this.#options.stallMs !== undefined && this.#now() - this.#waitingSince >= this.#options.stallMs) this.#cut('stalled')
  }

  #cut (cause: CutCause): void {
    this.#cutCause = cause
    this.end('overflow', { reason: 'slow_reader', cause })
  }

  #passes (entry: Pick<RingEntry, 'control' | 'event'>): boolean {
    return entry.control || this.#options.events === null || this.#options.events.has(entry.event)
  }

  #writeAt (seq: number, event: string, data: string): void {
    const source = this.#source
    if (source === null) return
    this.#lastWrittenSeq = seq
    source.eventsSent++
    this.#write(formatEvent({ id: formatEventId(source.epoch, seq), event, data }))
  }

  #write (text: string): void {
    this.#active = true
    const res = this.#res
    res.write(text)
    // Past the socket's high-water mark, `drain` follows once it empties: wait for it when the buffer is full.
    if (res.writableNeedDrain && res.writableLength >= this.#options.bufferBytes) {
      this.#waiting = true
      this.#waitingSince = this.#now()
    }
  }

  #finish (reason: EndReason): void {
    if (this.#ended !== null) return
    this.#ended = reason
    readers.delete(this.#res)
    const listeners = this.#onEnd
    this.#onEnd = null
    if (typeof listeners === 'function') listeners(reason)
    else for (const listener of listeners ?? []) listener(reason)
  }
}
