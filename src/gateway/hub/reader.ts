/**
 * What the hub knows of its outlets: readers, which follow one topic from a
 * point in its sequence and pull what they have not been given yet, and
 * sinks, which are handed every channel message as it is published. The
 * hub deals in messages (ring entries); how a reader or sink puts them on
 * a wire (SSE frames, webhook bodies, …) is its own business.
 */
import type { Gap } from './resume.ts'
import type { RingEntry } from './ring.ts'

/** Why a reader ended. */
export type EndReason = 'overflow' | 'shutdown' | 'client_closed' | 'channel_closed' | 'token_expired'

/** Why a reader was cut off: the events it needed next were dropped (`behind`), or it took nothing for too long (`stalled`). */
export type CutCause = 'behind' | 'stalled'

/** Where a reader pulls the events it has not been given yet: its topic's held events. */
export interface ReaderSource {
  readonly epoch: string
  /** The newest sequence number. */
  readonly seq: number
  /** The held event with this sequence number; undefined once it is no longer held. */
  entry: (seq: number) => RingEntry | undefined
  /** Events written to readers (read by metrics). */
  eventsSent: number
  /** Readers of the topic now: whether what one reader makes of an event (its wire text) is worth keeping for others. */
  readonly readerCount: number
}

/**
 * Told when a stream ends, with the reason and the stream: one object can serve every stream of a topic or an
 * outlet, where a closure would be kept per stream. Something held while the stream is open (its count against
 * the caps, its topic) is one too: its `release` needs neither argument.
 */
export interface EndWatcher<S extends OpenStream = OpenStream> {
  release: (reason: EndReason, stream: S) => void
}

/** What a stream calls when it ends: a function, or an object told (see EndWatcher). */
export type EndListener<S extends OpenStream = OpenStream> = ((reason: EndReason) => void) | EndWatcher<S>

/** Calls `listener` for `stream`, which ended with `reason`. */
export function callEndListener<S extends OpenStream> (listener: EndListener<S>, reason: EndReason, stream: S): void {
  if (typeof listener === 'function') listener(reason)
  else listener.release(reason, stream)
}

/**
 * A stream open to a peer, of any outlet: what the gateway counts, ticks
 * and ends at shutdown. A reader of one topic is one; so is a stream over
 * several topics (which holds a reader per topic).
 */
export interface OpenStream {
  readonly ended: boolean
  /** Its transport is full: it keeps only its place and pulls once it can write again (read by metrics). */
  readonly waiting: boolean
  /** Bytes its transport holds now, not yet taken by its peer (read by metrics). */
  readonly bufferedBytes: number
  /** For a stream over several topics, how many it follows now; undefined for a reader of one topic (read by metrics). */
  readonly topics?: number
  /** Ends it with a final event named after `reason` (with `data` and the last id given), and a retry hint. */
  end: (reason: EndReason, data: Record<string, unknown>, retryMs?: number) => void
  /** Calls `listener` (or tells it, see EndWatcher) when it ends, or at once if it has ended already. */
  onEnd: (listener: EndListener<this>) => void
  /** Called on the gateway's keep-alive tick, for a stream whose transport needs one (an idle SSE stream, a stalled one's check). */
  keepAlive?: () => void
}

/**
 * One reader of one topic (an SSE stream, or one topic of a stream over several). The hub gives it a
 * resume gap if it has one, starts it after a sequence number, offers it
 * each new event and ends it when the topic goes away; the reader pulls
 * from its source whatever it could not take when offered, and ends
 * itself when it falls too far behind or its peer goes away.
 */
export interface Reader extends OpenStream {
  /** Why it was cut off (ended with `overflow`), when it was. */
  readonly cutCause: CutCause | null
  /** Starts reading `source` after sequence number `after`: what is held since is given now, as far as the reader takes it. */
  start: (source: ReaderSource, after: number) => void
  /** A new event of the source, in sequence. True when given to the reader now (for metrics). */
  offer: (entry: RingEntry) => boolean
  /** Messages may be missing for this reader only (it resumed): told before anything else. True when given. */
  gap: (gap: Gap) => boolean
  /** An event for this reader only (`data` is JSON), with id `seq`, given once it has everything up to `seq`. */
  after: (seq: number, event: string, data: string) => void
}

/** Where a channel's messages also go as they are published (a webhook sink): messages only, not lifecycle events. */
export interface MessageSink {
  offer: (message: RingEntry) => void
}
