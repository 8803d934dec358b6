/**
 * Log lines of browser access that are not per request: each read of a
 * JWKS, at debug when it succeeds (info at start) and at warn when it fails
 * (the last good set is kept). Never a key, a token or a URL's query.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { RefreshingKeySet } from '../access/key-set.ts'

export function logKeySet (logger: FastifyBaseLogger, keySet: RefreshingKeySet): void {
  keySet.events.on('keys_loaded', (e) => {
    if (e.trigger === 'start') logger.info({ keys: e.keys, trigger: e.trigger }, 'token keys read')
    else logger.debug({ keys: e.keys, trigger: e.trigger }, 'token keys read')
  })
  keySet.events.on('keys_failed', (e) => {
    logger.warn({ reason: e.error, trigger: e.trigger, keptLastSet: keySet.loaded }, 'token keys could not be read')
  })
}
