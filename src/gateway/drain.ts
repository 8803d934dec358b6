/**
 * The shutdown drain's budget and outcome, pure. One budget
 * (`SHUTDOWN_GRACE_MS`) is split from the end: the last share leaves
 * channels and closes the sockets, the one before it writes the answers of
 * cut work and closes the HTTP server; pushes and PUT joins still waiting
 * at `cutAt` are cut with BC_ERR_DRAIN_CUT, and webhook sinks drain until
 * `webhooksBy`. What was cut is counted, so the last log line and the exit
 * status can say so.
 */
import { BackchannelError } from '../errors.ts'

/** Time kept at the end of the budget for leaving channels and closing sockets, ms (at most a fifth of the budget). */
export const CLOSE_RESERVE_MS = 2000
/** Time kept before that for writing the answers of cut work and closing the HTTP server, ms (at most a tenth). */
export const ANSWER_RESERVE_MS = 1000

/** Points in time (in the clock `startedAt` is in), each before the next. */
export interface DrainPlan {
  startedAt: number
  /** Pushes and PUT joins still waiting are cut now. */
  cutAt: number
  /** Webhook sinks stop and dead-letter what is left by now; HTTP connections still open are closed. */
  webhooksBy: number
  /** The end of the budget: whatever is still running is abandoned. */
  endAt: number
}

export function drainPlan (startedAt: number, graceMs: number): DrainPlan {
  const closeReserve = Math.min(CLOSE_RESERVE_MS, graceMs / 5)
  const answerReserve = Math.min(ANSWER_RESERVE_MS, graceMs / 10)
  const endAt = startedAt + graceMs
  return { startedAt, cutAt: endAt - closeReserve - answerReserve, webhooksBy: endAt - closeReserve, endAt }
}

/** The steps of the drain that can run out of their share of the budget (in-flight work is counted in `workCut`). */
export type DrainStep = 'http' | 'webhooks' | 'channels'

/** What the drain did, for the last log line and the exit status. */
export interface DrainReport {
  /** SSE streams that got their final `shutdown` event. */
  streamsEnded: number
  /** Pushes and PUT joins in flight when the drain started. */
  inFlightAtStart: number
  /** Of those, answered 503/504 BC_ERR_DRAIN_CUT because the budget's share for them ran out. */
  workCut: number
  /** Webhook deliveries sent to the dead letter (reason `shutdown`) because the drain stopped their sink. */
  webhooksDeadLettered: number
  /** Steps that did not finish in their share of the budget (their work was abandoned or forced). */
  overran: DrainStep[]
  durationMs: number
}

/** True when nothing was cut short: every push got its own outcome, nothing was dead-lettered by the drain, every step finished. */
export function drainedCleanly (report: DrainReport): boolean {
  return report.workCut === 0 && report.webhooksDeadLettered === 0 && report.overran.length === 0
}

/** A push (or PUT join) still waiting when the drain's share for in-flight work ran out. */
export class DrainCutError extends BackchannelError {
  /** True when the push had been sent upstream: the server may have acted on it. */
  readonly sent: boolean
  constructor (sent: boolean) {
    super('BC_ERR_DRAIN_CUT', sent
      ? 'the sidecar is shutting down and its drain budget ran out before the reply came; the push may have been processed'
      : 'the sidecar is shutting down and its drain budget ran out before this could be sent', { statusCode: sent ? 504 : 503 })
    this.sent = sent
  }
}
