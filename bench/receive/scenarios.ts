/**
 * The receive benchmark's sides and steps. Each side is a receiver in its
 * own child process on its own fake Phoenix server child (so an idle side
 * receives nothing while another works), joined to the same topic:
 *
 * - gateway: the sidecar (bench/gateway/gateway-server.ts) receives the
 *   topic upstream and delivers each message to one SSE reader, a raw TCP
 *   reader in this process (bench/gateway/sse-readers.ts);
 * - phoenix.js and Backchannel's `Client`: bench/receive/client-child.ts.
 *
 * One step: the fake server broadcasts `count` messages unpaced (`batch` at
 * a time, a turn of its event loop between), and the step ends when the
 * last has reached the receiver's end (the SSE reader, or the client's
 * count). The receiving process's CPU (`process.cpuUsage()` in the child,
 * user + system) is read before and after; the fake server reports the
 * peak of its send queue to that connection.
 */
import { fileURLToPath } from 'node:url'
import { withTimeout } from '../lib/measure.ts'
import { LineChild, ServerChild, type CpuTime, type QueuePeak } from '../lib/server-child.ts'
import { Capture, SseReaders } from '../gateway/sse-readers.ts'

export interface ReceiveConfig {
  /** Workloads: payload padding bytes and messages per step. */
  workloads: ReadonlyArray<{ size: number, count: number, rounds: number }>
  /** Broadcasts per turn of the fake server's event loop. */
  batch: number
  /** Deadline of one step. */
  stepTimeoutMs: number
}

export const FULL: ReceiveConfig = {
  workloads: [
    { size: 100, count: 20_000, rounds: 15 },
    { size: 10_000, count: 10_000, rounds: 15 },
  ],
  batch: 10,
  stepTimeoutMs: 60_000,
}

export const QUICK: ReceiveConfig = {
  workloads: [
    { size: 100, count: 2000, rounds: 1 },
    { size: 10_000, count: 1000, rounds: 1 },
  ],
  batch: 10,
  stepTimeoutMs: 30_000,
}

export type SideName = 'gateway' | 'relay floor' | 'phoenix.js' | 'Backchannel Client'
export const SIDE_NAMES: readonly SideName[] = ['gateway', 'relay floor', 'phoenix.js', 'Backchannel Client']

const TOPIC = 'room:bench'
const GATEWAY_EVENTS = `/v1/channels/${TOPIC}/events`
const CHILD_FLAGS = ['--expose-gc']

export interface Side {
  name: SideName
  fake: ServerChild
  /** The process whose CPU is measured. */
  receiver: LineChild
  /** Starts counting `count` messages from zero. */
  arm: (count: number) => Promise<void>
  /** Resolves once the last armed message has arrived at the receiver's end, with how many arrived. */
  reached: (timeoutMs: number) => Promise<number>
  close: () => Promise<void>
}

export interface Step {
  /** Messages that reached the receiver's end (the gateway's reader may be told with a `gap` that it missed some). */
  received: number
  cpu: CpuTime
  wallMs: number
  queuePeak: QueuePeak
  serverCpu: CpuTime
}

/** Where the child scripts are: compiled JS (as the gateway ships) or the .ts sources. */
export type ScriptPath = (relative: 'gateway/gateway-server' | 'receive/relay-child' | 'receive/client-child') => string

const latencies = new Float64Array(0)

/** A receiver that hands the stream to one SSE reader in this process: the gateway, or the relay floor (bench/receive/relay-child.ts). */
async function sseSide (name: 'gateway' | 'relay floor', path: ScriptPath, profileFlags: readonly string[]): Promise<Side> {
  const fake = await ServerChild.start()
  const [script, events] = name === 'gateway' ? [path('gateway/gateway-server'), GATEWAY_EVENTS] : [path('receive/relay-child'), '/events']
  const receiver = await LineChild.start(script, [`--endpoint=${fake.endpoint}`], { execArgv: [...CHILD_FLAGS, ...profileFlags] })
  const readers = await SseReaders.open(String(receiver.ready['base']), events, 1)
  return {
    name,
    fake,
    receiver,
    arm: async (count) => { readers.capture = new Capture(1, count, latencies) },
    reached: async (timeoutMs) => {
      const capture = readers.capture
      if (capture === null) throw new Error(`${name}: not armed`)
      // The last message ends the step; messages the reader was told it missed (a `gap`: it fell more than the topic's ring behind) are counted.
      await Promise.race([capture.reached(capture.capacity - 1, timeoutMs), readers.cut])
      if (readers.cutOff > 0) throw new Error(`${name}: the SSE reader was cut off`)
      return capture.received
    },
    close: async () => {
      readers.close()
      await receiver.close()
      await fake.close()
    },
  }
}

async function clientSide (name: SideName, flag: 'phoenixjs' | 'ours', path: ScriptPath, profileFlags: readonly string[]): Promise<Side> {
  const fake = await ServerChild.start()
  const receiver = await LineChild.start(path('receive/client-child'), [`--side=${flag}`, `--endpoint=${fake.endpoint}`, `--topic=${TOPIC}`], { execArgv: [...CHILD_FLAGS, ...profileFlags] })
  return {
    name,
    fake,
    receiver,
    arm: async (count) => { await receiver.call('arm', { count }) },
    reached: async (timeoutMs) => Number((await receiver.call('wait', { timeoutMs }, timeoutMs + 1000))['received']),
    close: async () => {
      await receiver.close()
      await fake.close()
    },
  }
}

/** `profile` lists the sides whose receiving child runs with `profileFlags`. */
export async function startSides (path: ScriptPath, profileFlags: readonly string[], profile: ReadonlySet<string>): Promise<Side[]> {
  const flags = (name: SideName): readonly string[] => (profile.has(name) ? profileFlags : [])
  return Promise.all([
    sseSide('gateway', path, flags('gateway')),
    sseSide('relay floor', path, flags('relay floor')),
    clientSide('phoenix.js', 'phoenixjs', path, flags('phoenix.js')),
    clientSide('Backchannel Client', 'ours', path, flags('Backchannel Client')),
  ])
}

export async function stopSides (sides: readonly Side[]): Promise<void> {
  for (const side of sides) await side.close()
}

function minus (a: CpuTime, b: CpuTime): CpuTime {
  return { user: a.user - b.user, system: a.system - b.system }
}

/** One unpaced stream of `count` × `size` to one side, measured. */
export async function step (side: Side, size: number, count: number, config: ReceiveConfig): Promise<Step> {
  await side.arm(count)
  const [cpu0, server0] = await Promise.all([side.receiver.cpu(), side.fake.cpu()])
  const t0 = performance.now()
  const sent = side.fake.broadcast({ topic: TOPIC, event: 'tick', count, from: 0, size, batch: config.batch })
  const [{ receivers, queuePeak }, received] = await withTimeout(Promise.all([sent, side.reached(config.stepTimeoutMs)]), config.stepTimeoutMs + 2000, `${side.name}: ${count} × ${size} B`)
  const wallMs = performance.now() - t0
  const [cpu1, server1] = await Promise.all([side.receiver.cpu(), side.fake.cpu()])
  if (receivers !== 1) throw new Error(`${side.name}: the broadcast reached ${receivers} connections, not 1`)
  if (queuePeak === undefined) throw new Error('the fake server sent no queue peak')
  return { received, cpu: minus(cpu1, cpu0), wallMs, queuePeak, serverCpu: minus(server1, server0) }
}

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
