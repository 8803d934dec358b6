/**
 * One log line per reload: what changed (added, removed, changed lists of
 * names and `upstream/topic` keys, never params or secrets) at info; a file
 * refused, with each problem's path and reason, at error; settings that
 * need a restart and webhooks that could not start, at warn.
 */
import type { FastifyBaseLogger } from 'fastify'
import { describeDiff, isEmpty } from '../reload/diff.ts'
import type { Reloader } from '../reload/reloader.ts'

export function logReloads (logger: FastifyBaseLogger, reloader: Reloader): void {
  reloader.events.on('reload', (e) => {
    const ms = Math.round(e.seconds * 1000)
    if (e.result === 'invalid') {
      logger.error({ trigger: e.trigger, reason: e.heading, problems: e.problems, ms }, 'config reload refused: the running config is kept')
      return
    }
    if (e.result === 'error' || e.diff === undefined) {
      logger.error({ trigger: e.trigger, err: e.error, ms }, 'config reload failed')
      return
    }
    const { needRestart, ...changes } = describeDiff(e.diff)
    logger.info({ trigger: e.trigger, ...changes, ms }, isEmpty(e.diff) ? 'config reloaded: nothing changed' : 'config reloaded')
    if (Array.isArray(needRestart) && needRestart.length > 0) logger.warn({ trigger: e.trigger, settings: needRestart }, 'config reload: these settings need a restart; the running values are kept')
    for (const warning of e.warnings ?? []) logger.warn({ trigger: e.trigger }, `config reload: ${warning}`)
  })
}
