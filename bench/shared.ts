/**
 * What shared history on Redis adds per message, against the hub in
 * memory, and what a resume on another replica costs; against a real
 * redis-server child, with the modules of src/gateway/shared/ used as the
 * hub wiring will use them (every received message offered to the topic's
 * writer, never awaited on the receive path).
 *
 * Modes: `memory` (the hub only), `1 writer` (the hub, and one replica's
 * writer holding the topic's lease), `3 writers` (three replicas' writers
 * in this process, each with its own link, all offered every message; one
 * holds the lease and appends, two keep it pending). Per mode:
 *   - CPU per message (process.cpuUsage over a paced run, until every offer
 *     settled) and redis-server's CPU per message (/proc);
 *   - latency: from a message's receipt to its entry being read by XREAD
 *     BLOCK on another connection (a reader on another replica), p50/p99,
 *     in a second run of the same pace.
 * Then saturation: one writer offered `saturate` messages as fast as the
 * process receives them (`batch` per turn, a turn per setImmediate), with
 * appends batched (up to 100 per script call, the default) and with one
 * message per call (`appendBatch` 1, as before batching): messages/s per
 * topic until every offer settled, and CPU per message.
 * Then `readAfter` of 100 and 1,000 entries of 1 KB (a resume on another
 * replica) from a link that did not write them: p50/p99.
 * See bench/README.md, "Shared history benchmark".
 *
 *   npm run bench:shared                      # 20 000 messages of 1 KB per round, 10 every 5 ms (2 000/s), 3 rounds
 *   node bench/shared.ts --quick              # a smoke run; its figures mean nothing
 *   node bench/shared.ts --rate=5000 --messages=50000
 *   node bench/shared.ts --only-saturation --saturate=50000   # the saturation runs (and readAfter) only
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { randomUUID } from 'node:crypto'
import { Hub } from '../src/gateway/hub/hub.ts'
import { RedisLink } from '../src/gateway/shared/redis-link.ts'
import { topicKeys, type TopicKeys } from '../src/gateway/shared/keys.ts'
import { SharedTopicWriter, type OfferOutcome } from '../src/gateway/shared/writer.ts'
import { readAfter } from '../src/gateway/shared/reader.ts'
import { startRedisChild, type RedisChild } from './lib/redis-child.ts'

type Mode = 'memory' | '1 writer' | '3 writers'
const MODES: readonly Mode[] = ['memory', '1 writer', '3 writers']
const WRITERS: Record<Mode, number> = { memory: 0, '1 writer': 1, '3 writers': 3 }

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    size: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    reads: { type: 'string', default: '200' },
    saturate: { type: 'string', default: '20000' },
    'only-saturation': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
})
const MESSAGES = values.quick ? 2000 : Number(values.messages)
const BATCH = Number(values.batch)
const RATE = Number(values.rate)
const SIZE = Number(values.size)
const ROUNDS = values.quick ? 1 : Number(values.rounds)
const READS = values.quick ? 20 : Number(values.reads)
const SATURATE = values.quick ? 2000 : Number(values.saturate)
const TTL_MS = 3000
const COMMAND_TIMEOUT_MS = 500
const PAD = 'x'.repeat(Math.max(0, SIZE - 30))

interface Round { cpuUsPerMessage: number, redisUsPerMessage: number, p50Us: number, p99Us: number }

const sleep = async (ms: number): Promise<void> => { await new Promise<void>((resolve) => { setTimeout(resolve, ms) }) }

function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

function openLink (redis: RedisChild, name: string): RedisLink {
  return new RedisLink({ connect: { url: redis.url, tls: false, credentials: async () => ({}) }, commandTimeoutMs: COMMAND_TIMEOUT_MS, reconnectMinMs: 100, reconnectMaxMs: 1000, name })
}

async function ready (link: RedisLink): Promise<void> {
  const deadline = Date.now() + 10_000
  while (link.state !== 'ready') {
    if (Date.now() > deadline) throw new Error(`link not ready within 10 s (${link.state}): ${link.lastError?.message ?? ''}`)
    await new Promise<void>((resolve) => { link.once('state', () => { resolve() }) })
  }
}

let epochs = 0
const newEpoch = (): string => `b${(++epochs).toString(36)}${randomUUID().slice(0, 6)}`

/** One writer per link on `topic`; resolves once one of them holds the lease. */
async function writersFor (links: readonly RedisLink[], keys: TopicKeys, topic: string, appendBatch = 100): Promise<SharedTopicWriter[]> {
  if (links.length === 0) return []
  const writers = links.map((link, i) => new SharedTopicWriter({
    link,
    keys,
    topic,
    replicaId: `replica-${i}`,
    leaseTtlMs: TTL_MS,
    maxLen: 10_000,
    dedupeWindowMs: 3 * TTL_MS,
    newEpoch,
    batch: { maxCount: appendBatch, maxBytes: 1024 * 1024 },
  }))
  const held = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('no writer took the lease within 10 s')) }, 10_000)
    for (const writer of writers) writer.on('holder', (holding) => { if (holding) { clearTimeout(timer); resolve() } })
  })
  for (const writer of writers) writer.start()
  await held
  return writers
}

/**
 * Receives MESSAGES, BATCH per turn at RATE: each into the hub, and offered to every writer. `received[n]` is
 * message n's receipt time (performance.now()). Resolves once every offer settled; an offer that did not append
 * or keep the message is an error (the benchmark would measure something else).
 */
async function receive (hub: Hub, writers: readonly SharedTopicWriter[], received: Float64Array): Promise<void> {
  const offers: Array<Promise<OfferOutcome>> = []
  const intervalMs = (BATCH / RATE) * 1000
  const started = performance.now()
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    const due = started + (sent / BATCH) * intervalMs
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    const at = performance.now()
    for (let i = sent; i < Math.min(MESSAGES, sent + BATCH); i++) {
      const text = `{"n":${i},"pad":"${PAD}"}`
      received[i] = at
      hub.onReceived('main', 'room:bench', 'msg', { payload: null, payloadText: text, payloadTextAscii: true })
      for (const writer of writers) offers.push(writer.offer({ event: 'msg', payload: text }))
    }
  }
  for (const outcome of await Promise.all(offers)) {
    if (outcome.kind === 'unavailable') throw outcome.error
  }
}

function newHub (): Hub {
  const channel = { name: 'bench', topic: 'room:bench', upstream: 'main', params: {}, required: false, replay: 1000 }
  const hub = new Hub([channel], { epoch: 'bench', now: Date.now, topicBufferBytes: 4 * 1024 * 1024 })
  hub.onJoined('main', 'room:bench')
  return hub
}

/** Reads `stream` with XREAD BLOCK on `link` (another replica's) until entry `count - 1`; the latency of each, µs. */
async function observe (link: RedisLink, stream: string, count: number, received: Float64Array): Promise<number[]> {
  const latencies: number[] = []
  let after = '0-0'
  while (latencies.length < count) {
    const reply = await link.blocking('bench tail', ['XREAD', 'COUNT', '1000', 'BLOCK', '2000', 'STREAMS', stream, after], 2000)
    if (reply === null) throw new Error(`no entry within 2 s after ${latencies.length} of ${count}`)
    const now = performance.now()
    const entries = Array.isArray(reply) && Array.isArray(reply[0]) && Array.isArray(reply[0][1]) ? reply[0][1] : []
    for (const entry of entries) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) throw new Error('an unexpected XREAD reply')
      after = entry[0]
      const fields = entry[1]
      const text = String(fields[fields.indexOf('p') + 1])
      const n = Number(/^\{"n":(\d+)/.exec(text)?.[1])
      latencies.push((now - (received[n] ?? now)) * 1000)
    }
  }
  return latencies
}

async function round (mode: Mode, redis: RedisChild, links: readonly RedisLink[], observer: RedisLink, r: number): Promise<Round> {
  const used = links.slice(0, WRITERS[mode])
  const prefix = `bench${r}-${mode.replace(' ', '')}:`
  // CPU: a paced run, until every offer settled.
  const cpuKeys = topicKeys(`${prefix}cpu:`, 'room:bench')
  const cpuWriters = await writersFor(used, cpuKeys, 'room:bench')
  const received = new Float64Array(MESSAGES)
  const redisBefore = redis.cpuMs()
  const cpuBefore = process.cpuUsage()
  await receive(newHub(), cpuWriters, received)
  const cpu = process.cpuUsage(cpuBefore)
  const redisMs = redis.cpuMs() - redisBefore
  await Promise.all(cpuWriters.map(async (w) => { await w.stop({ release: true }) }))
  // Latency: the same pace, an XREAD reader on its own link.
  let latencies: number[] = []
  if (used.length > 0) {
    const keys = topicKeys(`${prefix}lat:`, 'room:bench')
    const writers = await writersFor(used, keys, 'room:bench')
    const seen = observe(observer, keys.stream, MESSAGES, received)
    await receive(newHub(), writers, received)
    latencies = (await seen).sort((a, b) => a - b)
    await Promise.all(writers.map(async (w) => { await w.stop({ release: true }) }))
  }
  await observer.call('bench cleanup', ['FLUSHDB'])
  return {
    cpuUsPerMessage: (cpu.user + cpu.system) / MESSAGES,
    redisUsPerMessage: (redisMs * 1000) / MESSAGES,
    p50Us: percentile(latencies, 0.5),
    p99Us: percentile(latencies, 0.99),
  }
}

/**
 * One writer holding the lease, offered SATURATE messages as fast as they come (BATCH per turn, a turn per
 * setImmediate), appends of at most `appendBatch` messages per script call: messages/s until every offer
 * settled, sidecar and redis-server CPU per message, and script calls per message.
 */
async function saturation (redis: RedisChild, link: RedisLink, appendBatch: number, r: number): Promise<{ perSecond: number, cpuUsPerMessage: number, redisUsPerMessage: number, perCall: number }> {
  const keys = topicKeys(`bench-sat${r}-${appendBatch}:`, 'room:sat')
  const [writer] = await writersFor([link], keys, 'room:sat', appendBatch)
  if (writer === undefined) throw new Error('no writer')
  // Script calls named 'append' (one round trip each), counted on the link for this run.
  let calls = 0
  const original = link.script.bind(link)
  link.script = async (what, script, k, args) => {
    if (what === 'append') calls++
    return original(what, script, k, args)
  }
  const offers: Array<Promise<OfferOutcome>> = []
  const redisBefore = redis.cpuMs()
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  for (let sent = 0; sent < SATURATE; sent += BATCH) {
    for (let i = sent; i < Math.min(SATURATE, sent + BATCH); i++) offers.push(writer.offer({ event: 'msg', payload: `{"n":${i},"pad":"${PAD}"}` }))
    await new Promise<void>((resolve) => { setImmediate(resolve) })
  }
  for (const outcome of await Promise.all(offers)) if (outcome.kind !== 'appended') throw new Error(`saturation: ${outcome.kind}`)
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const redisMs = redis.cpuMs() - redisBefore
  link.script = original
  await writer.stop({ release: true })
  await link.call('bench cleanup', ['DEL', keys.stream])
  return { perSecond: SATURATE / seconds, cpuUsPerMessage: (cpu.user + cpu.system) / SATURATE, redisUsPerMessage: (redisMs * 1000) / SATURATE, perCall: SATURATE / calls }
}

/** readAfter of `limits` entries from the start of a stream of the largest, on a link that did not write them. */
async function resumeCost (writerLink: RedisLink, readerLink: RedisLink, limits: readonly number[]): Promise<Map<number, { p50Ms: number, p99Ms: number }>> {
  const largest = Math.max(...limits)
  const keys = topicKeys('bench-resume:', 'room:resume')
  const [writer] = await writersFor([writerLink], keys, 'room:resume')
  if (writer === undefined) throw new Error('no writer')
  let first = ''
  for (let i = 0; i <= largest; i++) {
    const outcome = await writer.offer({ event: 'msg', payload: `{"n":${i},"pad":"${PAD}"}` })
    if (outcome.kind !== 'appended') throw new Error(`append ${i}: ${outcome.kind}`)
    if (i === 0) first = outcome.eventId
  }
  await writer.stop({ release: true })
  const results = new Map<number, { p50Ms: number, p99Ms: number }>()
  for (const limit of limits) {
    const times: number[] = []
    for (let i = 0; i < READS; i++) {
      const start = performance.now()
      const read = await readAfter(readerLink, keys, first, limit)
      times.push(performance.now() - start)
      if (read.entries.length !== limit || read.gap) throw new Error(`readAfter ${limit}: ${read.entries.length} entries, gap ${read.gap}`)
    }
    times.sort((a, b) => a - b)
    results.set(limit, { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) })
  }
  return results
}

const started = Date.now()
const redis = await startRedisChild()
const links = [0, 1, 2].map((i) => openLink(redis, `replica-${i}`))
const observer = openLink(redis, 'observer')
try {
  for (const link of [...links, observer]) await ready(link)
  const results = new Map<Mode, Round[]>(values['only-saturation'] ? [] : MODES.map((m) => [m, []]))
  for (let r = 0; r < ROUNDS; r++) for (const mode of results.keys()) results.get(mode)?.push(await round(mode, redis, links, observer, r))
  const saturated = new Map<number, Array<Awaited<ReturnType<typeof saturation>>>>([[100, []], [1, []]])
  for (let r = 0; r < ROUNDS; r++) for (const [appendBatch, list] of saturated) list.push(await saturation(redis, links[0]!, appendBatch, r))
  const resume = await resumeCost(links[0]!, links[1]!, [100, 1000])

  const base = median((results.get('memory') ?? []).map((x) => x.cpuUsPerMessage))
  console.log(`Shared history benchmark — ${new Date(started).toISOString()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${redis.version.split(' ').slice(0, 3).join(' ')}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  console.log(`${MESSAGES} messages of ${SIZE} B per round, ${BATCH} per turn at ${RATE}/s, ${ROUNDS} round(s) per mode, median round; took ${((Date.now() - started) / 1000).toFixed(0)} s`)
  console.log('')
  if (results.size > 0) {
    console.log('| mode | sidecar CPU µs/message | × memory | redis-server CPU µs/message | receipt → XREAD p50 µs | p99 µs |')
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
    for (const mode of results.keys()) {
      const rounds = results.get(mode) ?? []
      const cpu = median(rounds.map((x) => x.cpuUsPerMessage))
      const latency = mode === 'memory' ? ['–', '–'] : [median(rounds.map((x) => x.p50Us)).toFixed(0), median(rounds.map((x) => x.p99Us)).toFixed(0)]
      console.log(`| ${mode} | ${cpu.toFixed(2)} | ${(cpu / base).toFixed(2)} | ${median(rounds.map((x) => x.redisUsPerMessage)).toFixed(2)} | ${latency[0]} | ${latency[1]} |`)
    }
  }
  console.log('')
  console.log(`Saturation: one writer holding the lease, ${SATURATE} messages of ${SIZE} B offered as fast as they come (${BATCH} per turn), median of ${ROUNDS}:`)
  console.log('')
  console.log('| appends per script call | messages/s per topic | messages per call | sidecar CPU µs/message | redis-server CPU µs/message |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const [appendBatch, list] of saturated) {
    console.log(`| ${appendBatch === 1 ? '1 (before batching)' : `up to ${appendBatch}`} | ${median(list.map((x) => x.perSecond)).toFixed(0)} | ${median(list.map((x) => x.perCall)).toFixed(1)} | ${median(list.map((x) => x.cpuUsPerMessage)).toFixed(2)} | ${median(list.map((x) => x.redisUsPerMessage)).toFixed(2)} |`)
  }
  console.log('')
  console.log(`readAfter on another replica's link, ${READS} reads each, entries of ${SIZE} B:`)
  console.log('')
  console.log('| entries | p50 ms | p99 ms |')
  console.log('| ---: | ---: | ---: |')
  for (const [limit, t] of resume) console.log(`| ${limit} | ${t.p50Ms.toFixed(2)} | ${t.p99Ms.toFixed(2)} |`)
} finally {
  for (const link of [...links, observer]) link.close()
  await redis.stop()
}
