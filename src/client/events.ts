/**
 * The client's observability events: what happened, with the numbers
 * metrics need, and never a payload or a secret. The gateway turns them
 * into Prometheus series and log lines.
 */
import type { SessionEvent } from '../phoenix/session-types.ts'
import type { Pool } from '../connection/pool.ts'

export interface ClientEvents {
  connect_start: [{ socket: number, attempt: number }]
  connect_ok: [{ socket: number, attempt: number, latencyMs: number }]
  /** `reason` is an error code; `status` is the HTTP status of a refused upgrade. */
  /** `reason` is the error code; `cause` what lay under it, e.g. ECONNREFUSED or CERT_HAS_EXPIRED. */
  connect_fail: [{ socket: number, attempt: number, reason: string, cause?: string, status?: number }]
  disconnect: [{ socket: number, code: number, reason: string }]
  reconnect_scheduled: [{ socket: number, attempt: number, delayMs: number }]
  join_start: [{ socket: number, topic: string, rejoin: boolean }]
  join_ok: [{ socket: number, topic: string, rejoin: boolean, latencyMs: number }]
  join_error: [{ socket: number, topic: string, reason: 'refused' | 'timeout', attempt: number, willRetry: boolean }]
  rejoin_scheduled: [{ socket: number, topic: string, attempt: number, delayMs: number }]
  channel_error: [{ socket: number, topic: string, reason: 'crashed' | 'disconnected' }]
  leave: [{ socket: number, topic: string, reason: 'left' | 'server_closed' | 'refused' }]
  push_sent: [{ socket: number, topic: string, event: string }]
  /** A push ended: `outcome` is the reply status, or the error code. */
  reply: [{ socket: number, topic: string, event: string, outcome: string, latencyMs: number }]
  message: [{ socket: number, topic: string, event: string, bytes: number }]
  heartbeat: [{ socket: number, rttMs: number }]
  liveness_lost: [{ socket: number, reason: 'heartbeat_timeout' | 'silence' }]
  stale: [{ socket: number, topic: string, event: string }]
  unroutable: [{ socket: number, topic: string, event: string }]
  buffer_depth: [{ socket: number, depth: number }]
  protocol_error: [{ socket: number, fault: string }]
  /** A decoded message whose handling threw (the socket goes on); `reason` is `handler_error`. */
  message_dropped: [{ socket: number, topic: string, event: string, reason: 'handler_error' }]
  /** An overridden callback (onMessage, onReply…) threw; the client went on. `error` is what it threw. */
  callback_error: [{ callback: CallbackName, topic: string | null, error: unknown }]
}

export type CallbackName = 'onConnect' | 'onDisconnect' | 'onJoin' | 'onMessage' | 'onReply' | 'onTopicClose' | 'onLeave'

type Emit = <K extends keyof ClientEvents>(name: K, ...args: ClientEvents[K]) => void

/** Maps one session event to a client event. */
export function relaySessionEvent (socket: number, e: SessionEvent, emit: Emit): void {
  switch (e.type) {
    case 'join_sent': emit('join_start', { socket, topic: e.topic, rejoin: e.rejoin }); break
    case 'joined': emit('join_ok', { socket, topic: e.topic, rejoin: e.rejoin, latencyMs: e.latencyMs }); break
    case 'join_refused': emit('join_error', { socket, topic: e.topic, reason: 'refused', attempt: e.attempt, willRetry: e.willRetry }); break
    case 'join_timeout': emit('join_error', { socket, topic: e.topic, reason: 'timeout', attempt: e.attempt, willRetry: true }); break
    case 'rejoin_scheduled': emit('rejoin_scheduled', { socket, topic: e.topic, attempt: e.attempt, delayMs: e.delayMs }); break
    case 'channel_errored': emit('channel_error', { socket, topic: e.topic, reason: e.reason }); break
    case 'channel_closed': emit('leave', { socket, topic: e.topic, reason: e.reason }); break
    case 'push_sent': emit('push_sent', { socket, topic: e.topic, event: e.event }); break
    case 'push_done': emit('reply', { socket, topic: e.topic, event: e.event, outcome: e.outcome, latencyMs: e.latencyMs }); break
    case 'stale': emit('stale', { socket, topic: e.topic, event: e.event }); break
    case 'unroutable': emit('unroutable', { socket, topic: e.topic, event: e.event }); break
    case 'heartbeat_reply': emit('heartbeat', { socket, rttMs: e.rttMs }); break
    case 'liveness_lost': emit('liveness_lost', { socket, reason: e.reason }); break
    case 'buffer_depth': emit('buffer_depth', { socket, depth: e.depth }); break
    case 'heartbeat_sent': break
  }
}

/** Maps pool (connection) events to client events. */
export function relayPoolEvents (pool: Pool, emit: Emit, wants: (name: keyof ClientEvents) => boolean = () => true): void {
  pool.on('connecting', (socket, e) => { emit('connect_start', { socket, attempt: e.attempt }) })
  pool.on('open', (socket, e) => { emit('connect_ok', { socket, attempt: e.attempt, latencyMs: e.latencyMs }) })
  pool.on('connect_failed', (socket, e) => {
    const { status, reason: cause } = e.error as { status?: unknown, reason?: unknown }
    emit('connect_fail', {
      socket,
      attempt: e.attempt,
      reason: e.error.code,
      ...(typeof cause === 'string' ? { cause } : {}),
      ...(typeof status === 'number' ? { status } : {}),
    })
  })
  pool.on('close', (socket, e) => { emit('disconnect', { socket, code: e.code, reason: e.reason }) })
  pool.on('reconnect_scheduled', (socket, e) => { emit('reconnect_scheduled', { socket, attempt: e.attempt, delayMs: e.delayMs }) })
  pool.on('protocol_error', (socket, error) => { emit('protocol_error', { socket, fault: error.fault }) })
  pool.on('message_dropped', (socket, e) => { emit('message_dropped', { socket, topic: e.topic, event: e.event, reason: 'handler_error' }) })
  pool.on('message', (socket, topic, event, _payload, bytes) => {
    if (wants('message')) emit('message', { socket, topic, event, bytes })
  })
  pool.on('session', (socket, e) => { relaySessionEvent(socket, e, emit) })
}
