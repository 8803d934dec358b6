/**
 * Log lines from webhook delivery: dead letters at warn (a failed
 * dead-letter write at error: the message is lost), the drain at info,
 * retries and attempts at debug; a webhook without signing secrets at warn
 * when it starts, a signing secret that cannot be read at error. The URL and header values never appear;
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
  e.on('signing_keys', (x) => {
    if (x.secrets === 0) {
      if (x.trigger === 'start') logger.warn({ subscription: x.subscription }, 'webhook requests are not signed: receivers cannot verify them; set webhook.signingSecrets (docs/webhooks.md)')
    } else if (x.trigger === 'watch') {
      logger.info(x, 'webhook signing secrets read again: a secret file changed')
    } else {
      logger.debug(x, 'webhook signing secrets read')
    }
  })
  e.on('signing_keys_failed', (x) => { logger.error(x, 'webhook signing secrets not read: the ones in use are kept') })
  e.on('drain_start', (x) => { logger.info(x, 'webhook drain started') })
  e.on('drain_done', (x) => { logger.info({ left: x.left, kept: x.kept, ms: Math.round(x.seconds * 1000) }, 'webhook drain complete') })
  e.on('outbox_restored', (x) => { if (x.restored + x.expired > 0) logger.info(x, 'webhook outbox restored: messages held before the restart are delivered') })
  e.on('outbox_pruned', (x) => { logger.warn(x, 'webhook outbox held messages for a channel without a webhook now: forgotten') })
}
