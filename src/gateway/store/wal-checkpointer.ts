/**
 * Checkpoints of the store's write-ahead log on a thread of their own
 * (wal-checkpoint-worker.ts). SQLite's automatic checkpoint runs inside the
 * commit that crosses its threshold, on the event loop, and syncs the
 * database file there: the store's p99 per turn. The worker copies the
 * log into the database beside the event loop, every few ms while the
 * writer writes; the writer's own checkpoints become rare and small
 * (sqlite-store.ts).
 *
 * A worker that fails (it cannot open the file, a checkpoint errs) is
 * reported; the writer's own bound keeps the log from growing past it.
 */
import { EventEmitter } from 'node:events'
import { Worker } from 'node:worker_threads'

export interface CheckpointerData {
  /** The database file. */
  readonly file: string
  readonly sync: 'normal' | 'full'
  /** The delay after a checkpoint that copied pages, ms. */
  readonly intervalMs: number
  /** The delay after one that found nothing to copy, ms. */
  readonly idleIntervalMs: number
  /** One Int32: the worker sets it to 1 and notifies once its connection is closed. */
  readonly closed: SharedArrayBuffer
}

export type CheckpointerMessage =
  | { type: 'checkpoint', frames: number, copied: number }
  | { type: 'error', error: string }

export interface CheckpointerEvents {
  /** A checkpoint copied pages: `copied` of the log's `frames` are in the database now. */
  checkpoint: [{ frames: number, copied: number }]
  /** The worker failed, or one of its checkpoints did. */
  error: [{ error: string }]
}

// The worker's file sits next to this one, .ts from the sources and .js once built.
const WORKER_URL = new URL(`./wal-checkpoint-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)

/** How long `close` waits for the worker's connection to close: a checkpoint under way finishes first. */
const CLOSE_WAIT_MS = 2000

export class WalCheckpointer {
  readonly events = new EventEmitter<CheckpointerEvents>()
  readonly #worker: Worker
  readonly #closedFlag = new Int32Array(new SharedArrayBuffer(4))
  #closed = false
  #exited = false

  constructor (data: Omit<CheckpointerData, 'closed'>) {
    const workerData: CheckpointerData = { ...data, closed: this.#closedFlag.buffer }
    this.#worker = new Worker(WORKER_URL, { workerData, stdout: false, stderr: false })
    // It never keeps the process alive: a process with nothing else to do exits, and the writer's bound still holds.
    this.#worker.unref()
    this.#worker.on('message', (message: CheckpointerMessage) => {
      if (message.type === 'checkpoint') this.events.emit('checkpoint', { frames: message.frames, copied: message.copied })
      else this.events.emit('error', { error: message.error })
    })
    this.#worker.on('error', (err: Error) => { this.events.emit('error', { error: err.message }) })
    this.#worker.on('exit', () => { this.#exited = true })
  }

  /**
   * Closes the worker's connection and ends it, waiting (blocking, up to 2 s) until the connection is closed: the
   * writer's connection, closed after it, is then the last one on the file, and a store opened next in this process
   * finds it free. A checkpoint under way finishes first.
   */
  close (): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#exited) return
    this.#worker.postMessage('close')
    Atomics.wait(this.#closedFlag, 0, 0, CLOSE_WAIT_MS)
  }
}
