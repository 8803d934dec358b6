/**
 * The soak: `backchannel serve` (the real CLI, as a child process) against
 * the fake Phoenix server (another child), under mixed load for
 * `--minutes` (default 10):
 *
 *  - paced pushes to `echo:soak`, each with exactly one outcome counted;
 *  - `--readers` SSE streams (default 500) over `--topics` configured
 *    topics, each broadcast at `--rate` messages/s, read as EventSource
 *    reads (reconnecting with Last-Event-ID);
 *  - dynamic-topic churn: short-lived readers of `room:dyn-*` topics that
 *    come and go (joined on demand, left after their linger, joined again),
 *    each resuming with the id its topic's previous reader ended on, plus
 *    PUT/DELETE cycles;
 *  - an upstream fault every `--fault-every` seconds (default 30): a
 *    restart as in a deploy, every socket closed with 1011, every socket
 *    dropped without a close frame, in turn;
 *  - a poison message (a payload nested 5,000 arrays deep) on one topic
 *    every `--poison-every` seconds (default 60; 0: none);
 *  - `--stalled` extra readers (default 50, a tenth of 500) that open a
 *    stream and never read.
 *
 * It prints exact accounting (pushes sent and answered by class; SSE
 * events delivered, missing, covered by `gap`, duplicated) and the
 * gateway's RSS, file descriptors and event-loop lag at start, middle and
 * end, then drains the gateway with SIGTERM. Exit 1 when anything was
 * lost silently, duplicated, unanswered, or the drain failed.
 *
 *   npm run bench:soak                      # 10 minutes
 *   npm run bench:soak -- --minutes 1       # a quick run
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { withTimeout } from './lib/measure.ts'
import { ServerChild } from './lib/server-child.ts'
import { Pushers } from './soak/pushers.ts'
import { sample, type ResourceSample } from './soak/resources.ts'
import { StalledReaders } from './soak/stalled.ts'
import { AccountingReader, addTally, newTally, type Position, type Tally } from './soak/sse-account.ts'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    readers: { type: 'string', default: '500' },
    topics: { type: 'string', default: '10' },
    rate: { type: 'string', default: '10' },
    'push-rate': { type: 'string', default: '200' },
    'fault-every': { type: 'string', default: '30' },
    'poison-every': { type: 'string', default: '60' },
    stalled: { type: 'string', default: '50' },
  },
})
const minutes = Number(values.minutes)
const readerCount = Number(values.readers)
const topicCount = Number(values.topics)
const ratePerTopic = Number(values.rate)
const pushRate = Number(values['push-rate'])
const faultEverySec = Number(values['fault-every'])
const poisonEverySec = Number(values['poison-every'])
const stalledCount = Number(values.stalled)
const durationMs = minutes * 60_000
const DYNAMIC_TOPICS = 8
const DYNAMIC_RATE = 5

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function until (what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const end = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const startedAt = performance.now()
const dir = await mkdtemp(join(tmpdir(), 'backchannel-soak-'))
const server = await ServerChild.start(0)
const topics = Array.from({ length: topicCount }, (_v, i) => `room:soak-${i}`)
const config = {
  upstreams: [{ name: 'main', url: server.endpoint, reconnectBackoffMs: [50, 100, 250, 500, 1000], rejoinBackoffMs: [200, 500, 1000] }],
  channels: [{ topic: 'echo:soak', upstream: 'main', required: true }, ...topics.map((topic) => ({ topic, upstream: 'main', replay: 1000 }))],
  dynamic: [{ pattern: 'room:dyn-*', upstream: 'main', lingerMs: 1000, maxTopics: 50, replay: 200 }],
  pushTimeoutMs: 5000,
}
const configFile = join(dir, 'backchannel.json')
await writeFile(configFile, JSON.stringify(config))
const port = await freePort()
const base = `http://127.0.0.1:${port}`
const logFile = join(dir, 'gateway.log')
const log = createWriteStream(logFile)
const gatewayProcess = spawn(process.execPath, [new URL('../src/cli/main.ts', import.meta.url).pathname, 'serve'], {
  env: { PATH: process.env['PATH'] ?? '', CONFIG_FILE: configFile, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '10000' },
  stdio: ['ignore', 'pipe', 'pipe'],
})
gatewayProcess.stdout.pipe(log)
gatewayProcess.stderr.pipe(log)
const exited = once(gatewayProcess, 'exit')
const drain = { started: false }
// The gateway must survive everything the soak does to it: an exit before the drain ends the run as a failure.
gatewayProcess.on('exit', (code, signal) => {
  if (drain.started) return
  log.end(() => {
    readFile(logFile, 'utf8').then((text) => {
      process.stdout.write(`${text.split('\n').slice(-6).join('\n')}\nFAIL: the gateway exited during the soak (code ${String(code)}, signal ${String(signal)})\n`)
      process.exit(1)
    }, () => { process.exit(1) })
  })
})
const pid = gatewayProcess.pid ?? 0
await until('gateway ready', 20_000, async () => {
  try {
    return (await fetch(`${base}/readyz`)).status === 200
  } catch {
    return false
  }
})
process.stdout.write(`soak: ${minutes} min, ${readerCount} readers (and ${stalledCount} stalled) over ${topicCount} topics at ${ratePerTopic}/s each, ${pushRate} pushes/s, a fault every ${faultEverySec} s; gateway pid ${pid}, log ${logFile}\n`)

// Broadcasts run in the server child on their own schedule for the whole run, through faults.
const perTopicCount = Math.floor((durationMs / 1000) * ratePerTopic)
const perDynamicCount = Math.floor((durationMs / 1000) * DYNAMIC_RATE)
const broadcasts = [
  ...topics.map(async (topic) => server.broadcast({ topic, event: 'tick', count: perTopicCount, from: 0, size: 100, rateHz: ratePerTopic })),
  ...Array.from({ length: DYNAMIC_TOPICS }, async (_v, i) => server.broadcast({ topic: `room:dyn-${i}`, event: 'tick', count: perDynamicCount, from: 0, size: 100, rateHz: DYNAMIC_RATE })),
]

// Configured topics: readers for the whole run.
const steady = newTally()
const readers = Array.from({ length: readerCount }, (_v, i) => new AccountingReader(base, topics[i % topicCount] ?? '', steady))
for (const reader of readers) reader.open()
const stalled = new StalledReaders(base, topics, stalledCount)

// Dynamic churn: each topic's readers come and go; the next resumes where the last ended.
const churn = newTally()
const positions: Position[] = Array.from({ length: DYNAMIC_TOPICS }, () => ({ lastEventId: null, lastSeq: -1 }))
const churnReaders = new Set<AccountingReader>()
const putDelete: Record<string, number> = {}
const churnState = { running: true }
const churnLoop = (async () => {
  for (let i = 0; churnState.running; i++) {
    const k = i % DYNAMIC_TOPICS
    const reader = new AccountingReader(base, `room:dyn-${k}`, churn, positions[k])
    churnReaders.add(reader)
    reader.open()
    setTimeout(() => { reader.close(); churnReaders.delete(reader) }, 3000).unref()
    if (i % 4 === 0) {
      const topic = `room:dyn-put-${i}`
      for (const method of ['PUT', 'DELETE']) {
        const key = await fetch(`${base}/v1/channels/${encodeURIComponent(topic)}`, { method }).then((r) => `${method} ${r.status}`, () => `${method} transport error`)
        putDelete[key] = (putDelete[key] ?? 0) + 1
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500))
  }
})()

const pushers = new Pushers({ base, topic: 'echo:soak', ratePerSec: pushRate, lanes: 16, clientDeadlineMs: 30_000 })
pushers.start()

const faults: string[] = []
const kinds = ['restart', 'close-all', 'drop-all'] as const
const faultTimer = setInterval(() => {
  const kind = kinds[faults.length % kinds.length] ?? 'restart'
  faults.push(kind)
  const done = kind === 'restart' ? server.restart(2000) : server.fault(kind)
  done.catch((err: unknown) => { process.stderr.write(`fault ${kind}: ${String(err)}\n`) })
}, faultEverySec * 1000)
let poisons = 0
const poisonTimer = poisonEverySec > 0
  ? setInterval(() => {
    poisons++
    server.poison(topics[poisons % topics.length] ?? '').catch((err: unknown) => { process.stderr.write(`poison: ${String(err)}\n`) })
  }, poisonEverySec * 1000)
  : undefined

const samples: ResourceSample[] = []
await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, durationMs / 10)))
samples.push(await sample('start', pid, base, startedAt))
await new Promise((resolve) => setTimeout(resolve, durationMs / 2 - Math.min(10_000, durationMs / 10)))
samples.push(await sample('middle', pid, base, startedAt))
await withTimeout(Promise.all(broadcasts), durationMs, 'broadcasts')
clearInterval(faultTimer)
clearInterval(poisonTimer)
churnState.running = false
await churnLoop
for (const reader of churnReaders) reader.close()
await pushers.stop()

// Every steady reader should now reach the last message of its topic (or have a gap for it).
const finalSeq = perTopicCount - 1
const caughtUp = await until('readers caught up', 30_000, () => readers.every((r) => r.position.lastSeq >= finalSeq)).then(() => true, () => false)
samples.push(await sample('end', pid, base, startedAt))
for (const reader of readers) reader.settle(finalSeq)

// The drain: SIGTERM; every open stream should get its final `shutdown` event, and the process exit 0.
const shutdownsBefore = steady.ends['shutdown'] ?? 0
const drainStart = performance.now()
drain.started = true
gatewayProcess.kill('SIGTERM')
const [code] = await withTimeout(exited, 20_000, 'gateway exit after SIGTERM') as [number | null]
const drainMs = performance.now() - drainStart
for (const reader of readers) reader.close()
const stalledCut = stalled.cutByGateway
stalled.close()
const shutdowns = (steady.ends['shutdown'] ?? 0) - shutdownsBefore
await server.close()
const logText = await readFile(logFile, 'utf8')
const levels: Record<string, number> = {}
for (const line of logText.split('\n')) {
  const level = /"level":(\d+)/.exec(line)?.[1]
  if (level !== undefined) levels[level] = (levels[level] ?? 0) + 1
}

const total: Tally = newTally()
addTally(total, steady)
addTally(total, churn)
const answered = Object.values(pushers.tally.answered).reduce((a, b) => a + b, 0)
const transport = Object.values(pushers.tally.transportErrors).reduce((a, b) => a + b, 0)
const lines = [
  '',
  `## Soak — ${new Date().toISOString()} (${minutes} min; took ${Math.round((performance.now() - startedAt) / 1000)} s)`,
  '',
  `Faults: ${faults.length} (${kinds.map((k) => `${k} ${faults.filter((f) => f === k).length}`).join(', ')}); poison messages: ${poisons}. Stalled readers: ${stalled.size}, closed by the gateway before the drain: ${stalledCut}.`,
  '',
  '### Pushes',
  `- sent ${pushers.tally.sent}, answered ${answered}, transport errors ${transport}, no answer ${pushers.tally.unanswered}`,
  ...Object.entries(pushers.tally.answered).sort((a, b) => b[1] - a[1]).map(([k, v]) => `  - ${k}: ${v}`),
  ...Object.entries(pushers.tally.transportErrors).map(([k, v]) => `  - transport ${k}: ${v}`),
  '',
  '### SSE events',
  '| readers | delivered | missing | covered by gap | duplicated | gap events | reconnects | ends with a final event | cut without one | refused |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ...([['steady', steady], ['dynamic churn', churn], ['all', total]] as const).map(([name, t]) =>
    `| ${name} | ${t.delivered} | ${t.missing} | ${t.covered} | ${t.duplicated} | ${t.gaps} | ${t.reconnects} | ${JSON.stringify(t.ends)} | ${t.cutWithoutEvent} | ${JSON.stringify(t.refused)} |`),
  '',
  `Steady readers caught up with the last message: ${caughtUp ? 'yes' : 'NO'}. PUT/DELETE: ${JSON.stringify(putDelete)}.`,
  '',
  '### The gateway process',
  '| when | at s | RSS MB | V8 heap used MB | fds | event-loop lag p99 ms | max ms | SSE readers |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...samples.map((s) => `| ${s.label} | ${s.atSec} | ${s.rssMb.toFixed(1)} | ${s.heapUsedMb?.toFixed(1) ?? '-'} | ${s.fds} | ${s.lagP99Ms?.toFixed(1) ?? '-'} | ${s.lagMaxMs?.toFixed(1) ?? '-'} | ${s.sseStreams ?? '-'} |`),
  '',
  `Drain: SIGTERM → exit ${String(code)} in ${Math.round(drainMs)} ms; ${shutdowns} of ${readerCount} streams got \`shutdown\`. Log lines by level: ${JSON.stringify(levels)} (50 = error).`,
  '',
]
process.stdout.write(lines.join('\n'))
const failures = [
  total.missing > 0 && `${total.missing} SSE events missing without a gap`,
  total.duplicated > 0 && `${total.duplicated} SSE events duplicated`,
  transport > 0 && `${transport} pushes ended in a transport error`,
  pushers.tally.unanswered > 0 && `${pushers.tally.unanswered} pushes had no answer`,
  answered + transport + pushers.tally.unanswered !== pushers.tally.sent && 'pushes sent and outcomes do not add up',
  !caughtUp && 'steady readers did not catch up',
  code !== 0 && `the gateway exited ${String(code)} after SIGTERM`,
].filter((x): x is string => typeof x === 'string')
if (failures.length > 0) {
  process.stdout.write(`FAIL: ${failures.join('; ')}\n`)
  process.exitCode = 1
} else {
  process.stdout.write('PASS: nothing lost silently, nothing duplicated, every push answered, the drain clean\n')
}
