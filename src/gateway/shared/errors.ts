/**
 * The errors of shared history (Redis Streams). Both are answered by the
 * hub, not by HTTP directly: `SharedHistoryUnavailableError` means "fall
 * back to local history with a gap"; `LeaseLostError` means "this replica
 * is not the topic's writer (any more); another one is, or will be within
 * the lease's ttl". docs/errors.md lists them.
 */
import { BackchannelError } from '../../errors.ts'

/** Why Redis could not be used for one call. */
export type UnavailableReason = 'offline' | 'timeout' | 'closed' | 'refused'

/** Redis is down, slow or refused the call: the caller falls back to local history. */
export class SharedHistoryUnavailableError extends BackchannelError {
  readonly reason: UnavailableReason
  constructor (reason: UnavailableReason, what: string, cause?: unknown) {
    super('BC_ERR_SHARED_HISTORY_UNAVAILABLE', `shared history (Redis) is unavailable for ${what}: ${reason}`, { statusCode: 503, cause })
    this.reason = reason
  }
}

/** A fenced append refused: the replica does not hold the topic's writer lease (any more). */
export class LeaseLostError extends BackchannelError {
  readonly topic: string
  constructor (topic: string) {
    super('BC_ERR_LEASE_LOST', `this replica does not hold the writer lease of topic ${JSON.stringify(topic)}`, { statusCode: 503 })
    this.topic = topic
  }
}
