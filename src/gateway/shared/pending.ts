/**
 * The messages a replica received lately, kept whether or not it is the
 * topic's writer, pure (time comes in as an argument). When a replica takes
 * the lease over it appends the ones still here and not appended by it:
 * those the dead writer had already appended come back as duplicates from
 * the dedupe marks (scripts.ts), the others fill what the dead writer
 * missed. Bounded by age and by count. Leaving by age is the normal end
 * of a message the writer appended; leaving unappended because the window
 * is full is counted (`takeDropped`): a takeover then could miss it.
 *
 * A message's identity is its content hash and its occurrence: k for the
 * k-th time (from 0) the same event and payload is seen since that content
 * was last absent for `occurrenceTtlMs`. A broadcast repeated on purpose
 * is two messages, and every replica that saw the same messages names them
 * alike. `occurrenceTtlMs` must exceed the dedupe marks' lifetime, so a
 * count that starts again at 0 never meets a live mark of an earlier run.
 */
import { createHash } from 'node:crypto'

export interface PendingMessage {
  readonly identity: string
  /** The stream entry's field/value pairs. */
  readonly fields: readonly string[]
  readonly receivedAt: number
  appended: boolean
}

export function contentHash (event: string, payload: string | Uint8Array): string {
  const hash = createHash('sha256').update(event).update('\0')
  hash.update(typeof payload === 'string' ? 'j' : 'b').update(payload)
  return hash.digest('base64url').slice(0, 32)
}

export class PendingWindow {
  readonly #maxAgeMs: number
  readonly #maxCount: number
  #items: PendingMessage[] = []
  #head = 0
  readonly #occurrenceTtlMs: number
  /** Per content hash, the next occurrence number and when it was last seen; oldest first. */
  readonly #occurrences = new Map<string, { next: number, seenAt: number }>()
  /** Messages pushed out unappended by a full window since the last `takeDropped`. */
  #dropped = 0

  constructor (maxAgeMs: number, maxCount: number, occurrenceTtlMs: number) {
    this.#maxAgeMs = maxAgeMs
    this.#maxCount = maxCount
    this.#occurrenceTtlMs = occurrenceTtlMs
  }

  get size (): number { return this.#items.length - this.#head }

  /** Adds a message; returns it with its identity. */
  add (hash: string, fields: readonly string[], now: number): PendingMessage {
    this.prune(now)
    if (this.size >= this.#maxCount && !(this.#removeHead()?.appended ?? true)) this.#dropped++
    const seen = this.#occurrences.get(hash)
    const k = seen === undefined || now - seen.seenAt > this.#occurrenceTtlMs ? 0 : seen.next
    this.#occurrences.delete(hash)
    this.#occurrences.set(hash, { next: k + 1, seenAt: now })
    const message: PendingMessage = { identity: `${hash}.${k}`, fields, receivedAt: now, appended: false }
    this.#items.push(message)
    return message
  }

  /** The messages in the window not appended by this replica, oldest first. */
  unappended (now: number): PendingMessage[] {
    this.prune(now)
    return this.#items.slice(this.#head).filter((m) => !m.appended)
  }

  /** How many messages left unappended since the last call. */
  takeDropped (): number {
    const dropped = this.#dropped
    this.#dropped = 0
    return dropped
  }

  prune (now: number): void {
    for (const [hash, seen] of this.#occurrences) {
      if (now - seen.seenAt <= this.#occurrenceTtlMs && this.#occurrences.size <= this.#maxCount) break
      this.#occurrences.delete(hash)
    }
    while (this.size > 0 && now - (this.#items[this.#head]?.receivedAt ?? now) > this.#maxAgeMs) this.#removeHead()
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }

  #removeHead (): PendingMessage | undefined {
    const message = this.#items[this.#head]
    if (message !== undefined) this.#head++
    return message
  }
}
