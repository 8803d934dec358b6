/**
 * The durable store's cost on the message path: the hub receiving
 * channel messages in memory (no STATE_DIR) against the same hub keeping
 * its ring in the SQLite store (STATE_DIR) with STATE_SYNC normal and full,
 * in one run, as ratios. Each turn of the event loop receives `batch`
 * messages (as one socket read would); the turn's writes are committed at
 * the next tick. Measured per mode: CPU per message (process.cpuUsage over
 * the measured turns) and each turn's latency from its first message to
 * the turn after the commit (setImmediate: when a stream would have
 * written it), p50, p99 and p99.9, with the WAL file's peak size and how
 * often the writer checkpointed it itself (the checkpointer thread fell
 * behind). The modes run in turns, `rounds` times each,
 * and the median round counts. See bench/README.md, "Store benchmark".
 *
 *   npm run bench:store                          # 100 000 messages of 1 KB per round, 10 a turn, 3 rounds
 *   node bench/store.ts --quick                  # a smoke run; its figures mean nothing
 *   node bench/store.ts --messages=50000 --batch=1 --size=10240
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Hub } from '../src/gateway/hub/hub.ts'
import { STORE_FILE, SqliteStore } from '../src/gateway/store/sqlite-store.ts'

type Mode = 'memory' | 'normal' | 'full'
const MODES: readonly Mode[] = ['memory', 'normal', 'full']

interface Round { cpuUsPerMessage: number, p50Us: number, p99Us: number, p999Us: number, walPeakMiB: number, writerCheckpoints: number }

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '10' },
    size: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
  },
})
const MESSAGES = values.quick ? 5000 : Number(values.messages)
const BATCH = Number(values.batch)
const SIZE = Number(values.size)
const ROUNDS = values.quick ? 1 : Number(values.rounds)
const WARMUP = Math.floor(MESSAGES / 10)

const turn = async (): Promise<void> => { await new Promise<void>((resolve) => { setImmediate(resolve) }) }

function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

async function round (mode: Mode): Promise<Round> {
  const dir = mkdtempSync(join(os.tmpdir(), 'bc-bench-store-'))
  const store = mode === 'memory' ? null : new SqliteStore({ dir, maxBytes: 1024 * 1024 * 1024, sync: mode, newEpoch: () => 'bench' })
  try {
    const channel = { name: 'bench', topic: 'room:bench', upstream: 'main', params: {}, required: false, replay: 1000 }
    const hub = new Hub([channel], { epoch: store?.epoch ?? 'bench', now: Date.now, topicBufferBytes: 4 * 1024 * 1024, ...(store === null ? {} : { store }) })
    hub.onJoined('main', 'room:bench')
    const walFile = join(dir, `${STORE_FILE}-wal`)
    let walPeak = 0
    let writerCheckpoints = 0
    store?.events.on('checkpointed', (e) => { if (e.byWriter === true) writerCheckpoints++ })
    const pad = 'x'.repeat(Math.max(0, SIZE - 20))
    const latencies: number[] = []
    let cpu = { user: 0, system: 0 }
    for (let sent = 0; sent < WARMUP + MESSAGES; sent += BATCH) {
      if (sent === WARMUP) cpu = process.cpuUsage()
      const start = process.hrtime.bigint()
      for (let i = 0; i < BATCH; i++) {
        const text = `{"n":${sent + i},"pad":"${pad}"}`
        hub.onReceived('main', 'room:bench', 'msg', { payload: null, payloadText: text, payloadTextAscii: true })
      }
      await turn()
      if (sent >= WARMUP) latencies.push(Number(process.hrtime.bigint() - start) / 1000)
      if (store !== null) walPeak = Math.max(walPeak, statSync(walFile, { throwIfNoEntry: false })?.size ?? 0)
    }
    const used = process.cpuUsage(cpu)
    latencies.sort((a, b) => a - b)
    return {
      cpuUsPerMessage: (used.user + used.system) / MESSAGES,
      p50Us: percentile(latencies, 0.5),
      p99Us: percentile(latencies, 0.99),
      p999Us: percentile(latencies, 0.999),
      walPeakMiB: walPeak / 1024 / 1024,
      writerCheckpoints,
    }
  } finally {
    store?.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (rounds: readonly Round[], key: keyof Round): number => {
  const sorted = rounds.map((r) => r[key]).sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const started = Date.now()
const results = new Map<Mode, Round[]>(MODES.map((m) => [m, []]))
for (let r = 0; r < ROUNDS; r++) for (const mode of MODES) results.get(mode)?.push(await round(mode))

const base = { cpu: median(results.get('memory') ?? [], 'cpuUsPerMessage'), p50: median(results.get('memory') ?? [], 'p50Us'), p99: median(results.get('memory') ?? [], 'p99Us') }
console.log(`Store benchmark — ${new Date(started).toISOString()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`${MESSAGES} messages of ${SIZE} B per round, ${BATCH} per turn, ${ROUNDS} round(s) per mode, median round; took ${((Date.now() - started) / 1000).toFixed(0)} s`)
console.log('')
console.log('| mode | CPU µs/message | × memory | turn p50 µs | turn p99 µs | p99 × memory | turn p99.9 µs | WAL peak MiB | WAL bound hits |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const mode of MODES) {
  const rounds = results.get(mode) ?? []
  const cpu = median(rounds, 'cpuUsPerMessage')
  const p50 = median(rounds, 'p50Us')
  const p99 = median(rounds, 'p99Us')
  const name = mode === 'memory' ? 'in memory (no STATE_DIR)' : `STATE_SYNC=${mode}`
  const wal = mode === 'memory' ? '–' : median(rounds, 'walPeakMiB').toFixed(1)
  const writer = mode === 'memory' ? '–' : median(rounds, 'writerCheckpoints').toFixed(0)
  console.log(`| ${name} | ${cpu.toFixed(2)} | ${(cpu / base.cpu).toFixed(2)} | ${p50.toFixed(0)} | ${p99.toFixed(0)} | ${(p99 / base.p99).toFixed(2)} | ${median(rounds, 'p999Us').toFixed(0)} | ${wal} | ${writer} |`)
}
