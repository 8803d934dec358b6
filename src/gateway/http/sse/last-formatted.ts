/**
 * The SSE text last formatted from a held event and not kept on it: a live
 * event is given to a topic's streams one after another, so they all share
 * one text without the event holding it. One slot, so what it keeps is one
 * event's text, whatever the topic holds.
 */
import type { RingEntry } from '../../hub/ring.ts'

export class LastFormatted {
  #entry: RingEntry | null = null
  #epoch = ''
  #text = ''

  /** The text formatted from `entry` with ids of `epoch`, when it is the last one kept. */
  get (entry: RingEntry, epoch: string): string | undefined {
    return entry === this.#entry && epoch === this.#epoch ? this.#text : undefined
  }

  /** Keeps `text`, formatted from `entry` with ids of `epoch`, in place of the last one. */
  keep (entry: RingEntry, epoch: string, text: string): string {
    this.#entry = entry
    this.#epoch = epoch
    this.#text = text
    return text
  }
}
