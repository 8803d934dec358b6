/**
 * The durable store on one SQLite file (node:sqlite) in WAL mode. Writes
 * of one turn of the event loop are one transaction, committed in the
 * first `process.nextTick` callback after them: before any socket write
 * that turn's work queued (an SSE stream writes at the next tick, after
 * this commit), so an event id a reader has been given is on disk first.
 *
 * Sync policy (STATE_SYNC): `normal` (synchronous=NORMAL) hands each
 * commit to the kernel (one write() to the WAL), syncing at checkpoints:
 * a kill -9 of the process loses nothing committed; a power loss or a
 * kernel crash may lose the commits since the last checkpoint. `full`
 * (synchronous=FULL) syncs the WAL at every commit: nothing committed is
 * lost even then.
 *
 * Checkpoints (copying the WAL into the database file, and syncing it)
 * run on a worker thread of their own (wal-checkpointer.ts), beside the
 * event loop. The WAL starts again from its beginning only after a
 * checkpoint has copied all of it, which under a steady stream of commits
 * the worker never quite does: SQLite's automatic checkpoint stays on, in
 * the commit, but only at `walCheckpointBytes` (16 MiB) of log instead of
 * 4 MB, and then copies just what the worker has not yet (the rest is in
 * the database already, synced).
 *
 * Bounded: the database file holds at most `maxBytes` (max_page_count);
 * a write past it fails like any other (SQLITE_FULL): reported, and kept
 * in memory only. The WAL file holds at most `walLimitBytes` (64 MiB):
 * past it (the worker failed, or a checkpoint of the writer's found the
 * worker's under way, commit after commit), the writer checkpoints all of
 * it, waiting for the worker's, and truncates it.
 * The folder is locked by one process (an exclusive lock on a second
 * file, backchannel.lock, held while the store is open): a second sidecar
 * on the same folder fails at start instead of sharing an outbox.
 */
import { EventEmitter } from 'node:events'
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { RingEntry } from '../hub/ring.ts'
import type { RingStore, StateStore, StoreEvents, StoredDelivery, StoredTopic, WebhookOutbox } from './state-store.ts'
import { WalCheckpointer } from './wal-checkpointer.ts'

export interface SqliteStoreOptions {
  dir: string
  maxBytes: number
  sync: 'normal' | 'full'
  /** A new epoch, used when the store holds none yet. */
  newEpoch: () => string
  /** How long opening waits for another process's lock on the file, ms (a pod replaced while the old one exits); 5000 by default. */
  lockWaitMs?: number
  /** How soon the checkpointer thread checkpoints again after copying pages, ms; 10 by default (250 after finding none). */
  checkpointIntervalMs?: number
  /** The log's size at which a commit checkpoints what the worker has not copied yet; 16 MiB by default. */
  walCheckpointBytes?: number
  /** The WAL file's size at which the writer checkpoints all of it and truncates it; 64 MiB by default. */
  walLimitBytes?: number
}

export const STORE_FILE = 'backchannel.db'
export const LOCK_FILE = 'backchannel.lock'
const WAL_CHECKPOINT_BYTES = 16 * 1024 * 1024
const WAL_LIMIT_BYTES = 64 * 1024 * 1024

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, subscription TEXT NOT NULL, lane TEXT NOT NULL, seq INTEGER NOT NULL,
  msg_id TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL, key TEXT NOT NULL, traceparent TEXT NOT NULL, at REAL NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS outbox_by_subscription ON outbox (subscription, id);
CREATE TABLE IF NOT EXISTS topics (key TEXT PRIMARY KEY, base INTEGER NOT NULL, base_order INTEGER NOT NULL, seq INTEGER NOT NULL,
  ended_at_order INTEGER, ended_at REAL) STRICT;
CREATE TABLE IF NOT EXISTS ring (key TEXT NOT NULL, seq INTEGER NOT NULL, ord INTEGER NOT NULL, at REAL NOT NULL, event TEXT NOT NULL,
  data TEXT NOT NULL, control INTEGER NOT NULL, ascii INTEGER NOT NULL) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS ring_by_topic ON ring (key, seq);
`

interface OutboxRow { id: number, seq: number, msg_id: string, event: string, body: string, key: string, traceparent: string, lane: string, at: number }
interface TopicRow { key: string, base: number, base_order: number, seq: number, ended_at_order: number | null, ended_at: number | null }
interface RingRow { seq: number, ord: number, at: number, event: string, data: string, control: number, ascii: number }

function message (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export class SqliteStore implements StateStore {
  readonly epoch: string
  readonly issued: { maxSeq: number, order: number }
  readonly forgottenUntil: number
  readonly events = new EventEmitter<StoreEvents>()
  readonly outbox: WebhookOutbox
  readonly rings: RingStore
  readonly #db: DatabaseSync
  readonly #stmt: Record<string, StatementSync>
  #inTransaction = false
  #failedWrites = 0
  #closed = false
  #pendingIssued: { maxSeq: number, order: number } | null = null
  readonly #lock: DatabaseSync
  readonly #checkpointer: WalCheckpointer
  readonly #walFile: string
  readonly #walLimitBytes: number
  /** Per topic, the lowest seq its ring still holds, trimmed at the commit. */
  readonly #trims = new Map<string, number>()

  constructor (options: SqliteStoreOptions) {
    mkdirSync(options.dir, { recursive: true })
    this.#lock = lockFolder(join(options.dir, LOCK_FILE), options.lockWaitMs ?? 5000)
    const file = join(options.dir, STORE_FILE)
    this.#walFile = `${file}-wal`
    this.#walLimitBytes = options.walLimitBytes ?? WAL_LIMIT_BYTES
    const walCheckpointBytes = options.walCheckpointBytes ?? WAL_CHECKPOINT_BYTES
    try {
      this.#db = new DatabaseSync(file, { timeout: options.lockWaitMs ?? 5000 })
    } catch (err) {
      this.#lock.close()
      throw err
    }
    const db = this.#db
    try {
      db.exec('PRAGMA journal_mode = WAL')
      db.exec(`PRAGMA synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`)
      const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size
      // The checkpointer thread copies the log; a commit only finishes its work, rarely (see above).
      db.exec(`PRAGMA wal_autocheckpoint = ${Math.max(1, Math.floor(walCheckpointBytes / pageSize))}`)
      db.exec(`PRAGMA journal_size_limit = ${walCheckpointBytes}`)
      db.exec(`PRAGMA max_page_count = ${Math.max(64, Math.floor(options.maxBytes / pageSize))}`)
      db.exec(SCHEMA)
      // A store made before topics kept when they ended.
      if (!db.prepare('PRAGMA table_info(topics)').all().some((c) => c['name'] === 'ended_at')) db.exec('ALTER TABLE topics ADD COLUMN ended_at REAL')
    } catch (err) {
      db.close()
      this.#lock.close()
      throw err
    }
    this.#stmt = {
      meta: db.prepare('SELECT value FROM meta WHERE name = ?'),
      setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
      outboxLoad: db.prepare('SELECT id, seq, msg_id, event, body, key, traceparent, lane, at FROM outbox WHERE subscription = ? ORDER BY id'),
      outboxAdd: db.prepare('INSERT INTO outbox (subscription, lane, seq, msg_id, event, body, key, traceparent, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      outboxRemove: db.prepare('DELETE FROM outbox WHERE id = ?'),
      outboxCounts: db.prepare('SELECT subscription, count(*) AS n FROM outbox GROUP BY subscription'),
      outboxPrune: db.prepare('DELETE FROM outbox WHERE subscription = ?'),
      topic: db.prepare('SELECT key, base, base_order, seq, ended_at_order, ended_at FROM topics WHERE key = ?'),
      topics: db.prepare('SELECT key, base, base_order, seq, ended_at_order, ended_at FROM topics'),
      ringLoad: db.prepare('SELECT seq, ord, at, event, data, control, ascii FROM ring WHERE key = ? ORDER BY seq'),
      begin: db.prepare('INSERT INTO topics (key, base, base_order, seq, ended_at_order) VALUES (?, ?, ?, ?, NULL) ON CONFLICT (key) DO UPDATE SET base = excluded.base, base_order = excluded.base_order, seq = excluded.seq, ended_at_order = NULL, ended_at = NULL'),
      ringClear: db.prepare('DELETE FROM ring WHERE key = ?'),
      append: db.prepare('INSERT OR REPLACE INTO ring (key, seq, ord, at, event, data, control, ascii) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      topicSeq: db.prepare('UPDATE topics SET seq = ? WHERE key = ?'),
      trim: db.prepare('DELETE FROM ring WHERE key = ? AND seq < ?'),
      end: db.prepare('UPDATE topics SET ended_at_order = ?, ended_at = ? WHERE key = ?'),
      forget: db.prepare('DELETE FROM topics WHERE key = ?'),
    }
    const stored = this.#meta('epoch')
    this.epoch = stored ?? options.newEpoch()
    if (stored === null) this.#write('epoch', () => { this.#stmt['setMeta']?.run('epoch', this.epoch) })
    this.issued = { maxSeq: Number(this.#meta('max_seq') ?? 0), order: Number(this.#meta('order') ?? 0) }
    this.forgottenUntil = Number(this.#meta('forgotten_until') ?? 0)
    this.#commit()
    this.outbox = {
      load: (subscription) => (this.#run('outboxLoad').all(subscription) as unknown as OutboxRow[]).map((r) => ({
        storeId: r.id, seq: r.seq, id: r.msg_id, event: r.event, body: r.body, key: r.key, traceparent: r.traceparent, lane: r.lane, at: r.at,
      })),
      add: (subscription, d) => this.#add(subscription, d),
      remove: (storeId) => { this.#write('outbox_remove', () => { this.#run('outboxRemove').run(storeId) }) },
      prune: (keep) => this.#prune(keep),
    }
    this.rings = {
      load: (key) => this.#loadRing(key),
      topics: () => new Map((this.#run('topics').all() as unknown as TopicRow[]).map((r) => [r.key, topicOf(r)])),
      begin: (key, base, baseOrder) => {
        this.#trims.delete(key)
        this.#write('ring_begin', () => { this.#run('ringClear').run(key); this.#run('begin').run(key, base, baseOrder, base) })
      },
      append: (key, e) => {
        this.#write('ring_append', () => {
          this.#run('append').run(key, e.seq, e.order, e.at, e.event, e.data, e.control ? 1 : 0, e.ascii === true ? 1 : 0)
          this.#run('topicSeq').run(e.seq, key)
        })
      },
      trim: (key, firstHeldSeq) => { this.#trims.set(key, firstHeldSeq); this.#begin() },
      end: (key, order, at) => {
        this.#trims.delete(key)
        this.#write('ring_end', () => { this.#run('end').run(order, at, key); this.#run('ringClear').run(key) })
      },
      forget: (keys, endedBy) => { this.#forget(keys, endedBy) },
    }
    const intervalMs = options.checkpointIntervalMs ?? 10
    this.#checkpointer = new WalCheckpointer({ file, sync: options.sync, intervalMs, idleIntervalMs: Math.max(intervalMs, 250) })
    this.#checkpointer.events.on('error', ({ error }) => { this.events.emit('write_error', { op: 'wal_checkpoint', error }) })
    this.#checkpointer.events.on('checkpoint', (progress) => { this.events.emit('checkpointed', progress) })
  }

  noteIssued (maxSeq: number, order: number): void {
    this.#pendingIssued = { maxSeq, order }
    this.#begin()
  }

  close (): void {
    if (this.#closed) return
    this.#commit()
    this.#closed = true
    this.#checkpointer.close()
    this.#db.close()
    this.#lock.close()
  }

  #run (name: string): StatementSync {
    const stmt = this.#stmt[name]
    if (stmt === undefined) throw new Error(`no statement ${name}`)
    return stmt
  }

  #meta (name: string): string | null {
    const row = this.#run('meta').get(name) as { value: string } | undefined
    return row?.value ?? null
  }

  #add (subscription: string, d: StoredDelivery): number | null {
    let id: number | null = null
    this.#write('outbox_add', () => {
      id = Number(this.#run('outboxAdd').run(subscription, d.lane, d.seq, d.id, d.event, d.body, d.key, d.traceparent, d.at).lastInsertRowid)
    })
    return id
  }

  #prune (keep: ReadonlySet<string>): Map<string, number> {
    const pruned = new Map<string, number>()
    for (const { subscription, n } of this.#run('outboxCounts').all() as Array<{ subscription: string, n: number }>) {
      if (keep.has(subscription)) continue
      this.#write('outbox_prune', () => { this.#run('outboxPrune').run(subscription) })
      pruned.set(subscription, n)
    }
    return pruned
  }

  #forget (keys: readonly string[], endedBy: number): void {
    if (keys.length === 0) return
    this.#write('ring_forget', () => {
      let maxSeq = Number(this.#meta('max_seq') ?? 0)
      for (const key of keys) {
        // The numbers a forgotten topic gave out stay given out: a new life of it numbers above them.
        maxSeq = Math.max(maxSeq, (this.#run('topic').get(key) as TopicRow | undefined)?.seq ?? 0)
        this.#trims.delete(key)
        this.#run('ringClear').run(key)
        this.#run('forget').run(key)
      }
      const until = Math.max(endedBy, Number(this.#meta('forgotten_until') ?? 0))
      this.#run('setMeta').run('forgotten_until', String(until))
      if (this.#pendingIssued === null || this.#pendingIssued.maxSeq < maxSeq) this.#run('setMeta').run('max_seq', String(maxSeq))
    })
  }

  #loadRing (key: string): { topic: StoredTopic, entries: RingEntry[] } | null {
    const row = this.#run('topic').get(key) as TopicRow | undefined
    if (row === undefined) return null
    const entries = (this.#run('ringLoad').all(key) as unknown as RingRow[]).map((r): RingEntry => ({
      seq: r.seq, order: r.ord, at: r.at, event: r.event, data: r.data, control: r.control === 1, ascii: r.ascii === 1,
    }))
    return { topic: topicOf(row), entries }
  }

  /** Runs a write inside this turn's transaction; a failure is reported, never thrown. */
  #write (op: string, fn: () => void): void {
    if (this.#closed) return
    this.#begin()
    try {
      fn()
      this.#succeeded()
    } catch (err) {
      this.#failed(op, err)
    }
  }

  #begin (): void {
    if (this.#inTransaction || this.#closed) return
    try {
      this.#db.exec('BEGIN')
      this.#inTransaction = true
      process.nextTick(() => { this.#commit() })
    } catch (err) {
      this.#failed('begin', err)
    }
  }

  #commit (): void {
    if (!this.#inTransaction) return
    try {
      for (const [key, seq] of this.#trims) this.#run('trim').run(key, seq)
      this.#trims.clear()
      const issued = this.#pendingIssued
      if (issued !== null) {
        this.#run('setMeta').run('max_seq', String(issued.maxSeq))
        this.#run('setMeta').run('order', String(issued.order))
        this.#pendingIssued = null
      }
      this.#db.exec('COMMIT')
      this.#inTransaction = false
      this.#bound()
    } catch (err) {
      this.#failed('commit', err)
      this.#inTransaction = false
      try { if (this.#db.isTransaction) this.#db.exec('ROLLBACK') } catch { /* the connection rolled back itself */ }
    }
  }

  /**
   * The WAL file's bound, `walLimitBytes`: past it the writer checkpoints
   * the whole log itself, waiting for a checkpoint of the worker's under
   * way (up to the lock wait), and truncates the file.
   */
  #bound (): void {
    const size = statSync(this.#walFile, { throwIfNoEntry: false })?.size ?? 0
    if (size < this.#walLimitBytes) return
    try {
      const { busy, log, checkpointed } = this.#db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number, log: number, checkpointed: number }
      if (busy !== 0) throw new Error(`the WAL is ${size} bytes, past its bound, and could not be checkpointed (busy): ${checkpointed} of ${log} pages copied`)
      this.events.emit('checkpointed', { frames: log, copied: checkpointed, byWriter: true })
    } catch (err) {
      this.#failed('wal_checkpoint', err)
    }
  }

  #succeeded (): void {
    if (this.#failedWrites === 0) return
    const failedWrites = this.#failedWrites
    this.#failedWrites = 0
    this.events.emit('recovered', { failedWrites })
  }

  #failed (op: string, err: unknown): void {
    const error = message(err)
    if (this.#failedWrites++ === 0) this.events.emit('failing', { op, error })
    this.events.emit('write_error', { op, error })
  }
}

/**
 * Locks the folder for this process: an exclusive lock on `file`, a
 * database of its own that holds nothing, kept until it is closed. The
 * store's own file cannot be locked so: the checkpointer thread opens it too.
 */
function lockFolder (file: string, waitMs: number): DatabaseSync {
  const lock = new DatabaseSync(file, { timeout: waitMs })
  try {
    lock.exec('PRAGMA locking_mode = EXCLUSIVE')
    // The first write takes the exclusive lock, and the locking mode keeps it after the commit.
    lock.exec('BEGIN EXCLUSIVE')
    lock.exec('COMMIT')
  } catch (err) {
    lock.close()
    throw err
  }
  return lock
}

function topicOf (r: TopicRow): StoredTopic {
  return { base: r.base, baseOrder: r.base_order, seq: r.seq, endedAtOrder: r.ended_at_order, endedAt: r.ended_at }
}
