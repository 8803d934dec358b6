/**
 * Spawns bench/fake-server.ts as a child process and talks to it over its
 * stdin/stdout (one JSON line per command and per answer).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { withTimeout } from './measure.ts'

const SCRIPT = fileURLToPath(new URL('../fake-server.ts', import.meta.url))

type Child = ChildProcessByStdio<Writable, Readable, null>
type Answer = Record<string, unknown> & { id?: number }

export interface CpuTime { user: number, system: number }

export class ServerChild {
  readonly endpoint: string
  readonly #child: Child
  readonly #waiting = new Map<number, (answer: Answer) => void>()
  #nextId = 1

  private constructor (child: Child, endpoint: string, lines: AsyncIterator<string>) {
    this.#child = child
    this.endpoint = endpoint
    this.#read(lines).catch((err: unknown) => { process.stderr.write(`fake server output: ${String(err)}\n`) })
  }

  async #read (lines: AsyncIterator<string>): Promise<void> {
    for (let r = await lines.next(); r.done !== true; r = await lines.next()) {
      const answer = JSON.parse(r.value) as Answer
      const resolve = answer.id === undefined ? undefined : this.#waiting.get(answer.id)
      if (answer.id !== undefined) this.#waiting.delete(answer.id)
      resolve?.(answer)
    }
  }

  /** `maxChannels`: channels per connection the server accepts; 0 is unlimited; default Phoenix 1.8.12's 100. */
  static async start (maxChannels?: number): Promise<ServerChild> {
    const args = maxChannels === undefined ? [] : ['--max-channels', String(maxChannels)]
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    const first = await withTimeout(lines.next(), 10_000, 'fake server start')
    if (first.done === true) throw new Error('fake server exited before it listened')
    const ready = JSON.parse(first.value) as { endpoint?: string }
    if (typeof ready.endpoint !== 'string') throw new Error(`fake server said ${first.value}`)
    return new ServerChild(child, ready.endpoint, lines)
  }

  async #call (cmd: string, extra: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<Answer> {
    const id = this.#nextId++
    const answer = new Promise<Answer>((resolve) => { this.#waiting.set(id, resolve) })
    this.#child.stdin.write(`${JSON.stringify({ id, cmd, ...extra })}\n`)
    return withTimeout(answer, timeoutMs, `fake server ${cmd}`)
  }

  /** The child's CPU time so far, in µs. */
  async cpu (): Promise<CpuTime> {
    const a = await this.#call('cpu')
    return { user: Number(a['user']), system: Number(a['system']) }
  }

  /** Restarts the server on the same port; wall-clock ms at which it stopped and was listening again. */
  async restart (downMs: number): Promise<{ stoppedAt: number, upAt: number }> {
    const a = await this.#call('restart', { downMs })
    return { stoppedAt: Number(a['stoppedAt']), upAt: Number(a['upAt']) }
  }

  async close (): Promise<void> {
    const exited = once(this.#child, 'exit')
    await this.#call('close').catch(() => { this.#child.kill() })
    await withTimeout(exited, 5000, 'fake server exit').catch(() => { this.#child.kill('SIGKILL') })
  }
}
