/**
 * The hub's side of the durable store (STATE_DIR): the numbers given out
 * before this start, the ends of topics no longer held then, and which
 * topic continues the life kept for it. A topic still held at the stop
 * has not ended: held again after the restart, it continues where it
 * stopped (its ring and numbers), so ids given out before stay valid.
 *
 * A topic no longer held is kept for a retention, then forgotten, so the
 * store does not grow with every topic ever held (dynamic topics, reloads):
 * one that ended (removed by a reload, a dynamic topic left) from its end,
 * one held at the last stop and not held again since this start from the
 * start. Its entries go at its end already (a new life never reads them);
 * its life (seq, end) goes then, after which a stream over several topics
 * resuming from before that end gets a gap for it (`forgottenUntil`).
 */
import type { StateStore } from '../store/state-store.ts'
import type { EndedLives } from './ended-lives.ts'
import { IssuedSeq, type KeptRing } from './subscription.ts'

export type HubStore = Pick<StateStore, 'rings' | 'issued' | 'noteIssued' | 'forgottenUntil'>

/** How long the store keeps a topic no longer held: a day. */
export const STORED_TOPIC_RETENTION_MS = 24 * 60 * 60 * 1000

/** Numbers that continue above every seq and order the store says were given out; `ended` learns the kept ends. */
export function continuedNumbers (store: HubStore, ended: EndedLives): IssuedSeq {
  let max = store.issued.maxSeq
  let order = store.issued.order
  const ends: Array<[string, number]> = []
  for (const [key, topic] of store.rings.topics()) {
    max = Math.max(max, topic.seq)
    order = Math.max(order, topic.endedAtOrder ?? 0)
    if (topic.endedAtOrder !== null) ends.push([key, topic.endedAtOrder])
  }
  // Oldest end first: EndedLives forgets the ones that ended longest ago.
  for (const [key, at] of ends.sort((a, b) => a[1] - b[1])) ended.note(key, at)
  ended.forgotten(store.forgottenUntil)
  order = Math.max(order, store.forgottenUntil)
  return new IssuedSeq(max, order, (seq, at) => { store.noteIssued(seq, at) })
}

/** When this process started, by the wall clock and the hub's order then: topics not held since count from it. */
export interface StartMark { readonly at: number, readonly order: number }

/**
 * Forgets the kept topics not held now (`isHeld`) for `retentionMs` by `now`: ended ones from their end, the rest
 * (held at the last stop) from this start. `ended` learns the ends of the latter. Returns the keys forgotten.
 */
export function forgetUnheldTopics (store: HubStore, isHeld: (key: string) => boolean, ended: EndedLives, start: StartMark, now: number, retentionMs: number): string[] {
  const forgotten: string[] = []
  let endedBy = 0
  for (const [key, topic] of store.rings.topics()) {
    if (isHeld(key)) continue
    // A store made before ends were timed has an order but no time: counted from this start too.
    const since = topic.endedAt ?? start.at
    if (now - since < retentionMs) continue
    const endOrder = topic.endedAtOrder ?? start.order
    if (topic.endedAtOrder === null) ended.note(key, endOrder)
    endedBy = Math.max(endedBy, endOrder)
    forgotten.push(key)
  }
  store.rings.forget(forgotten, endedBy)
  return forgotten
}

/** Where a subscription of topic `key` keeps its ring; the kept life continues unless the topic was already held in this process. */
export function keptRing (store: HubStore, key: string, heldHere: boolean): KeptRing {
  const stored = heldHere ? null : store.rings.load(key)
  return { store: store.rings, key, restore: stored !== null && stored.topic.endedAtOrder === null ? stored : null }
}
