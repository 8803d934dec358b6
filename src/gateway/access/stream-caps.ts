/**
 * Caps on the SSE streams one token subject and one client address hold
 * open at once (sse.maxClientsPerSubject, sse.maxClientsPerAddress), beside
 * the gateway's total (sse.maxClients). A stream is counted from `admit`
 * until its release; a key whose count falls to zero is forgotten, so the
 * maps hold no more entries than there are open streams.
 */
import { SseClientLimitError } from '../errors.ts'

export interface StreamKeys {
  /** The token's subject; null when the stream has none to count (the API token, no token configured). */
  subject: string | null
  /** The client's address; null when it is not counted (the API token). */
  address: string | null
}

export interface StreamLimits {
  maxClientsPerSubject?: number | undefined
  maxClientsPerAddress?: number | undefined
  retryMs: number
}

function add (counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by
  if (n <= 0) counts.delete(key)
  else counts.set(key, n)
}

/** Something held while a stream is open, let go once when it ends: an object, not a closure per stream. */
export interface Releasable {
  release: () => void
}

/** Holds nothing: the API token's streams are counted by no cap of these. */
export const NOTHING_ADMITTED: Releasable = Object.freeze({ release: () => undefined })

export class StreamCaps {
  readonly #bySubject = new Map<string, number>()
  readonly #byAddress = new Map<string, number>()

  /** Streams counted now for `subject`. */
  subjectCount (subject: string): number { return this.#bySubject.get(subject) ?? 0 }
  /** Streams counted now for `address`. */
  addressCount (address: string): number { return this.#byAddress.get(address) ?? 0 }
  /** Keys held now (subjects and addresses): at most two per open stream. */
  get size (): number { return this.#bySubject.size + this.#byAddress.size }

  /** Counts a stream, or throws SseClientLimitError (429) when a cap is met. Returns what uncounts it on `release`, once. */
  admit ({ subject, address }: StreamKeys, limits: StreamLimits): Releasable {
    const perSubject = limits.maxClientsPerSubject
    if (subject !== null && perSubject !== undefined && this.subjectCount(subject) >= perSubject) throw new SseClientLimitError('subject', perSubject, limits.retryMs)
    const perAddress = limits.maxClientsPerAddress
    if (address !== null && perAddress !== undefined && this.addressCount(address) >= perAddress) throw new SseClientLimitError('address', perAddress, limits.retryMs)
    this.#count(subject, address, 1)
    return new Admission(this, subject, address)
  }

  /** Called by an admission's first release only. */
  uncount (subject: string | null, address: string | null): void {
    this.#count(subject, address, -1)
  }

  #count (subject: string | null, address: string | null, by: number): void {
    if (subject !== null) add(this.#bySubject, subject, by)
    if (address !== null) add(this.#byAddress, address, by)
  }
}

/** One admitted stream's count, released once. */
class Admission implements Releasable {
  #caps: StreamCaps | null
  readonly #subject: string | null
  readonly #address: string | null

  constructor (caps: StreamCaps, subject: string | null, address: string | null) {
    this.#caps = caps
    this.#subject = subject
    this.#address = address
  }

  release (): void {
    const caps = this.#caps
    if (caps === null) return
    this.#caps = null
    caps.uncount(this.#subject, this.#address)
  }
}
