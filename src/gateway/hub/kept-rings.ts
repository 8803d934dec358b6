/**
 * The hub's side of the durable store (STATE_DIR): the numbers given out
 * before this start, the ends of topics no longer held then, and which
 * topic continues the life kept for it. A topic still held at the stop
 * has not ended: held again after the restart, it continues where it
 * stopped (its ring and numbers), so ids given out before stay valid.
 */
import type { StateStore } from '../store/state-store.ts'
import type { EndedLives } from './ended-lives.ts'
import { IssuedSeq, type KeptRing } from './subscription.ts'

export type HubStore = Pick<StateStore, 'rings' | 'issued' | 'noteIssued'>

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
  return new IssuedSeq(max, order, (seq, at) => { store.noteIssued(seq, at) })
}

/** Where a subscription of topic `key` keeps its ring; the kept life continues unless the topic was already held in this process. */
export function keptRing (store: HubStore, key: string, heldHere: boolean): KeptRing {
  const stored = heldHere ? null : store.rings.load(key)
  return { store: store.rings, key, restore: stored !== null && stored.topic.endedAtOrder === null ? stored : null }
}
