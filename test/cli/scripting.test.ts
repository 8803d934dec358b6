/**
 * `backchannel push` and `backchannel listen`: the client from a shell
 * script, as processes against the fake Phoenix server.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { echoChannel, error, startFakePhoenix } from '../../src/testing/index.ts'

const run = promisify(execFile)
const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts')

async function push (args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'push', ...args], { timeout: 15_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

test('push prints the reply and exits 0 for ok, 1 for an error reply; params and join params reach the server', async (t) => {
  let joinParams: unknown = null
  const phoenix = await startFakePhoenix({
    connect: (params) => (params['token'] === 's3cret' ? { ok: true } : { ok: false, status: 403 }),
    channels: { 'echo:*': { ...echoChannel, join: (topic, params, socket) => { joinParams = params; return echoChannel.join(topic, params, socket) } } },
  })
  t.after(() => phoenix.close())
  const joined = phoenix.waitFor('join', (j) => j.topic === 'echo:cli')
  const ok = await push(['--url', phoenix.endpoint, '--topic', 'echo:cli', '--event', 'hi', '--payload', '{"a":1}', '--param', 'token=s3cret', '--join-param', 'room=blue'])
  assert.equal(ok.code, 0)
  assert.deepEqual(JSON.parse(ok.stdout), { status: 'ok', response: { a: 1 } })
  assert.equal((await joined).status, 'ok')
  assert.deepEqual(joinParams, { room: 'blue' })

  const failed = await push(['--url', phoenix.endpoint, '--topic', 'echo:cli', '--event', 'error_reply', '--payload', '{"why":"no"}', '--param', 'token=s3cret'])
  assert.equal(failed.code, 1)
  assert.deepEqual(JSON.parse(failed.stdout), { status: 'error', response: { why: 'no' } })
})

test('push reports a refused connect with its code and exits 1; bad arguments exit 2', async (t) => {
  const phoenix = await startFakePhoenix({ connect: () => ({ ok: false, status: 403 }) })
  t.after(() => phoenix.close())
  const refused = await push(['--url', phoenix.endpoint, '--topic', 'echo:cli', '--event', 'hi', '--timeout', '2000'])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /BC_ERR_CONNECT_REFUSED/)
  const bad = await push(['--url', phoenix.endpoint, '--topic', 'echo:cli', '--payload', '{'])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--event is required|--payload must be JSON/)
})

test('listen prints each message as a JSON line and exits 0 after --count', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const joined = phoenix.waitFor('join', (j) => j.topic === 'room:cli' && j.status === 'ok', 10_000)
  const child = spawn(process.execPath, [cli, 'listen', '--url', phoenix.endpoint, '--topic', 'room:cli', '--event', 'news', '--count', '2'], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => child.kill('SIGKILL'))
  const lines: string[] = []
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line))
  await joined
  phoenix.broadcast('room:cli', 'other', { skip: true })
  phoenix.broadcast('room:cli', 'news', { n: 1 })
  phoenix.broadcast('room:cli', 'news', { n: 2 })
  const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(10_000) }) as [number]
  assert.equal(code, 0)
  const parsed = lines.map((l) => JSON.parse(l) as { topic: string, event: string, payload: unknown, at: string })
  assert.deepEqual(parsed.map((p) => [p.topic, p.event, p.payload]), [['room:cli', 'news', { n: 1 }], ['room:cli', 'news', { n: 2 }]])
  assert.ok(parsed.every((p) => !Number.isNaN(Date.parse(p.at))))
})

test('push to a topic whose join is refused prints the server\'s reason and exits 1', async (t) => {
  const phoenix = await startFakePhoenix({ channels: { 'locked:*': { join: () => error({ reason: 'unauthorized', hint: 'ask an admin' }) } } })
  t.after(() => phoenix.close())
  const refused = await push(['--url', phoenix.endpoint, '--topic', 'locked:1', '--event', 'hi', '--timeout', '5000'])
  assert.equal(refused.code, 1)
  assert.equal(refused.stdout, '')
  assert.equal(refused.stderr, 'backchannel: BC_ERR_JOIN_REFUSED: the server refused to join "locked:1"; the server answered {"reason":"unauthorized","hint":"ask an admin"}\n')
})

test('listen --count on a quiet topic gives up at --deadline with exit 4', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const child = spawn(process.execPath, [cli, 'listen', '--url', phoenix.endpoint, '--topic', 'room:quiet', '--count', '1', '--deadline', '300'], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => child.kill('SIGKILL'))
  const stderr: string[] = []
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line))
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(10_000) }) as [number]
  assert.equal(code, 4)
  assert.equal(stdout, '')
  assert.deepEqual(JSON.parse(stderr.at(-1) ?? ''), { msg: 'deadline passed', topic: 'room:quiet', received: 0, count: 1, deadlineMs: 300 })
})

test('listen --deadline covers the connect too: a server that never answers the upgrade ends it with exit 4', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  phoenix.faults.stall()
  t.after(() => { phoenix.faults.resume() })
  const child = spawn(process.execPath, [cli, 'listen', '--url', phoenix.endpoint, '--topic', 'room:stalled', '--count', '1', '--deadline', '300', '--timeout', '30000'], { stdio: ['ignore', 'ignore', 'pipe'] })
  t.after(() => child.kill('SIGKILL'))
  const stderr: string[] = []
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line))
  const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(10_000) }) as [number]
  assert.equal(code, 4)
  assert.deepEqual(JSON.parse(stderr.at(-1) ?? ''), { msg: 'deadline passed', topic: 'room:stalled', received: 0, count: 1, deadlineMs: 300 })
})

test('listen: --deadline without --count, or not a positive number, is bad usage', async () => {
  for (const args of [['--deadline', '100'], ['--count', '1', '--deadline', '0'], ['--count', '1', '--deadline', 'soon']]) {
    const ran = await run(process.execPath, [cli, 'listen', '--url', 'ws://127.0.0.1:1/socket', '--topic', 't', ...args], { timeout: 15_000 }).then(() => null, (err: unknown) => err as { code: number, stderr: string })
    assert.ok(ran !== null, args.join(' '))
    assert.equal(ran.code, 2, args.join(' '))
    assert.match(ran.stderr, /--deadline/)
  }
})
