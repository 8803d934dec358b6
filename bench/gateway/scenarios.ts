/**
 * The gateway benchmark's measured steps, with the floors beside it: the
 * configuration, the servers (each its own child process), and the three
 * phases — memory, pushes, fan-out. See bench/README.md, "Gateway
 * benchmarks".
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Socket, type Channel } from 'phoenix'
import { WebSocket } from 'ws'
import { percentile, withTimeout } from '../lib/measure.ts'
import { LineChild, ServerChild, untilOpenStreams, type Answer } from '../lib/server-child.ts'
import { directPusher, httpPusher, pushRound, type PushOnce, type PushRound } from './push-load.ts'
import { Capture, SseReaders } from './sse-readers.ts'

export interface GatewayBenchConfig {
  concurrencies: number[]
  /** Measured rounds per push path and concurrency (paths alternate), and the length of each. */
  pushRounds: number
  pushRoundMs: number
  pushWarmupMs: number
  /** Bytes of `body` in each push's payload. */
  pushBody: number
  subscribers: number[]
  fanRounds: number
  pacedRounds: number
  saturatedMs: number
  pacedMs: number
  pacedHz: number
  /**
   * Saturated: events in flight (not yet at every reader) are at most `window`, and at most about
   * `inFlightReceipts` / subscribers; they are sent a quarter of that at a time.
   */
  window: number
  inFlightReceipts: number
  /** Bytes of padding in each broadcast payload. */
  eventSize: number
  idleSubscribers: number
  /** Fresh processes measured idle, each of the floor and of the gateway. */
  idleRuns: number
  /**
   * Rounds of RSS per idle subscriber without forced GC: the first on the running servers, each further one on a
   * fresh gateway and a fresh SSE floor (the goal is the median of the rounds' ratios).
   */
  memoryRounds: number
}

export const FULL: GatewayBenchConfig = {
  concurrencies: [1, 10, 100],
  pushRounds: 2,
  pushRoundMs: 1500,
  pushWarmupMs: 500,
  pushBody: 64,
  subscribers: [1, 100, 1000],
  fanRounds: 2,
  pacedRounds: 5,
  saturatedMs: 1500,
  pacedMs: 4000,
  pacedHz: 50,
  window: 400,
  inFlightReceipts: 40_000,
  eventSize: 64,
  idleSubscribers: 1000,
  idleRuns: 3,
  memoryRounds: 5,
}

export const QUICK: GatewayBenchConfig = {
  ...FULL,
  pushRounds: 1,
  pushRoundMs: 200,
  pushWarmupMs: 100,
  fanRounds: 1,
  pacedRounds: 1,
  saturatedMs: 200,
  pacedMs: 400,
  idleSubscribers: 200,
  idleRuns: 1,
  memoryRounds: 1,
}

/** Where the server children's scripts are: bench/gateway/*.ts, or their compiled JS (see `buildChildren`). */
export type ScriptOf = (name: 'gateway-server' | 'floor-push' | 'floor-sse' | 'floor-fastify-sse' | 'floor-idle') => string

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUILD_DIR = `${ROOT}.tmp/bench-js`

/** The children as TypeScript, loaded through Node's type stripping. */
export const stripped: ScriptOf = (name) => `${ROOT}bench/gateway/${name}.ts`
/** The children compiled by tsc (bench/tsconfig.gateway.json): plain JS, as the gateway ships. */
export const compiled: ScriptOf = (name) => `${BUILD_DIR}/bench/gateway/${name}.js`

/** Compiles the children and the src/ they import into .tmp/bench-js with the project's compiler settings. */
export function buildChildren (): void {
  rmSync(BUILD_DIR, { recursive: true, force: true })
  const tsc = `${ROOT}node_modules/typescript/bin/tsc`
  const run = spawnSync(process.execPath, [tsc, '-p', `${ROOT}bench/tsconfig.gateway.json`], { stdio: 'inherit' })
  if (run.status !== 0) throw new Error('tsc -p bench/tsconfig.gateway.json failed')
}
const CHILD_FLAGS = ['--expose-gc']
const GATEWAY_PUSH = '/v1/channels/echo:bench/push'
export const GATEWAY_EVENTS = '/v1/channels/room:bench/events'
/** Each SSE floor's (node:http and fastify). */
const FLOOR_EVENTS = '/events'
/** Events one saturated capture can number, and receipts whose latency is kept. */
const CAPTURE_EVENTS = 2_000_000
export const latencyBuffer = new Float64Array(4_000_000)

export interface Servers {
  script: ScriptOf
  fake: ServerChild
  broker: LineChild
  floorPush: LineChild
  floorSse: LineChild
  /** The SSE floor on fastify (memory only): what a stream costs on the gateway's stack. */
  floorFastify: LineChild
  /** phoenix.js in this process, for the direct pushes. */
  socket: Socket
  direct: Channel
}

function progress (text: string): void {
  process.stderr.write(`${text}\n`)
}

export function baseOf (child: LineChild): string {
  return String(child.ready['base'])
}

/** `profileFlags` go to the gateway child, and to the floors' too when `profileFloors`. */
export async function startServers (script: ScriptOf, profileFlags: readonly string[], profileFloors = false): Promise<Servers> {
  const fake = await ServerChild.start()
  const args = ['--endpoint', fake.endpoint]
  const floorFlags = profileFloors ? [...CHILD_FLAGS, ...profileFlags] : CHILD_FLAGS
  const [broker, floorPush, floorSse, floorFastify] = await Promise.all([
    LineChild.start(script('gateway-server'), args, { execArgv: [...CHILD_FLAGS, ...profileFlags] }),
    LineChild.start(script('floor-push'), args, { execArgv: floorFlags }),
    LineChild.start(script('floor-sse'), args, { execArgv: floorFlags }),
    LineChild.start(script('floor-fastify-sse'), args, { execArgv: floorFlags }),
  ])
  if (profileFlags.length > 0) progress(`pids: gateway ${broker.pid}, floor-push ${floorPush.pid}, floor-sse ${floorSse.pid}, floor-fastify-sse ${floorFastify.pid}`)
  const socket = new Socket(fake.endpoint, { transport: WebSocket, timeout: 10_000 })
  socket.connect()
  const direct = socket.channel('echo:direct', {})
  await withTimeout(new Promise<void>((resolve, reject) => {
    direct.join().receive('ok', () => { resolve() }).receive('error', () => { reject(new Error('direct: join refused')) })
  }), 10_000, 'direct: join')
  return { script, fake, broker, floorPush, floorSse, floorFastify, socket, direct }
}

export async function stopServers (s: Servers): Promise<void> {
  s.socket.disconnect()
  for (const child of [s.broker, s.floorPush, s.floorSse, s.floorFastify]) await child.close()
  await s.fake.close()
}

async function cpuUs (child: LineChild): Promise<number> {
  const c = await child.cpu()
  return c.user + c.system
}

// ── memory ────────────────────────────────────────────────────────────────

export interface Memory {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  /** Linux's split of RSS: anonymous, and file-backed (NaN elsewhere). */
  rssAnon: number
  rssFile: number
}
/** The servers measured per idle SSE subscriber: the gateway, the SSE floor (node:http) and the SSE floor on fastify. */
export const MEMORY_SIDES = ['gateway', 'floor', 'fastify'] as const
export type MemorySide = typeof MEMORY_SIDES[number]
const SIDE_SCRIPT = { gateway: 'gateway-server', floor: 'floor-sse', fastify: 'floor-fastify-sse' } as const
const SIDE_PATH: Record<MemorySide, string> = { gateway: GATEWAY_EVENTS, floor: FLOOR_EVENTS, fastify: FLOOR_EVENTS }

export interface MemoryResults {
  /** Medians by RSS of the runs. */
  floorIdle: Memory
  gatewayIdle: Memory
  floorRuns: Memory[]
  gatewayRuns: Memory[]
  /**
   * Bytes per idle SSE subscriber, by server (a MemorySide): over the first `subscribers` streams, and over as many
   * more; after forced full collections.
   */
  perSubscriber: Map<MemorySide, { first: Memory, second: Memory }>
  /** The same without forcing a collection (the goal's figure): what each stream costs the running process, its garbage included. */
  perSubscriberNoGc: Map<MemorySide, { first: Memory, second: Memory }>
  /** RSS bytes per idle subscriber without forced GC (mean of both thousands), round by round: the first is perSubscriberNoGc's. */
  noGcRounds: Array<Record<MemorySide, number>>
  subscribers: number
}

export function memoryOf (a: Answer): Memory {
  return {
    rss: Number(a['rss']),
    heapUsed: Number(a['heapUsed']),
    heapTotal: Number(a['heapTotal']),
    external: Number(a['external']),
    rssAnon: Number(a['rssAnon']),
    rssFile: Number(a['rssFile']),
  }
}

function perEach (before: Memory, after: Memory, n: number): Memory {
  return {
    rss: (after.rss - before.rss) / n,
    heapUsed: (after.heapUsed - before.heapUsed) / n,
    heapTotal: (after.heapTotal - before.heapTotal) / n,
    external: (after.external - before.external) / n,
    rssAnon: (after.rssAnon - before.rssAnon) / n,
    rssFile: (after.rssFile - before.rssFile) / n,
  }
}

/**
 * Memory per idle subscriber: `n` streams opened, then `n` more, after a
 * warm-up of `n` opened and closed. Every server child gives back its
 * start-up young generation (as `serve` does), and opening streams grows it
 * again, once: the warm-up takes that one-time growth out of the rows, which
 * then show what each further stream holds.
 */
async function perSubscriber (child: LineChild, path: string, n: number, gc: boolean): Promise<{ first: Memory, second: Memory }> {
  const warm = await SseReaders.open(baseOf(child), path, n)
  await untilOpenStreams(child, warm.size)
  warm.close()
  await untilOpenStreams(child, 0)
  const mem = async (): Promise<Memory> => memoryOf(await child.call('mem', { gc }))
  const m0 = await mem()
  const first = await SseReaders.open(baseOf(child), path, n)
  let second: SseReaders | undefined
  try {
    await untilOpenStreams(child, n)
    const m1 = await mem()
    second = await SseReaders.open(baseOf(child), path, n)
    await untilOpenStreams(child, 2 * n)
    const m2 = await mem()
    return { first: perEach(m0, m1, n), second: perEach(m1, m2, n) }
  } finally {
    first.close()
    second?.close()
    await untilOpenStreams(child, 0)
  }
}

/** The median of `samples` by RSS. */
function medianByRss (samples: Memory[]): Memory {
  return [...samples].sort((a, b) => a.rss - b.rss)[Math.floor((samples.length - 1) / 2)]!
}

/**
 * Idle RSS of the floor process and of a gateway (channels joined, nothing else), each in a fresh process
 * started alone, `idleRuns` times alternating; then memory per idle SSE subscriber on the running servers.
 */
export async function memoryPhase (s: Servers, config: GatewayBenchConfig): Promise<MemoryResults> {
  progress(`memory: idle floor and broker, ${config.idleRuns} fresh processes each`)
  const floorRuns: Memory[] = []
  const gatewayRuns: Memory[] = []
  for (let i = 0; i < config.idleRuns; i++) {
    const floor = await LineChild.start(s.script('floor-idle'), [], { execArgv: CHILD_FLAGS })
    floorRuns.push(memoryOf(await floor.call('mem')))
    await floor.close()
    const broker = await LineChild.start(s.script('gateway-server'), ['--endpoint', s.fake.endpoint], { execArgv: CHILD_FLAGS })
    gatewayRuns.push(memoryOf(await broker.call('mem')))
    await broker.close()
  }
  progress(`memory: 2 × ${config.idleSubscribers} idle SSE subscribers each`)
  const running: Record<MemorySide, LineChild> = { gateway: s.broker, floor: s.floorSse, fastify: s.floorFastify }
  // Without forcing a collection first (the goal's figure), while nothing has been collected on purpose yet.
  const noGc = new Map<MemorySide, { first: Memory, second: Memory }>()
  for (const side of MEMORY_SIDES) noGc.set(side, await perSubscriber(running[side], SIDE_PATH[side], config.idleSubscribers, false))
  const per = new Map<MemorySide, { first: Memory, second: Memory }>()
  for (const side of MEMORY_SIDES) per.set(side, await perSubscriber(running[side], SIDE_PATH[side], config.idleSubscribers, true))
  const rssEach = (m: { first: Memory, second: Memory }): number => (m.first.rss + m.second.rss) / 2
  const noGcRounds = [{ gateway: rssEach(noGc.get('gateway')!), floor: rssEach(noGc.get('floor')!), fastify: rssEach(noGc.get('fastify')!) }]
  // Further rounds, each on fresh processes: how far the young generation grows while streams open (most of the
  // figure) differs from one process to the next, so one round does not decide. The order of the servers alternates.
  for (let r = 1; r < config.memoryRounds; r++) {
    progress(`memory: round ${r + 1} of ${config.memoryRounds}, a fresh gateway, SSE floor and fastify SSE floor, 2 × ${config.idleSubscribers} idle SSE subscribers each`)
    const args = ['--endpoint', s.fake.endpoint]
    const started = await Promise.allSettled(MEMORY_SIDES.map(async (side) => LineChild.start(s.script(SIDE_SCRIPT[side]), args, { execArgv: CHILD_FLAGS })))
    try {
      const fresh = started.map((x) => { if (x.status === 'rejected') throw x.reason as Error; return x.value })
      const round = { gateway: 0, floor: 0, fastify: 0 }
      const order = MEMORY_SIDES.map((side, i) => [side, fresh[i]!] as const)
      for (const [side, child] of r % 2 === 0 ? order : [...order].reverse()) round[side] = rssEach(await perSubscriber(child, SIDE_PATH[side], config.idleSubscribers, false))
      noGcRounds.push(round)
    } finally {
      for (const x of started) if (x.status === 'fulfilled') await x.value.close()
    }
  }
  return { floorIdle: medianByRss(floorRuns), gatewayIdle: medianByRss(gatewayRuns), floorRuns, gatewayRuns, perSubscriber: per, perSubscriberNoGc: noGc, noGcRounds, subscribers: config.idleSubscribers }
}

// ── pushes ────────────────────────────────────────────────────────────────

export interface PushResult {
  perSec: number
  p50Us: number
  p99Us: number
  count: number
  errors: number
  /** CPU of the server child per push (user + system), µs; null for the direct path. */
  serverCpuUs: number | null
}

/** Push results by concurrency, then by path ('gateway', 'floor', 'direct'). */
export type PushResults = Map<number, Map<string, PushResult>>

interface PushPath { name: string, push: PushOnce, child: LineChild | null, rounds: PushRound[], cpu: number }

export async function pushPhase (s: Servers, config: GatewayBenchConfig): Promise<PushResults> {
  const body = JSON.stringify({ event: 'ping', payload: { body: 'x'.repeat(config.pushBody) } })
  const payload = { body: 'x'.repeat(config.pushBody) }
  const results: PushResults = new Map()
  for (const c of config.concurrencies) {
    progress(`push: concurrency ${c}`)
    const broker = httpPusher(baseOf(s.broker), GATEWAY_PUSH, body, c)
    const floor = httpPusher(baseOf(s.floorPush), '/push', body, c)
    const paths: PushPath[] = [
      { name: 'gateway', push: broker.push, child: s.broker, rounds: [], cpu: 0 },
      { name: 'floor', push: floor.push, child: s.floorPush, rounds: [], cpu: 0 },
      { name: 'direct', push: directPusher(s.direct, 'ping', payload), child: null, rounds: [], cpu: 0 },
    ]
    try {
      for (const p of paths) await pushRound(p.push, c, config.pushWarmupMs)
      for (let r = 0; r < config.pushRounds; r++) {
        for (const p of r % 2 === 0 ? paths : [...paths].reverse()) {
          const cpu0 = p.child === null ? 0 : await cpuUs(p.child)
          p.rounds.push(await pushRound(p.push, c, config.pushRoundMs))
          if (p.child !== null) p.cpu += await cpuUs(p.child) - cpu0
        }
      }
    } finally {
      await broker.close()
      await floor.close()
    }
    const byPath = new Map<string, PushResult>()
    for (const p of paths) {
      const count = p.rounds.reduce((a, r) => a + r.count, 0)
      const wall = p.rounds.reduce((a, r) => a + r.wallMs, 0)
      const latencies = p.rounds.flatMap((r) => r.latencies)
      byPath.set(p.name, {
        perSec: (1000 * count) / wall,
        p50Us: percentile(latencies, 50),
        p99Us: percentile(latencies, 99),
        count,
        errors: p.rounds.reduce((a, r) => a + r.errors, 0),
        serverCpuUs: p.child === null ? null : p.cpu / count,
      })
    }
    results.set(c, byPath)
  }
  return results
}

// ── fan-out ───────────────────────────────────────────────────────────────

export interface FanResult {
  saturatedPerSec: number
  saturatedP50Ms: number
  saturatedP99Ms: number
  /** CPU of the server child per delivered event when saturated, µs. */
  serverCpuUs: number
  pacedPerSec: number
  pacedP50Ms: number
  /** Over every receipt of every paced round. */
  pacedP99Ms: number
  /** The paced p99 of each round, in round order (round r of each server ran back to back, see fanoutPhase). */
  pacedRoundP99Ms: number[]
  /** Readers whose stream ended under the benchmark (cut off). */
  cutOff: number
}

/** Fan-out results by subscribers, then by server ('gateway', 'floor'). */
export type FanResults = Map<number, Map<string, FanResult>>

interface FanSide {
  name: string
  child: LineChild
  topic: string
  readers: SseReaders
  sat: { received: number, wallMs: number, cpu: number, latencies: Float64Array[] }
  paced: { received: number, wallMs: number, latencies: Float64Array[] }
}

function percentileSorted (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!
}

function merged (parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out.sort()
}

/** Saturated: keeps `window` events in flight end to end (the readers pace the broadcasts) for `ms`. */
async function saturated (s: Servers, side: FanSide, config: GatewayBenchConfig, ms: number): Promise<{ received: number, wallMs: number, latencies: Float64Array }> {
  const window = Math.max(4, Math.min(config.window, Math.floor(config.inFlightReceipts / side.readers.size)))
  const batch = Math.floor(window / 4)
  const capture = new Capture(side.readers.size, CAPTURE_EVENTS, latencyBuffer)
  side.readers.capture = capture
  const t0 = performance.now()
  let sent = 0
  while (performance.now() - t0 < ms && sent + batch <= capture.capacity) {
    if (sent - capture.done + batch <= window) {
      await s.fake.broadcast({ topic: side.topic, event: 'tick', count: batch, from: sent, size: config.eventSize })
      sent += batch
    } else {
      await capture.until(sent + batch - window, 10_000)
    }
  }
  await capture.until(sent, 10_000)
  const wallMs = performance.now() - t0
  side.readers.capture = null
  return { received: capture.received, wallMs, latencies: capture.sortedLatencies() }
}

/** Paced: `pacedHz` broadcasts a second for `pacedMs`, scheduled by the fake server. */
async function paced (s: Servers, side: FanSide, config: GatewayBenchConfig): Promise<{ received: number, wallMs: number, latencies: Float64Array }> {
  const count = Math.round((config.pacedMs / 1000) * config.pacedHz)
  const capture = new Capture(side.readers.size, count, latencyBuffer)
  side.readers.capture = capture
  const t0 = performance.now()
  await s.fake.broadcast({ topic: side.topic, event: 'tick', count, from: 0, size: config.eventSize, rateHz: config.pacedHz })
  await capture.until(count, 10_000)
  const wallMs = performance.now() - t0
  side.readers.capture = null
  return { received: capture.received, wallMs, latencies: capture.sortedLatencies() }
}

export async function fanoutPhase (s: Servers, config: GatewayBenchConfig): Promise<FanResults> {
  const results: FanResults = new Map()
  for (const n of config.subscribers) {
    progress(`fan-out: ${n} subscriber${n > 1 ? 's' : ''}`)
    const sides: FanSide[] = []
    try {
      for (const [name, child, topic, path] of [['gateway', s.broker, 'room:bench', GATEWAY_EVENTS], ['floor', s.floorSse, 'room:floor', FLOOR_EVENTS]] as const) {
        const readers = await SseReaders.open(baseOf(child), path, n)
        sides.push({ name, child, topic, readers, sat: { received: 0, wallMs: 0, cpu: 0, latencies: [] }, paced: { received: 0, wallMs: 0, latencies: [] } })
        await untilOpenStreams(child, n)
      }
      for (const side of sides) await saturated(s, side, config, Math.min(300, config.saturatedMs))
      for (let r = 0; r < config.fanRounds; r++) {
        for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
          const cpu0 = await cpuUs(side.child)
          const run = await saturated(s, side, config, config.saturatedMs)
          side.sat.cpu += await cpuUs(side.child) - cpu0
          side.sat.received += run.received
          side.sat.wallMs += run.wallMs
          side.sat.latencies.push(run.latencies)
        }
      }
      for (let r = 0; r < config.pacedRounds; r++) {
        for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
          const run = await paced(s, side, config)
          side.paced.received += run.received
          side.paced.wallMs += run.wallMs
          side.paced.latencies.push(run.latencies)
        }
      }
      const byServer = new Map<string, FanResult>()
      for (const side of sides) {
        const sat = merged(side.sat.latencies)
        const pacedLat = merged(side.paced.latencies)
        byServer.set(side.name, {
          saturatedPerSec: (1000 * side.sat.received) / side.sat.wallMs,
          saturatedP50Ms: percentileSorted(sat, 50),
          saturatedP99Ms: percentileSorted(sat, 99),
          serverCpuUs: side.sat.cpu / side.sat.received,
          pacedPerSec: (1000 * side.paced.received) / side.paced.wallMs,
          pacedP50Ms: percentileSorted(pacedLat, 50),
          pacedP99Ms: percentileSorted(pacedLat, 99),
          pacedRoundP99Ms: side.paced.latencies.map((round) => percentileSorted(round, 99)),
          cutOff: side.readers.cutOff,
        })
      }
      results.set(n, byServer)
    } finally {
      for (const side of sides) {
        side.readers.close()
        await untilOpenStreams(side.child, 0)
      }
    }
  }
  return results
}
