/**
 * Runs the workloads on both sides. Each side has its own fake server child
 * and its own sockets; only one side works at any moment (the other is
 * connected and idle), and measured rounds alternate sides (A B, B A, …) so
 * drift of the machine and warm-up of shared code (ws, JSON) fall on both.
 */
import { OursSide } from './ours.ts'
import { PhoenixJsSide } from './phoenixjs.ts'
import { receiveWorkloads, type SideResults } from './report.ts'
import {
  heapPerTopic, receiveRound, rejoinOnce, roundTripBlock, summarizeReceive, summarizeRejoins, summarizeRoundTrips,
  type Config, type FirehoseRun, type ReceiveSample, type RejoinSample, type RoundTripBlock,
} from './scenarios.ts'
import { ServerChild } from './server-child.ts'
import { POOLED, SINGLE, type BenchSide, type Topology } from './side.ts'

export type Kind = 'ours' | 'phoenixjs'

interface Entry {
  kind: Kind
  side: BenchSide
  /** The same side when it is Backchannel's, for its extra workloads. */
  ours: OursSide | null
  server: ServerChild
  results: SideResults
}

function progress (text: string): void {
  process.stderr.write(`${text}\n`)
}

/** Calls `step` for each entry, `rounds` times, in A B / B A order. */
async function alternate (entries: readonly Entry[], rounds: number, step: (e: Entry) => Promise<void>): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (const e of r % 2 === 0 ? entries : [...entries].reverse()) await step(e)
  }
}

async function open (kinds: readonly Kind[], topology: Topology, results: Map<Kind, SideResults>, maxChannels?: number): Promise<Entry[]> {
  const entries: Entry[] = []
  for (const kind of kinds) {
    const server = await ServerChild.start(maxChannels)
    const ours = kind === 'ours' ? new OursSide(server.endpoint, topology) : null
    const side = ours ?? new PhoenixJsSide(server.endpoint, topology)
    let r = results.get(kind)
    if (r === undefined) results.set(kind, (r = { receive: new Map() }))
    entries.push({ kind, side, ours, server, results: r })
    await side.connect()
  }
  return entries
}

async function shut (entries: readonly Entry[]): Promise<void> {
  for (const e of entries) {
    await e.side.close()
    await e.server.close()
  }
}

/** A warm-up per side, then `rounds` measured rounds alternating sides; medians stored under `key`. */
async function receiveWorkload (
  entries: readonly Entry[], config: Config, key: string, topics: readonly string[], count: number, size: number,
  runOf: (e: Entry) => FirehoseRun = (e) => async (t, c, s) => e.side.firehose(t, c, s)
): Promise<void> {
  for (const e of entries) await runOf(e)(topics, Math.max(1, Math.ceil(count / 5)), size)
  const samples = new Map<Kind, ReceiveSample[]>(entries.map((e) => [e.kind, []]))
  await alternate(entries, size <= 1000 ? config.smallRounds : config.rounds, async (e) => {
    samples.get(e.kind)!.push(await receiveRound(e.side, e.server, topics, count, size, runOf(e)))
  })
  for (const e of entries) e.results.receive.set(key, summarizeReceive(samples.get(e.kind)!, topics.length * count))
}

export async function runAll (config: Config, kinds: readonly Kind[]): Promise<Map<Kind, SideResults>> {
  const results = new Map<Kind, SideResults>()
  const solo = 'firehose:solo'
  const echo = 'echo:rt'
  const many = Array.from({ length: config.topics }, (_, i) => `firehose:t${i}`)

  const entries = await open(kinds, POOLED, results)
  try {
    for (const e of entries) await e.side.join([solo, echo])
    for (const w of receiveWorkloads(config).filter((x) => !x.spread)) {
      progress(`receive ${w.label}`)
      await receiveWorkload(entries, config, w.key, [solo], w.count, w.size)
    }
    const ours = entries.filter((e) => e.ours !== null)
    if (ours.length > 0) {
      progress('receive 100 B × 1 topic through Backchannel messages()')
      await receiveWorkload(ours, config, 'iter-solo-100', [solo], config.soloCount, 100, (e) => async (t, c, s) => e.ours!.firehoseIterator(t, c, s))
    }

    progress(`${config.rtCount} round trips per side`)
    const blocks = new Map<Kind, RoundTripBlock[]>(entries.map((e) => [e.kind, []]))
    for (const e of entries) await roundTripBlock(e.side, echo, config.rtWarmup)
    await alternate(entries, config.rtBlocks, async (e) => {
      blocks.get(e.kind)!.push(await roundTripBlock(e.side, echo, Math.ceil(config.rtCount / config.rtBlocks)))
    })
    for (const e of entries) {
      e.results.rt = summarizeRoundTrips(blocks.get(e.kind)!)
      await e.side.leave([solo, echo])
    }

    for (const e of entries) {
      progress(`${e.side.name}: heap per topic, joining ${config.topics} topics`)
      e.results.heap = await heapPerTopic(e.side, many)
    }
    for (const w of receiveWorkloads(config).filter((x) => x.spread)) {
      progress(`receive ${w.label}`)
      await receiveWorkload(entries, config, w.key, many, w.count, w.size)
    }

    progress(`rejoin ${config.topics} topics after ${config.restarts} server restart(s) per side`)
    const rejoins = new Map<Kind, RejoinSample[]>(entries.map((e) => [e.kind, []]))
    await alternate(entries, config.restarts, async (e) => {
      rejoins.get(e.kind)!.push(await rejoinOnce(e.side, e.server, config.topics, config.downMs))
    })
    for (const e of entries) e.results.rejoin = summarizeRejoins(rejoins.get(e.kind)!)
  } finally {
    await shut(entries)
  }

  // Informative: every topic on one socket, against a server without Phoenix 1.8.9's channel limit.
  const single = await open(kinds, SINGLE, results, 0)
  try {
    for (const e of single) await e.side.join(many)
    progress(`receive 100 B × ${config.topics} topics on one socket`)
    await receiveWorkload(single, config, 'single-100', many, config.perTopic, 100)
  } finally {
    await shut(single)
  }
  return results
}
