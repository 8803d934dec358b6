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
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DatabaseSync } from 'node:sqlite'
import { STORE_FILE, SqliteStore, type SqliteStoreOptions } from '../../../src/gateway/store/sqlite-store.ts'
import type { StoredDelivery } from '../../../src/gateway/store/state-store.ts'
import { tempDir } from '../../helpers/temp-dir.ts'
import { nextEvent } from '../../helpers/wait.ts'

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
  first.noteIssued(15, 45)
  first.close()

  const second = open(dir)
  assert.deepEqual(second.issued, { maxSeq: 15, order: 45 })
  const loaded = second.rings.load(key)
  assert.ok(loaded !== null)
  assert.deepEqual(loaded.topic, { base: 10, baseOrder: 40, seq: 15, endedAtOrder: null, endedAt: null })
  assert.deepEqual(loaded.entries.map((e) => [e.seq, e.order, e.data, e.control]), [[13, 43, '{"s":13}', false], [14, 44, '{"s":14}', false], [15, 45, '{"s":15}', false]])
  assert.deepEqual([...second.rings.topics().keys()], [key])
  // Its end keeps its life, with when it ended, and forgets its entries: a new life never reads them.
  second.rings.end(key, 99, 5000)
  second.close()

  const third = open(dir)
  t.after(() => { third.close() })
  assert.deepEqual(third.rings.load(key), { topic: { base: 10, baseOrder: 40, seq: 15, endedAtOrder: 99, endedAt: 5000 }, entries: [] })
  third.rings.begin(key, 15, 45)
  assert.deepEqual(third.rings.load(key), { topic: { base: 15, baseOrder: 45, seq: 15, endedAtOrder: null, endedAt: null }, entries: [] })
  assert.equal(third.rings.load('main\u0000nothing'), null)
})

test('forgotten topics lose their life and entries; the highest order they had ended by and the numbers they gave out stay', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const [a, b, c] = ['main\u0000a', 'main\u0000b', 'main\u0000c']
  const first = open(dir)
  assert.equal(first.forgottenUntil, 0)
  for (const [key, base] of [[a, 0], [b, 10], [c, 20]] as const) {
    first.rings.begin(key, base, base)
    first.rings.append(key, { seq: base + 1, order: base + 1, at: 1, event: 'm', data: '{}', control: false, ascii: true })
  }
  first.noteIssued(21, 21)
  first.rings.end(a, 30, 1000)
  first.close()

  const second = open(dir)
  second.rings.forget([a, c], 30)
  second.close()

  const third = open(dir)
  t.after(() => { third.close() })
  assert.deepEqual([...third.rings.topics().keys()], [b])
  assert.equal(third.rings.load(a), null)
  assert.equal(third.rings.load(c), null)
  assert.deepEqual(third.rings.load(b)?.entries.map((e) => e.seq), [11])
  assert.equal(third.forgottenUntil, 30)
  assert.deepEqual(third.issued, { maxSeq: 21, order: 21 })
  // A later, lower mark never lowers it.
  third.rings.forget([b], 12)
  third.close()
  const fourth = open(dir)
  t.after(() => { fourth.close() })
  assert.equal(fourth.forgottenUntil, 30)
  assert.deepEqual([...fourth.rings.topics().keys()], [])
})

test('a store made before ends were timed opens: its topics gain an end time, null for those that had ended', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const old = new DatabaseSync(join(dir, STORE_FILE))
  old.exec(`CREATE TABLE topics (key TEXT PRIMARY KEY, base INTEGER NOT NULL, base_order INTEGER NOT NULL, seq INTEGER NOT NULL, ended_at_order INTEGER) STRICT;
    INSERT INTO topics VALUES ('main' || char(0) || 'a', 0, 0, 3, 7)`)
  old.close()
  const store = open(dir)
  t.after(() => { store.close() })
  assert.deepEqual(store.rings.load('main\u0000a')?.topic, { base: 0, baseOrder: 0, seq: 3, endedAtOrder: 7, endedAt: null })
  store.rings.end('main\u0000a', 8, 900)
  assert.equal(store.rings.topics().get('main\u0000a')?.endedAt, 900)
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

/** `turns` turns of `perTurn` ring entries of 4 KB on one topic, each turn committed; `afterTurn` runs after each commit. */
async function writeTurns (store: SqliteStore, turns: number, perTurn: number, afterTurn: () => void = () => {}): Promise<number> {
  const key = 'main\u0000room:wal'
  store.rings.begin(key, 0, 0)
  let seq = 0
  for (let turn = 0; turn < turns; turn++) {
    for (let i = 0; i < perTurn; i++) {
      seq++
      store.rings.append(key, { seq, order: seq, at: seq, event: 'm', data: JSON.stringify({ seq, pad: 'x'.repeat(4096) }), control: false, ascii: true })
    }
    store.noteIssued(seq, seq)
    await nextTick()
    afterTurn()
  }
  return seq
}

test('the checkpointer thread copies the log into the database file beside the event loop: the writer never checkpoints', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const store = open(dir)
  t.after(() => { store.close() })
  const byWriter: unknown[] = []
  store.events.on('checkpointed', (e) => { if (e.byWriter === true) byWriter.push(e) })
  const dbFile = join(dir, STORE_FILE)
  const before = statSync(dbFile).size
  // Listening before the writes: the worker checkpoints every 10 ms while there are pages to copy.
  const caughtUp = nextEvent(store.events, 'checkpointed', (e) => e.frames > 0 && e.copied === e.frames)
  await writeTurns(store, 20, 10)
  const done = await caughtUp
  assert.equal(done.byWriter, undefined)
  assert.ok(statSync(dbFile).size > before + 20 * 10 * 4096, `the database file holds the entries: ${statSync(dbFile).size} bytes`)
  assert.deepEqual(byWriter, [])
})

test('the WAL file stays within walLimitBytes: past it, with the thread not copying, the writer checkpoints all of it and truncates it', async (t) => {
  const dir = await tempDir(t, 'bc-store-')
  const limit = 256 * 1024
  // The thread waits an hour between checkpoints, and SQLite's own checkpoint waits for 64 MiB: only the bound copies.
  const store = open(dir, { checkpointIntervalMs: 3_600_000, walCheckpointBytes: 64 * 1024 * 1024, walLimitBytes: limit })
  const walFile = join(dir, `${STORE_FILE}-wal`)
  let largest = 0
  let truncations = 0
  store.events.on('checkpointed', (e) => { if (e.byWriter === true && e.copied === e.frames) truncations++ })
  // A turn writes 4 entries of 4 KB: the file may pass the limit by at most a turn's pages (with the index and trims).
  const last = await writeTurns(store, 100, 4, () => { largest = Math.max(largest, statSync(walFile, { throwIfNoEntry: false })?.size ?? 0) })
  assert.ok(truncations >= 3, `the writer truncated the WAL ${truncations} times for about 1.6 MB of entries`)
  assert.ok(largest <= limit + 64 * 1024, `the WAL file reached ${largest} bytes`)
  store.close()
  const again = open(dir)
  t.after(() => { again.close() })
  const kept = again.rings.load('main\u0000room:wal')?.entries ?? []
  assert.equal(kept.length, last, 'every entry is in the database')
  assert.equal(kept.at(-1)?.seq, last)
})
