/**
 * Guarantee: the gateway forwards payloads as the text Phoenix sent, and
 * whatever that text holds, SSE stays well-formed and the sidecar keeps
 * serving every other topic. Three crafted upstream frames: a payload with
 * raw CR/LF between its tokens (forwarded on one `data:` line, the same
 * value), a payload that is not JSON (the frame is refused: the socket is
 * closed with 1002 and rejoined, readers get a `gap`), and a payload nested
 * 100,000 levels deep (dropped, its readers get a `gap` in its place).
 * Each is watched on a per-topic stream and on a stream over both topics.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig } from '../gateway/helpers.ts'
import { clientOf, joined, startGw, type Gw } from '../gateway/http/support.ts'
import { scrape } from '../gateway/observe/support.ts'
import { SseStream } from '../gateway/sse/helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

const frame = (topic: string, event: string, payloadText: string): string => `[null,null,${JSON.stringify(topic)},${JSON.stringify(event)},${payloadText}]`
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

/** Every line of the stream is a field or a comment, with no CR; every event's data is JSON, on one line. */
function assertWellFormed (stream: SseStream): void {
  assert.ok(!stream.text.includes('\r'), 'no CR anywhere')
  for (const block of stream.text.split('\n\n').filter((b) => b !== '')) {
    const lines = block.split('\n')
    for (const line of lines) assert.match(line, /^(?:(?:id|event|data|retry): |:)/, `a field or a comment: ${JSON.stringify(line.slice(0, 80))}`)
    const data = lines.filter((l) => l.startsWith('data: '))
    assert.ok(data.length <= 1, `one data line per event: ${JSON.stringify(block.slice(0, 120))}`)
    if (data.length === 1) JSON.parse(data[0]!.slice('data: '.length))
  }
}

interface Readers { a: SseStream, b: SseStream, both: SseStream }

async function gatewayWithReaders (t: { after: (fn: () => void) => void }, gw: Gw): Promise<Readers> {
  await joined(gw, 'room:a')
  await joined(gw, 'room:b')
  const [a, b, both] = await Promise.all([SseStream.open(gw.base, 'room:a'), SseStream.open(gw.base, 'room:b'), SseStream.openTopics(gw.base, ['room:a', 'room:b'])])
  t.after(() => { a.close(); b.close(); both.close() })
  await Promise.all([a.event('ready'), b.event('ready'), both.event('ready')])
  return { a, b, both }
}

/** Payloads of the `msg` events (on the stream over both topics: `{topic, payload}`). */
const payloads = (s: SseStream): unknown[] => s.named('msg').map((e) => JSON.parse(e.data) as unknown)

/** Sends one message on each topic after the crafted frame and waits until every reader has them. */
async function othersStillServed (gw: Gw, r: Readers, before: { a: number, b: number }): Promise<void> {
  gw.phoenix.broadcast('room:a', 'msg', { after: 'a' })
  gw.phoenix.broadcast('room:b', 'msg', { after: 'b' })
  await r.a.until('room:a\'s next message', (s) => s.named('msg').length === before.a + 1)
  await r.b.until('room:b\'s next message', (s) => s.named('msg').length === before.b + 1)
  await r.both.until('both next messages', (s) => s.named('msg').length === before.a + before.b + 2)
  assert.deepEqual(payloads(r.a).at(-1), { after: 'a' })
  assert.deepEqual(payloads(r.b).at(-1), { after: 'b' })
  for (const s of [r.a, r.b, r.both]) assertWellFormed(s)
}

test('a payload with raw CR/LF between its tokens is forwarded on one data line, with the same value; nothing is dropped', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a'), channelConfig('room:b')])
  const r = await gatewayWithReaders(t, gw)
  const text = '{\r\n  "text": "two\\r\\nlines",\n  "list": [1,\r 2],\r\r\n  "end": "]\\""\n}'
  assert.equal(gw.phoenix.faults.sendRaw(frame('room:a', 'msg', `\r\n${text}\r\n`)), 1)
  await r.a.until('the message', (s) => s.named('msg').length === 1)
  await r.both.until('the message', (s) => s.named('msg').length === 1)
  const value = { text: 'two\r\nlines', list: [1, 2], end: ']"' }
  assert.deepEqual(payloads(r.a), [value])
  assert.deepEqual(payloads(r.both), [{ topic: 'room:a', payload: value }])
  assert.equal(r.a.named('msg')[0]?.data, '{  "text": "two\\r\\nlines",  "list": [1, 2],  "end": "]\\""}', 'the text received, less its line breaks')
  await othersStillServed(gw, r, { a: 1, b: 0 })
  assert.equal(r.a.named('gap').length + r.b.named('gap').length + r.both.named('gap').length, 0)
})

test('a payload that is not JSON: the frame is refused, the socket closed with 1002 and rejoined; readers are told by a gap', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a'), channelConfig('room:b')])
  const r = await gatewayWithReaders(t, gw)
  const refused = nextEvent(clientOf(gw).events, 'protocol_error')
  const closed = nextEvent(clientOf(gw).events, 'disconnect')
  assert.equal(gw.phoenix.faults.sendRaw(frame('room:a', 'msg', '{"text": "cut short]')), 1)
  assert.equal((await refused).fault, 'malformed_json')
  assert.equal((await closed).code, 1002)
  await r.a.until('room:a rejoined', (s) => s.named('rejoined').length === 1)
  await r.b.until('room:b rejoined', (s) => s.named('rejoined').length === 1)
  await r.both.until('both rejoined', (s) => s.named('rejoined').length === 2)
  for (const s of [r.a, r.b]) assert.equal((JSON.parse(s.named('gap')[0]?.data ?? '{}') as { reason?: string }).reason, 'upstream_disconnected')
  assert.equal(r.both.named('gap').length, 2, 'one gap per topic on the stream over both')
  assert.equal(r.a.named('msg').length, 0, 'nothing of the refused frame went out')
  await othersStillServed(gw, r, { a: 0, b: 0 })
  const m = await scrape(gw.base)
  assert.equal(m.value('backchannel_upstream_protocol_errors_total', { upstream: 'main' }), 1)
})

test('a payload nested 100,000 levels deep is dropped with a gap in its place; the socket and the other topic carry on', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a'), channelConfig('room:b')])
  const r = await gatewayWithReaders(t, gw)
  let disconnects = 0
  clientOf(gw).events.on('disconnect', () => { disconnects++ })
  assert.equal(gw.phoenix.faults.sendRaw(frame('room:a', 'msg', nested(100_000))), 1)
  await othersStillServed(gw, r, { a: 0, b: 0 })
  const gap = JSON.parse(r.a.named('gap')[0]?.data ?? '{}') as Record<string, unknown>
  assert.deepEqual([gap['reason'], gap['cause']], ['message_dropped', 'too_deep'])
  assert.deepEqual(r.a.events.filter((e) => e.event === 'gap' || e.event === 'msg').map((e) => e.event), ['gap', 'msg'], 'the gap stands where the message was')
  assert.equal(r.both.named('gap').length, 1)
  assert.equal(r.b.named('gap').length, 0)
  assert.equal(disconnects, 0, 'the socket stayed up')
  const m = await scrape(gw.base)
  assert.equal(m.value('backchannel_upstream_messages_dropped_total', { upstream: 'main', reason: 'too_deep' }), 1)
})
