/**
 * Keep-alive comments go only to idle streams: a stream that carried
 * anything since the last tick is skipped at that tick.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SseStreamWriter } from '../../../src/gateway/http/sse/stream-writer.ts'
import { formatComment, formatEvent } from '../../../src/gateway/http/sse/format.ts'

test('a tick right after an event writes no comment; the next tick of an idle stream writes one', async (t) => {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => { server.closeAllConnections(); server.close() })
  const responded = once(server, 'request', { signal: AbortSignal.timeout(5000) }) as Promise<[IncomingMessage, ServerResponse]>
  const request = get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  const [, res] = await responded
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  res.flushHeaders()
  const client = new SseStreamWriter(res, null, { bufferBytes: 65_536 })
  const [response] = await once(request, 'response', { signal: AbortSignal.timeout(5000) }) as [IncomingMessage]
  let text = ''
  const marker = formatEvent({ event: 'marker', data: '{}' })
  const received = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => { reject(new Error(`marker not received within 5000 ms; got ${JSON.stringify(text)}`)) }, 5000)
    response.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('event: marker')) { clearTimeout(deadline); resolve() }
    })
  })

  const comment = formatComment('keep-alive')
  client.write(formatEvent({ event: 'msg', data: '{"n":1}' }))
  client.keepAlive() // the stream just carried an event: skipped
  client.keepAlive() // idle since the last tick: written
  client.write(marker)
  await received
  assert.equal(text, `${formatEvent({ event: 'msg', data: '{"n":1}' })}${comment}${marker}`)
  request.destroy()
})
