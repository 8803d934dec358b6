/**
 * What the hub asks of history shared by several replicas (shared/ wires
 * it to Redis; the hub knows no transport). Without it every message is
 * published as it is received, with local ids.
 */
import type { Gap } from './resume.ts'
import type { RingEntry } from './ring.ts'
import type { Subscription } from './subscription.ts'

/** One topic's part in shared history, set on its subscription (`sub.shared`). */
export interface SharedRoute {
  /**
   * A message received from upstream. True when shared history takes it:
   * it is published later, from the shared stream with its shared id (or
   * locally, with a gap, if shared history fails first). False: publish it
   * now, locally. Never waits on Redis.
   */
  received: (event: string, data: string, ascii: boolean) => boolean
}

/** Where a reader resuming from a shared id starts: its gap if any, the entries it gets before the topic's ring (read from Redis), then after `after`. */
export interface SharedResumePlan {
  readonly gap: Gap | null
  /** Events older than what the ring holds, oldest first, each with its shared id (`RingEntry.id`); their seq is filled in by the hub. */
  readonly before: ReadonlyArray<Omit<RingEntry, 'seq'>>
  /** The ring's seq after which the reader goes on. */
  readonly after: number
}

/** Plans the resume of a reader of `sub` from a shared id; calls `ready` once, with the plan, in the same turn as the plan is made. */
export type SharedResume = (sub: Subscription, lastEventId: string, ready: (plan: SharedResumePlan) => void) => void

/** Whether an SSE id is one of shared history (`<epoch>:<ms>-<n>`); local ids never hold `:`. */
export function isSharedId (id: string): boolean {
  return id.includes(':')
}
