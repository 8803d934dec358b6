/**
 * A redis-server child for a benchmark: on a free loopback port, no
 * persistence, ready when it says so (or an error after 10 s); `cpuMs`
 * reads its CPU time from /proc, so a benchmark can count what Redis
 * spent per message beside what the sidecar did.
 */
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { freePort } from '../../test/helpers/ports.ts'

export interface RedisChild {
  readonly url: string
  readonly version: string
  /** User + system CPU time of the server so far, ms (clock ticks of 10 ms). */
  cpuMs: () => number
  stop: () => Promise<void>
}

export async function startRedisChild (program = 'redis-server'): Promise<RedisChild> {
  const port = await freePort()
  const version = spawnSync(program, ['--version'], { encoding: 'utf8' }).stdout.trim()
  if (version === '') throw new Error(`${program} not found: install redis-server (or valkey-server) to run this benchmark`)
  const child = spawn(program, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`redis-server not ready within 10 s: ${output}`)) }, 10_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) { clearTimeout(timer); resolve() }
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited (${code}): ${output}`)) })
  })
  child.stdout.resume()
  const pid = child.pid ?? 0
  return {
    url: `redis://127.0.0.1:${port}`,
    version,
    cpuMs: () => {
      // /proc/<pid>/stat: fields 14 and 15 (utime, stime) after the command name in parentheses.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      return (Number(fields[11]) + Number(fields[12])) * 10
    },
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
  }
}
