/**
 * `backchannel healthcheck`: asks the sidecar running in this container for
 * /livez and exits 0 on a 200, 1 otherwise. It is the image's HEALTHCHECK,
 * which has no shell and no curl. HOST and PORT are read as `serve` reads
 * them (same defaults); a wildcard HOST is asked on its loopback address.
 */
import { isIP } from 'node:net'
import { parseArgs } from 'node:util'
import { ENV_SCHEMA } from '../../gateway/config/env.ts'
import { UsageError } from '../usage-error.ts'

const HELP = `usage: backchannel healthcheck [--path PATH] [--timeout-ms N]

Asks the sidecar for PATH (default /livez) at HOST and PORT from the
environment, as serve reads them, and exits 0 when it answers 200, 1
otherwise (an error status, no answer within --timeout-ms, default 2000).
A wildcard HOST (0.0.0.0, ::) is asked on loopback.`

const WILDCARDS: Readonly<Record<string, string>> = { '0.0.0.0': '127.0.0.1', '::': '::1' }

/** The URL a probe of `path` asks, from the HOST and PORT variables in `env`. */
export function healthUrl (env: Readonly<Record<string, string | undefined>>, path: string): string {
  const bound = env['HOST'] ?? ENV_SCHEMA.properties.HOST.default
  const host = WILDCARDS[bound] ?? bound
  const port = env['PORT'] ?? ENV_SCHEMA.properties.PORT.default
  if (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535) {
    throw new UsageError(`PORT must be the port the sidecar listens on (1 to 65535), got ${JSON.stringify(port)}`)
  }
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}${path}`
}

function parse (args: string[]): { path: string, timeoutMs: number } | 'help' {
  let values
  try {
    values = parseArgs({
      args,
      options: { path: { type: 'string', default: '/livez' }, 'timeout-ms': { type: 'string', default: '2000' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  if (values.help === true) return 'help'
  if (!values.path.startsWith('/')) throw new UsageError(`--path must start with /, got ${JSON.stringify(values.path)}`)
  const timeoutMs = values['timeout-ms']
  if (!/^[1-9][0-9]{0,5}$/.test(timeoutMs)) throw new UsageError(`--timeout-ms takes a whole number of milliseconds, got ${JSON.stringify(timeoutMs)}`)
  return { path: values.path, timeoutMs: Number(timeoutMs) }
}

function reason (err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer in time'
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined
  if (typeof cause?.code === 'string') return cause.code
  return err instanceof Error ? err.message : String(err)
}

export async function runHealthcheck (args: string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const options = parse(args)
  if (options === 'help') {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const url = healthUrl(env, options.path)
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: 'manual' })
    await res.body?.cancel()
    if (res.status === 200) {
      process.stdout.write(`${url}: 200\n`)
      return 0
    }
    process.stderr.write(`backchannel healthcheck: ${url}: status ${String(res.status)}\n`)
  } catch (err) {
    process.stderr.write(`backchannel healthcheck: ${url}: ${reason(err)}\n`)
  }
  return 1
}
