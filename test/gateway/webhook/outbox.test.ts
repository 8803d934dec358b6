/**
 * The durable outbox with real sinks, a real SQLite file and a real
 * receiver: what the queue held when the sidecar stopped is delivered by
 * the next one (same idempotency key, in order per lane), what passed its
 * max age meanwhile is dead-lettered and counted, a channel without a
 * webhook now has its messages forgotten, and a store that cannot write
 * leaves delivery working from memory.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { SqliteStore } from '../../../src/gateway/store/sqlite-store.ts'
import { tempDir } from '../../helpers/temp-dir.ts'
import { hooked, startSinks, type Sinks } from './harness.ts'
import { Receiver, type Received } from './receiver.ts'

const nOf = (r: Received): number => (JSON.parse(r.body) as { data: { n: number } }).data.n

function openStore (t: TestContext, dir: string, maxBytes = 16 * 1024 * 1024): SqliteStore {
  const store = new SqliteStore({ dir, maxBytes, sync: 'normal', newEpoch: () => 'e0', lockWaitMs: 0 })
  t.after(() => { store.close() })
  return store
}

test('a stopping sidecar keeps what it could not deliver; the next one delivers it, in order per lane, with the same keys', async (t) => {
  const dir = await tempDir(t, 'bc-outbox-')
  const refusing = await Receiver.start(() => ({ status: 503 }))
  t.after(() => refusing.close())
  const first = openStore(t, dir)
  const channel = hooked('room:o', refusing.url(), { orderKey: '/lane', backoff: { initialMs: 60_000, maxMs: 60_000, multiplier: 1 } })
  let sinks: Sinks = await startSinks([channel], { outbox: first.outbox })
  for (let n = 1; n <= 6; n++) sinks.publish('room:o', 'ev', { n, lane: n % 2 })
  // Both lanes' heads were tried and wait for a retry a minute away; the rest is queued behind them.
  await refusing.until('both heads tried', () => refusing.received.length >= 2 ? true : undefined)
  await sinks.events.count('retry', 2)
  const firstKeys = new Map(refusing.received.map((r) => [nOf(r), r.key]))
  await sinks.close(500)
  assert.deepEqual(sinks.events.seen.drain_done.map((d) => [d.left, d.kept]), [[0, 6]])
  assert.deepEqual(sinks.events.seen.dead_letter, [], 'nothing was dead-lettered: it is kept')
  first.close()

  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const second = openStore(t, dir)
  sinks = await startSinks([hooked('room:o', receiver.url(), { orderKey: '/lane' })], { outbox: second.outbox })
  t.after(() => sinks.close())
  assert.deepEqual(sinks.events.seen.outbox_restored, [{ subscription: 'room:o', restored: 6, expired: 0 }])
  await sinks.events.count('delivered', 6)
  const got = receiver.received.map(nOf)
  assert.deepEqual(got.filter((n) => n % 2 === 1), [1, 3, 5], 'lane 1 in order')
  assert.deepEqual(got.filter((n) => n % 2 === 0), [2, 4, 6], 'lane 0 in order')
  for (const r of receiver.received) {
    const before = firstKeys.get(nOf(r))
    if (before !== undefined) assert.equal(r.key, before, 'a message tried before the restart keeps its idempotency key')
    assert.equal(r.headers['webhook-id'], r.key)
  }
  await sinks.events.until('the outbox emptied', () => second.outbox.load('room:o').length === 0 ? true : undefined)
})

test('at start a held message past its max age is dead-lettered (max_age) and counted; one without a webhook now is forgotten', async (t) => {
  const dir = await tempDir(t, 'bc-outbox-')
  const refusing = await Receiver.start(() => ({ status: 503 }))
  t.after(() => refusing.close())
  const first = openStore(t, dir)
  let clock = Date.now()
  const retryLater = { backoff: { initialMs: 30_000, maxMs: 30_000, multiplier: 1 } }
  let sinks = await startSinks([hooked('room:age', refusing.url(), retryLater), hooked('room:gone', refusing.url(), retryLater)], { outbox: first.outbox, now: () => clock })
  sinks.publish('room:age', 'ev', { n: 1 })
  sinks.publish('room:gone', 'ev', { n: 2 })
  await sinks.events.count('retry', 2)
  await sinks.close(200)
  first.close()

  clock += 61_000
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const second = openStore(t, dir)
  sinks = await startSinks([hooked('room:age', receiver.url())], { outbox: second.outbox, now: () => clock })
  t.after(() => sinks.close())
  assert.deepEqual(sinks.events.seen.outbox_pruned, [{ subscription: 'room:gone', messages: 1 }])
  assert.deepEqual(sinks.events.seen.outbox_restored, [{ subscription: 'room:age', restored: 0, expired: 1 }])
  assert.deepEqual(sinks.events.seen.dead_letter.map((d) => [d.subscription, d.reason]), [['room:age', 'max_age']])
  assert.deepEqual(second.outbox.load('room:age'), [])
  assert.equal(receiver.received.length, 0)
})

test('a store that cannot write (full) reports it and delivery goes on from memory', async (t) => {
  const dir = await tempDir(t, 'bc-outbox-')
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const store = openStore(t, dir, 1024 * 1024)
  const errors: string[] = []
  store.events.on('write_error', (e) => errors.push(e.op))
  const sinks = await startSinks([hooked('room:full', receiver.url())], { outbox: store.outbox })
  t.after(() => sinks.close())
  const big = 'x'.repeat(100 * 1024)
  for (let n = 1; n <= 20; n++) sinks.publish('room:full', 'ev', { n, big })
  await sinks.events.count('delivered', 20)
  assert.ok(errors.includes('outbox_add'), `writes failed: ${errors.join(', ')}`)
  assert.deepEqual(receiver.received.map(nOf), Array.from({ length: 20 }, (_, i) => i + 1))
})
