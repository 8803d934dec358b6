/**
 * The relay floor of the receive benchmark: the least any sidecar must do to
 * hand a Phoenix stream to an SSE reader. A raw `ws` client joins the topic
 * (one `phx_join` frame, no channel library) and a plain node:http server
 * serves GET /events; each text frame's payload is found by its position
 * (the frames of `bench/fake-server.ts` have a fixed envelope, so nothing is
 * parsed, scanned or validated) and written as one SSE event, the payload's
 * bytes copied as they came. No ring, no resume, no checks: a floor, not a
 * product. Its CPU per message is what receiving 10 KB and writing 10 KB
 * costs in the kernel and in Node's streams, below which no relay can go.
 *
 *   node relay-child.js --endpoint=ws://…/socket --topic=room:bench
 *
 * Commands (bench/gateway/child.ts): cpu, mem, close. Says `base` when ready.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import { withTimeout } from '../lib/measure.ts'
import { releaseStartupMemory } from '../../src/gateway/startup-memory.ts'
import { serve } from '../gateway/child.ts'

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, topic: { type: 'string', default: 'room:bench' } } })
if (values.endpoint === undefined) throw new Error('--endpoint is required')
const topic = values.topic

const readers = new Set<ServerResponse>()
let seq = 0
let ref = 1
/** The events of one socket read, written to every reader in one piece at the end of that turn (the gateway too joins a turn's writes). */
let pending: Buffer[] = []
function flush (): void {
  const text = Buffer.concat(pending)
  pending = []
  for (const res of readers) res.write(text)
}
/** `[null,null,"<topic>","tick",` — the fake server's broadcast envelope; the payload follows it, and `]` ends the frame. */
const envelope = Buffer.from(`[null,null,${JSON.stringify(topic)},"tick",`)
const tail = Buffer.from('\n\n')

const url = new URL(values.endpoint)
url.pathname = `${url.pathname.replace(/\/$/, '')}/websocket`
url.searchParams.set('vsn', '2.0.0')
const ws = new WebSocket(url, { perMessageDeflate: false })
const joined = new Promise<void>((resolve, reject) => {
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return
    if (data.length > envelope.length && data.subarray(0, envelope.length).equals(envelope)) {
      seq++
      const head = Buffer.from(`id: ${seq}\nevent: tick\ndata: `, 'latin1')
      const payload = data.subarray(envelope.length, data.length - 1)
      if (pending.length === 0) process.nextTick(flush)
      pending.push(head, payload, tail)
    } else if (data.includes('"phx_reply"')) {
      if (data.includes('"ok"')) resolve()
      else reject(new Error(`join refused: ${data.toString()}`))
    }
  })
  ws.on('open', () => {
    ws.send(JSON.stringify(['1', '1', topic, 'phx_join', {}]))
    setInterval(() => { ws.send(JSON.stringify([null, String(++ref), 'phoenix', 'heartbeat', {}])) }, 30_000).unref()
  })
  ws.on('error', reject)
})
await withTimeout(joined, 10_000, 'relay floor: join')

const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/events') {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' })
  readers.add(res)
  res.on('close', () => { readers.delete(res) })
  res.write('event: ready\ndata: {}\n\n')
})
await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
const { port } = server.address() as AddressInfo
releaseStartupMemory()

await serve({ base: `http://127.0.0.1:${port}` }, {}, async () => {
  for (const r of readers) r.end()
  server.closeAllConnections()
  server.close()
  ws.close()
})
