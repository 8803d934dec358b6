/**
 * Guarantee: with STATE_DIR, a kill -9 loses no accepted webhook message.
 * A real `serve` child on the fake Phoenix server, a webhook receiver that
 * holds every request open (so 600 messages are held: each is its own lane
 * (orderKey /n), so 8 attempts are in flight, the
 * rest queued), SIGKILL, a new `serve` on the same folder: every one of the
 * 600 is delivered. Only the attempts in flight at the kill may come twice
 * (at least once), with the same idempotency key.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startFakePhoenix } from '../../src/testing/index.ts'
import { broadcastNumbered, SseStream } from '../gateway/sse/helpers.ts'
import { Gate, Receiver, type Received } from '../gateway/webhook/receiver.ts'
import { kill9, serve, serveConfig } from './serve-child.ts'

const MESSAGES = 600
const IN_FLIGHT = 8

const nOf = (r: Received): number => (JSON.parse(r.body) as { data: { n: number } }).data.n

test('kill -9 mid-delivery with 600 webhook messages held: the restarted sidecar delivers all 600, only those in flight twice', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const hold = new Gate()
  const receiver = await Receiver.start(() => hold.promise)
  t.after(() => receiver.close())
  const { file, dir } = await serveConfig(t, phoenix, {
    channels: [{ topic: 'room:orders', webhook: { url: receiver.url(), orderKey: '/n', maxInFlight: IN_FLIGHT, queueSize: 1000, timeoutMs: 20_000 } }],
  }, 'bc-durable-')
  const stateDir = join(dir, 'state')

  const first = await serve(t, phoenix, file, stateDir, ['room:orders'])
  // A reader of the same topic sees an event only after the turn that published it committed it (the store commits
  // at the next tick, before any stream writes): its last event says all 600 are accepted.
  const stream = await SseStream.open(first.address, 'room:orders')
  t.after(() => { stream.close() })
  await stream.event('ready')
  broadcastNumbered(phoenix, 'room:orders', 'msg', MESSAGES)
  await stream.until('all 600 events', (s) => s.named('msg').length === MESSAGES, 10_000)
  await receiver.until('the attempts in flight', () => receiver.received.length === IN_FLIGHT ? true : undefined).catch((err: unknown) => { throw new Error(`${String(err)}: ${receiver.received.length}`) })
  const beforeKill = receiver.received.map((r) => ({ n: nOf(r), key: r.key }))
  stream.close()
  await kill9(first.child)

  // The receiver takes everything now; the held requests of the killed sidecar are gone with its sockets.
  receiver.script = () => ({ status: 200 })
  hold.open({ status: 200 })
  const accepted = new Map<number, string[]>()
  const countFrom = receiver.received.length
  const second = await serve(t, phoenix, file, stateDir, ['room:orders'])
  await receiver.until('all 600 delivered after the restart', () => {
    accepted.clear()
    for (const r of receiver.received.slice(countFrom)) accepted.set(nOf(r), [...(accepted.get(nOf(r)) ?? []), r.key])
    return accepted.size === MESSAGES ? true : undefined
  }, 20_000)
  assert.deepEqual([...accepted.keys()].sort((a, b) => a - b), Array.from({ length: MESSAGES }, (_, i) => i + 1), 'none lost')
  for (const keys of accepted.values()) assert.equal(keys.length, 1, 'each delivered once after the restart')
  // Delivered twice (before the kill and after): only what was in flight, and with the same key (receivers dedupe on it).
  const twice = beforeKill.filter((b) => accepted.has(b.n))
  assert.ok(twice.length <= IN_FLIGHT)
  for (const b of twice) assert.deepEqual(accepted.get(b.n), [b.key])
  const restored = second.lines.find((l) => l['msg'] === 'webhook outbox restored: messages held before the restart are delivered')
  assert.deepEqual([restored?.['restored'], restored?.['expired']], [MESSAGES, 0])
  await kill9(second.child)
})
