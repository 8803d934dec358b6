/**
 * What every SSE stream does with its raw HTTP response, whatever it reads:
 * writes with back-pressure (once the response holds `bufferBytes`, the
 * stream waits for `drain` and keeps only its place), keep-alive comments
 * on idle streams, a stalled or lagging reader's cut-off, and the final
 * event. The final event names the last id written: everything before it
 * arrives first (one ordered stream), so resuming from it loses nothing.
 * The socket is destroyed only if that final event cannot be flushed
 * within `lingerMs`. Short writes made in one turn of the event loop go
 * out together, as one chunk of the response written at the next tick (or
 * as soon as they would fill the buffer): a stream given many events at
 * once costs one write, not one per event.
 */
import type { ServerResponse } from 'node:http'
import { callEndListener, type CutCause, type EndListener, type EndReason } from '../../hub/reader.ts'
import { formatComment, formatEvent } from './format.ts'

const KEEP_ALIVE = formatComment('keep-alive')
/**
 * Texts shorter than this are joined with the others of their tick; a
 * longer one is written by itself (a held event keeps it flat, and joining
 * would only copy it once more).
 */
const JOIN_BELOW = 4096

export interface SseResponseOptions {
  /** Bytes the response may hold before the stream waits for it to drain (the socket's high-water mark at least). */
  bufferBytes: number
  /** How long a cut-off or ended stream may take to flush before its socket is destroyed. */
  lingerMs?: number
  /** A reader that takes nothing for this long while events wait for it is cut off, ms. */
  stallMs?: number
  /** Clock for `stallMs` (ms). */
  now?: () => number
}

/** The stream of each open response: the response's listeners are shared functions, not closures per stream. */
const streams = new WeakMap<ServerResponse, SseResponseStream>()

function onDrain (this: ServerResponse): void { streams.get(this)?.drained() }
function onClose (this: ServerResponse): void { streams.get(this)?.closed() }

/**
 * The streams with text joined in this turn of the event loop, flushed together at the next tick: one queue and
 * one tick callback for all of them (an event fanned out to 1,000 readers schedules one, not 1,000 closures).
 */
let toFlush: SseResponseStream[] = []
function flushAll (): void {
  const due = toFlush
  toFlush = []
  for (const stream of due) stream.flushJoined()
}

export abstract class SseResponseStream {
  protected readonly res: ServerResponse
  readonly #options: SseResponseOptions
  protected readonly now: () => number
  /** The response is full: nothing is written until it drains. */
  #waiting = false
  #waitingSince = 0
  #ended: EndReason | null = null
  #cutCause: CutCause | null = null
  /** Something was written since the last keep-alive tick: the stream is not idle. */
  #active = false
  /** Text written in this turn of the event loop, not yet given to the response. */
  #pending = ''
  /** It is in the queue of streams flushed at the next tick. */
  #flushScheduled = false
  /** Most streams have one end listener: an array only for more. */
  #onEnd: EndListener<this> | Array<EndListener<this>> | null = null

  constructor (res: ServerResponse, options: SseResponseOptions) {
    this.res = res
    this.#options = options
    this.now = options.now ?? Date.now
    streams.set(res, this)
    res.on('drain', onDrain)
    res.on('close', onClose)
  }

  get ended (): boolean { return this.#ended !== null }
  /** Why it was cut off, when it was. */
  get cutCause (): CutCause | null { return this.#cutCause }
  /** Bytes its response holds now. */
  get bufferedBytes (): number { return this.res.writableLength + this.#pending.length }
  /** It waits for its response to drain, keeping only its place. */
  get waiting (): boolean { return this.#waiting }

  /** The id of the last event written (or the one it resumed from): the final event names it. */
  abstract get lastEventId (): string | null
  /** The response drained: pull what came since. */
  protected abstract pull (): void
  /** While waiting: whether the event it needs next is no longer held. */
  protected abstract behind (): boolean
  /** It ended (`reason`): let go of what it reads. */
  protected abstract released (reason: EndReason): void

  /** The response's buffer emptied. */
  drained (): void {
    if (this.#ended !== null) return
    this.#waiting = false
    this.pull()
  }

  /** The response closed (the client went away, or the stream ended). */
  closed (): void {
    this.#finish('client_closed')
  }

  /** Calls `listener` (or tells it, see EndWatcher) when the stream ends, or at once if it has ended already. */
  onEnd (listener: EndListener<this>): void {
    if (this.#ended !== null) callEndListener(listener, this.#ended, this)
    else if (this.#onEnd === null) this.#onEnd = listener
    // A new array of the exact length (concat; a spread or a push would grow it to room for 19, V8's growth step, kept
    // as long as the stream).
    else if (Array.isArray(this.#onEnd)) this.#onEnd = this.#onEnd.concat(listener)
    else this.#onEnd = [this.#onEnd, listener]
  }

  /** Writes a keep-alive comment unless something else was written since the last call: only idle streams need one. */
  keepAlive (): void {
    if (this.#ended !== null) return
    if (this.#waiting) {
      this.checkProgress()
      return
    }
    if (!this.#active) this.writeText(KEEP_ALIVE)
    this.#active = false
  }

  /** Writes preformatted SSE text now. True when written. */
  write (text: string): boolean {
    if (this.#ended !== null) return false
    this.writeText(text)
    return true
  }

  /** Ends the stream with a final event (named after the reason) naming the last id written, and a retry hint. */
  end (reason: EndReason, data: Record<string, unknown>, retryMs?: number): void {
    if (this.#ended !== null) return
    const final = formatEvent({ event: reason, data: JSON.stringify({ lastEventId: this.lastEventId, ...data }), ...(retryMs === undefined ? {} : { retryMs }) })
    this.#finish(reason)
    this.#flush()
    const socket = this.res.socket
    if (socket !== null) {
      const timer = setTimeout(() => { socket.destroy() }, this.#options.lingerMs ?? 1000)
      const flushed = (): void => { clearTimeout(timer); socket.off('close', flushed) }
      socket.once('close', flushed)
      // Once flushed, the connection may carry the client's reconnect (keep-alive): leave it be.
      this.res.once('finish', flushed)
    }
    this.res.end(final)
  }

  /** A reader catching up is cut off once the event it needs next is dropped, or when it has taken nothing for `stallMs`. */
  protected checkProgress (): void {
    if (this.behind()) this.cut('behind')
    else if (this.#options.stallMs !== undefined && this.now() - this.#waitingSince >= this.#options.stallMs) this.cut('stalled')
  }

  protected cut (cause: CutCause): void {
    if (this.#ended !== null) return
    this.#cutCause = cause
    this.end('overflow', { reason: 'slow_reader', cause })
  }

  /**
   * Writes SSE text: a short one joined with the others of this tick, a long one by itself; `ascii`: it is known to
   * hold only ASCII characters, so a long one goes as Latin-1 (the same bytes, neither measured nor encoded).
   */
  protected writeText (text: string, ascii = false): void {
    this.#active = true
    if (text.length >= JOIN_BELOW) {
      this.#flush()
      this.#pending = text
      this.#flush(ascii)
      return
    }
    this.#pending += text
    // Past the buffer's limit the text goes out now, so that the check below sees it.
    if (this.res.writableLength + this.#pending.length >= this.#options.bufferBytes) this.#flush()
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true
      if (toFlush.push(this) === 1) process.nextTick(flushAll)
    }
  }

  /** The tick after a write: gives the text joined since to the response (the shared queue calls it). */
  flushJoined (): void {
    this.#flushScheduled = false
    if (this.#ended === null) this.#flush()
  }

  /** Gives the pending text to the response (as Latin-1 when it is known to be ASCII); waits for `drain` once the buffer is full. */
  #flush (ascii = false): void {
    const text = this.#pending
    if (text === '') return
    this.#pending = ''
    const res = this.res
    if (ascii) res.write(text, 'latin1')
    else res.write(text)
    // Past the socket's high-water mark, `drain` follows once it empties: wait for it when the buffer is full.
    if (this.#ended === null && res.writableNeedDrain && res.writableLength >= this.#options.bufferBytes) {
      this.#waiting = true
      this.#waitingSince = this.now()
    }
  }

  #finish (reason: EndReason): void {
    if (this.#ended !== null) return
    this.#ended = reason
    streams.delete(this.res)
    this.released(reason)
    const listeners = this.#onEnd
    this.#onEnd = null
    if (listeners === null) return
    if (!Array.isArray(listeners)) callEndListener(listeners, reason, this)
    else for (const listener of listeners) callEndListener(listener, reason, this)
  }
}
