/**
 * The fake Phoenix server as a child process of the benchmark, so that its
 * CPU is not counted against the client under test.
 *
 * Protocol: one JSON line out when listening (`{ ready: true, endpoint }`),
 * then one JSON command per line on stdin, each answered by one JSON line
 * with the same `id`:
 *
 *   { id, cmd: 'cpu' }                 → { id, user, system }   (µs, process.cpuUsage())
 *   { id, cmd: 'restart', downMs }     → { id, stoppedAt, upAt } (wall-clock ms, performance.timeOrigin based)
 *   { id, cmd: 'broadcast', topic, event, count, from, size, rateHz?, batch? }
 *                                      → { id, receivers, queuePeak? } once the last is sent
 *       `count` fastlane broadcasts of `{ t, s, p }` to `topic`: t is the
 *       wall-clock ms at the broadcast, s the sequence from `from`, p `size`
 *       bytes of padding. All at once; or `rateHz` per second on a schedule
 *       (a late tick catches up, it does not drift); or unpaced, `batch` at
 *       a time with a turn of the event loop between batches (the sockets
 *       write meanwhile, but nothing waits for them to drain; the frames are
 *       built as text, the same bytes, so no JSON encoder slows the server).
 *       With `batch`, `queuePeak` is `{ frames, bytes }`: the most that any
 *       connection joined to `topic` had queued and not yet written, sampled
 *       after each batch (the queue grows only while a batch is sent). With
 *       `topics` (a list) instead of `topic`, each of the `count` rounds
 *       sends one broadcast to every topic in turn (round-robin), all at
 *       once; `s` is the round.
 *   { id, cmd: 'fault', kind }         → { id, sockets }
 *       `close-all`: every socket closed with 1011 (a crash); `drop-all`:
 *       every socket dropped without a close frame (a network cut).
 *   { id, cmd: 'poison', topic, depth } → { id, sockets }
 *       a channel message on `topic` whose payload is arrays nested `depth`
 *       deep (a few KB that a recursive encoder cannot handle), sent as
 *       raw text to every socket.
 *   { id, cmd: 'close' }               → { id } and the process exits
 *
 * A restart closes every socket as a Phoenix deploy does (1012 for sockets
 * with channels), keeps the port closed for `downMs`, and listens again on
 * the same port.
 *
 * Channels: the built-in ones, and `orders:*` (a room: what is pushed is
 * broadcast) for the topics benchmark.
 *
 * `--max-channels N` overrides Phoenix 1.8.12's limit of 100 channels per
 * connection (0: unlimited, as Phoenix before 1.8.9).
 */
import { EventEmitter } from 'node:events'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { builtinChannels, roomChannel, startFakePhoenix } from '../src/testing/index.ts'

interface Command {
  id: number
  cmd: string
  downMs?: number
  topic?: string
  topics?: string[]
  event?: string
  count?: number
  from?: number
  size?: number
  rateHz?: number
  batch?: number
  kind?: string
  depth?: number
}

function wallClock (): number {
  return performance.timeOrigin + performance.now()
}

function send (value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

// The firehose handler waits for 'drain' once per channel: 100 channels on one
// socket add 100 listeners at once, which is expected here, not a leak.
EventEmitter.defaultMaxListeners = 1000

const { values } = parseArgs({ options: { 'max-channels': { type: 'string' } } })
const maxChannels = values['max-channels'] === undefined ? undefined : Number(values['max-channels'])
const server = await startFakePhoenix({
  port: 0,
  idleTimeoutMs: 120_000,
  channels: { ...builtinChannels(), 'orders:*': roomChannel },
  ...(maxChannels === undefined ? {} : { maxChannels: maxChannels === 0 ? Number.POSITIVE_INFINITY : maxChannels }),
})
send({ ready: true, endpoint: server.endpoint, pid: process.pid })

interface QueuePeak { frames: number, bytes: number }

/** Runs the broadcasts of a `broadcast` command; resolves with how many clients got the first, and the queue peak of an unpaced run. */
async function broadcasts (c: Command): Promise<{ receivers: number, queuePeak?: QueuePeak }> {
  const topic = c.topic ?? ''
  const event = c.event ?? 'tick'
  const count = c.count ?? 1
  const from = c.from ?? 0
  const pad = 'x'.repeat(c.size ?? 0)
  let receivers = 0
  if (c.topics !== undefined) {
    for (let i = 0; i < count; i++) {
      for (const t of c.topics) {
        const n = server.broadcast(t, event, { t: wallClock(), s: from + i, p: pad })
        if (i === 0 && t === c.topics[0]) receivers = n
      }
    }
    return { receivers }
  }
  const one = (i: number): void => {
    const n = server.broadcast(topic, event, { t: wallClock(), s: from + i, p: pad })
    if (i === 0) receivers = n
  }
  if (c.batch !== undefined) return unpaced(topic, event, count, from, pad, c.batch)
  if (c.rateHz === undefined) {
    for (let i = 0; i < count; i++) one(i)
    return { receivers }
  }
  const period = 1000 / c.rateHz
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const wait = start + i * period - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    one(i)
  }
  return { receivers }
}

/**
 * `count` broadcasts, `batch` at a time, yielding to the event loop between batches. Each frame is built by
 * concatenation, the very text `server.broadcast` would send (`[null,null,topic,event,{"t":…,"s":…,"p":"…"}]`,
 * V2), and handed to every connection joined to `topic`: no JSON encoder in the loop, so the server writes as
 * fast as it can. Samples each connection's send queue after each batch, once the write callbacks of the
 * frames the kernel took at once have run (they are queued on the next tick, before the sample).
 */
async function unpaced (topic: string, event: string, count: number, from: number, pad: string, batch: number): Promise<{ receivers: number, queuePeak: QueuePeak }> {
  const connections = server.connections().filter((conn) => conn.channels.has(topic))
  for (const conn of connections) {
    if (conn.serializer.vsn !== '2.0.0') throw new Error(`an unpaced broadcast needs V2 JSON clients, not ${conn.serializer.vsn}`)
  }
  const head = `[null,null,${JSON.stringify(topic)},${JSON.stringify(event)},{"t":`
  const tail = `,"p":${JSON.stringify(pad)}}]`
  const queuePeak: QueuePeak = { frames: 0, bytes: 0 }
  for (let i = 0; i < count;) {
    const end = Math.min(count, i + Math.max(1, batch))
    for (; i < end; i++) {
      const frame = `${head}${wallClock()},"s":${from + i}${tail}`
      for (const conn of connections) conn.sendFrame(frame)
    }
    await new Promise((resolve) => { process.nextTick(resolve) })
    for (const conn of connections) {
      queuePeak.frames = Math.max(queuePeak.frames, conn.queuedFrames())
      queuePeak.bytes = Math.max(queuePeak.bytes, conn.bufferedAmount())
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { receivers: connections.length, queuePeak }
}

const lines = createInterface({ input: process.stdin })
lines.on('close', () => { server.close().then(() => { process.exit(0) }, () => { process.exit(1) }) })
for await (const line of lines) {
  const command = JSON.parse(line) as Command
  switch (command.cmd) {
    case 'cpu': {
      const { user, system } = process.cpuUsage()
      send({ id: command.id, user, system })
      break
    }
    case 'restart': {
      await server.faults.stop('drain')
      const stoppedAt = wallClock()
      const downMs = command.downMs ?? 0
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs))
      await server.faults.start()
      send({ id: command.id, stoppedAt, upAt: wallClock() })
      break
    }
    case 'broadcast':
      // Not awaited: a paced run must not hold up the next command (e.g. 'cpu').
      broadcasts(command).then((result) => { send({ id: command.id, ...result }) }, (err: unknown) => { send({ id: command.id, error: String(err) }) })
      break
    case 'fault':
      if (command.kind === 'close-all') send({ id: command.id, sockets: server.faults.closeAll(1011, 'soak fault') })
      else if (command.kind === 'drop-all') send({ id: command.id, sockets: server.faults.dropAll() })
      else send({ id: command.id, error: `unknown fault ${String(command.kind)}` })
      break
    case 'poison': {
      const depth = command.depth ?? 5000
      const frame = `[null,null,${JSON.stringify(command.topic ?? '')},"poison",${'['.repeat(depth)}${']'.repeat(depth)}]`
      send({ id: command.id, sockets: server.faults.sendRaw(frame) })
      break
    }
    case 'close':
      await server.close()
      send({ id: command.id })
      process.exit(0)
      break
    default:
      send({ id: command.id, error: `unknown command ${command.cmd}` })
  }
}
