/**
 * `backchannel check-config FILE`: validates a config file the way start-up
 * does and explains it. Exit 0 with the explanation; exit 1 with every
 * problem on its own line (on stderr); exit 2 for bad arguments.
 */
import { parseArgs } from 'node:util'
import { configWarnings } from '../../gateway/config/checks.ts'
import { ConfigError, explainConfig, loadConfig, loadConfigFile } from '../../gateway/config/index.ts'
import { UsageError } from '../usage-error.ts'

const HELP = `usage: backchannel check-config FILE [--env]

Validates FILE (YAML or JSON) against config/backchannel.schema.json and the
cross-checks start-up runs, then explains what the gateway would do.

  --env   also check this process's environment variables (PORT, HOST,
          API_TOKEN…) and what the file needs at run time: the variables its
          sources name, its CA files

A valid file may still get warnings on stderr ("warning: " and the JSON
path), such as an upstream url ending in /websocket.

Exit status: 0 valid, 1 invalid (each problem on its own line), 2 bad usage.`

export async function runCheckConfig (args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args, options: { env: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const [file, ...extra] = parsed.positionals
  if (file === undefined || extra.length > 0) throw new UsageError('check-config takes one FILE (see --help)')
  try {
    const config = parsed.values.env === true
      ? await loadConfig({ ...process.env, CONFIG_FILE: file })
      : await loadConfigFile(file)
    for (const warning of configWarnings(config.upstreams)) process.stderr.write(`warning: ${warning}\n`)
    process.stdout.write(`${file}: valid\n\n${explainConfig(config)}\n`)
    return 0
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    const count = err.problems.length
    process.stderr.write(`${file}: ${count} problem${count === 1 ? '' : 's'}\n${err.problems.join('\n')}\n`)
    return 1
  }
}
