/**
 * Log lines from observability events: connects, disconnects, refusals,
 * join errors and liveness losses at info or warn, pushes and SSE readers at
 * debug. The upstream appears as its safe URL (scheme://host/path): connect
 * params, which may hold tokens, travel in the query and are never logged.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Client } from '../../client/client.ts'
import type { Broker } from '../broker.ts'
import { DropLog } from './drop-log.ts'

export function logClientEvents (logger: FastifyBaseLogger, upstream: string, client: Client): void {
  const url = client.safeUrl
  const log = logger.child({ upstream })
  const e = client.events
  e.on('connect_start', (x) => { log.debug({ url, socket: x.socket, attempt: x.attempt }, 'connecting') })
  e.on('connect_ok', (x) => { log.info({ url, socket: x.socket, attempt: x.attempt, latencyMs: x.latencyMs }, 'upstream connected') })
  e.on('connect_fail', (x) => { log.warn({ url, socket: x.socket, attempt: x.attempt, code: x.reason, cause: x.cause, status: x.status }, 'upstream connect failed') })
  e.on('disconnect', (x) => {
    const fields = { url, socket: x.socket, code: x.code, reason: x.reason }
    if (x.code === 1000) log.info(fields, 'upstream disconnected')
    else log.warn(fields, 'upstream disconnected')
  })
  e.on('reconnect_scheduled', (x) => { log.info({ url, socket: x.socket, attempt: x.attempt, delayMs: x.delayMs }, 'reconnect scheduled') })
  e.on('liveness_lost', (x) => { log.warn({ url, socket: x.socket, reason: x.reason }, 'upstream went silent: socket dropped') })
  e.on('protocol_error', (x) => { log.warn({ url, socket: x.socket, fault: x.fault }, 'upstream broke the protocol: socket dropped') })
  e.on('join_start', (x) => { log.debug({ socket: x.socket, topic: x.topic, rejoin: x.rejoin }, 'joining') })
  e.on('join_ok', (x) => { log.info({ socket: x.socket, topic: x.topic, rejoin: x.rejoin, latencyMs: x.latencyMs }, 'channel joined') })
  e.on('join_error', (x) => { log.warn({ socket: x.socket, topic: x.topic, reason: x.reason, attempt: x.attempt, willRetry: x.willRetry }, 'join failed') })
  e.on('rejoin_scheduled', (x) => { log.info({ socket: x.socket, topic: x.topic, attempt: x.attempt, delayMs: x.delayMs }, 'rejoin scheduled') })
  e.on('channel_error', (x) => { log.warn({ socket: x.socket, topic: x.topic, reason: x.reason }, 'channel down') })
  e.on('leave', (x) => { log.info({ socket: x.socket, topic: x.topic, reason: x.reason }, 'channel ended') })
  e.on('push_sent', (x) => { log.debug({ socket: x.socket, topic: x.topic, event: x.event }, 'push sent') })
  e.on('reply', (x) => { log.debug({ socket: x.socket, topic: x.topic, event: x.event, outcome: x.outcome, latencyMs: x.latencyMs }, 'push done') })
  e.on('stale', (x) => { log.debug({ socket: x.socket, topic: x.topic, event: x.event }, 'stale message dropped') })
  e.on('unroutable', (x) => { log.debug({ socket: x.socket, topic: x.topic, event: x.event }, 'unroutable message dropped') })
  e.on('buffer_depth', (x) => { log.debug({ socket: x.socket, depth: x.depth }, 'push buffer depth') })
  e.on('heartbeat', (x) => { log.trace({ socket: x.socket, rttMs: x.rttMs }, 'heartbeat') })
}

/** Gaps and dropped messages (warn), SSE readers (debug; a reader cut off: warn), pushes (debug). */
export function logBrokerEvents (hubLog: FastifyBaseLogger, sseLog: FastifyBaseLogger, broker: Broker): void {
  broker.events.on('push_done', (x) => { hubLog.debug({ subscription: x.subscription, status: x.status, code: x.code, ms: Math.round(x.seconds * 1e6) / 1e3 }, 'push outcome') })
  const hub = broker.hub
  // A dropped message has its own line (rate-limited per topic): a flood of them must not flood the log.
  hub.events.on('gap', (x) => { if (x.reason !== 'message_dropped' && x.reason !== 'shared_history_resumed') hubLog.warn(x, 'gap: messages may be missing') })
  const drops = new DropLog(hubLog)
  hub.events.on('message_dropped', (x) => { drops.dropped(x) })
  hub.events.on('reader_open', (x) => { sseLog.debug(x, 'SSE reader attached') })
  hub.events.on('reader_close', (x) => {
    if (x.reason === 'overflow') sseLog.warn(x, 'SSE reader cut off: it fell behind')
    else sseLog.debug(x, 'SSE reader ended')
  })
}
