/**
 * Log lines of the durable store: writes failing at error (once, until
 * they succeed again: a full disk must not flood the log), recovery at
 * info, with how many writes failed meanwhile.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { StateStore } from '../store/state-store.ts'

export function logStoreEvents (logger: FastifyBaseLogger, store: StateStore): void {
  store.events.on('failing', (x) => { logger.error(x, 'durable store writes fail: messages are held in memory only until they succeed again (see backchannel_store_write_errors_total)') })
  store.events.on('recovered', (x) => { logger.info(x, 'durable store writes succeed again') })
}
