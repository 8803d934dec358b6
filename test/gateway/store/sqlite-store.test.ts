/**
 * The SQLite store on a real file: what one process wrote is what the next
 * one reads (epoch, outbox in order, rings and topics), a turn's writes are
 * committed by the next tick, a write past the size bound is reported and
 * never thrown, and a second process cannot open a store in use.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SqliteStore, type SqliteStoreOptions } from '../../../src/gateway/store/sqlite-store.ts'
import type { StoredDelivery } from '../../../src/gateway/store/state-store.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

function open (dir: string, extra: Partial<SqliteStoreOptions> = {}): SqliteStore {
  return new SqliteStore({ dir, maxBytes: 16 * 1024 * 1024, sync: 'normal', newEpoch: () => 'epochA', lockWaitMs: 0, ...extra })
}

function delivery (seq: number, lane = ''): StoredDelivery {
  return { seq, id: `e-${seq}`, event: 'ev', body: `{"n":${seq}}`, key: `key-${seq}`, traceparent: `tp-${seq}`, lane, at: 1000 + seq }
}

const nextTick = async (): Promise<void> => { await new Promise<void>((resolve) => { process.nextTick(resolve) }) }

test('the epoch and the outbox outlive the process that wrote them, in arrival order, without what was removed', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const first = open(dir)
  assert.equal(first.epoch, 'epochA')
  const ids = [1, 2, 3, 4].map((n) => first.outbox.add('hooks', delivery(n, n % 2 === 0 ? 'even' : 'odd')))
  first.outbox.add('other', delivery(9))
  assert.ok(ids.every((id) => typeof id === 'number'))
  first.outbox.remove(ids[1] ?? -1)
  first.close()

  const second = open(dir, { newEpoch: () => 'epochB' })
  t.after(() => { second.close() })
  assert.equal(second.epoch, 'epochA', 'the stored epoch is kept')
  const held = second.outbox.load('hooks')
  assert.deepEqual(held.map((d) => ({ seq: d.seq, lane: d.lane, key: d.key, at: d.at })), [
    { seq: 1, lane: 'odd', key: 'key-1', at: 1001 },
    { seq: 3, lane: 'odd', key: 'key-3', at: 1003 },
    { seq: 4, lane: 'even', key: 'key-4', at: 1004 },
  ])
  assert.deepEqual(second.outbox.prune(new Set(['hooks'])), new Map([['other', 1]]))
  assert.deepEqual(second.outbox.load('other'), [])
})

test('a turn\'s writes are committed by the next tick: a process killed with SIGKILL right after keeps them', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const storeModule = pathToFileURL(join(import.meta.dirname, '../../../src/gateway/store/sqlite-store.ts')).href
  // The child writes in one turn and is killed in the next tick callback after the store's own: no close, no exit handler.
  const script = `
    const { SqliteStore } = await import(${JSON.stringify(storeModule)})
    const store = new SqliteStore({ dir: ${JSON.stringify(dir)}, maxBytes: 16777216, sync: 'normal', newEpoch: () => 'epochK' })
    store.outbox.add('hooks', { seq: 1, id: 'epochK-1', event: 'ev', body: '{}', key: 'k1', traceparent: 'tp', lane: '', at: 1 })
    store.rings.begin('u\\u0000t', 0, 0)
    store.rings.append('u\\u0000t', { seq: 1, order: 1, at: 5, event: 'msg', data: '{}', control: false, ascii: true })
    store.noteIssued(1, 1)
    process.nextTick(() => { process.kill(process.pid, 'SIGKILL') })
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] })
  const [code, signal] = await once(child, 'exit', { signal: AbortSignal.timeout(20_000) }) as [number | null, string | null]
  assert.deepEqual([code, signal], [null, 'SIGKILL'])
  const store = open(dir)
  t.after(() => { store.close() })
  assert.equal(store.epoch, 'epochK')
  assert.deepEqual(store.issued, { maxSeq: 1, order: 1 })
  assert.deepEqual(store.outbox.load('hooks').map((d) => d.key), ['k1'])
  assert.deepEqual(store.rings.load('u\u0000t')?.entries.map((e) => e.seq), [1])
})

test('rings: a topic\'s entries come back trimmed to what its ring held, with its life; a new life forgets the old entries', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const key = 'main\u0000room:1'
  const first = open(dir)
  first.rings.begin(key, 10, 40)
  for (let seq = 11; seq <= 15; seq++) first.rings.append(key, { seq, order: 30 + seq, at: seq, event: 'm', data: `{"s":${seq}}`, control: seq === 11, ascii: false })
  first.rings.trim(key, 13)
  first.rings.end(key, 99)
  first.noteIssued(15, 45)
  first.close()

  const second = open(dir)
  t.after(() => { second.close() })
  assert.deepEqual(second.issued, { maxSeq: 15, order: 45 })
  const loaded = second.rings.load(key)
  assert.ok(loaded !== null)
  assert.deepEqual(loaded.topic, { base: 10, baseOrder: 40, seq: 15, endedAtOrder: 99 })
  assert.deepEqual(loaded.entries.map((e) => [e.seq, e.order, e.data, e.control]), [[13, 43, '{"s":13}', false], [14, 44, '{"s":14}', false], [15, 45, '{"s":15}', false]])
  assert.deepEqual([...second.rings.topics().keys()], [key])
  second.rings.begin(key, 15, 45)
  assert.deepEqual(second.rings.load(key), { topic: { base: 15, baseOrder: 45, seq: 15, endedAtOrder: null }, entries: [] })
  assert.equal(second.rings.load('main\u0000nothing'), null)
})

test('a write past STATE_MAX_BYTES is reported, not thrown: the store says it is failing, then that it recovered', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const store = open(dir, { maxBytes: 1024 * 1024 })
  t.after(() => { store.close() })
  const errors: string[] = []
  store.events.on('write_error', (e) => errors.push(e.op))
  const failing = once(store.events, 'failing')
  const big = 'x'.repeat(64 * 1024)
  const ids: Array<number | null> = []
  for (let n = 1; n <= 40 && errors.length === 0; n++) {
    ids.push(store.outbox.add('hooks', { ...delivery(n), body: JSON.stringify(big) }))
    await nextTick()
  }
  const [first] = await failing as [{ op: string, error: string }]
  assert.match(first.error, /full/i)
  assert.ok(errors.length > 0)
  assert.equal(ids.at(-1), null, 'the write that did not fit has no store id')
  // Room again: the next write succeeds and says so.
  const recovered = once(store.events, 'recovered')
  for (const id of ids) if (id !== null) store.outbox.remove(id)
  await nextTick()
  assert.equal(typeof store.outbox.add('hooks', delivery(100)), 'number')
  await recovered
})

test('a second process cannot open a store in use: opening fails instead of sharing an outbox', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const store = open(dir)
  t.after(() => { store.close() })
  store.outbox.add('hooks', delivery(1))
  await nextTick()
  assert.throws(() => open(dir), /locked|busy/i)
})
