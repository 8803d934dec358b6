/**
 * One topic's state inside a session (phoenix.js's Channel, reference B6),
 * as plain data the session mutates. States:
 *
 *   joining  wanted; a join is in flight, or will be sent on connect
 *   joined   the server said ok to the current join_ref
 *   errored  wanted; waiting for a rejoin timer or a reconnect
 *   leaving  phx_leave sent; closed on its reply or timeout
 *   closed   not wanted any more (the record is dropped)
 */
import type { JoinOutcome, ChannelState, PushOutcome } from './session-types.ts'

/** A push from the moment it is asked for until its one outcome. */
export interface PushRecord {
  readonly topic: string
  readonly event: string
  /** Dropped (set to null) once the push has settled, so a timer still holding it keeps no payload alive. */
  payload: unknown
  readonly timeoutMs: number
  readonly deadline: number
  readonly createdAt: number
  /** Set when the push is written to the socket. */
  ref: string | null
  done: boolean
  /** Replaced by a no-op once called, for the same reason. */
  onOutcome: (outcome: PushOutcome) => void
}

export interface ChannelRecord {
  readonly topic: string
  params: unknown
  state: ChannelState
  /** The join_ref of the latest join sent; messages with another non-null join_ref are stale. */
  joinRef: string | null
  joinSentAt: number
  /** Bumped whenever a timer or pending reply of this channel must stop applying. */
  gen: number
  joinedBefore: boolean
  /** Consecutive failed attempts, for the rejoin back-off. */
  failures: number
  /** Consecutive refusals, for giving up. */
  refusals: number
  /** The last refusal's reply, while the topic is between refused attempts. */
  refusal: { response: unknown } | null
  waiters: Array<(outcome: JoinOutcome) => void>
  leaveWaiters: Array<() => void>
  /** Pushes waiting for the join, oldest first (may hold settled records until compacted). */
  buffer: PushRecord[]
  /** Pushes sent and waiting for their reply. */
  readonly inFlight: Set<PushRecord>
}

export function newChannel (topic: string, params: unknown): ChannelRecord {
  return {
    topic,
    params,
    state: 'joining',
    joinRef: null,
    joinSentAt: 0,
    gen: 0,
    joinedBefore: false,
    failures: 0,
    refusals: 0,
    refusal: null,
    waiters: [],
    leaveWaiters: [],
    buffer: [],
    inFlight: new Set(),
  }
}

/** Settles a push once; later calls do nothing. Returns whether it settled now. */
export function settle (push: PushRecord, outcome: PushOutcome): boolean {
  if (push.done) return false
  push.done = true
  const onOutcome = push.onOutcome
  push.onOutcome = settled
  push.payload = null
  onOutcome(outcome)
  return true
}

function settled (): void {}

export function resolveWaiters (channel: ChannelRecord, outcome: JoinOutcome): void {
  const waiters = channel.waiters
  channel.waiters = []
  for (const waiter of waiters) waiter(outcome)
}
