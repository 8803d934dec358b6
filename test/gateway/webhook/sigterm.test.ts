/**
 * `backchannel serve` as a child process with a webhook: SIGTERM drains
 * the sink — the attempt in flight is answered and counted, none is
 * abandoned — and the process exits 0.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { Gate, Receiver } from './receiver.ts'
import { within } from '../../helpers/wait.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

const cli = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts')

interface Line { msg?: string, component?: string, left?: number, held?: number, inFlight?: number }

test('SIGTERM waits for the webhook attempt in flight, which completes, then exits 0', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const gate = new Gate()
  const receiver = await Receiver.start(() => gate.promise)
  t.after(() => receiver.close())
  const dir = await tempDir(t, 'bc-webhook-')
  const file = join(dir, 'config.json')
  await writeFile(file, JSON.stringify({
    upstreams: [{ name: 'main', url: phoenix.endpoint, reconnectBackoffMs: [5], rejoinBackoffMs: [5] }],
    channels: [{ topic: 'room:hook', webhook: { url: receiver.url(), timeoutMs: 3000, deadLetter: { file: 'dead.jsonl' } } }],
  }))

  const joinedOk = phoenix.waitFor('join', (j) => j.topic === 'room:hook' && j.status === 'ok', 10_000)
  const child = spawn(process.execPath, [cli, 'serve', '--config', file], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '8000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => child.kill('SIGKILL'))
  const lines: Line[] = []
  const wakers = new Set<() => void>()
  createInterface({ input: child.stdout }).on('line', (text) => {
    lines.push(JSON.parse(text) as Line)
    for (const w of [...wakers]) w()
  })
  const logged = async (msg: string): Promise<Line> => within<Line>(10_000, `the log line "${msg}"`, (resolve) => {
    const check = (): void => {
      const found = lines.find((l) => l.msg === msg)
      if (found !== undefined) resolve(found)
    }
    wakers.add(check)
    check()
    return () => { wakers.delete(check) }
  })

  await joinedOk
  phoenix.broadcast('room:hook', 'msg', { n: 1 })
  const inFlight = await receiver.waitFor('the webhook request', () => true, 10_000)

  child.kill('SIGTERM')
  const start = await logged('webhook drain started')
  assert.deepEqual([start.component, start.held, start.inFlight], ['webhook', 1, 1])
  assert.equal(inFlight.answered, null, 'the attempt is still in flight after the signal')

  gate.open({ status: 200 })
  const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(10_000) }) as [number | null]
  assert.equal(code, 0)
  assert.equal(inFlight.answered, true, 'the answer reached the sidecar whole')
  assert.equal(inFlight.aborted, false)
  assert.equal((await logged('webhook drain complete')).left, 0)
  assert.ok(lines.some((l) => l.msg === 'shutdown complete'))
  assert.ok(!lines.some((l) => l.msg === 'webhook message dead-lettered'), 'nothing went to the dead letter')
})
