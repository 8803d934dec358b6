/**
 * `backchannel serve` as a child process: SIGHUP reloads the config file
 * (a new channel is joined, the reader of an untouched one stays), an
 * invalid file is refused with an error line and the process runs on; and
 * with the file in a ConfigMap-style folder, swapping `..data` is applied
 * without any signal. SIGTERM still drains and exits 0.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startFakePhoenix, type FakePhoenix } from '../../../src/testing/index.ts'
import { Wakeups } from '../../helpers/wakeups.ts'
import { SseStream } from '../sse/helpers.ts'
import { configMapFolder, configMapSwap, upstream, type LogLine } from './support.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

const cli = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts')
const WAIT_MS = 10_000

interface Serving { child: ChildProcess, base: string, lines: LogLine[], logged: (msg: string, from?: number) => Promise<LogLine> }

async function serve (t: TestContext, file: string, env: Record<string, string>): Promise<Serving> {
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '5000', CONFIG_FILE: file, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => { child.kill('SIGKILL') })
  const lines: LogLine[] = []
  const wakeups = new Wakeups()
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line) as LogLine)
    wakeups.wake()
  })
  const logged = async (msg: string, from = 0): Promise<LogLine> => wakeups.until(`log "${msg}"`, () => lines.slice(from).find((l) => l.msg === msg), WAIT_MS)
  const started = await logged('backchannel serving')
  return { child, base: String(started['address']), lines, logged }
}

const content = (phoenix: FakePhoenix, topics: string[]): string => JSON.stringify({ upstreams: [upstream(phoenix.endpoint)], channels: topics.map((topic) => ({ topic })) })

async function folder (t: TestContext): Promise<string> {
  const dir = await tempDir(t, 'bc-reload-proc-')
  return dir
}

test('SIGHUP reloads the file: a new channel is joined, the untouched reader stays; an invalid file is refused and the process runs on', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const file = join(await folder(t), 'config.json')
  await writeFile(file, content(phoenix, ['room:keep']))
  const keepJoined = phoenix.waitFor('join', (j) => j.topic === 'room:keep' && j.status === 'ok', WAIT_MS)
  const s = await serve(t, file, { CONFIG_WATCH: 'false' })
  await keepJoined
  const stream = await SseStream.open(s.base, 'room:keep')
  t.after(() => { stream.close() })
  await stream.event('ready')

  const newJoined = phoenix.waitFor('join', (j) => j.topic === 'room:new' && j.status === 'ok', WAIT_MS)
  await writeFile(file, content(phoenix, ['room:keep', 'room:new']))
  const before = s.lines.length
  s.child.kill('SIGHUP')
  const line = await s.logged('config reloaded', before)
  assert.deepEqual([line['trigger'], line['added'], line['component']], ['signal', ['channel main/room:new'], 'config'])
  await newJoined
  phoenix.broadcast('room:keep', 'msg', { n: 1 })
  await stream.event('msg')

  await writeFile(file, '{"upstreams": "nope"}')
  const invalidAt = s.lines.length
  s.child.kill('SIGHUP')
  const refused = await s.logged('config reload refused: the running config is kept', invalidAt)
  assert.equal(refused.level, 50)
  assert.deepEqual(refused['problems'], ['/upstreams: must be array'])
  assert.equal((await fetch(`${s.base}/livez`)).status, 200, 'still running')
  phoenix.broadcast('room:keep', 'msg', { n: 2 })
  await stream.until('the second message', (x) => x.named('msg').length === 2)
  assert.equal(stream.ended, false)

  s.child.kill('SIGTERM')
  const [code] = await once(s.child, 'exit', { signal: AbortSignal.timeout(WAIT_MS) }) as [number | null]
  assert.equal(code, 0)
})

test('with the file in a ConfigMap-style folder, swapping ..data is applied by the watch, no signal needed', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const dir = await folder(t)
  const file = await configMapFolder(dir, content(phoenix, ['room:a']))
  const aJoined = phoenix.waitFor('join', (j) => j.topic === 'room:a' && j.status === 'ok', WAIT_MS)
  const s = await serve(t, file, { CONFIG_WATCH_DEBOUNCE_MS: '50' })
  await aJoined
  const bJoined = phoenix.waitFor('join', (j) => j.topic === 'room:b' && j.status === 'ok', WAIT_MS)
  const gone = phoenix.waitFor('leave', (l) => l.topic === 'room:a', WAIT_MS)
  await configMapSwap(dir, content(phoenix, ['room:b']))
  const line = await s.logged('config reloaded')
  assert.deepEqual([line['trigger'], line['added'], line['removed']], ['watch', ['channel main/room:b'], ['channel main/room:a']])
  await bJoined
  await gone
})
