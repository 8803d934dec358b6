/**
 * Log lines of shared history: the Redis link going down and coming back
 * (with the client's last error, which never holds a secret), topics
 * falling back to local history and returning, and messages that left a
 * full pending window.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { SharedHistory } from '../shared/history.ts'

export function logSharedHistoryEvents (logger: FastifyBaseLogger, shared: SharedHistory): void {
  shared.events.on('link', (state) => {
    if (state === 'ready') logger.info({ replica: shared.replicaId }, 'shared history: Redis link ready')
    else if (state === 'down') logger.warn({ err: shared.link.lastError?.message }, 'shared history: Redis link down; topics fall back to local history until it returns')
  })
  shared.events.on('mode', (e) => {
    if (e.mode === 'shared') logger.info({ subscription: e.subscription }, 'shared history: topic served from shared history')
    else if (e.cause !== 'closed') logger.warn({ subscription: e.subscription, cause: e.cause }, 'shared history: topic falls back to local history (readers get a gap)')
  })
  shared.events.on('dropped', (e) => { logger.warn(e, 'shared history: received messages left a full pending window unappended (see backchannel_shared_history_pending_dropped_total)') })
}
