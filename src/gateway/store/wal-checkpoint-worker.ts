/**
 * The WAL checkpointer's thread (wal-checkpointer.ts starts it): its own
 * connection to the store's file copies the pages committed to the
 * write-ahead log into the database (a PASSIVE checkpoint, which never
 * waits for the writer nor makes it wait), so the copy and its fsyncs
 * happen beside the event loop instead of inside a commit: `intervalMs`
 * after a checkpoint that copied pages (the writer is busy: the less it
 * has to copy itself, the better), `idleIntervalMs` after one that found
 * nothing new. It reports each checkpoint that copied pages, and its
 * errors; it stops on 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { DatabaseSync } from 'node:sqlite'
import type { CheckpointerData, CheckpointerMessage } from './wal-checkpointer.ts'

const port = parentPort
if (port === null) throw new Error('wal-checkpoint-worker.ts runs as a worker thread (wal-checkpointer.ts starts it)')
const { file, sync, intervalMs, idleIntervalMs, closed } = workerData as CheckpointerData

const post = (message: CheckpointerMessage): void => { port.postMessage(message) }
const db = new DatabaseSync(file, { timeout: 0 })
// Its checkpoints sync as the writer's commits do: the WAL, then the database file.
db.exec(`PRAGMA synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`)
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
let copied = -1
let timer: NodeJS.Timeout

/** One checkpoint; whether it copied pages. */
function run (): boolean {
  try {
    const { log, checkpointed } = checkpoint.get() as { busy: number, log: number, checkpointed: number }
    // Once per change: an idle store's log stays as it is, and so does the count.
    const progress = checkpointed > 0 && checkpointed !== copied
    copied = checkpointed
    if (progress) post({ type: 'checkpoint', frames: log, copied: checkpointed })
    return progress
  } catch (err) {
    post({ type: 'error', error: err instanceof Error ? err.message : String(err) })
    return false
  }
}

const next = (delayMs: number): void => { timer = setTimeout(() => { next(run() ? intervalMs : idleIntervalMs) }, delayMs) }
next(intervalMs)
port.on('message', (message: unknown) => {
  if (message !== 'close') return
  clearTimeout(timer)
  db.close()
  const flag = new Int32Array(closed)
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
  port.close()
})
