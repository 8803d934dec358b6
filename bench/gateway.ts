/**
 * The gateway benchmark: Backchannel's HTTP push and SSE fan-out against
 * phoenix.js direct and against plain floors (a bare fastify handler doing
 * a phoenix.js push; a node:http SSE server fed by phoenix.js, and the same
 * on a bare fastify app for memory; a bare Node process with the same
 * libraries loaded), every server in its own child process on one fake
 * Phoenix server. See bench/README.md, "Gateway benchmarks".
 *
 *   npm run bench:gateway                     # everything (~2 min)
 *   npx node bench/gateway.ts --quick         # a smoke run; its figures mean nothing
 *   npx node bench/gateway.ts --only=push     # one phase: memory, push, fanout, held (comma-separated)
 *   npx node bench/gateway.ts --profile=.tmp/prof   # the gateway child under --cpu-prof (the profile's name has its pid)
 *   npx node bench/gateway.ts --profile=.tmp/prof --profile-floors   # and the floor servers too
 *   npx node bench/gateway.ts --only=push --concurrency=100   # some concurrencies (--subscribers=1000 for fan-out)
 *   npx node bench/gateway.ts --only=fanout --paced-rounds=7  # paced rounds per server (default 5; the goal is their median ratio)
 *   npx node bench/gateway.ts --only=memory --memory-rounds=7 # rounds of RSS per idle reader (default 5, fresh processes; median ratio)
 *   npx node bench/gateway.ts --only=fanout --event-size=10000  # broadcast payloads padded to 10 KB (default 64 bytes)
 *   npx node bench/gateway.ts --strip         # children as .ts (type stripping) instead of compiled JS
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { othersShare, sampleCpu } from './gateway/machine.ts'
import { render, type GatewayResults } from './gateway/report.ts'
import { heldPhase } from './gateway/held.ts'
import { FULL, QUICK, buildChildren, compiled, fanoutPhase, memoryPhase, pushPhase, startServers, stopServers, stripped } from './gateway/scenarios.ts'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'memory,push,fanout' },
    profile: { type: 'string' },
    strip: { type: 'boolean', default: false },
    'profile-floors': { type: 'boolean', default: false },
    concurrency: { type: 'string' },
    subscribers: { type: 'string' },
    'paced-rounds': { type: 'string' },
    'memory-rounds': { type: 'string' },
    'event-size': { type: 'string' },
  },
})
const list = (text: string | undefined): number[] | undefined => text?.split(',').map(Number)
const config = {
  ...(values.quick ? QUICK : FULL),
  ...(values.concurrency === undefined ? {} : { concurrencies: list(values.concurrency)! }),
  ...(values.subscribers === undefined ? {} : { subscribers: list(values.subscribers)! }),
  ...(values['paced-rounds'] === undefined ? {} : { pacedRounds: Number(values['paced-rounds']) }),
  ...(values['memory-rounds'] === undefined ? {} : { memoryRounds: Number(values['memory-rounds']) }),
  ...(values['event-size'] === undefined ? {} : { eventSize: Number(values['event-size']) }),
}
const phases = new Set(values.only.split(',').map((p) => p.trim()))
const profileFlags = values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${values.profile}`]

const started = performance.now()
const cpu0 = sampleCpu()
// The server children run as plain JS compiled by tsc, as the gateway ships (dist/); --strip runs them as .ts.
if (!values.strip) buildChildren()
const servers = await startServers(values.strip ? stripped : compiled, profileFlags, values['profile-floors'])
const results: GatewayResults = {}
try {
  // Memory first: the processes are fresh, before any load has grown their heaps.
  if (phases.has('memory')) results.memory = await memoryPhase(servers, config)
  // Before the fan-out, which fills room:bench's ring to its cap: held events are measured on a ring with room.
  if (phases.has('held')) results.held = await heldPhase(servers, config)
  if (phases.has('push')) results.push = await pushPhase(servers, config)
  if (phases.has('fanout')) results.fanout = await fanoutPhase(servers, config)
} finally {
  await stopServers(servers)
}
const seconds = (performance.now() - started) / 1000
const others = othersShare(cpu0, sampleCpu())

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const header = [
  `## Backchannel gateway vs phoenix.js direct and the floors — ${new Date().toISOString()}`,
  '',
  `Machine: ${os.availableParallelism()} CPUs (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
  `Config: ${values.quick ? 'quick' : 'full'}; phases ${[...phases].join(', ')}; server children ${values.strip ? 'as TypeScript (type stripping)' : 'compiled to JS by tsc'}; run took ${seconds.toFixed(0)} s.`,
  `Other processes on the machine used ${others === null ? 'an unknown share' : `${(100 * others).toFixed(1)} %`} of its CPU during the run (/proc/stat minus this benchmark and its children).`,
  '',
].join('\n')
process.stdout.write(`${header}${render(config, results)}`)
