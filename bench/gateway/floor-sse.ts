/**
 * The SSE floor: a plain node:http Server-Sent Events server fed by
 * phoenix.js (topic `room:floor` of the fake server at `--endpoint`), with
 * the broker's back-pressure rule (see floor-feed.ts). No ring, no filters,
 * no metrics.
 *
 * GET /events on the listening address. Commands: cpu, mem, `streams`, close.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FLOOR_READY, addReader, joinFeed, serveFloor } from './floor-feed.ts'

await joinFeed('floor-sse', 'room:floor')

const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/events') {
    res.writeHead(404).end()
    return
  }
  // The gateway's SSE headers (src/gateway/http/sse/stream-request.ts), an object a request as the floor always had.
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  })
  addReader(res)
  res.write(FLOOR_READY)
})
await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
const { port } = server.address() as AddressInfo

await serveFloor(`http://127.0.0.1:${port}`, async () => {
  server.closeAllConnections()
  server.close()
})
