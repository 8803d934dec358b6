/**
 * Child processes of the benchmarks, driven over their stdin/stdout: one
 * JSON line out when ready, then one JSON command per line in, each
 * answered by one JSON line with the same `id`. `LineChild` is that
 * protocol for any script; `ServerChild` is bench/fake-server.ts.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { withTimeout } from './measure.ts'

const SCRIPT = fileURLToPath(new URL('../fake-server.ts', import.meta.url))

type Child = ChildProcessByStdio<Writable, Readable, null>
export type Answer = Record<string, unknown> & { id?: number }

export interface CpuTime { user: number, system: number }

export interface LineChildOptions {
  /** Node flags for the child (e.g. --expose-gc, --cpu-prof). */
  execArgv?: readonly string[]
  /** How long the child may take to say it is ready, ms. */
  startTimeoutMs?: number
}

/** A script run as a child process, answering JSON-line commands. */
export class LineChild {
  /** The child's first line (`{ ready: true, … }`). */
  readonly ready: Answer
  readonly #child: Child
  readonly #name: string
  readonly #waiting = new Map<number, (answer: Answer) => void>()
  #nextId = 1

  private constructor (child: Child, name: string, ready: Answer, lines: AsyncIterator<string>) {
    this.#child = child
    this.#name = name
    this.ready = ready
    this.#read(lines).catch((err: unknown) => { process.stderr.write(`${name} output: ${String(err)}\n`) })
  }

  async #read (lines: AsyncIterator<string>): Promise<void> {
    for (let r = await lines.next(); r.done !== true; r = await lines.next()) {
      const answer = JSON.parse(r.value) as Answer
      const resolve = answer.id === undefined ? undefined : this.#waiting.get(answer.id)
      if (answer.id !== undefined) this.#waiting.delete(answer.id)
      resolve?.(answer)
    }
  }

  static async start (script: string, args: readonly string[] = [], options: LineChildOptions = {}): Promise<LineChild> {
    const name = script.slice(script.lastIndexOf('/') + 1)
    const child = spawn(process.execPath, [...(options.execArgv ?? []), script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    const first = await withTimeout(lines.next(), options.startTimeoutMs ?? 10_000, `${name} start`)
    if (first.done === true) throw new Error(`${name} exited before it was ready`)
    const ready = JSON.parse(first.value) as Answer
    if (ready['ready'] !== true) throw new Error(`${name} said ${first.value}`)
    return new LineChild(child, name, ready, lines)
  }

  get pid (): number | undefined { return this.#child.pid }

  /** Sends a command and waits for its answer; rejects on an `error` answer or after `timeoutMs`. */
  async call (cmd: string, extra: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<Answer> {
    const id = this.#nextId++
    const answer = new Promise<Answer>((resolve) => { this.#waiting.set(id, resolve) })
    this.#child.stdin.write(`${JSON.stringify({ id, cmd, ...extra })}\n`)
    const a = await withTimeout(answer, timeoutMs, `${this.#name} ${cmd}`)
    if (typeof a['error'] === 'string') throw new Error(`${this.#name} ${cmd}: ${a['error']}`)
    return a
  }

  /** The child's CPU time so far, in µs. */
  async cpu (): Promise<CpuTime> {
    const a = await this.call('cpu')
    return { user: Number(a['user']), system: Number(a['system']) }
  }

  /** Asks the child to close and exit; kills it if it does not within 5 s (the `close` answer may wait `timeoutMs`). */
  async close (timeoutMs = 10_000): Promise<void> {
    if (this.#child.exitCode !== null) return
    const exited = once(this.#child, 'exit')
    await this.call('close', {}, timeoutMs).catch(() => { this.#child.kill() })
    await withTimeout(exited, 5000, `${this.#name} exit`).catch(() => { this.#child.kill('SIGKILL') })
  }
}

export interface BroadcastRequest {
  topic: string
  event: string
  /** Number of broadcasts. */
  count: number
  /** Sequence number of the first (the payload's `s`). */
  from: number
  /** Bytes of padding in each payload (`p`). */
  size: number
  /** Broadcasts per second; all at once when absent. */
  rateHz?: number
  /** Unpaced: this many at a time, a turn of the server's event loop between batches; the answer has the queue peak. */
  batch?: number
}

/** The most a connection joined to the topic had queued and not yet written during an unpaced broadcast. */
export interface QueuePeak { frames: number, bytes: number }

/** bench/fake-server.ts: the fake Phoenix server as a child process. */
export class ServerChild {
  readonly endpoint: string
  readonly #child: LineChild

  private constructor (child: LineChild) {
    this.#child = child
    this.endpoint = String(child.ready['endpoint'])
  }

  /** `maxChannels`: channels per connection the server accepts; 0 is unlimited; default Phoenix 1.8.12's 100. */
  static async start (maxChannels?: number): Promise<ServerChild> {
    const args = maxChannels === undefined ? [] : ['--max-channels', String(maxChannels)]
    const child = await LineChild.start(SCRIPT, args)
    if (typeof child.ready['endpoint'] !== 'string') throw new Error(`fake server said ${JSON.stringify(child.ready)}`)
    return new ServerChild(child)
  }

  /** The child's CPU time so far, in µs. */
  async cpu (): Promise<CpuTime> {
    return this.#child.cpu()
  }

  /** Restarts the server on the same port; wall-clock ms at which it stopped and was listening again. */
  async restart (downMs: number): Promise<{ stoppedAt: number, upAt: number }> {
    const a = await this.#child.call('restart', { downMs })
    return { stoppedAt: Number(a['stoppedAt']), upAt: Number(a['upAt']) }
  }

  /**
   * Fastlane broadcasts of `{ t, s, p }` (t: the wall-clock ms at the broadcast, s: sequence, p: padding);
   * answers once the last is sent, with how many clients got the first (and, unpaced, the queue peak).
   */
  async broadcast (r: BroadcastRequest): Promise<{ receivers: number, queuePeak?: QueuePeak }> {
    const budget = r.rateHz === undefined ? 60_000 : 10_000 + (1000 * r.count) / r.rateHz
    const a = await this.#child.call('broadcast', { ...r }, budget)
    const peak = a['queuePeak'] as Record<string, unknown> | undefined
    return { receivers: Number(a['receivers']), ...(peak === undefined ? {} : { queuePeak: { frames: Number(peak['frames']), bytes: Number(peak['bytes']) } }) }
  }

  /**
   * `rounds` rounds of fastlane broadcasts of `{ t, s, p }`, each round one broadcast to every topic of `topics`
   * in turn (s: the round, from `from`; p: `size` bytes of padding), all at once; answers once the last is sent.
   */
  async broadcastRounds (r: { topics: readonly string[], event: string, rounds: number, from: number, size: number }): Promise<void> {
    await this.#child.call('broadcast', { topics: r.topics, event: r.event, count: r.rounds, from: r.from, size: r.size })
  }

  /** Closes every socket with 1011 (`close-all`) or drops them without a close frame (`drop-all`). */
  async fault (kind: 'close-all' | 'drop-all'): Promise<{ sockets: number }> {
    const a = await this.#child.call('fault', { kind })
    return { sockets: Number(a['sockets']) }
  }

  /** A channel message on `topic` with a payload nested `depth` arrays deep, as raw text to every socket. */
  async poison (topic: string, depth = 5000): Promise<{ sockets: number }> {
    const a = await this.#child.call('poison', { topic, depth })
    return { sockets: Number(a['sockets']) }
  }

  async close (): Promise<void> {
    await this.#child.close()
  }
}

/** Waits until `child` (a server child that answers the `streams` command) counts `n` open SSE streams: polled, with a deadline. */
export async function untilOpenStreams (child: LineChild, n: number): Promise<void> {
  const deadline = performance.now() + 10_000
  for (;;) {
    const have = Number((await child.call('streams'))['streams'])
    if (have === n) return
    if (performance.now() > deadline) throw new Error(`expected ${n} SSE streams, the server has ${have}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
