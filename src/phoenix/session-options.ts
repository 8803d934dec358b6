/**
 * Session defaults, phoenix.js's where it has one (reference B1).
 */
import { backoffDelay, REJOIN_SCHEDULE_MS } from './backoff.ts'
import type { SessionOptions } from './session-types.ts'

export interface SessionOptionsInput extends Partial<SessionOptions> {
  /** Randomness for the default rejoin jitter, in [0, 1). Layer 1 passes Math.random; without it, no jitter. */
  random?: () => number
  /** Jitter ratio of the default rejoin back-off (0..1). Default 0.2. */
  jitter?: number
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000
export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_BUFFERED_PUSHES = 1000
export const DEFAULT_MAX_JOIN_REFUSALS = 3

function positive (value: number, name: string): number {
  if (!(value > 0)) throw new TypeError(`${name} must be a positive number of milliseconds, got ${value}`)
  return value
}

export function resolveSessionOptions (input: SessionOptionsInput): SessionOptions {
  const heartbeatIntervalMs = positive(input.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS, 'heartbeatIntervalMs')
  const heartbeatTimeoutMs = positive(input.heartbeatTimeoutMs ?? heartbeatIntervalMs, 'heartbeatTimeoutMs')
  const random = input.random
  const jitter = random === undefined ? 0 : (input.jitter ?? 0.2)
  const maxBufferedPushes = input.maxBufferedPushes ?? DEFAULT_MAX_BUFFERED_PUSHES
  if (!Number.isInteger(maxBufferedPushes) || maxBufferedPushes < 0) throw new TypeError(`maxBufferedPushes must be a whole number, got ${maxBufferedPushes}`)
  const maxJoinRefusals = input.maxJoinRefusals ?? DEFAULT_MAX_JOIN_REFUSALS
  if (!(maxJoinRefusals >= 1)) throw new TypeError(`maxJoinRefusals must be at least 1, got ${maxJoinRefusals}`)
  return {
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    maxSilenceMs: positive(input.maxSilenceMs ?? heartbeatIntervalMs + heartbeatTimeoutMs, 'maxSilenceMs'),
    joinTimeoutMs: positive(input.joinTimeoutMs ?? DEFAULT_TIMEOUT_MS, 'joinTimeoutMs'),
    pushTimeoutMs: positive(input.pushTimeoutMs ?? DEFAULT_TIMEOUT_MS, 'pushTimeoutMs'),
    maxBufferedPushes,
    rejoinDelay: input.rejoinDelay ?? ((attempt) => backoffDelay(REJOIN_SCHEDULE_MS, attempt, random ?? (() => 0.5), jitter)),
    maxJoinRefusals,
  }
}
