/**
 * The gateway's open streams, of every outlet (a reader of one topic, or a
 * stream over several): counted per outlet for its limit, ticked for
 * keep-alives, and ended together at shutdown. An outlet adds each stream it
 * opens; a stream leaves the set when it ends.
 */
import type { EndReason, EndWatcher, OpenStream } from './hub/reader.ts'

export class OpenReaders implements Iterable<OpenStream> {
  readonly #all = new Set<OpenStream>()
  readonly #byOutlet = new Map<string, number>()
  /** What an outlet's streams call when they end: one object per outlet, not a closure kept per open stream. */
  readonly #ends = new Map<string, EndWatcher>()

  /** Holds `stream` (opened by `outlet`, e.g. 'sse') until it ends; one that has ended already is not held. */
  add (stream: OpenStream, outlet: string): void {
    if (stream.ended || this.#all.has(stream)) return
    this.#all.add(stream)
    this.#byOutlet.set(outlet, this.count(outlet) + 1)
    stream.onEnd(this.#endsOf(outlet))
  }

  #endsOf (outlet: string): EndWatcher {
    let ends = this.#ends.get(outlet)
    if (ends === undefined) {
      ends = {
        release: (_reason, stream) => {
          this.#all.delete(stream)
          this.#byOutlet.set(outlet, this.count(outlet) - 1)
        },
      }
      this.#ends.set(outlet, ends)
    }
    return ends
  }

  get size (): number { return this.#all.size }

  /** Streams of `outlet` open now. */
  count (outlet: string): number { return this.#byOutlet.get(outlet) ?? 0 }

  [Symbol.iterator] (): Iterator<OpenStream> { return this.#all.values() }

  /** Ends every open stream with `reason` (a final event and a retry hint); the number ended. */
  endAll (reason: EndReason, data: Record<string, unknown>, retryMs?: number): number {
    const open = [...this.#all]
    for (const stream of open) stream.end(reason, data, retryMs)
    return open.length
  }
}

/** One shared keep-alive tick for every open stream that wants one (not a timer each). */
export function startKeepAlive (readers: OpenReaders, everyMs: number): NodeJS.Timeout {
  const timer = setInterval(() => { for (const stream of readers) stream.keepAlive?.() }, everyMs)
  timer.unref()
  return timer
}
