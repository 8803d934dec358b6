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
import { isAsciiText } from '../../hub/payload-json.ts'
import type { EndReason, Reader, ReaderSource } from '../../hub/reader.ts'
import type { Gap } from '../../hub/resume.ts'
import type { RingEntry } from '../../hub/ring.ts'
import { formatEvent } from './format.ts'
import { LastFormatted } from './last-formatted.ts'
import { SseResponseStream, type SseResponseOptions } from './response-stream.ts'

/** The last event formatted and not kept on it (see sseText): the streams given it one after another share its text. */
const lastFormatted = new LastFormatted()

/**
 * The SSE text of a held event. A short one's is kept on the entry by the
 * first stream that writes it while the topic has other readers (`shared`),
 * who then write the same string; a long one's is never kept there (see
 * keepsFormattedText), nor a short one's on a topic with one reader, whose
 * entries would only hold it for nobody. Either is kept until the next
 * such event is formatted, so the streams given a new event one after
 * another share it all the same.
 * A Phoenix event name may hold anything; a line break would end the SSE field, so it becomes a space.
 */
export function sseText (entry: RingEntry, epoch: string, shared = true): string {
  const kept = entry.sseText
  if (kept !== undefined) return kept
  const last = lastFormatted.get(entry, epoch)
  if (last !== undefined) return last
  const event = sseEventName(entry.event)
  // No object spread on this path: it runs once for every message.
  const text = entry.id === undefined
    ? formatEvent({ id: formatEventId(epoch, entry.seq), event, data: entry.data })
    : entry.id === '' ? formatEvent({ event, data: entry.data }) : formatEvent({ id: entry.id, event, data: entry.data })
  if (!shared || !keepsFormattedText(entry)) return lastFormatted.keep(entry, epoch, text)
  entry.sseText = text
  return text
}

/** Data this long and longer is formatted again for each write rather than kept formatted on its entry. */
export const KEPT_TEXT_MAX_DATA = 1024

/**
 * Whether an entry keeps the SSE text formatted from it. A short one does:
 * every stream then writes the same string. A long one does not: keeping it
 * would double what the topic holds on the JavaScript heap, text the garbage
 * collector copies and marks as long as the entry is held. The streams
 * given a new long event in a row share its text all the same (sseText
 * keeps the last one); a stream catching up on older ones formats each
 * again, one concatenation, cheap beside the write itself.
 */
export function keepsFormattedText (entry: RingEntry): boolean {
  return entry.data.length < KEPT_TEXT_MAX_DATA
}

/** The last epoch found to hold only ASCII characters: a sidecar has one epoch, so it is checked once, not at every write. */
let asciiEpoch: string | null = null

/** Whether an epoch (of ids) holds only ASCII characters. */
export function epochIsAscii (epoch: string): boolean {
  if (epoch === asciiEpoch) return true
  if (!isAsciiText(epoch)) return false
  asciiEpoch = epoch
  return true
}

/**
 * Whether the SSE text of a held event holds only ASCII characters: its
 * data and event name are known to (see RingEntry.ascii), and its id's
 * epoch is. Such text is written as Latin-1, which for ASCII is the same
 * bytes as UTF-8, and which the response neither measures (its length is
 * its size) nor encodes (its characters are copied): for a long event, that
 * is a pass over it saved on each of two steps.
 */
export function sseTextIsAscii (entry: RingEntry, epoch: string): boolean {
  return entry.ascii === true && epochIsAscii(epoch)
}

/** An event name as an SSE field: line breaks become a space. */
export function sseEventName (event: string): string {
  return event.replace(/[\r\n]+/g, ' ')
}

export class SseStreamWriter extends SseResponseStream implements Reader {
  readonly #events: ReadonlySet<string> | null
  #source: ReaderSource | null = null
  /** The sequence number of the last event given or passed over (filtered out). */
  #cursor = 0
  /** The id the reader resumed from, until something is written. */
  readonly #resumedFrom: string | null
  #lastWrittenSeq: number | null = null
  /** The id of the last entry written when it is not the local one (a shared id, see RingEntry.id). */
  #lastWrittenId: string | undefined
  /** An event to write once the cursor reaches `seq` (a presence state as of that event). */
  #pending: { seq: number, event: string, data: string } | null = null

  /**
   * `options` may be shared by many streams (see sseResponseOptions); `events`: the Phoenix events to pass (null:
   * all; control events always pass).
   */
  constructor (res: ServerResponse, lastEventId: string | null, options: SseResponseOptions, events: ReadonlySet<string> | null = null) {
    super(res, options)
    this.#events = events
    this.#resumedFrom = lastEventId
  }

  /** The id of the last event written to it (or the one it resumed from). */
  get lastEventId (): string | null {
    if (this.#lastWrittenId !== undefined) return this.#lastWrittenId
    return this.#lastWrittenSeq === null || this.#source === null ? this.#resumedFrom : formatEventId(this.#source.epoch, this.#lastWrittenSeq)
  }

  /** Starts reading `source` after sequence number `after`: what is held since is pulled now, as far as the response takes. */
  start (source: ReaderSource, after: number): void {
    this.#source = source
    this.#cursor = after
    this.#pump()
  }

  /** Writes `event` with id `seq` (`data` is JSON) once everything up to `seq` has been given (at once if it has). */
  after (seq: number, event: string, data: string): void {
    if (this.ended || !this.#passes({ control: false, event })) return
    if (this.#cursor >= seq) this.#writeAt(seq, event, data)
    else this.#pending = { seq, event, data }
  }

  /** A new event of the source: written at once unless the reader is catching up. True when written (for metrics). */
  offer (entry: RingEntry): boolean {
    const source = this.#source
    if (this.ended || source === null) return false
    if (this.waiting) {
      this.checkProgress()
      return false
    }
    if (entry.seq !== this.#cursor + 1) {
      this.#pump()
      return false
    }
    this.#cursor = entry.seq
    if (!this.#passes(entry)) return false
    this.#wrote(entry)
    this.writeText(sseText(entry, source.epoch, source.readerCount > 1), sseTextIsAscii(entry, source.epoch))
    return true
  }

  /** Messages may be missing for this reader (it resumed): a `gap` event without an id, now. True when written. */
  gap (gap: Gap): boolean {
    return this.write(formatEvent({ event: 'gap', data: JSON.stringify(gap) }))
  }

  protected pull (): void { this.#pump() }

  protected behind (): boolean {
    const source = this.#source
    return source !== null && this.#cursor < source.seq && source.entry(this.#cursor + 1) === undefined
  }

  protected released (_reason: EndReason): void {}

  /** Pulls held events after the cursor until the response is full or the reader has caught up. */
  #pump (): void {
    const source = this.#source
    if (source === null) return
    while (!this.ended && !this.waiting && this.#cursor < source.seq) {
      const entry = source.entry(this.#cursor + 1)
      if (entry === undefined) {
        this.cut('behind')
        return
      }
      this.#cursor = entry.seq
      if (this.#passes(entry)) {
        this.#wrote(entry)
        this.writeText(sseText(entry, source.epoch, source.readerCount > 1), sseTextIsAscii(entry, source.epoch))
        source.eventsSent++
      }
      const pending = this.#pending
      if (pending !== null && pending.seq <= this.#cursor) {
        this.#pending = null
        this.#writeAt(pending.seq, pending.event, pending.data)
      }
    }
  }

  /** Notes the place of an entry being written; one without an id (see RingEntry.id) leaves it. */
  #wrote (entry: RingEntry): void {
    if (entry.id === '') return
    this.#lastWrittenSeq = entry.seq
    this.#lastWrittenId = entry.id
  }

  #passes (entry: Pick<RingEntry, 'control' | 'event'>): boolean {
    return entry.control || this.#events === null || this.#events.has(entry.event)
  }

  #writeAt (seq: number, event: string, data: string): void {
    const source = this.#source
    if (source === null) return
    this.#lastWrittenSeq = seq
    this.#lastWrittenId = undefined
    source.eventsSent++
    this.writeText(formatEvent({ id: formatEventId(source.epoch, seq), event, data }))
  }
}
