/** What a topic's readers do when they end: leave the topic, and be reported. */
import type { EventEmitter } from 'node:events'
import type { HubEvents } from './hub.ts'
import type { EndReason, EndWatcher, Reader } from './reader.ts'
import type { Subscription } from './subscription.ts'

/**
 * A topic's readers leave it when they end, and are reported: one object for all of a topic's readers, told
 * which one ended, instead of a closure (and its context) kept for each open reader.
 */
export class TopicReaderEnds implements EndWatcher<Reader> {
  readonly #sub: Subscription
  readonly #events: EventEmitter<HubEvents>
  constructor (sub: Subscription, events: EventEmitter<HubEvents>) {
    this.#sub = sub
    this.#events = events
  }

  release (reason: EndReason, reader: Reader): void {
    this.#sub.readers.delete(reader)
    const subscription = this.#sub.config.name
    const cause = reader.cutCause
    this.#events.emit('reader_close', cause === null ? { subscription, reason } : { subscription, reason, cause })
  }
}
