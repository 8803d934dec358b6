/**
 * SSE streams and HTTP/1.1 keep-alive: EventSource implementations (undici's
 * fetch, browsers) send their reconnect on the connection the ended stream
 * used. A stream the gateway ended and flushed must leave that connection
 * alone; only a stream whose end cannot be flushed (a reader that does not
 * read) has its socket destroyed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Agent } from 'node:http'
import { channelConfig, stopGateway } from '../helpers.ts'
import { joined, numbers, range, serverSockets, SseParser, SseStream, StalledReader, startSseGateway } from './helpers.ts'
import { deadline } from '../../helpers/wait.ts'

const TOPIC = 'room:conn'

test('a stream the gateway ended does not take down the next stream on the same keep-alive connection', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)], { sse: { keepAliveMs: 50 } })
  t.after(async () => { await stopGateway(running) })
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  t.after(() => { agent.destroy() })
  await joined(running.daemon, TOPIC)

  const first = await SseStream.open(running.base, TOPIC, { agent })
  await first.event('ready')
  for (const stream of running.daemon.broker.readers) stream.end('shutdown', { reason: 'test' }, 30)
  await first.event('shutdown')
  await first.endedWithin()

  const second = await SseStream.open(running.base, TOPIC, { agent })
  t.after(() => { second.close() })
  assert.equal(second.socket, first.socket, 'the second request reused the connection')
  await second.event('ready')
  // 25 keep-alive ticks of 50 ms outlast the 1 s the gateway gives an ended stream to flush.
  await second.until('25 keep-alive comments', (s) => s.parser.comments.length >= 25, 5000)
  assert.equal(second.ended, false)
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  await second.event('msg')
  assert.equal(running.daemon.broker.readers.size, 1)
})

test('a cut-off reader that does not read has its socket destroyed by the broker, and what it got is a prefix without holes', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC, { replay: 10 })], { sse: { clientQueue: 5 } })
  t.after(async () => { await stopGateway(running) })
  const sockets = serverSockets(running)
  await joined(running.daemon, TOPIC)
  const slow = await StalledReader.open(running.base, TOPIC)
  t.after(() => { slow.socket.destroy() })
  const serverSide = sockets.get(slow.socket.localPort ?? -1)
  assert.ok(serverSide !== undefined, 'the gateway\'s end of the stalled connection')
  const serverClosed = new Promise<void>((resolve) => { serverSide.once('close', () => { resolve() }) })

  // 10 MB: more than loopback TCP buffers hold for a reader that does not read.
  const pad = 'x'.repeat(10 * 1024)
  for (let n = 1; n <= 1000; n++) running.phoenix.broadcast(TOPIC, 'msg', { n, pad })
  // About 1 s (the flush grace) on an idle machine; the deadline only stops a hang. It took over
  // 5 s once on a loaded machine: the same event loop parses the whole 10 MB burst before the grace timer runs.
  await deadline(serverClosed, 'the gateway destroying the stalled socket', 20_000)
  assert.equal(running.daemon.broker.readers.size, 0)

  slow.resume()
  await deadline(slow.closed, 'the stalled reader reading to the end')
  const { body, complete } = slow.response()
  assert.equal(complete, false, 'the response was cut, not completed')
  const parser = new SseParser()
  parser.feed(body)
  const got = numbers(parser.events)
  assert.ok(got.length > 0 && got.length < 1000, `got ${got.length} messages`)
  assert.deepEqual(got, range(1, got.length))
})
