/**
 * `backchannel serve` as a child process: it starts from the environment and
 * a config file, and SIGTERM runs the drain — in-flight pushes are answered,
 * SSE streams end with a final event, and the process exits 0 in time. A
 * second signal exits at once.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startFakePhoenix, type FakePhoenix } from '../../src/testing/index.ts'
import { SseReader } from '../../src/cli/commands/sse-reader.ts'
import { Wakeups } from '../helpers/wakeups.ts'

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts')

async function serve (phoenix: FakePhoenix, env: Record<string, string> = {}): Promise<{ child: ChildProcess, base: string, lines: string[], logged: (msg: string) => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bc-serve-'))
  const file = join(dir, 'config.json')
  await writeFile(file, JSON.stringify({
    upstreams: [{ name: 'main', url: phoenix.endpoint, reconnectBackoffMs: [5], rejoinBackoffMs: [5] }],
    channels: [{ topic: 'echo:a', required: true }, { topic: 'room:r' }],
  }))
  const child = spawn(process.execPath, [cli, 'serve', '--config', file], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '5000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  const wakeups = new Wakeups()
  const reader = createInterface({ input: child.stdout })
  reader.on('line', (line) => { lines.push(line); wakeups.wake() })
  const serving = new Promise<string>((resolve, reject) => {
    reader.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string, address?: string }
      if (entry.msg === 'backchannel serving' && entry.address !== undefined) resolve(entry.address)
    })
    child.once('exit', (code) => { reject(new Error(`serve exited early with ${String(code)}`)) })
  })
  const timeout = AbortSignal.timeout(10_000)
  const base = await Promise.race([serving, once(timeout, 'abort').then(() => { throw new Error('serve did not start') })])
  /** Resolves once a log line with `msg` has been written (now or before), within 5 s. */
  const logged = async (msg: string): Promise<void> => {
    await wakeups.until(`log "${msg}"`, () => lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === msg) ? true : undefined, 5000)
  }
  return { child, base, lines, logged }
}

async function exited (child: ChildProcess, ms: number): Promise<number | null> {
  const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(ms) }) as [number | null]
  return code
}

test('SIGTERM answers in-flight pushes, ends SSE streams with a final event, and exits 0', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const joined = Promise.all(['room:r', 'echo:a'].map(async (topic) => phoenix.waitFor('join', (j) => j.topic === topic && j.status === 'ok', 10_000)))
  const { child, base, lines } = await serve(phoenix)
  t.after(() => child.kill('SIGKILL'))
  await joined

  const sse = await SseReader.open(`${base}/v1/channels/room:r/events`)
  await sse.until('ready')
  // A push whose reply the server holds back until after the signal.
  phoenix.faults.delayReplies(300)
  const inFlight = fetch(`${base}/v1/channels/echo:a/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'slow', payload: { n: 1 } }) })
  await phoenix.waitFor('frame', (f) => f.message.event === 'slow')

  child.kill('SIGTERM')
  const final = await sse.until('shutdown')
  assert.match(final.data, /"lastEventId"/)
  const res = await inFlight
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { status: 'ok', response: { n: 1 } })
  assert.equal(await exited(child, 8000), 0)
  assert.ok(lines.some((l) => l.includes('shutdown complete')))
})

test('a second signal exits at once with 1', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const joined = phoenix.waitFor('join', (j) => j.topic === 'echo:a' && j.status === 'ok', 10_000)
  const { child, base, logged } = await serve(phoenix, { SHUTDOWN_GRACE_MS: '20000' })
  t.after(() => child.kill('SIGKILL'))
  await joined
  // Keep a push in flight so the drain cannot finish by itself.
  phoenix.faults.delayReplies(60_000)
  const hanging = fetch(`${base}/v1/channels/echo:a/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'slow', timeoutMs: 30000 }) }).catch(() => null)
  await phoenix.waitFor('frame', (f) => f.message.event === 'slow')
  child.kill('SIGTERM')
  // The signal arrives in its own time: ask for readiness once the child says it is shutting down.
  await logged('shutting down')
  const ready = await fetch(`${base}/readyz`).catch(() => null)
  if (ready !== null) assert.equal(ready.status, 503)
  child.kill('SIGTERM')
  assert.equal(await exited(child, 5000), 1)
  await hanging
})

test('a bad config file stops start-up with the path of the problem and exit 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bc-serve-'))
  const file = join(dir, 'bad.json')
  await writeFile(file, JSON.stringify({ upstreams: [{ name: 'main', url: 'ws://127.0.0.1:1/socket', hearbeatIntervalMs: 5 }], channels: [] }))
  const child = spawn(process.execPath, [cli, 'serve', '--config', file], { env: { PATH: process.env['PATH'] ?? '', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  assert.equal(await exited(child, 10_000), 1)
  assert.match(stderr, /BC_ERR_CONFIG/)
  assert.match(stderr, /\/upstreams\/0.*hearbeatIntervalMs/)
})
