/**
 * A real redis-server child for one test: on a free loopback port, with no
 * persistence (`--save '' --appendonly no`), stopped when the test ends.
 * `restart()` kills it and starts a new one on the same port (all data
 * gone, as a Redis without persistence loses it). Readiness is the
 * server's own "Ready to accept connections" line, never a pause.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { TestContext } from 'node:test'
import { within } from '../helpers/wait.ts'
import { freePort } from '../helpers/ports.ts'

export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Kills the server and waits for it to exit. */
  stop: () => Promise<void>
  /** Starts it again on the same port (after stop, or kills it first). */
  start: () => Promise<void>
  /** SIGSTOP / SIGCONT: a server that accepts nothing and answers nothing. */
  pause: () => void
  resume: () => void
}

export interface RedisServerOptions {
  /** Extra redis-server arguments, e.g. ['--requirepass', 'x']. */
  readonly args?: readonly string[]
  /** Serve TLS on the port instead of plain TCP (the args must name the cert files). */
  readonly tls?: boolean
}

export async function startRedis (t: TestContext, program: string, options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const portArgs = options.tls === true ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)]
  const start = async (): Promise<void> => {
    const started = spawn(program, [...portArgs, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = started
    let output = ''
    await within<undefined>(10_000, `redis-server on port ${port} ready`, (resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) resolve(undefined)
      }
      const onExit = (code: number | null): void => { reject(new Error(`redis-server exited (${code}) before it was ready: ${output}`)) }
      started.stdout.on('data', onData)
      started.once('exit', onExit)
      return () => { started.stdout.off('data', onData); started.off('exit', onExit) }
    })
    started.stdout.resume()
    started.stderr.resume()
  }
  const stop = async (): Promise<void> => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const exited = once(running, 'exit')
    running.kill('SIGKILL')
    await exited
  }
  const signal = (name: NodeJS.Signals): void => { child?.kill(name) }
  await start()
  t.after(stop)
  return {
    port,
    url: `${options.tls === true ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    stop,
    start: async () => { await stop(); await start() },
    pause: () => { signal('SIGSTOP') },
    resume: () => { signal('SIGCONT') },
  }
}
