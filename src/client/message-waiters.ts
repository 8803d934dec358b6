/**
 * Who is waiting for a topic's messages: one-shot waits (`nextMessage`) and
 * iterators (`messages`). Each iterator has a bounded queue; a reader that
 * falls behind gets MessageOverflowError instead of growing the heap.
 */
import { BackchannelError } from '../errors.ts'
import type { ReceivedPayload } from '../phoenix/message.ts'

export interface ChannelMessage { event: string, payload: unknown }

/** A `messages()` reader fell more than its queue size behind. */
export class MessageOverflowError extends BackchannelError {
  constructor (topic: string, limit: number) {
    super('BC_ERR_MESSAGE_OVERFLOW', `more than ${limit} messages of "${topic}" waited unread`, { statusCode: 503 })
  }
}

type Listener = (message: ChannelMessage) => void

export class MessageWaiters {
  readonly #byTopic = new Map<string, Set<Listener>>()
  readonly #onEnd = new Set<() => void>()

  /** Registers what to do when the client closes; returns the unregister function. */
  onEnd (callback: () => void): () => void {
    this.#onEnd.add(callback)
    return () => { this.#onEnd.delete(callback) }
  }

  /** The client closed: every iterator ends and every wait fails. */
  end (): void {
    for (const callback of [...this.#onEnd]) callback()
    this.#onEnd.clear()
    this.#byTopic.clear()
  }

  add (topic: string, listener: Listener): () => void {
    let set = this.#byTopic.get(topic)
    if (set === undefined) this.#byTopic.set(topic, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.#byTopic.delete(topic)
    }
  }

  /** Hands a message to the topic's waiters; builds (and parses) nothing when nobody waits (the common, hot case). */
  dispatch (topic: string, event: string, received: ReceivedPayload): void {
    const set = this.#byTopic.get(topic)
    if (set === undefined) return
    const message: ChannelMessage = { event, payload: received.payload }
    for (const listener of [...set]) listener(message)
  }
}

/** An async iterator over one topic's messages with a bounded queue. */
export function messageIterator (
  waiters: MessageWaiters, topic: string, limit: number, filter: (m: ChannelMessage) => boolean
): AsyncIterableIterator<ChannelMessage> {
  const queue: ChannelMessage[] = []
  let wake: (() => void) | null = null
  let failure: Error | null = null
  let done = false
  const remove = waiters.add(topic, (message) => {
    if (done || !filter(message)) return
    if (queue.length >= limit) {
      failure = new MessageOverflowError(topic, limit)
      remove()
    } else {
      queue.push(message)
    }
    wake?.()
  })
  const unEnd = waiters.onEnd(() => {
    done = true
    wake?.()
  })
  const finish = (): IteratorResult<ChannelMessage> => {
    done = true
    remove()
    unEnd()
    queue.length = 0
    return { done: true, value: undefined }
  }
  const iterator: AsyncIterableIterator<ChannelMessage> = {
    async next () {
      for (;;) {
        const message = queue.shift()
        if (message !== undefined) return { done: false, value: message }
        if (failure !== null) {
          const error = failure
          failure = null
          finish()
          throw error
        }
        if (done) return { done: true, value: undefined }
        await new Promise<void>((resolve) => { wake = resolve })
        wake = null
      }
    },
    async return () { return finish() },
    [Symbol.asyncIterator] () { return iterator },
  }
  return iterator
}
