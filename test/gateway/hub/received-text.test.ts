/**
 * The hub with messages as the client decodes them, pure: a payload that
 * came as text is kept and framed as that text, never parsed (except a
 * presence channel's presence messages) nor encoded again; CR and LF, which
 * JSON text carries only as whitespace between tokens, are taken out so
 * every SSE event stays on one `data:` line; bytes still go as base64.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { KEPT_TEXT_MAX_DATA, sseText, sseTextIsAscii } from '../../../src/gateway/http/sse/stream-writer.ts'
import { Hub } from '../../../src/gateway/hub/hub.ts'
import { oneLineJson } from '../../../src/gateway/hub/payload-json.ts'
import { v2 } from '../../../src/phoenix/serializer.ts'
import { channelConfig } from '../helpers.ts'

const hubWith = (topic: string, presence = false): Hub => new Hub([channelConfig(topic, { presence })], { epoch: 'ep', now: () => Date.UTC(2026, 0, 1) })

/** A message as the client hands it to the gateway, from a V2 frame. */
const received = (topic: string, event: string, payloadText: string): ReturnType<typeof v2.decodeFromServerLazily> =>
  v2.decodeFromServerLazily(`[null,null,${JSON.stringify(topic)},${JSON.stringify(event)},${payloadText}]`)

/** Counts reads of `payload` on a decoded message (each would parse, or read the parsed value). */
function countReads<T extends { payload: unknown }> (message: T): { message: T, reads: () => number } {
  let reads = 0
  const counted = Object.create(message, {
    payload: { get: () => { reads++; return message.payload } },
  }) as T
  return { message: counted, reads: () => reads }
}

test('a payload received as text is published as that very text, its whitespace and escapes kept, without reading the value', () => {
  const hub = hubWith('room:a')
  const text = '{ "s" : "caf\\u00e9 \\"]\\"" ,\t"n": 1.50 }'
  const { message, reads } = countReads(received('room:a', 'msg', text))
  hub.onReceived('main', 'room:a', 'msg', message)
  const entry = hub.get('main', 'room:a')?.ring.since(0)[0] ?? assert.fail('nothing published')
  assert.equal(entry.data, text)
  assert.equal(sseText(entry, hub.epoch), `id: ep-1\nevent: msg\ndata: ${text}\n\n`)
  assert.equal(reads(), 0, 'the payload was never read')
})

test('a short event keeps its SSE text for every stream; a long one gets the same text each time and is not kept on the entry', () => {
  const hub = hubWith('room:a')
  const short = '{"a":"é"}'
  const long = `{"p":"${'é✓'.repeat(KEPT_TEXT_MAX_DATA)}"}`
  hub.onReceived('main', 'room:a', 'msg', received('room:a', 'msg', short))
  hub.onReceived('main', 'room:a', 'msg', received('room:a', 'msg', long))
  const [first, second] = hub.get('main', 'room:a')?.ring.since(0) ?? assert.fail('nothing published')
  assert.ok(first !== undefined && second !== undefined)
  assert.equal(sseText(first, hub.epoch), `id: ep-1\nevent: msg\ndata: ${short}\n\n`)
  assert.equal(first.sseText, sseText(first, hub.epoch))
  assert.equal(sseText(second, hub.epoch), `id: ep-2\nevent: msg\ndata: ${long}\n\n`)
  assert.equal(sseText(second, hub.epoch), `id: ep-2\nevent: msg\ndata: ${long}\n\n`)
  assert.equal(second.sseText, undefined)
})

test('an entry is marked ASCII only when its payload text is known to be and its event name is; its SSE text only if its epoch is too', () => {
  const hub = hubWith('room:a')
  const frame = (event: string, text: string): string => `[null,null,"room:a",${JSON.stringify(event)},${text}]`
  hub.onReceived('main', 'room:a', 'msg', v2.decodeFromServerLazily(frame('msg', '{"a":1}'), true))
  hub.onReceived('main', 'room:a', 'msg', v2.decodeFromServerLazily(frame('msg', '{"a":1}')))
  hub.onReceived('main', 'room:a', 'é', v2.decodeFromServerLazily(frame('é', '{"a":1}'), true))
  hub.onMessage('main', 'room:a', 'msg', { a: 1 })
  const entries = hub.get('main', 'room:a')?.ring.since(0) ?? assert.fail('nothing published')
  assert.deepEqual(entries.map((e) => e.ascii), [true, false, false, false])
  assert.deepEqual(entries.map((e) => sseTextIsAscii(e, hub.epoch)), [true, false, false, false])
  assert.equal(sseTextIsAscii(entries[0]!, 'époque'), false)
})

test('CR and LF between tokens are taken out: one data line, the same value; CR/LF escaped in strings stay escaped', () => {
  const hub = hubWith('room:a')
  const text = '{\r\n  "a": [\n    1,\r    "line\\r\\nbreak"\n  ]\r\n}\n'.trimEnd()
  hub.onReceived('main', 'room:a', 'msg', received('room:a', 'msg', text))
  const entry = hub.get('main', 'room:a')?.ring.since(0)[0] ?? assert.fail('nothing published')
  assert.equal(entry.data, '{  "a": [    1,    "line\\r\\nbreak"  ]}')
  assert.deepEqual(JSON.parse(entry.data), JSON.parse(text))
  const sse = sseText(entry, hub.epoch)
  assert.equal(sse.split('\n').filter((line) => line.startsWith('data:')).length, 1)
  assert.ok(!sse.includes('\r'))
})

test('oneLineJson leaves the same JSON value for any valid text, and text without line breaks as it is', () => {
  for (const text of ['[1,\n2]', '{\r"a"\r\n:\n"b"}', '\n\n"x"\r\r', 'null', '[\n]', '[1,"\\n"]']) {
    const line = oneLineJson(text)
    assert.ok(!/[\r\n]/.test(line), text)
    assert.deepEqual(JSON.parse(line), JSON.parse(text), text)
  }
  const same = '{"a":1}'
  assert.equal(oneLineJson(same), same)
})

test('bytes go out as {"base64": …}, values handed in are encoded, as before', () => {
  const hub = hubWith('room:b')
  hub.onReceived('main', 'room:b', 'bin', v2.decodeFromServerLazily(Uint8Array.from([2, 6, 3, ...Buffer.from('room:bbin'), 0xff, 0x00])))
  hub.onMessage('main', 'room:b', 'obj', { n: [1, 'two'] })
  assert.deepEqual(hub.get('main', 'room:b')?.ring.since(0).map((e) => [e.event, e.data]), [['bin', '{"base64":"/wA="}'], ['obj', '{"n":[1,"two"]}']])
})

test('a presence channel reads its presence messages (from the text) and forwards its other messages as text', () => {
  const hub = hubWith('presence:p', true)
  hub.onJoined('main', 'presence:p')
  const other = countReads(received('presence:p', 'chat', '{"m" : 1}'))
  hub.onReceived('main', 'presence:p', 'presence_state', received('presence:p', 'presence_state', '{"u1":{"metas":[{"phx_ref":"r1"}]}}'))
  hub.onReceived('main', 'presence:p', 'chat', other.message)
  const sub = hub.get('main', 'presence:p') ?? assert.fail('no subscription')
  assert.deepEqual(Object.keys(sub.presence?.state() ?? {}), ['u1'])
  assert.deepEqual(sub.ring.since(0).map((e) => [e.event, e.data]).slice(1), [
    ['presence_join', '{"key":"u1","current":{"metas":[{"phx_ref":"r1"}]},"joined":{"metas":[{"phx_ref":"r1"}]}}'],
    ['presence_state', '{"u1":{"metas":[{"phx_ref":"r1"}]}}'],
    ['chat', '{"m" : 1}'],
  ])
  assert.equal(other.reads(), 0)
})
