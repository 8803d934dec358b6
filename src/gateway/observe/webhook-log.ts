/**
 * Log lines from webhook delivery: dead letters at warn (a failed
 * dead-letter write at error: the message is lost), the drain at info,
 * retries and attempts at debug. The URL and header values never appear;
 * messages are named by subscription and id.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Webhooks } from '../webhook/webhooks.ts'

export function logWebhookEvents (logger: FastifyBaseLogger, webhooks: Webhooks): void {
  const e = webhooks.events
  e.on('attempt', (x) => { logger.debug({ subscription: x.subscription, id: x.id, result: x.result, status: x.status, ms: Math.round(x.seconds * 1e6) / 1e3 }, 'webhook attempt') })
  e.on('retry', (x) => { logger.debug(x, 'webhook retry scheduled') })
  e.on('dead_letter', (x) => { logger.warn(x, 'webhook message dead-lettered') })
  e.on('dead_letter_failed', (x) => { logger.error(x, 'webhook dead letter not written: message lost') })
  e.on('drain_start', (x) => { logger.info(x, 'webhook drain started') })
  e.on('drain_done', (x) => { logger.info({ left: x.left, ms: Math.round(x.seconds * 1000) }, 'webhook drain complete') })
}
