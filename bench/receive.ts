/**
 * The receive benchmark (issue 13, "the hot path"): what it costs the
 * sidecar to receive an unpaced stream from Phoenix and deliver it to one
 * SSE reader, against a bare phoenix.js client and Backchannel's `Client`
 * receiving the same stream; and how much the (fake) Phoenix server has to
 * queue for each of them meanwhile. Every receiver and every fake server is
 * its own child process; one side works at a time, sides alternating. See
 * bench/README.md, "Receive benchmark".
 *
 *   npm run bench:receive                   # everything (~1–2 min)
 *   npx node bench/receive.ts --quick       # a smoke run; its figures mean nothing
 *   npx node bench/receive.ts --sizes=10000 --rounds=3   # some workloads (payload bytes: 100, 10000), fewer rounds
 *   npx node bench/receive.ts --batch=1     # broadcasts per turn of the fake server's loop (default 10)
 *   npx node bench/receive.ts --strip       # children as .ts (type stripping) instead of compiled JS
 *   npx node bench/receive.ts --profile=.tmp/prof --profile-side=gateway   # that side's receiver under --cpu-prof
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { othersShare, sampleCpu } from './gateway/machine.ts'
import { buildChildren } from './gateway/scenarios.ts'
import { render, workloadKey, type ReceiveResults } from './receive/report.ts'
import { FULL, QUICK, ROOT, SIDE_NAMES, startSides, step, stopSides, type ReceiveConfig, type ScriptPath, type SideName, type Step } from './receive/scenarios.ts'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    batch: { type: 'string' },
    sizes: { type: 'string' },
    rounds: { type: 'string' },
    strip: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'profile-side': { type: 'string', default: 'gateway' },
  },
})
const base = values.quick ? QUICK : FULL
const sizes = values.sizes?.split(',').map(Number)
const config: ReceiveConfig = {
  ...base,
  workloads: base.workloads
    .filter((w) => sizes === undefined || sizes.includes(w.size))
    .map((w) => (values.rounds === undefined ? w : { ...w, rounds: Number(values.rounds) })),
  ...(values.batch === undefined ? {} : { batch: Number(values.batch) }),
}
const profileFlags = values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${values.profile}`]

const compiled: ScriptPath = (relative) => `${ROOT}.tmp/bench-js/bench/${relative}.js`
const stripped: ScriptPath = (relative) => `${ROOT}bench/${relative}.ts`

function progress (text: string): void {
  process.stderr.write(`${text}\n`)
}

const started = performance.now()
const load0 = os.loadavg()
const cpu0 = sampleCpu()
// The children run as plain JS compiled by tsc, as the gateway ships (dist/); --strip runs them as .ts.
if (!values.strip) buildChildren()
const sides = await startSides(values.strip ? stripped : compiled, profileFlags, new Set(values['profile-side'].split(',')))
if (profileFlags.length > 0) progress(`pids: ${sides.map((s) => `${s.name} ${s.receiver.pid ?? '?'}`).join(', ')}`)
const results: ReceiveResults = new Map()
try {
  for (const w of config.workloads) {
    const bySide = new Map<SideName, Step[]>(SIDE_NAMES.map((name) => [name, []]))
    results.set(workloadKey(w.size, w.count), bySide)
    progress(`receive: ${w.count} × ${w.size} B, warm-up`)
    for (const side of sides) await step(side, w.size, w.count, config)
    for (let r = 0; r < w.rounds; r++) {
      progress(`receive: ${w.count} × ${w.size} B, round ${r + 1} of ${w.rounds}`)
      // Alternate the order (A B C, C B A, …) so drift of the machine falls on every side alike.
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
        bySide.get(side.name)!.push(await step(side, w.size, w.count, config))
      }
    }
  }
} finally {
  await stopSides(sides)
}
const seconds = (performance.now() - started) / 1000
const others = othersShare(cpu0, sampleCpu())
const load1 = os.loadavg()

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const rounds = config.workloads.map((w) => `${w.rounds} (${w.size} B)`).join(', ')
const header = [
  `## Receive: gateway (upstream → one SSE reader) vs phoenix.js and Backchannel's Client — ${new Date().toISOString()}`,
  '',
  `Machine: ${os.availableParallelism()} CPUs (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
  `Config: ${values.quick ? 'quick' : 'full'}; ${rounds} measured rounds per side after one warm-up, sides alternating; broadcasts ${config.batch} per turn; children ${values.strip ? 'as TypeScript (type stripping)' : 'compiled to JS by tsc'}; run took ${seconds.toFixed(0)} s.`,
  `Load average (1, 5, 15 min): ${load0.map((x) => x.toFixed(2)).join(', ')} at the start, ${load1.map((x) => x.toFixed(2)).join(', ')} at the end; other processes used ${others === null ? 'an unknown share' : `${(100 * others).toFixed(1)} %`} of the machine's CPU during the run (/proc/stat minus this benchmark and its children).`,
  '',
].join('\n')
process.stdout.write(`${header}${render(config, results)}\n`)
