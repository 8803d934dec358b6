/**
 * Backchannel's channel client against phoenix.js, on the same fake Phoenix
 * server (a child process, so its CPU is not charged to the client) and the
 * same workloads, one side at a time. See bench/README.md.
 *
 *   npm run bench:client                    # both sides, full run (~1.5 min)
 *   npx node bench/client.ts --quick        # a smoke run
 *   npx node bench/client.ts --side=ours    # one side (e.g. under --cpu-prof)
 */
import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { render } from './lib/report.ts'
import { runAll, type Kind } from './lib/runner.ts'
import { FULL, QUICK, type Config } from './lib/scenarios.ts'

// The heap figures need a full collection on demand: re-run under --expose-gc when it is missing.
if (globalThis.gc === undefined) {
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' })
  process.exit(child.status ?? 1)
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    side: { type: 'string', default: 'both' },
  },
})
const config: Config = values.quick ? QUICK : FULL
const kinds: Kind[] = values.side === 'ours' ? ['ours'] : values.side === 'phoenixjs' ? ['phoenixjs'] : ['ours', 'phoenixjs']

const started = performance.now()
const results = await runAll(config, kinds)
const seconds = (performance.now() - started) / 1000

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const header = [
  `## Backchannel Client vs phoenix.js — ${new Date().toISOString()}`,
  '',
  `Machine: ${os.availableParallelism()} CPUs (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
  `Config: ${values.quick ? 'quick' : 'full'}; medians of ${config.smallRounds} (100 B) or ${config.rounds} (10 KB) measured firehose rounds per side after a warm-up, sides alternating; run took ${seconds.toFixed(0)} s.`,
  '',
].join('\n')
process.stdout.write(`${header}${render(config, results.get('ours'), results.get('phoenixjs'))}\n`)
