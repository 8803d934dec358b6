/**
 * The session's options, its outputs, and the outcomes it reports.
 */
import type { BackchannelError } from '../errors.ts'
import type { Message, ReceivedPayload } from './message.ts'

export type ChannelState = 'closed' | 'joining' | 'joined' | 'leaving' | 'errored'

export interface SessionOptions {
  /** Time between a heartbeat reply and the next heartbeat. Default 30 000 ms (phoenix.js). */
  heartbeatIntervalMs: number
  /** How long a heartbeat may wait for its reply. Default: the interval, as phoenix.js. */
  heartbeatTimeoutMs: number
  /** Close the socket when nothing at all arrived for this long. Default: interval + timeout. */
  maxSilenceMs: number
  /** Join reply deadline. Default 10 000 ms. */
  joinTimeoutMs: number
  /** Push reply deadline unless the push sets its own. Default 10 000 ms. */
  pushTimeoutMs: number
  /** Pushes waiting for a join or a connection, across all topics. Default 1 000. */
  maxBufferedPushes: number
  /** Delay before the n-th rejoin of a topic (n from 1). Default: phoenix.js's schedule, jittered. */
  rejoinDelay: (attempt: number) => number
  /** Consecutive refused joins after which a topic is given up. Default 3; Infinity retries forever. */
  maxJoinRefusals: number
}

/** A push ends in exactly one of these. A reply of any status is a reply. */
export type PushOutcome =
  | { kind: 'reply', status: string, response: unknown }
  | { kind: 'failed', error: BackchannelError }

export type JoinOutcome =
  | { kind: 'joined', response: unknown }
  | { kind: 'failed', error: BackchannelError }

/** Observability: what happened, without payloads. */
export type SessionEvent =
  | { type: 'join_sent', topic: string, rejoin: boolean }
  | { type: 'joined', topic: string, rejoin: boolean, latencyMs: number }
  | { type: 'join_refused', topic: string, attempt: number, willRetry: boolean }
  | { type: 'join_timeout', topic: string, attempt: number }
  | { type: 'rejoin_scheduled', topic: string, attempt: number, delayMs: number }
  | { type: 'channel_errored', topic: string, reason: 'crashed' | 'disconnected' }
  | { type: 'channel_closed', topic: string, reason: 'server_closed' | 'left' | 'refused' }
  | { type: 'push_sent', topic: string, event: string }
  | { type: 'push_done', topic: string, event: string, outcome: string, latencyMs: number }
  | { type: 'stale', topic: string, event: string }
  | { type: 'unroutable', topic: string, event: string }
  | { type: 'heartbeat_sent' }
  | { type: 'heartbeat_reply', rttMs: number }
  /** The socket must be closed and reconnected. */
  | { type: 'liveness_lost', reason: 'heartbeat_timeout' | 'silence' }
  | { type: 'buffer_depth', depth: number }

/** Where the session's effects go. Layer 1 writes `send` to the socket. */
export interface SessionOutput {
  send: (message: Message) => void
  /**
   * A channel message for the application (never a reply or control event).
   * `received` is the decoded message: read `received.payload` only when
   * the value is needed (it may be parsed on that read).
   */
  deliver: (topic: string, event: string, received: ReceivedPayload) => void
  emit: (event: SessionEvent) => void
}

export interface PushOptions {
  timeoutMs?: number
  /** What to do when the topic is not joined right now: wait in the buffer (default) or fail at once. */
  whenNotJoined?: 'buffer' | 'fail'
}
