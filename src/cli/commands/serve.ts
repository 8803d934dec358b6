/**
 * `backchannel serve [--config FILE]`: the sidecar. Reads the environment
 * and the config file once, starts the daemon, and drains on SIGTERM.
 */
import { parseArgs } from 'node:util'
import { loadConfig, resolveValue } from '../../gateway/config/index.ts'
import { createDaemon } from '../../gateway/daemon.ts'
import { createLogger } from '../../gateway/observe/logger.ts'
import { installShutdown } from '../shutdown.ts'
import { UsageError } from '../usage-error.ts'
import { packageVersion } from '../version.ts'

const HELP = `usage: backchannel serve [--config FILE]

Environment: PORT, HOST, LOG_LEVEL, CONFIG_FILE, API_TOKEN or API_TOKEN_FILE,
READY_GRACE_MS, SHUTDOWN_GRACE_MS (see docs/configuration.md).`

export async function runServe (args: string[]): Promise<number> {
  let file: string | undefined
  try {
    const { values } = parseArgs({ args, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true })
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`)
      return 0
    }
    file = values.config
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  const env = { ...process.env, ...(file === undefined ? {} : { CONFIG_FILE: file }) }
  const config = await loadConfig(env)
  const logger = createLogger({ level: config.env.logLevel })
  const daemon = await createDaemon(config, {
    logger,
    resolve: async (source) => String(await resolveValue(source, process.env)),
    version: await packageVersion(),
  })
  const address = await daemon.start()
  logger.info({ address, upstreams: config.upstreams.map((u) => u.name), channels: config.channels.length }, 'backchannel serving')
  installShutdown({
    close: async () => { await daemon.close() },
    deadlineMs: config.env.shutdownGraceMs + 2000,
    log: (message, fields) => { logger.info(fields ?? {}, message) },
    exit: (code) => {
      logger.flush()
      process.exit(code)
    },
  })
  // Runs until a signal: the shutdown handler exits the process.
  return new Promise<number>(() => {})
}
