/**
 * The SSE floor: a plain node:http Server-Sent Events server fed by
 * phoenix.js (topic `room:floor` of the fake server at `--endpoint`). Each
 * `tick` message is serialised once (`id`, `event`, `data`) and written to
 * every reader, with the same back-pressure rule as the broker: while a
 * reader's socket is backed up its writes are counted, and a reader more
 * than 1,000 writes behind is cut off. No ring, no filters, no metrics.
 *
 * GET /events on the listening address. Commands: cpu, mem, `streams`, close.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { Socket } from 'phoenix'
import { WebSocket } from 'ws'
import { withTimeout } from '../lib/measure.ts'
import { releaseStartupMemory } from '../../src/gateway/startup-memory.ts'
import { serve } from './child.ts'

const QUEUE_LIMIT = 1000

const { values } = parseArgs({ options: { endpoint: { type: 'string' } } })
if (values.endpoint === undefined) throw new Error('--endpoint is required')

interface Reader { res: ServerResponse, behind: number }
const readers = new Set<Reader>()
let seq = 0

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

const socket = new Socket(values.endpoint, { transport: WebSocket, timeout: 10_000 })
socket.connect()
const channel = socket.channel('room:floor', {})
channel.on('tick', (payload: unknown) => {
  seq++
  broadcast(`id: ${seq}\nevent: tick\ndata: ${JSON.stringify(payload)}\n\n`)
})
await withTimeout(new Promise<void>((resolve, reject) => {
  channel.join().receive('ok', () => { resolve() }).receive('error', () => { reject(new Error('join refused')) })
}), 10_000, 'floor-sse: join')

const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/events') {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  })
  const reader: Reader = { res, behind: 0 }
  readers.add(reader)
  res.on('drain', () => { reader.behind = 0 })
  res.on('close', () => { readers.delete(reader) })
  res.write('event: ready\ndata: {}\n\n')
})
await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
const { port } = server.address() as AddressInfo
releaseStartupMemory() // as every server child of the bench does after start-up

await serve({ base: `http://127.0.0.1:${port}` }, {
  streams: () => ({ streams: readers.size }),
}, async () => {
  for (const r of readers) r.res.end()
  server.closeAllConnections()
  server.close()
  socket.disconnect()
})
