/**
 * The gateway's open readers, of every outlet: counted per outlet for its
 * limit, ticked for keep-alives, and ended together at shutdown. An outlet
 * adds each reader it opens; a reader leaves the set when it ends.
 */
import type { EndReason, Reader } from './hub/reader.ts'

export class OpenReaders implements Iterable<Reader> {
  readonly #all = new Set<Reader>()
  readonly #byOutlet = new Map<string, number>()

  /** Holds `reader` (opened by `outlet`, e.g. 'sse') until it ends; one that has ended already is not held. */
  add (reader: Reader, outlet: string): void {
    if (reader.ended || this.#all.has(reader)) return
    this.#all.add(reader)
    this.#byOutlet.set(outlet, this.count(outlet) + 1)
    reader.onEnd(() => {
      this.#all.delete(reader)
      this.#byOutlet.set(outlet, this.count(outlet) - 1)
    })
  }

  get size (): number { return this.#all.size }

  /** Readers of `outlet` open now. */
  count (outlet: string): number { return this.#byOutlet.get(outlet) ?? 0 }

  [Symbol.iterator] (): Iterator<Reader> { return this.#all.values() }

  /** Ends every open reader with `reason` (a final event and a retry hint); the number ended. */
  endAll (reason: EndReason, data: Record<string, unknown>, retryMs?: number): number {
    const open = [...this.#all]
    for (const reader of open) reader.end(reason, data, retryMs)
    return open.length
  }
}

/** One shared keep-alive tick for every open reader that wants one (not a timer each). */
export function startKeepAlive (readers: OpenReaders, everyMs: number): NodeJS.Timeout {
  const timer = setInterval(() => { for (const reader of readers) reader.keepAlive?.() }, everyMs)
  timer.unref()
  return timer
}
