/**
 * The shared half of every server child of the gateway benchmark: the
 * `ready` line, and the stdin command loop (one JSON line in, one out, same
 * `id`; see bench/lib/server-child.ts). Every child answers `cpu` and
 * `mem`, `heap-snapshot`, `allocations-start` and `allocations-stop` (V8's sampling heap profiler), `profile-start` and `profile-stop` (V8's CPU profiler over just
 * the span between them, written as a .cpuprofile to `file`), and `close`
 * (its own shutdown, then exit); a child adds its own commands.
 */
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { createInterface } from 'node:readline'
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8'

export type Reply = Record<string, unknown>
export type Handler = (command: Reply) => Reply | Promise<Reply>

export function send (value: Reply): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

/**
 * Memory after full collections until the heap stops shrinking (the child
 * runs with --expose-gc), bytes: RSS, V8 heap used, and off-heap
 * (`external`, which includes array buffers). With `gc: false` in the
 * command, as it is now, no collection forced: what the process holds
 * while it runs, garbage not yet collected included.
 */
export async function memory (command: Reply = {}): Promise<Reply> {
  const gc = globalThis.gc
  if (gc === undefined) throw new Error('run the child with --expose-gc')
  let last = Number.POSITIVE_INFINITY
  for (let i = 0; i < 10 && command['gc'] !== false; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    const used = process.memoryUsage().heapUsed
    if (used >= last - 1024) break
    last = used
  }
  const m = process.memoryUsage()
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name, { size: x.space_size, used: x.space_used_size, physical: x.physical_space_size }]))
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, ...rssParts(), spaces }
}

/** Linux's split of RSS (/proc/self/status): anonymous memory and file-backed pages (the node binary, libraries), bytes. */
function rssParts (): Reply {
  let status: string
  try {
    status = readFileSync('/proc/self/status', 'utf8')
  } catch {
    return {}
  }
  const kb = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)
    return m === null ? undefined : Number(m[1]) * 1024
  }
  return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile') }
}

let profiling: Session | null = null

/** Starts V8's CPU profiler in this process, sampling every `intervalUs` µs (default 100). */
async function profileStart (command: Reply): Promise<Reply> {
  if (profiling !== null) throw new Error('already profiling')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: Number(command['intervalUs'] ?? 100) })
  await session.post('Profiler.start')
  profiling = session
  return {}
}

/** Stops the profiler and writes the profile to `file`. */
async function profileStop (command: Reply): Promise<Reply> {
  const session = profiling
  if (session === null) throw new Error('not profiling')
  profiling = null
  const { profile } = await session.post('Profiler.stop')
  session.disconnect()
  await writeFile(String(command['file']), JSON.stringify(profile))
  return { file: command['file'] }
}

let sampling: Session | null = null

/** Starts V8's sampling heap profiler, counting every allocation (those the collector has taken since too). */
async function allocationsStart (): Promise<Reply> {
  if (sampling !== null) throw new Error('already sampling')
  const session = new Session()
  session.connect()
  await session.post('HeapProfiler.enable')
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
  sampling = session
  return {}
}

/** Stops it and writes the profile (a .heapprofile) to `file`. */
async function allocationsStop (command: Reply): Promise<Reply> {
  const session = sampling
  if (session === null) throw new Error('not sampling')
  sampling = null
  const { profile } = await session.post('HeapProfiler.stopSampling')
  session.disconnect()
  await writeFile(String(command['file']), JSON.stringify(profile))
  return { file: command['file'] }
}

/** Says `ready` with `info`, then answers commands until `close` or the end of stdin. */
export async function serve (info: Reply, handlers: Record<string, Handler>, close: () => Promise<void>): Promise<void> {
  send({ ready: true, pid: process.pid, ...info })
  const all: Record<string, Handler> = {
    cpu: () => {
      const { user, system } = process.cpuUsage()
      return { user, system }
    },
    mem: memory,
    // A heap snapshot to `file` (for a diff, e.g. before and after opening streams), after full collections.
    'heap-snapshot': async (command) => { await memory(); return { file: writeHeapSnapshot(String(command['file'])) } },
    'profile-start': profileStart,
    // Every allocation over a span, sampled (a .heapprofile to `file`): what a request costs, garbage included.
    'allocations-start': allocationsStart,
    'allocations-stop': allocationsStop,
    'profile-stop': profileStop,
    ...handlers,
  }
  const lines = createInterface({ input: process.stdin })
  const stop = async (): Promise<never> => {
    await close()
    process.exit(0)
  }
  lines.on('close', () => { stop().catch(() => { process.exit(1) }) })
  for await (const line of lines) {
    const command = JSON.parse(line) as Reply & { id: number, cmd: string }
    if (command.cmd === 'close') {
      await close()
      send({ id: command.id })
      process.exit(0)
    }
    const handler = all[command.cmd]
    try {
      if (handler === undefined) throw new Error(`unknown command ${command.cmd}`)
      send({ id: command.id, ...await handler(command) })
    } catch (err) {
      send({ id: command.id, error: String(err) })
    }
  }
}
