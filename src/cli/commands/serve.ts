/**
 * `backchannel serve [--config FILE]`: the sidecar. Reads the environment
 * and the config file, starts the daemon, reloads the file on SIGHUP (and,
 * unless CONFIG_WATCH=false, when its content changes), and drains on
 * SIGTERM.
 */
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { configWarnings } from '../../gateway/config/checks.ts'
import { loadConfig, resolveValue } from '../../gateway/config/index.ts'
import { createDaemon } from '../../gateway/daemon.ts'
import { drainedCleanly } from '../../gateway/drain.ts'
import { createLogger } from '../../gateway/observe/logger.ts'
import { releaseStartupMemory } from '../../gateway/startup-memory.ts'
import { installReload, installShutdown } from '../shutdown.ts'
import { UsageError } from '../usage-error.ts'
import { packageVersion } from '../version.ts'

/** How long the exit waits for the log to be written, ms. */
const FLUSH_DEADLINE_MS = 1000

const HELP = `usage: backchannel serve [--config FILE]

Environment: PORT, HOST, LOG_LEVEL, CONFIG_FILE, API_TOKEN or API_TOKEN_FILE,
READY_GRACE_MS, SHUTDOWN_GRACE_MS, CONFIG_WATCH, CONFIG_WATCH_DEBOUNCE_MS
(see docs/configuration.md).

SIGHUP reloads the config file; SIGTERM drains and exits.

Exit status: 0 after a drain, 1 invalid configuration or another failure,
2 bad usage, 3 the HTTP API cannot listen on HOST:PORT (the port is taken,
or the address is not this machine's).`

/** Exit status when the HTTP API cannot bind its address (docs/cli.md). */
export const EXIT_LISTEN_FAILED = 3

const LISTEN_HINTS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use; stop what listens there, or set PORT to another port (PORT=0 picks a free one)',
  EACCES: 'this user may not bind that port; set PORT to 1024 or above',
  EADDRNOTAVAIL: 'no network interface of this machine has that address; set HOST to one of its addresses (or 127.0.0.1)',
}

/** One line for a failed bind (`EADDRINUSE` and kin), or null for any other error. */
export function listenFailure (err: unknown, host: string, port: number): string | null {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return null
  const hint = LISTEN_HINTS[code]
  if (hint === undefined) return null
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  return `cannot listen on ${address} (${code}): ${hint}`
}

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
  // stdout written synchronously (pino's default, asynchronous, could put a line written just before the last one
  // after it, or lose it at exit), behind a gate: once the last line (what the drain cut, the exit status) is
  // written, nothing a still-running part of the drain logs may come after it.
  const stdout = pino.destination({ dest: 1, sync: true })
  let sealed = false
  const logger = createLogger({ level: config.env.logLevel, destination: { write: (line: string) => { if (!sealed) stdout.write(line) } } })
  for (const warning of configWarnings(config.upstreams)) logger.warn({ warning }, 'config warning')
  const daemon = await createDaemon(config, {
    logger,
    resolve: async (source) => String(await resolveValue(source, process.env)),
    // A reload reads the file again with the same checks as start-up (and the same environment).
    load: async () => loadConfig(env),
    version: await packageVersion(),
  })
  installReload(async () => daemon.reload('signal'))
  let address: string
  try {
    address = await daemon.start()
  } catch (err) {
    const line = listenFailure(err, config.env.host, config.env.port)
    if (line === null) throw err
    await daemon.close()
    logger.flush()
    process.stderr.write(`backchannel: ${line}\n`)
    return EXIT_LISTEN_FAILED
  }
  const gcMs = releaseStartupMemory()
  logger.info({ address, gcMs: gcMs === null ? null : Math.round(gcMs), upstreams: config.upstreams.map((u) => u.name), channels: config.channels.length, dynamic: config.dynamic.length }, 'backchannel serving')
  installShutdown({
    close: async () => {
      const report = await daemon.close()
      return { clean: drainedCleanly(report), fields: { ...report } }
    },
    deadlineMs: config.env.shutdownGraceMs + 2000,
    // The last line says what the drain cut (and the exit status): at warn when it cut anything.
    log: (message, fields) => {
      const exitCode = fields?.['exitCode']
      if (typeof exitCode === 'number' && exitCode !== 0) logger.warn(fields, message)
      else logger.info(fields ?? {}, message)
      if (typeof exitCode === 'number') sealed = true
    },
    // Everything written has left before the process exits; the flush has a deadline of its own.
    exit: (code) => {
      const timer = setTimeout(() => process.exit(code), FLUSH_DEADLINE_MS)
      stdout.flush(() => {
        clearTimeout(timer)
        process.exit(code)
      })
    },
  })
  // Runs until a signal: the shutdown handler exits the process.
  return new Promise<number>(() => {})
}
