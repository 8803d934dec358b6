/**
 * GET /v1/channels/:topic/events delivers the channel's messages as SSE:
 * in order, numbered with `<epoch>-<seq>` ids, named after the Phoenix
 * event, with the JSON payload as data; `?events=` filters; an unknown
 * topic is a 404 problem, not a stream. The gateway runs in-process against
 * the fake Phoenix server on real sockets.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig, stopGateway } from '../helpers.ts'
import { broadcastNumbered, joined, numbers, range, seqOf, SseStream, startSseGateway, subscription, readyStream } from './helpers.ts'

const TOPIC = 'room:delivery'

test('200 broadcasts arrive in order with consecutive ids, after a ready event, on a non-cacheable unbuffered stream', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)], { sse: { retryMs: 1234 } })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const stream = await SseStream.open(running.base, TOPIC)
  t.after(() => { stream.close() })

  assert.equal(stream.status, 200)
  assert.match(String(stream.headers['content-type']), /^text\/event-stream\b/)
  assert.equal(stream.headers['cache-control'], 'no-store')
  assert.equal(stream.headers['x-accel-buffering'], 'no')

  const ready = await stream.event('ready')
  const epoch = running.daemon.broker.hub.epoch
  assert.equal(stream.events[0], ready, 'ready is the first event')
  assert.equal(ready.retry, 1234)
  assert.equal(ready.id, undefined)
  assert.deepEqual(JSON.parse(ready.data), { topic: TOPIC, epoch, state: 'joined' })
  assert.match(stream.text, /^event: ready\nretry: 1234\n/)

  const before = subscription(running.daemon, TOPIC).seq
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 200)
  await stream.until('200 messages', (s) => s.named('msg').length === 200)

  const msgs = stream.named('msg')
  assert.deepEqual(numbers(msgs), range(1, 200))
  assert.deepEqual(msgs.map((e) => e.id), range(before + 1, 200).map((seq) => `${epoch}-${seq}`))
  assert.deepEqual(msgs.map((e) => e.data), range(1, 200).map((n) => JSON.stringify({ n })))
  assert.deepEqual(stream.events.map((e) => e.event), ['ready', ...Array<string>(200).fill('msg')], 'nothing else in between')
})

test('the event name is the Phoenix event and the data is its JSON payload, whatever its shape', async (t) => {
  const { running, stream } = await readyStream(t, [channelConfig(TOPIC)])

  const payloads: Array<[string, unknown]> = [
    ['new_msg', { body: 'hi', nested: { list: [1, 2, { x: null }] } }],
    ['presence_diff', { joins: {}, leaves: {} }],
    ['multi_line', { text: 'line one\nline two\r\nline three' }],
    ['unicode', { text: 'héllo ✓ 🎉' }],
    ['list', [1, 'two', false]],
    ['scalar', 'just a string'],
  ]
  for (const [event, payload] of payloads) running.phoenix.broadcast(TOPIC, event, payload)
  await stream.until('every payload', (s) => s.events.length === payloads.length + 1)

  assert.deepEqual(stream.events.slice(1).map((e) => [e.event, JSON.parse(e.data) as unknown]), payloads)
  assert.ok(stream.events.slice(1).every((e) => !e.data.includes('\n')), 'JSON data is one line: line breaks inside strings stay escaped')
})

test('a binary broadcast arrives as {"base64": ...}', async (t) => {
  const { running, stream } = await readyStream(t, [channelConfig(TOPIC)])

  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255, 10, 13])
  running.phoenix.broadcast(TOPIC, 'blob', bytes)
  running.phoenix.broadcast(TOPIC, 'empty_blob', new Uint8Array(0))
  const blob = await stream.event('blob')
  const empty = await stream.event('empty_blob')
  assert.deepEqual(JSON.parse(blob.data), { base64: Buffer.from(bytes).toString('base64') })
  assert.deepEqual(JSON.parse(empty.data), { base64: '' })
})

test('?events=a,b passes only a and b, plus lifecycle and gap events', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const filtered = await SseStream.open(running.base, TOPIC, { query: { events: 'a, b,,' } })
  const all = await SseStream.open(running.base, TOPIC)
  t.after(() => { filtered.close(); all.close() })
  await filtered.event('ready')
  await all.event('ready')

  for (const [i, event] of ['a', 'c', 'b', 'a_b', 'A', 'b'].entries()) running.phoenix.broadcast(TOPIC, event, { i })
  await all.until('six messages', (s) => s.events.length === 7)
  await filtered.until('a, b, b', (s) => s.named('b').length === 2)
  assert.deepEqual(filtered.events.map((e) => e.event), ['ready', 'a', 'b', 'b'], 'c, a_b and A were sent before the last b and never came')
  const ids = new Map(all.events.map((e) => [e.data, e.id]))
  assert.deepEqual(filtered.events.slice(1).map((e) => e.id), filtered.events.slice(1).map((e) => ids.get(e.data)), 'a filtered reader sees the same ids')

  // Lifecycle and gap events pass the filter: the upstream drops and comes back.
  running.phoenix.faults.dropAll()
  await filtered.event('rejoined')
  running.phoenix.broadcast(TOPIC, 'c', { after: true })
  running.phoenix.broadcast(TOPIC, 'a', { after: true })
  await filtered.until('a after the rejoin', (s) => s.named('a').length === 2)
  assert.deepEqual(filtered.events.map((e) => e.event), ['ready', 'a', 'b', 'b', 'errored', 'gap', 'rejoined', 'a'])
  const seqs = filtered.events.slice(1).map((e) => seqOf(e.id))
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'ids still increase')
})

test('an unknown topic is a 404 problem in JSON, not an event stream', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })

  const res = await fetch(`${running.base}/v1/channels/${encodeURIComponent('room:nope')}/events`, { headers: { accept: 'text/event-stream' } })
  assert.equal(res.status, 404)
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  const body = await res.json() as { error: { code: string, message: string } }
  assert.equal(body.error.code, 'BC_ERR_UNKNOWN_TOPIC')
  assert.match(body.error.message, /room:nope/)
  assert.equal(running.daemon.broker.readers.size, 0)
})

test('an unknown query parameter is a 400 problem, not an event stream', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })

  const res = await fetch(`${running.base}/v1/channels/${encodeURIComponent(TOPIC)}/events?evnts=a`)
  assert.equal(res.status, 400)
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  const body = await res.json() as { error: { code: string } }
  assert.equal(body.error.code, 'BC_ERR_BAD_REQUEST')
})

test('a Phoenix event name with a line break cannot break the stream: the break becomes a space', async (t) => {
  const { running, stream } = await readyStream(t, [channelConfig(TOPIC)])
  running.phoenix.broadcast(TOPIC, 'evil\r\nevent: forged', { n: 1 })
  running.phoenix.broadcast(TOPIC, 'after', { n: 2 })
  const odd = await stream.event('evil event: forged')
  assert.equal(odd.data, '{"n":1}')
  assert.equal((await stream.event('after')).data, '{"n":2}')
  assert.ok(!stream.events.some((e) => e.event === 'forged'))
})
