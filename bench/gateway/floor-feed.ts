/**
 * What the SSE floors share, whatever HTTP server they run on (floor-sse.ts
 * on plain node:http, floor-fastify-sse.ts on fastify): the `ready` event
 * each stream starts with, phoenix.js fed by one topic of the fake server at
 * `--endpoint`, the readers with the broker's back-pressure rule, and the
 * child's commands (`streams`, close).
 *
 * Each `tick` message is serialised once (`id`, `event`, `data`) and written
 * to every reader. While a reader's socket is backed up its writes are
 * counted, and a reader more than 1,000 writes behind is cut off. No ring,
 * no filters, no metrics.
 */
import type { ServerResponse } from 'node:http'
import { parseArgs } from 'node:util'
import { Socket } from 'phoenix'
import { WebSocket } from 'ws'
import { withTimeout } from '../lib/measure.ts'
import { releaseStartupMemory } from '../../src/gateway/startup-memory.ts'
import { serve } from './child.ts'

const QUEUE_LIMIT = 1000

/** The first event of every floor stream. */
export const FLOOR_READY = 'event: ready\ndata: {}\n\n'

interface Reader { res: ServerResponse, behind: number }
/** The streams of this process (one floor a process). */
const readers = new Set<Reader>()
let seq = 0
let socket: Socket | null = null

function broadcast (text: string): void {
  for (const r of readers) {
    if (r.res.writableNeedDrain) {
      if (++r.behind > QUEUE_LIMIT) {
        readers.delete(r)
        r.res.end('event: overflow\ndata: {}\n\n')
        continue
      }
    }
    r.res.write(text)
  }
}

/** Connects phoenix.js to `--endpoint` (from the command line) and joins `topic`, whose ticks go to every stream; `name` labels the join's deadline. */
export async function joinFeed (name: string, topic: string): Promise<void> {
  const { values } = parseArgs({ options: { endpoint: { type: 'string' } } })
  if (values.endpoint === undefined) throw new Error('--endpoint is required')
  socket = new Socket(values.endpoint, { transport: WebSocket, timeout: 10_000 })
  socket.connect()
  const channel = socket.channel(topic, {})
  channel.on('tick', (payload: unknown) => {
    seq++
    broadcast(`id: ${seq}\nevent: tick\ndata: ${JSON.stringify(payload)}\n\n`)
  })
  await withTimeout(new Promise<void>((resolve, reject) => {
    channel.join().receive('ok', () => { resolve() }).receive('error', () => { reject(new Error('join refused')) })
  }), 10_000, `${name}: join`)
}

/** A stream whose headers and `ready` event are written: it gets every tick from now on, until it closes. */
export function addReader (res: ServerResponse): void {
  const reader: Reader = { res, behind: 0 }
  readers.add(reader)
  res.on('drain', () => { reader.behind = 0 })
  res.on('close', () => { readers.delete(reader) })
}

/**
 * Gives back the start-up memory (as every server child of the bench does once it serves), says ready with
 * `base`, and answers commands; on close, ends every stream, runs `closeServer`, and disconnects phoenix.js.
 */
export async function serveFloor (base: string, closeServer: () => Promise<void>): Promise<void> {
  releaseStartupMemory()
  await serve({ base }, {
    streams: () => ({ streams: readers.size }),
  }, async () => {
    for (const r of readers) r.res.end()
    await closeServer()
    socket?.disconnect()
  })
}
