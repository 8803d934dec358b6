/**
 * One SSE stream over 1,000 topics against 1,000 per-topic streams carrying
 * the same messages (issue 12): the sidecar's CPU per delivered event and
 * its RSS. Goal: the one stream at most 0.5× the per-topic streams on both.
 *
 * The fake Phoenix server runs in a child process (bench/fake-server.ts);
 * the sidecar (bench/gateway/gateway-server.ts with a config file: channels
 * `orders:1`…`orders:N` on 10 sockets of at most 100 channels) in a fresh
 * child process per round, so that its CPU and RSS are its own; the SSE
 * readers run here. Each round opens the scenario's streams,
 *
 *   A: N per-topic streams, `GET /v1/channels/orders:K/events`, one per topic;
 *   B: one stream, `GET /v1/events?topic=orders:*`;
 *   0: no stream at all, the baseline: what receiving and holding the
 *      messages costs whoever reads them (the sidecar is asked how many it
 *      has numbered, every 10 ms, instead of readers counting them);
 *
 * then the fake server broadcasts the same messages to every topic,
 * round-robin, a warm-up and then the measured ones, a few rounds of topics
 * at a time (at most --window rounds in flight), and waits until every
 * reader has them all. The scenarios alternate (0 A B, B A 0, 0 A B, …).
 *
 *   npm run bench:topics                          # 2 × 5 rounds, ~1½ min
 *   npx node bench/topics-stream.ts --quick       # a smoke run; its figures mean nothing
 *   npx node bench/topics-stream.ts --rounds=1 --messages=200 --profile=.tmp/prof   # the measured delivery only
 *   npx node bench/profile-top.ts .tmp/prof/topics-B-1.cpuprofile 40 src/
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { othersShare, sampleCpu } from './gateway/machine.ts'
import { buildChildren, compiled, stripped } from './gateway/scenarios.ts'
import { rssBytes } from './lib/proc.ts'
import { LineChild, ServerChild, untilOpenStreams, type Answer } from './lib/server-child.ts'
import { EventReaders, type EventCount } from './topics/event-readers.ts'
import { render, type RoundResult, type ScenarioKey } from './topics/report.ts'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    topics: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '10' },
    size: { type: 'string', default: '60' },
    rounds: { type: 'string' },
    window: { type: 'string', default: '4' },
    only: { type: 'string', default: '0,A,B' },
    strip: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
})
const TOPICS = Array.from({ length: Number(values.topics) }, (_v, i) => `orders:${i + 1}`)
/** Messages per topic: measured, and before them, not measured. */
const MESSAGES = values.quick ? 5 : Number(values.messages)
const WARMUP = values.quick ? 2 : Number(values.warmup)
/** Bytes of padding in each payload `{ t, s, p }`: 60 makes it about 100 B. */
const SIZE = Number(values.size)
const ROUNDS = Number(values.rounds ?? (values.quick ? 1 : 5))
/** Rounds of broadcasts (one to every topic) that may be on their way to the readers at once. */
const WINDOW = Number(values.window)
const SCENARIOS = values.only.split(',').map((s) => s.trim().toUpperCase()).filter((s): s is ScenarioKey => s === '0' || s === 'A' || s === 'B')
const EVENT = 'order'
const POOL_SIZE = Math.ceil(TOPICS.length / 100)

function progress (text: string): void {
  process.stderr.write(`${text}\n`)
}

/** The stream URLs of a scenario. */
function urls (scenario: ScenarioKey, base: string): string[] {
  if (scenario === '0') return []
  if (scenario === 'A') return TOPICS.map((topic) => `${base}/v1/channels/${encodeURIComponent(topic)}/events`)
  return [`${base}/v1/events?topic=${encodeURIComponent('orders:*')}`]
}

/** Counts what the sidecar's hub has numbered (no reader to count them): polled every 10 ms, with a deadline. */
class HubCount {
  readonly #sidecar: LineChild
  readonly #start: number
  total = 0
  private constructor (sidecar: LineChild, start: number) {
    this.#sidecar = sidecar
    this.#start = start
  }

  static async of (sidecar: LineChild): Promise<HubCount> {
    return new HubCount(sidecar, await HubCount.#events(sidecar))
  }

  static async #events (sidecar: LineChild): Promise<number> {
    return Number((await sidecar.call('events'))['events'])
  }

  async until (n: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      this.total = await HubCount.#events(this.#sidecar) - this.#start
      if (this.total >= n) return
      if (performance.now() > deadline) throw new Error(`the hub numbered ${this.total} events, not ${n}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}

type Progress = Pick<EventCount, 'total' | 'until'>

/**
 * Broadcasts `rounds` rounds (one message to every topic each, sequence numbers from `from`), at most
 * WINDOW rounds ahead of what the readers have received, and waits until the readers have every event.
 */
async function deliver (fake: ServerChild, count: Progress, rounds: number, from: number, perRound: number): Promise<void> {
  const start = count.total
  for (let r = 0; r < rounds; r++) {
    await count.until(start + (r + 1 - WINDOW) * perRound, 30_000)
    await fake.broadcastRounds({ topics: TOPICS, event: EVENT, rounds: 1, from: from + r, size: SIZE })
  }
  await count.until(start + rounds * perRound, 60_000)
}

/** Memory of the child after full collections: RSS, V8 heap used, and the pages V8's young generation holds, bytes. */
function memOf (a: Answer): { rss: number, heap: number, young: number } {
  const spaces = a['spaces'] as Record<string, { physical: number } | undefined> | undefined
  return { rss: Number(a['rss']), heap: Number(a['heapUsed']), young: spaces?.['new_space']?.physical ?? Number.NaN }
}

async function round (scenario: ScenarioKey, n: number, fake: ServerChild, configFile: string): Promise<RoundResult> {
  const script = values.strip ? stripped : compiled
  const sidecar = await LineChild.start(script('gateway-server'), ['--config', configFile], { execArgv: ['--expose-gc'], startTimeoutMs: 60_000 })
  try {
    const pid = sidecar.pid ?? 0
    const base = String(sidecar.ready['base'])
    const idleRss = await rssBytes(pid)
    const idle = memOf(await sidecar.call('mem'))
    const streams = urls(scenario, base)
    const readers = await EventReaders.open(streams, EVENT)
    const count: Progress = scenario === '0' ? await HubCount.of(sidecar) : readers.count
    try {
      await untilOpenStreams(sidecar, streams.length)
      const openRss = await rssBytes(pid)
      // Each topic's message reaches one reader in either scenario: one event per topic and round.
      const perRound = TOPICS.length
      await deliver(fake, count, WARMUP, 0, perRound)
      if (values.profile !== undefined) await sidecar.call('profile-start')
      const cpu0 = await sidecar.cpu()
      const t0 = performance.now()
      await deliver(fake, count, MESSAGES, WARMUP, perRound)
      const wallMs = performance.now() - t0
      const cpu1 = await sidecar.cpu()
      if (values.profile !== undefined) progress(`profile: ${String((await sidecar.call('profile-stop', { file: join(values.profile, `topics-${scenario}-${n}.cpuprofile`) }, 60_000))['file'])}`)
      const endRss = await rssBytes(pid)
      const end = memOf(await sidecar.call('mem'))
      const expected = (WARMUP + MESSAGES) * perRound
      if (count.total !== expected) throw new Error(`${scenario}: ${scenario === '0' ? 'the hub numbered' : 'the readers got'} ${count.total} events, not ${expected}`)
      if (readers.cut > 0) throw new Error(`${scenario}: ${readers.cut} streams ended early`)
      return {
        scenario,
        round: n,
        pid,
        streams: streams.length,
        events: MESSAGES * perRound,
        wallMs,
        userUs: cpu1.user - cpu0.user,
        systemUs: cpu1.system - cpu0.system,
        idleRss,
        openRss,
        endRss,
        idleRssGc: idle.rss,
        endRssGc: end.rss,
        idleHeap: idle.heap,
        endHeap: end.heap,
        idleYoung: idle.young,
        endYoung: end.young,
      }
    } finally {
      readers.close()
    }
  } finally {
    await sidecar.close(20_000)
  }
}

const started = performance.now()
const machine0 = sampleCpu()
if (!values.strip) buildChildren()
if (values.profile !== undefined) await mkdir(values.profile, { recursive: true })
const dir = await mkdtemp(join(os.tmpdir(), 'backchannel-topics-'))
const fake = await ServerChild.start()
const configFile = join(dir, 'backchannel.json')
await writeFile(configFile, JSON.stringify({
  upstreams: [{ name: 'main', url: fake.endpoint, poolSize: POOL_SIZE, maxChannelsPerSocket: 100 }],
  channels: TOPICS.map((topic) => ({ topic })),
  sse: { maxTopicsPerStream: Math.max(1000, TOPICS.length) },
}))
const results: RoundResult[] = []
try {
  for (let i = 0; i < ROUNDS; i++) {
    // 0 A B, B A 0, …: drift of the machine falls on each alike.
    const order = i % 2 === 0 ? SCENARIOS : [...SCENARIOS].reverse()
    for (const scenario of order) {
      progress(`round ${i + 1}/${ROUNDS}: scenario ${scenario}`)
      results.push(await round(scenario, i + 1, fake, configFile))
    }
  }
} finally {
  await fake.close()
  await rm(dir, { recursive: true, force: true })
}
const seconds = (performance.now() - started) / 1000
const others = othersShare(machine0, sampleCpu())

const header = [
  `## One stream over ${TOPICS.length.toLocaleString('en-US')} topics against per-topic streams — ${new Date().toISOString()}`,
  '',
  `Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${os.platform()} ${os.release()}. Run took ${seconds.toFixed(0)} s; other processes used ${others === null ? 'an unknown share' : `${(100 * others).toFixed(1)} %`} of the machine's CPU meanwhile.`,
  `Config: ${TOPICS.length} channels on ${POOL_SIZE} sockets × 100; ${WARMUP} warm-up and ${MESSAGES} measured messages per topic (payload about ${SIZE + 40} B), round-robin, at most ${WINDOW} rounds in flight; ${ROUNDS} rounds per scenario, alternating; sidecar ${values.strip ? 'as TypeScript (type stripping)' : 'compiled to JS by tsc'}.`,
  '',
  '',
].join('\n')
process.stdout.write(`${header}${render(results)}`)
