/**
 * Readers that stop reading cost the gateway a bounded number of bytes
 * each, whatever a topic publishes, and are told where they stopped; the
 * readers beside them that keep up are never cut off and miss nothing, even
 * through a burst. A reader reading slowly but steadily that is cut off
 * gets its final event before the connection closes.
 *
 * A real gateway on port 0, the fake Phoenix server's `firehose:*` channel
 * publishing as fast as the gateway takes it, and readers over real
 * sockets: fast ones (SseStream), stalled ones (a raw TCP client that stops
 * reading after `ready`) and a throttled one. What the gateway holds for a
 * reader is read from its end of the connection (the socket's
 * writableLength), not from the process's memory.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { readSchema } from '../../src/gateway/config/schema.ts'
import { channelConfig, stopGateway, type Running } from '../gateway/helpers.ts'
import { decodeChunked, joined, serverSockets, SseParser, SseStream, StalledReader, startSseGateway, type SseMessage } from '../gateway/sse/helpers.ts'
import { deadline, within } from '../helpers/wait.ts'

const KIB = 1024
const MIB = 1024 * KIB
const sseDefaults = (await readSchema()).properties?.['sse']?.properties
/** What a reader's response may hold, and what a topic holds for its readers: the documented defaults. */
const CLIENT_BUFFER = Number(sseDefaults?.['clientBufferBytes']?.default)
const DEFAULT_TOPIC_BUFFER = Number(sseDefaults?.['topicBufferBytes']?.default)
const DEFAULT_LINGER = Number(sseDefaults?.['lingerMs']?.default)

/** The `seq` of each firehose message, in arrival order. */
function seqs (events: readonly SseMessage[]): number[] {
  return events.filter((e) => e.event === 'msg').map((e) => (JSON.parse(e.data) as { seq: number }).seq)
}

function isRange (values: readonly number[], count: number): boolean {
  return values.length === count && values.every((v, i) => v === i)
}

/** Asks the fake server to publish `count` messages of `size` bytes on `topic`, through the gateway's push route. */
async function pour (running: Running, topic: string, count: number, size: number): Promise<void> {
  const res = await fetch(`${running.base}/v1/channels/${encodeURIComponent(topic)}/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: 'start', payload: { count, size } }),
    signal: AbortSignal.timeout(5000),
  })
  assert.equal(res.status, 200, await res.text())
}

/** Resolves once `count` readers have been cut off (`overflow`). */
async function cutOffs (running: Running, count: number, ms: number): Promise<void> {
  let seen = 0
  await within<undefined>(ms, `${count} readers cut off`, (resolve) => {
    const onClose = (e: { reason: string }): void => { if (e.reason === 'overflow' && ++seen === count) resolve(undefined) }
    running.daemon.broker.hub.events.on('reader_close', onClose)
    return () => { running.daemon.broker.hub.events.off('reader_close', onClose) }
  })
}

/** What a reader that was cut off received: a prefix of the messages, without holes, then `overflow` naming the last id it was given. */
function assertToldWhereItStopped (events: readonly SseMessage[], what: string): number {
  const final = events.at(-1)
  assert.equal(final?.event, 'overflow', `${what}: the last event is overflow (got ${events.slice(-3).map((e) => e.event).join(',')})`)
  const named = (JSON.parse(final.data) as { lastEventId: string }).lastEventId
  assert.equal(named, final.lastEventId, `${what}: overflow names the id of the last event it was given`)
  const got = seqs(events)
  assert.ok(isRange(got, got.length), `${what}: a prefix of the messages, in order, without holes`)
  return got.length
}

test('readers that stop reading are held to a bounded number of bytes and told the last id they were given; fast readers beside them get everything', async (t) => {
  const TOPIC = 'firehose:stalled'
  const STALLED = 20
  const FAST = 4
  const COUNT = 14_000
  const SIZE = 2000
  // The topic holds the whole firehose, so a fast reader can never fall behind what is held, however slowly this
  // process runs beside the gateway (it is cut off only for taking nothing for STALL_MS, which a reader that reads
  // never does). The stalled readers take nothing once their sockets are full, and are cut off for that.
  // (A reader cut off for falling behind what is held is the throttled reader's test below.)
  const STALL_MS = 5000
  const running = await startSseGateway([channelConfig(TOPIC)], {
    sse: { topicBufferBytes: 2 * COUNT * SIZE, stallTimeoutMs: STALL_MS, keepAliveMs: 500, lingerMs: 30_000 },
  })
  t.after(async () => { await stopGateway(running) })
  const sockets = serverSockets(running)
  await joined(running.daemon, TOPIC)

  const stalled: StalledReader[] = []
  for (let i = 0; i < STALLED; i++) {
    const reader = await StalledReader.open(running.base, TOPIC)
    t.after(() => { reader.socket.destroy() })
    stalled.push(reader)
  }
  const fast: SseStream[] = []
  for (let i = 0; i < FAST; i++) {
    const reader = await SseStream.open(running.base, TOPIC)
    t.after(() => { reader.close() })
    await reader.event('ready')
    fast.push(reader)
  }
  const held = stalled.map((r) => {
    const socket = sockets.get(r.socket.localPort ?? -1)
    assert.ok(socket !== undefined, 'the gateway\'s end of each stalled connection')
    return socket
  })

  const allCut = cutOffs(running, STALLED, 30_000 + STALL_MS)
  let most = 0
  await pour(running, TOPIC, COUNT, SIZE)
  // Whenever a fast reader gets something, look at what the gateway holds for the stalled ones.
  await Promise.all(fast.map(async (reader) => {
    await reader.until('the whole firehose', (s) => {
      for (const socket of held) most = Math.max(most, socket.writableLength)
      return s.events.at(-1)?.event === 'done'
    }, 30_000)
  }))
  await allCut
  t.diagnostic(`published ${(COUNT * SIZE / MIB).toFixed(1)} MiB; the most the gateway held for one stalled reader: ${(most / KIB).toFixed(1)} KiB`)
  assert.ok(most <= CLIENT_BUFFER + 4 * KIB, `a stalled reader held ${most} bytes: at most its buffer and one event`)

  for (const [i, reader] of fast.entries()) {
    assert.ok(isRange(seqs(reader.events), COUNT), `fast reader ${i} got every message, in order`)
    assert.equal(reader.named('overflow').length, 0, `fast reader ${i} was not cut off`)
  }
  assert.equal(running.daemon.broker.readers.size, FAST, 'only the fast readers are still open')

  // The stalled readers read again after the cut: each gets what it was given, then `overflow`, then the end.
  for (const reader of stalled) reader.resume()
  const given: number[] = []
  for (const [i, reader] of stalled.entries()) {
    await reader.completeWithin(10_000)
    const parser = new SseParser()
    parser.feed(reader.response().body)
    given.push(assertToldWhereItStopped(parser.events, `stalled reader ${i}`))
  }
  assert.ok(given.every((n) => n < COUNT), 'every stalled reader missed the end of the firehose')
  t.diagnostic(`stalled readers were given ${Math.min(...given)} to ${Math.max(...given)} messages before the cut`)
})

test('a burst of 50,000 small messages does not cut off a reader that reads as fast as it can', async (t) => {
  const TOPIC = 'firehose:burst'
  const COUNT = 50_000
  // The documented default of what a topic holds: the burst must fit in it.
  const running = await startSseGateway([channelConfig(TOPIC)], { sse: { topicBufferBytes: DEFAULT_TOPIC_BUFFER } })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const reader = await SseStream.open(running.base, TOPIC)
  t.after(() => { reader.close() })
  await reader.event('ready')

  await pour(running, TOPIC, COUNT, 100)
  await reader.until('the whole burst', (s) => s.events.at(-1)?.event === 'done' || s.events.at(-1)?.event === 'overflow', 30_000)
  assert.equal(reader.named('overflow').length, 0, 'the reader was not cut off')
  assert.ok(isRange(seqs(reader.events), COUNT), 'it got every message, in order')
  assert.equal(running.daemon.broker.readers.size, 1)
})

/** A raw SSE client that reads at most `bytesPerSecond`, pausing its socket to keep to that pace. */
class ThrottledReader {
  readonly socket: Socket
  readonly chunks: Buffer[] = []
  readonly #started = performance.now()
  readonly #wakers = new Set<() => void>()
  #received = 0

  constructor (base: string, topic: string, bytesPerSecond: number) {
    const url = new URL(base)
    const socket = connect(Number(url.port), url.hostname)
    this.socket = socket
    socket.on('error', () => { /* close follows */ })
    socket.on('close', () => { for (const wake of [...this.#wakers]) wake() })
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk)
      this.#received += chunk.length
      for (const wake of [...this.#wakers]) wake()
      const due = (this.#received / bytesPerSecond) * 1000 - (performance.now() - this.#started)
      if (due > 0) {
        socket.pause()
        setTimeout(() => { socket.resume() }, due).unref()
      }
    })
    socket.write(`GET /v1/channels/${encodeURIComponent(topic)}/events HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`)
  }

  response (): { head: string, body: string, complete: boolean } {
    return decodeChunked(Buffer.concat(this.chunks))
  }

  /** Resolves once the response has ended (its last chunk read) or the connection has closed. */
  async ended (ms: number): Promise<void> {
    const done = (): boolean => this.socket.destroyed || this.response().complete
    if (done()) return
    await within<undefined>(ms, 'the end of the throttled response', (resolve) => {
      const wake = (): void => { if (done()) resolve(undefined) }
      this.#wakers.add(wake)
      return () => { this.#wakers.delete(wake) }
    })
  }
}

test('a reader reading slowly but steadily that is cut off gets its final event before the connection closes', async (t) => {
  const TOPIC = 'firehose:steady'
  const RATE = 300 * KIB
  // A small topic buffer, so that the reader is cut off soon; the documented linger, which must let it read its final event.
  const running = await startSseGateway([channelConfig(TOPIC)], { sse: { topicBufferBytes: 64 * KIB, lingerMs: DEFAULT_LINGER } })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  let reader: ThrottledReader | undefined
  await within<undefined>(5000, 'the throttled reader attached', (resolve) => {
    const onOpen = (): void => { resolve(undefined) }
    running.daemon.broker.hub.events.once('reader_open', onOpen)
    reader = new ThrottledReader(running.base, TOPIC, RATE)
    return () => { running.daemon.broker.hub.events.off('reader_open', onOpen) }
  })
  assert.ok(reader !== undefined)
  t.after(() => { reader?.socket.destroy() })

  // Far faster than the reader reads, and far more than the topic holds and the sockets between them take.
  const cut = cutOffs(running, 1, 30_000)
  await pour(running, TOPIC, 3000, 2000)
  await cut
  await reader.ended(45_000)
  const { body, complete } = reader.response()
  assert.ok(complete, 'the response was ended, not cut mid-event')
  const parser = new SseParser()
  parser.feed(body)
  const given = assertToldWhereItStopped(parser.events.filter((e) => e.event !== 'ready'), 'the throttled reader')
  t.diagnostic(`the throttled reader was given ${given} messages (${(body.length / KIB).toFixed(0)} KiB) before its final event`)
})

test('streams beyond sse.maxClients are refused with 503 BC_ERR_SSE_LIMIT, so what readers hold has a cap', async (t) => {
  const TOPIC = 'firehose:capped'
  const running = await startSseGateway([channelConfig(TOPIC)], { sse: { maxClients: 2, retryMs: 3000 } })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const open: SseStream[] = []
  for (let i = 0; i < 2; i++) {
    const reader = await SseStream.open(running.base, TOPIC)
    t.after(() => { reader.close() })
    await reader.event('ready')
    open.push(reader)
  }
  const url = `${running.base}/v1/channels/${encodeURIComponent(TOPIC)}/events`
  const refused = await fetch(url, { signal: AbortSignal.timeout(5000) })
  assert.equal(refused.status, 503)
  assert.equal(refused.headers.get('retry-after'), '3')
  assert.equal((await refused.json() as { error: { code: string } }).error.code, 'BC_ERR_SSE_LIMIT')

  // Once a stream has gone, there is room again.
  const gone = new Promise<void>((resolve) => { running.daemon.broker.hub.events.once('reader_close', () => { resolve() }) })
  open[0]?.close()
  await gone
  const again = await SseStream.open(running.base, TOPIC)
  t.after(() => { again.close() })
  assert.equal(again.status, 200)
  await again.event('ready')
})

test('a reader whose socket takes nothing for sse.stallTimeoutMs while events wait is cut off (cause stalled), even on a topic gone quiet', async (t) => {
  const TOPIC = 'firehose:quiet'
  // The topic holds all it publishes here: only the stall timeout can cut the reader off.
  const running = await startSseGateway([channelConfig(TOPIC)], { sse: { stallTimeoutMs: 500, keepAliveMs: 50, topicBufferBytes: 64 * MIB, lingerMs: 30_000 } })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const reader = await StalledReader.open(running.base, TOPIC)
  t.after(() => { reader.socket.destroy() })
  const [client] = running.daemon.broker.readers
  assert.ok(client !== undefined)
  const closed = new Promise<{ reason: string, cause?: string }>((resolve) => { running.daemon.broker.hub.events.once('reader_close', resolve) })

  // More than the sockets between them take: the reader's socket fills, and then nothing more is published.
  const upstream = running.daemon.broker.clients.get('main')
  assert.ok(upstream !== undefined)
  const poured = within<undefined>(10_000, 'the firehose\'s done on the gateway', (resolve) => {
    const onMessage = (m: { event: string }): void => { if (m.event === 'done') resolve(undefined) }
    upstream.events.on('message', onMessage)
    return () => { upstream.events.off('message', onMessage) }
  })
  await pour(running, TOPIC, 4000, 2000)
  await poured
  assert.equal(client.waiting, true, 'its socket is full: it waits for it to drain')
  // Nothing else happens on the topic: the keep-alive tick finds it has taken nothing for stallTimeoutMs.
  const end = await deadline(closed, 'the stalled reader cut off', 5000)
  assert.deepEqual(end, { subscription: TOPIC, reason: 'overflow', cause: 'stalled' })

  reader.resume()
  await reader.completeWithin(10_000)
  const parser = new SseParser()
  parser.feed(reader.response().body)
  assertToldWhereItStopped(parser.events, 'the stalled reader')
  assert.equal((JSON.parse(parser.events.at(-1)!.data) as { cause: string }).cause, 'stalled')
})
