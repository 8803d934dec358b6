/**
 * Fast SSE readers' latency with a share of readers stalled beside them,
 * against none stalled, in one run: the gateway (bench/gateway/gateway-server.ts,
 * the config file's defaults) and the fake Phoenix server run in child
 * processes; the readers run here. Each round publishes the same paced
 * stream on `room:bench` twice: once to the fast readers alone, then again
 * with stalled readers added (raw TCP clients that send the GET and never
 * read), so that the stalled ones fill their sockets and fall behind while
 * the fast ones are measured. Prints p50 and p99 of the fast readers'
 * latency (the fake server's broadcast → receipt here) for both, and the
 * ratio of the p99s (goal: at most 2).
 *
 *   npm run bench:stalled [-- --readers 100 --stalled 0.1 --events 8000 --size 1000 --hz 1000 --rounds 2]
 */
import { connect, type Socket } from 'node:net'
import { parseArgs } from 'node:util'
import { withTimeout } from './lib/measure.ts'
import { LineChild, ServerChild, untilOpenStreams } from './lib/server-child.ts'
import { Capture, SseReaders } from './gateway/sse-readers.ts'
import { stripped } from './gateway/scenarios.ts'

const { values } = parseArgs({
  options: {
    readers: { type: 'string', default: '100' },
    stalled: { type: 'string', default: '0.1' },
    events: { type: 'string', default: '8000' },
    size: { type: 'string', default: '1000' },
    hz: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '2' },
  },
})
const READERS = Number(values.readers)
const STALLED = Math.round(READERS * Number(values.stalled))
const FAST = READERS - STALLED
const EVENTS = Number(values.events)
const SIZE = Number(values.size)
const HZ = Number(values.hz)
const ROUNDS = Number(values.rounds)
const TOPIC = 'room:bench'
const PATH = `/v1/channels/${encodeURIComponent(TOPIC)}/events`

function progress (text: string): void {
  process.stderr.write(`${text}\n`)
}

/** Readers that send the GET and never read a byte. */
function stall (base: string, n: number): Socket[] {
  const port = Number(new URL(base).port)
  return Array.from({ length: n }, () => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.on('error', () => { /* cut off: fine */ })
    socket.write(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`)
    socket.pause()
    return socket
  })
}

interface Step { p50: number, p99: number, max: number, received: number, cutOff: number, wallMs: number }

const latencies = new Float64Array(Math.max(1, FAST * EVENTS))

/** One paced stream of EVENTS broadcasts to the fast readers; their latencies. */
async function step (fake: ServerChild, fast: SseReaders): Promise<Step> {
  const cutBefore = fast.cutOff
  const capture = new Capture(FAST, EVENTS, latencies)
  fast.capture = capture
  const t0 = performance.now()
  await fake.broadcast({ topic: TOPIC, event: 'tick', count: EVENTS, from: 0, size: SIZE, rateHz: HZ })
  await capture.until(EVENTS, 60_000)
  const wallMs = performance.now() - t0
  fast.capture = null
  const sorted = capture.sortedLatencies()
  return { p50: percentileSorted(sorted, 50), p99: percentileSorted(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN, received: capture.received, cutOff: fast.cutOff - cutBefore, wallMs }
}

function percentileSorted (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? Number.NaN
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1))

const started = performance.now()
const fake = await ServerChild.start()
const broker = await LineChild.start(stripped('gateway-server'), ['--endpoint', fake.endpoint], { execArgv: ['--expose-gc'] })
const base = String(broker.ready['base'])
const fast = await SseReaders.open(base, PATH, FAST)
await untilOpenStreams(broker, FAST)
// Warm-up: the first broadcasts pay for compilation.
await step(fake, fast)

const rows: Array<{ round: number, none: Step, stalled: Step, rssMb: number, heapMb: number }> = []
try {
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`round ${round}: ${FAST} fast readers alone`)
    const none = await step(fake, fast)
    progress(`round ${round}: ${FAST} fast readers and ${STALLED} stalled`)
    const stalled = stall(base, STALLED)
    await untilOpenStreams(broker, FAST + STALLED)
    const withStalled = await step(fake, fast)
    // Measured while the stalled readers are still connected: what the gateway holds for them.
    const mem = await broker.call('mem')
    for (const s of stalled) s.destroy()
    await untilOpenStreams(broker, FAST)
    rows.push({ round, none, stalled: withStalled, rssMb: Number(mem['rss']) / 2 ** 20, heapMb: Number(mem['heapUsed']) / 2 ** 20 })
  }
} finally {
  fast.close()
  await withTimeout(broker.close(), 15_000, 'gateway close')
  await fake.close()
}

const lines = [
  `Stalled SSE readers: ${FAST} fast readers, ${STALLED} stalled beside them (${(100 * STALLED / READERS).toFixed(0)} %); ${EVENTS} events of ${SIZE} B at ${HZ}/s (${(EVENTS * SIZE / 2 ** 20).toFixed(1)} MiB per reader) per step; took ${((performance.now() - started) / 1000).toFixed(0)} s`,
  '',
  '| round | none stalled: p50 / p99 / max (ms) | stalled: p50 / p99 / max (ms) | p99 ratio | fast readers cut off | gateway RSS / heap used after a full GC (MiB) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.round} | ${fmt(r.none.p50)} / ${fmt(r.none.p99)} / ${fmt(r.none.max)} | ${fmt(r.stalled.p50)} / ${fmt(r.stalled.p99)} / ${fmt(r.stalled.max)} | ${(r.stalled.p99 / r.none.p99).toFixed(2)} | ${r.none.cutOff + r.stalled.cutOff} | ${r.rssMb.toFixed(0)} / ${r.heapMb.toFixed(0)} |`),
]
const ratio = Math.max(...rows.map((r) => r.stalled.p99 / r.none.p99))
lines.push('', `Goal: fast readers' p99 with ${(100 * STALLED / READERS).toFixed(0)} % stalled at most 2× their p99 with none stalled: worst ratio ${ratio.toFixed(2)} → ${ratio <= 2 ? 'PASS' : 'FAIL'}`)
process.stdout.write(`${lines.join('\n')}\n`)
