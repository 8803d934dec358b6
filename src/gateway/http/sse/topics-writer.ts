/**
 * The server side of one SSE stream over several topics: the output of a
 * `TopicMerge` (hub/topic-merge.ts), which gives it the events of every
 * followed topic in the hub's order. Each is written with the id
 * `<epoch>.<order>` and data `{"topic": …, "payload": …}`; a live event's
 * text is formatted once and shared by every such stream. Back-pressure,
 * keep-alives, cut-off and the final event are every SSE stream's
 * (./response-stream.ts).
 */
import type { ServerResponse } from 'node:http'
import { formatStreamEventId } from '../../hub/event-id.ts'
import type { Hub } from '../../hub/hub.ts'
import type { CutCause, EndReason } from '../../hub/reader.ts'
import type { RingEntry } from '../../hub/ring.ts'
import { TopicMerge, type FollowedTopic, type MergeOutput } from '../../hub/topic-merge.ts'
import { formatEvent } from './format.ts'
import { LastFormatted } from './last-formatted.ts'
import { SseResponseStream, type SseResponseOptions } from './response-stream.ts'
import { epochIsAscii, sseEventName } from './stream-writer.ts'

/**
 * The last event formatted for multi-topic streams. A live event is given to
 * every such stream in turn, so they all share its text; it is never kept
 * on the held event (as a short one's per-topic text may be): it costs no
 * more memory for being read this way, and a stream catching up formats
 * what it pulls.
 */
const lastFormatted = new LastFormatted()

/** The SSE text of a held event on a multi-topic stream. */
export function sseTopicsText (entry: RingEntry, topic: FollowedTopic, epoch: string): string {
  return lastFormatted.get(entry, epoch) ??
    lastFormatted.keep(entry, epoch, formatEvent({ id: formatStreamEventId(epoch, entry.order), event: sseEventName(entry.event), data: `{"topic":${topic.topicJson},"payload":${entry.data}}` }))
}

export class SseTopicsWriter extends SseResponseStream implements MergeOutput {
  readonly merge: TopicMerge
  readonly #epoch: string
  /** The id the stream resumed from, until something is written. */
  readonly #resumedFrom: string | null
  #lastOrder: number | null = null

  /** `options` may be shared by many streams; `events`: the Phoenix events to pass (null: all; lifecycle, gap and topic events always pass). */
  constructor (res: ServerResponse, hub: Hub, lastEventId: string | null, options: SseResponseOptions, events: ReadonlySet<string> | null = null) {
    super(res, options)
    this.#epoch = hub.epoch
    this.#resumedFrom = lastEventId
    this.merge = new TopicMerge(hub, this, { events })
  }

  get full (): boolean { return this.waiting || this.ended }
  /** Topics it follows now. */
  get topics (): number { return this.merge.size }

  get lastEventId (): string | null {
    return this.#lastOrder === null ? this.#resumedFrom : formatStreamEventId(this.#epoch, this.#lastOrder)
  }

  event (topic: FollowedTopic, entry: RingEntry): void {
    if (this.ended) return
    this.#lastOrder = entry.order
    this.writeText(sseTopicsText(entry, topic, this.#epoch), entry.ascii === true && topic.topicAscii && epochIsAscii(this.#epoch))
  }

  notice (event: string, data: string): void {
    this.write(formatEvent({ event, data }))
  }

  override cut (cause: CutCause): void { super.cut(cause) }

  protected pull (): void { this.merge.resume() }
  protected behind (): boolean { return this.merge.behind() }
  protected released (reason: EndReason): void { this.merge.close(reason) }
}
