/**
 * Guarantee: a slow push never wedges the drain. With a push whose reply
 * would outlive the shutdown budget, many SSE streams and a short
 * SHUTDOWN_GRACE_MS: every stream gets its final `shutdown` event when the
 * drain starts (before the push is answered), the push is answered within
 * the budget with BC_ERR_DRAIN_CUT (504 once sent, 503 when it never left
 * the buffer; a PUT waiting for its join too), and the report, the last log line and the exit status say
 * what was cut.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { drainedCleanly } from '../../src/gateway/drain.ts'
import { startFakePhoenix } from '../../src/testing/index.ts'
import { channelConfig } from '../gateway/helpers.ts'
import { dynamicEntry } from '../gateway/dynamic/support.ts'
import { assertProblem, http, joined, startGw, type HttpResult } from '../gateway/http/support.ts'
import { range, SseStream } from '../gateway/sse/helpers.ts'
import { Wakeups } from '../helpers/wakeups.ts'
import { deadline } from '../helpers/wait.ts'
import { serveConfig } from './serve-child.ts'

const GRACE_MS = 3000
const STREAMS = 100

test('the drain ends every SSE stream at its start and cuts pushes that outlive the budget with BC_ERR_DRAIN_CUT', async (t) => {
  const gw = await startGw(t, [channelConfig('echo:a')], {
    config: { dynamic: [dynamicEntry('room:*')], pushTimeoutMs: 60_000 },
    upstream: { pushTimeoutMs: 60_000, joinTimeoutMs: 60_000 },
  })
  gw.daemon.broker.config.env.shutdownGraceMs = GRACE_MS
  await joined(gw, 'echo:a')
  const streams = await Promise.all(range(1, STREAMS).map(async () => SseStream.open(gw.base, 'echo:a')))
  t.after(() => { for (const s of streams) s.close() })
  await Promise.all(streams.map(async (s) => s.event('ready')))

  // One push sent and waiting for a reply that comes after the budget; one waiting in the buffer for a join that does too.
  // Replies come after the budget (not much later: the fake server's reply timers outlive the test otherwise).
  gw.phoenix.faults.delayReplies(GRACE_MS + 1000)
  const settled: string[] = []
  const post = async (topic: string, event: string): Promise<HttpResult> => {
    const res = await http(gw.base, `/v1/channels/${topic}/push`, { json: { event, timeoutMs: 60_000 } })
    settled.push(topic)
    return res
  }
  const sentFrame = gw.phoenix.waitFor('frame', (f) => f.message.event === 'slow')
  const sent = post('echo:a', 'slow')
  await sentFrame
  const joinFrame = gw.phoenix.waitFor('frame', (f) => f.message.event === 'phx_join' && f.message.topic === 'room:late')
  const buffered = post('room:late', 'waiting')
  await joinFrame
  // And a PUT waiting for its join.
  const putFrame = gw.phoenix.waitFor('frame', (f) => f.message.event === 'phx_join' && f.message.topic === 'room:put')
  const put = http(gw.base, '/v1/channels/room:put', { method: 'PUT', json: { timeoutMs: 60_000 } }).then((res) => { settled.push('room:put'); return res })
  await putFrame
  assert.equal(gw.daemon.broker.inFlight, 3)

  const started = performance.now()
  const closing = gw.daemon.close()
  // Every stream has its final event while both pushes are still waiting: the drain did not wait for them first.
  await Promise.all(streams.map(async (s) => deadline(s.event('shutdown'), 'the shutdown event', GRACE_MS - 500)))
  assert.deepEqual(settled, [], 'the streams ended before any push was answered')
  for (const s of streams) assert.equal((JSON.parse(s.named('shutdown')[0]?.data ?? '{}') as { reason?: string }).reason, 'shutdown')

  const [sentRes, bufferedRes, putRes] = await Promise.all([sent, buffered, put])
  const answeredMs = performance.now() - started
  assert.ok(answeredMs < GRACE_MS, `all answered within the budget (${Math.round(answeredMs)} ms of ${GRACE_MS})`)
  assertProblem(sentRes, 504, 'BC_ERR_DRAIN_CUT')
  assertProblem(bufferedRes, 503, 'BC_ERR_DRAIN_CUT')
  assertProblem(putRes, 503, 'BC_ERR_DRAIN_CUT')

  const report = await closing
  assert.equal(report.streamsEnded, STREAMS)
  assert.equal(report.inFlightAtStart, 3)
  assert.equal(report.workCut, 3)
  assert.equal(drainedCleanly(report), false)
})

test('a drain with nothing to cut reports clean', async (t) => {
  const gw = await startGw(t, [channelConfig('echo:a')])
  await joined(gw, 'echo:a')
  const stream = await SseStream.open(gw.base, 'echo:a')
  t.after(() => { stream.close() })
  await stream.event('ready')
  const res = await http(gw.base, '/v1/channels/echo:a/push', { json: { event: 'x', payload: { n: 1 } } })
  assert.equal(res.status, 200)
  const report = await gw.daemon.close()
  assert.deepEqual({ ...report, durationMs: 0 }, { streamsEnded: 1, inFlightAtStart: 0, workCut: 0, webhooksDeadLettered: 0, overran: [], durationMs: 0 })
  assert.equal(drainedCleanly(report), true)
})

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts')

interface Line { msg?: string, level?: number, exitCode?: number, workCut?: number, streamsEnded?: number }

test('serve: a drain that cut a push says so in its last log line and exits 5', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const { file } = await serveConfig(t, phoenix, {
    channels: [{ topic: 'echo:a' }],
  }, 'bc-drain-')
  const joinedOk = phoenix.waitFor('join', (j) => j.topic === 'echo:a' && j.status === 'ok', 10_000)
  const child = spawn(process.execPath, [cli, 'serve', '--config', file], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(GRACE_MS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => child.kill('SIGKILL'))
  const lines: Line[] = []
  const wakeups = new Wakeups()
  const reader = createInterface({ input: child.stdout })
  reader.on('line', (text) => { lines.push(JSON.parse(text) as Line); wakeups.wake() })
  // 'exit' may come before the last lines are read: the log is complete once stdout has ended.
  const logEnded = once(reader, 'close', { signal: AbortSignal.timeout(GRACE_MS + 5000) })
  const address = await wakeups.until('serving', () => (lines.find((l) => l.msg === 'backchannel serving') as { address?: string } | undefined)?.address, 10_000)
  await joinedOk
  const stream = await SseStream.open(address, 'echo:a')
  t.after(() => { stream.close() })
  await stream.event('ready')

  phoenix.faults.delayReplies(GRACE_MS + 1000)
  const slow = phoenix.waitFor('frame', (f) => f.message.event === 'slow')
  const push = http(address, '/v1/channels/echo:a/push', { json: { event: 'slow', timeoutMs: 60_000 } })
  await slow
  const exit = once(child, 'exit', { signal: AbortSignal.timeout(GRACE_MS + 5000) }) as Promise<[number | null]>
  child.kill('SIGTERM')
  await stream.event('shutdown', 0, GRACE_MS - 500)
  assertProblem(await push, 504, 'BC_ERR_DRAIN_CUT')
  const [code] = await exit
  assert.equal(code, 5)
  await logEnded
  const last = lines.at(-1)
  assert.equal(last?.msg, 'shutdown cut work short', JSON.stringify(lines.slice(-4)))
  assert.equal(last.exitCode, 5)
  assert.equal(last.workCut, 1)
  assert.equal(last.streamsEnded, 1)
  assert.equal(last.level, 40, 'at warn')
  assert.ok(!lines.some((l) => l.msg === 'shutdown complete'))
})
