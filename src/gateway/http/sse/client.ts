/**
 * One SSE reader on a raw HTTP response. Writes go straight to the socket;
 * while the socket is backed up, events are counted, and a reader more than
 * `queueLimit` events behind is cut off with a final `overflow` event that
 * names the last id known to have left the buffer, so it can resume without
 * a hole. Its memory is bounded by the queue, never by how slow it is.
 */
import type { ServerResponse } from 'node:http'
import type { RingEntry } from '../../hub/ring.ts'
import { formatEvent } from './format.ts'

export interface SseClientOptions {
  queueLimit: number
  /** Phoenix events to pass (null: all). Control events always pass. */
  events: ReadonlySet<string> | null
  /** How long a cut-off or ended stream may take to flush before its socket is destroyed. */
  lingerMs?: number
}

export type EndReason = 'overflow' | 'shutdown' | 'client_closed' | 'channel_closed'

type EndListener = (reason: EndReason) => void

/** The reader of each open response: the response's listeners are shared functions, not closures per stream. */
const readers = new WeakMap<ServerResponse, SseClient>()

function onDrain (this: ServerResponse): void { readers.get(this)?.drained() }
function onClose (this: ServerResponse): void { readers.get(this)?.closed() }

export class SseClient {
  readonly #res: ServerResponse
  readonly #options: SseClientOptions
  #behind = 0
  #lastWrittenId: string | null
  #lastDrainedId: string | null
  #ended: EndReason | null = null
  /** Something was written since the last keep-alive tick: the stream is not idle. */
  #active = false
  /** Most streams have one end listener: an array only for more. */
  #onEnd: EndListener | EndListener[] | null = null

  constructor (res: ServerResponse, lastEventId: string | null, options: SseClientOptions) {
    this.#res = res
    this.#options = options
    this.#lastWrittenId = lastEventId
    this.#lastDrainedId = lastEventId
    readers.set(res, this)
    res.on('drain', onDrain)
    res.on('close', onClose)
  }

  /** The response's buffer emptied: everything written so far has left. */
  drained (): void {
    this.#behind = 0
    this.#lastDrainedId = this.#lastWrittenId
  }

  /** The response closed (the client went away, or the stream ended). */
  closed (): void {
    this.#finish('client_closed')
  }

  get ended (): boolean { return this.#ended !== null }
  get lastEventId (): string | null { return this.#lastWrittenId }

  /** Calls `listener` when the stream ends, or at once if it has ended already. */
  onEnd (listener: EndListener): void {
    if (this.#ended !== null) listener(this.#ended)
    else if (this.#onEnd === null) this.#onEnd = listener
    else if (Array.isArray(this.#onEnd)) this.#onEnd.push(listener)
    else this.#onEnd = [this.#onEnd, listener]
  }

  /** Sends a ring entry unless filtered out; `id` is its SSE id. True when it was written (for metrics). */
  send (entry: RingEntry, id: string): boolean {
    if (this.#ended !== null) return false
    if (!entry.control && this.#options.events !== null && !this.#options.events.has(entry.event)) return false
    this.#lastWrittenId = id
    return this.write(entry.wire)
  }

  /** Writes `comment` unless something else was written since the last call: only idle streams need one. */
  keepAlive (comment: string): void {
    if (!this.#active) this.write(comment)
    this.#active = false
  }

  /** Writes preformatted text (a comment, a gap for this reader); counts toward the queue. True when written. */
  write (text: string): boolean {
    if (this.#ended !== null) return false
    this.#active = true
    if (this.#res.writableNeedDrain) {
      this.#behind++
      if (this.#behind > this.#options.queueLimit) {
        this.end('overflow', { reason: 'slow_reader', lastEventId: this.#lastDrainedId })
        return false
      }
    } else {
      this.#lastDrainedId = this.#lastWrittenId
    }
    this.#res.write(text)
    return true
  }

  /** Ends the stream with a final event (named after the reason) and a retry hint. */
  end (reason: EndReason, data: Record<string, unknown>, retryMs?: number): void {
    if (this.#ended !== null) return
    const final = formatEvent({ event: reason, data: JSON.stringify({ lastEventId: this.#lastWrittenId, ...data }), ...(retryMs === undefined ? {} : { retryMs }) })
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
