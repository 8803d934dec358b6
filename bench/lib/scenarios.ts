/**
 * The four workloads, as steps that the runner interleaves between the two
 * sides (never both at once), each side against its own fake server child:
 * receive (firehose), push→reply round trips, heap per joined topic, and
 * reconnect + rejoin after a server restart.
 */
import { collect, heapAfterGc, measure, median, percentile } from './measure.ts'
import type { ServerChild } from './server-child.ts'
import type { BenchSide } from './side.ts'

export interface Config {
  /** Messages in the one-topic firehose. */
  soloCount: number
  /** Topics in the spread firehose and in the heap and rejoin workloads. */
  topics: number
  /** Messages per topic in the spread firehose. */
  perTopic: number
  sizes: readonly number[]
  /** Measured rounds of each receive workload, alternating sides (the median is reported). */
  rounds: number
  /** Measured rounds of the 100 B workloads: short, and noisier, so more of them. */
  smallRounds: number
  rtWarmup: number
  /** Round trips per side, in `rtBlocks` blocks alternating sides. */
  rtCount: number
  rtBlocks: number
  restarts: number
  /** How long the server stays down in a restart. */
  downMs: number
}

export const FULL: Config = {
  soloCount: 50_000,
  topics: 1000,
  perTopic: 50,
  sizes: [100, 10_000],
  rounds: 9,
  smallRounds: 21,
  rtWarmup: 500,
  rtCount: 5000,
  rtBlocks: 50,
  restarts: 3,
  downMs: 100,
}

export const QUICK: Config = { ...FULL, soloCount: 5000, perTopic: 5, rounds: 2, smallRounds: 2, rtWarmup: 100, rtCount: 500, rtBlocks: 2, restarts: 1 }

export interface ReceiveSample {
  msgsPerSec: number
  /** Client CPU, user + system. */
  cpuUsPerMsg: number
  userUsPerMsg: number
  systemUsPerMsg: number
  serverCpuUsPerMsg: number
}

/** Medians over the measured rounds. */
export interface ReceiveResult extends ReceiveSample {
  messages: number
  rounds: number
  /** Lowest and highest client CPU µs/msg over the rounds. */
  cpuRange: [number, number]
}

export interface RoundTripResult {
  count: number
  p50Us: number
  p99Us: number
  cpuUsPerRt: number
}

export interface HeapResult {
  topics: number
  bytesPerTopic: number
  joinMs: number
}

export interface RejoinSample {
  /** Server listening again → the last topic joined again, ms. */
  fromUpMs: number
  /** First disconnect the client saw → the last topic joined again, ms. */
  fromCloseMs: number
}

export interface RejoinResult extends RejoinSample {
  all: number[]
}

/** How a side reads a firehose: resolves with the `msg` count once every topic said `done`. */
export type FirehoseRun = (topics: readonly string[], count: number, size: number) => Promise<number>

function serverUs (cpu: { user: number, system: number }): number {
  return cpu.user + cpu.system
}

/** One measured firehose over `topics`: client CPU and wall time around it, the server's CPU from the child. */
export async function receiveRound (
  side: BenchSide, server: ServerChild, topics: readonly string[], count: number, size: number, run: FirehoseRun
): Promise<ReceiveSample> {
  const expected = topics.length * count
  collect()
  const s0 = await server.cpu()
  const m = await measure(async () => run(topics, count, size))
  const s1 = await server.cpu()
  if (m.result !== expected) throw new Error(`${side.name}: received ${m.result} messages, expected ${expected}`)
  return {
    msgsPerSec: expected / (m.wallMs / 1000),
    cpuUsPerMsg: m.cpuUs / expected,
    userUsPerMsg: m.userUs / expected,
    systemUsPerMsg: m.systemUs / expected,
    serverCpuUsPerMsg: (serverUs(s1) - serverUs(s0)) / expected,
  }
}

export function summarizeReceive (samples: readonly ReceiveSample[], messages: number): ReceiveResult {
  return {
    messages,
    rounds: samples.length,
    cpuRange: [Math.min(...samples.map((x) => x.cpuUsPerMsg)), Math.max(...samples.map((x) => x.cpuUsPerMsg))],
    msgsPerSec: median(samples.map((x) => x.msgsPerSec)),
    cpuUsPerMsg: median(samples.map((x) => x.cpuUsPerMsg)),
    userUsPerMsg: median(samples.map((x) => x.userUsPerMsg)),
    systemUsPerMsg: median(samples.map((x) => x.systemUsPerMsg)),
    serverCpuUsPerMsg: median(samples.map((x) => x.serverCpuUsPerMsg)),
  }
}

export interface RoundTripBlock { latenciesUs: number[], cpuUs: number }

/** `count` sequential push→reply on one echo topic (concurrency 1). */
export async function roundTripBlock (side: BenchSide, topic: string, count: number): Promise<RoundTripBlock> {
  const payload = { body: 'x'.repeat(64) }
  const latenciesUs = new Array<number>(count)
  collect()
  const m = await measure(async () => {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now()
      await side.roundTrip(topic, payload)
      latenciesUs[i] = (performance.now() - t0) * 1000
    }
  })
  return { latenciesUs, cpuUs: m.cpuUs }
}

export function summarizeRoundTrips (blocks: readonly RoundTripBlock[]): RoundTripResult {
  const all = blocks.flatMap((b) => b.latenciesUs)
  const cpu = blocks.reduce((n, b) => n + b.cpuUs, 0)
  return { count: all.length, p50Us: percentile(all, 50), p99Us: percentile(all, 99), cpuUsPerRt: cpu / all.length }
}

/** V8 heap used after a full GC, before and after joining `topics`, per topic. */
export async function heapPerTopic (side: BenchSide, topics: readonly string[]): Promise<HeapResult> {
  const before = await heapAfterGc()
  const m = await measure(async () => side.join(topics))
  const after = await heapAfterGc()
  return { topics: topics.length, bytesPerTopic: (after - before) / topics.length, joinMs: m.wallMs }
}

/** Restarts the side's server once and waits until all `topics` are joined again. */
export async function rejoinOnce (side: BenchSide, server: ServerChild, topics: number, downMs: number): Promise<RejoinSample> {
  const rejoined = side.expectRejoins(topics)
  const restarted = server.restart(downMs)
  const [times, { upAt }] = await Promise.all([rejoined, restarted])
  return { fromUpMs: times.lastRejoinAt - upAt, fromCloseMs: times.lastRejoinAt - times.firstCloseAt }
}

export function summarizeRejoins (samples: readonly RejoinSample[]): RejoinResult {
  return {
    fromUpMs: median(samples.map((x) => x.fromUpMs)),
    fromCloseMs: median(samples.map((x) => x.fromCloseMs)),
    all: samples.map((x) => x.fromUpMs),
  }
}
