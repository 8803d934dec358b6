/**
 * The fast decoder of V2 server frames (frame-scan.ts, used by
 * `decodeFromServerLazily`) against the full one (`decodeFromServer`,
 * JSON.parse): the same fields and payload, the same errors with the same
 * fault, on generated and hand-written frames (escapes and unicode in
 * topic and event, numbers as refs, whitespace everywhere, payloads
 * holding `]` and `"`, malformed payloads of many kinds); the payload kept
 * as the exact text of the frame and parsed once, only when read.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_JSON_DEPTH } from '../../src/phoenix/depth.ts'
import { ProtocolError } from '../../src/phoenix/errors.ts'
import { scanServerFrame } from '../../src/phoenix/frame-scan.ts'
import type { Frame, Message } from '../../src/phoenix/message.ts'
import { v1, v2 } from '../../src/phoenix/serializer.ts'
import { JsonGen } from './json-gen.ts'

const SEED = 0x13_f4a3

/** The five fields, read by name (a lazily decoded message keeps `payload` behind a getter). */
function fields (m: Message): unknown {
  const payload = m.payload instanceof Uint8Array ? { bytes: [...m.payload] } : m.payload
  return { joinRef: m.joinRef, ref: m.ref, topic: m.topic, event: m.event, payload }
}

/** What a decoder makes of `frame`: the message's fields, or the fault it throws. */
function outcome (decode: (f: Frame) => Message, frame: Frame): unknown {
  try {
    return fields(decode(frame))
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `only ProtocolError is thrown, got ${String(err)}`)
    return { fault: err.fault }
  }
}

function assertSameAsFullDecode (frame: Frame, label: string): void {
  assert.deepEqual(outcome((f) => v2.decodeFromServerLazily(f), frame), outcome((f) => v2.decodeFromServer(f), frame), label)
}

/** A generated frame of the common shape, and the payload text it holds. */
function generatedFrame (g: JsonGen): { frame: string, payloadText: string } {
  const ref = (): string => g.pick([
    () => 'null',
    () => g.stringToken(g.chars(6)),
    () => String(g.int(100_000)),
    () => g.pick(['1.0', '1e2', '-0', '12.5', '0.000001', '1E21']),
  ])()
  const w = (): string => g.ws()
  const payloadText = g.write(g.value())
  const parts = [ref(), ref(), g.stringToken(g.chars(20)), g.stringToken(g.chars(20)), payloadText]
  return { frame: `${w()}[${w()}${parts.join(`${w()},${w()}`)}${w()}]${w()}`, payloadText }
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

describe('frames of the common shape', () => {
  test('3,000 generated frames: the fast decoder takes each, with the full decoder\'s fields and the payload\'s exact text', () => {
    const g = new JsonGen(SEED)
    for (let i = 0; i < 3000; i++) {
      const { frame, payloadText } = generatedFrame(g)
      const label = `frame ${i} (seed ${SEED}): ${JSON.stringify(frame)}`
      const scanned = scanServerFrame(frame)
      assert.ok(scanned !== null, label)
      assert.equal(scanned.payloadText, payloadText, label)
      assert.deepEqual(fields(scanned), fields(v2.decodeFromServer(frame)), label)
    }
  })

  test('hand-written frames: escapes and unicode in topic and event, numeric refs, payload null, `]` and `"` in strings, whitespace', () => {
    const cases: Array<[string, Partial<Message>, string]> = [
      ['[null,null,"room:lobby","new_msg",{"body":"hi"}]', { joinRef: null, ref: null, topic: 'room:lobby', event: 'new_msg' }, '{"body":"hi"}'],
      ['["1","2","t","phx_reply",{"status":"ok","response":{}}]', { joinRef: '1', ref: '2', event: 'phx_reply' }, '{"status":"ok","response":{}}'],
      ['[1,2.50,"t","e",null]', { joinRef: '1', ref: '2.5' }, 'null'],
      ['[1e2,-0,"t","e",0]', { joinRef: '100', ref: '0' }, '0'],
      ['[null,null,"r\\u00f6\\"om\\\\","\\ud83d\\ude00]",[]]', { topic: 'rö"om\\', event: '😀]' }, '[]'],
      ['[null,null,"röom 😀","é",{"s":"]\\"]"}]', { topic: 'röom 😀', event: 'é' }, '{"s":"]\\"]"}'],
      [' \r\n[ null ,\tnull , "t" ,\n"e" , {\r\n "a" : [ 1 , 2 ]\r\n} ] \n ', { topic: 't', event: 'e' }, '{\r\n "a" : [ 1 , 2 ]\r\n}'],
      ['[null,null,"t","e","]"]', { event: 'e' }, '"]"'],
      [`[null,null,"t","e",${nested(MAX_JSON_DEPTH)}]`, { event: 'e' }, nested(MAX_JSON_DEPTH)],
    ]
    for (const [frame, expected, payloadText] of cases) {
      const scanned = scanServerFrame(frame)
      assert.ok(scanned !== null, frame)
      assert.equal(scanned.payloadText, payloadText, frame)
      const full = v2.decodeFromServer(frame)
      assert.deepEqual(fields(scanned), fields(full), frame)
      for (const [key, value] of Object.entries(expected)) assert.equal(scanned[key as keyof Message], value, `${frame}: ${key}`)
    }
  })

  test('decoding parses nothing but escaped envelope strings; the payload is parsed once, on first read, then kept', (t) => {
    const frame = '[null,"7","room:a","msg",{"list":[1,2,3],"s":"x"}]'
    const parse = t.mock.method(JSON, 'parse')
    const message = v2.decodeFromServerLazily(frame)
    assert.equal(parse.mock.callCount(), 0, 'decoding did not parse')
    assert.equal(message.payloadText, '{"list":[1,2,3],"s":"x"}')
    const payload = message.payload
    assert.deepEqual(payload, { list: [1, 2, 3], s: 'x' })
    assert.equal(message.payload, payload, 'the same value on every read')
    assert.equal(parse.mock.callCount(), 1)
    v2.decodeFromServerLazily('[null,null,"a\\"b","e",1]')
    assert.equal(parse.mock.callCount(), 2, 'an escaped topic is decoded by JSON.parse of that token only')
    assert.deepEqual(parse.mock.calls[1]?.arguments, ['"a\\"b"'])
  })
})

describe('every other frame: the same message or the same error as the full decoder', () => {
  test('frames the fast decoder leaves to JSON.parse are decoded as before', () => {
    const taken: string[] = []
    const frames = [
      '[null,null,"t","e",{},"extra"]', '[null,null,"t","e"]', '[]', '{}', '"x"', '[null,null,1,"e",{}]', '[null,null,"t",null,{}]',
      '[true,null,"t","e",{}]', '[null,{},"t","e",{}]', '[null,null,"t","e",{}] x', '[null,null,"t","e",{}]]', '[null,null,"t","e",{},]',
      `[null,null,"t","e",${nested(MAX_JSON_DEPTH + 1)}]`, `[null,null,"t","e",${nested(1000)}]`, '[ null null,"t","e",{}]', '[null,null,"t" "e",{}]',
      '\ufeff[null,null,"t","e",{}]', '[nul,null,"t","e",{}]', '[01,null,"t","e",{}]', '[null,null,"t\u0001","e",{}]',
    ]
    for (const frame of frames) {
      if (scanServerFrame(frame) !== null) taken.push(frame)
      assertSameAsFullDecode(frame, frame.slice(0, 80))
    }
    assert.deepEqual(taken, [], 'none of these is of the common shape')
  })

  test('a payload nested 100,000 levels deep is parsed whole, as before: no payload text, nothing thrown', () => {
    const message = v2.decodeFromServerLazily(`[null,null,"t","e",${nested(100_000)}]`)
    assert.equal(message.payloadText, undefined)
    let level = message.payload
    let depth = 0
    for (; Array.isArray(level) && level.length > 0; depth++) level = level[0] as unknown
    assert.equal(depth + 1, 100_000)
  })

  test('malformed payloads of many kinds are refused as malformed_json, as before', () => {
    const payloads = [
      '{', '}', '[1,]', '{"a":}', '{"a" 1}', '{a:1}', '"unterminated', '"bad \\x escape"', '"raw \u0000 control"', '"raw \n line"',
      'undefined', 'NaN', '-', '01', '1.', 'tru', '[1 2]', `"${'x'.repeat(20_000)}`, `{"k":"${'y'.repeat(20_000)}"`, nested(100_000).slice(1),
    ]
    for (const payload of payloads) {
      const frame = `[null,null,"t","e",${payload}]`
      assert.equal(scanServerFrame(frame), null, payload.slice(0, 40))
      assert.deepEqual(outcome((f) => v2.decodeFromServerLazily(f), frame), { fault: 'malformed_json' }, payload.slice(0, 40))
    }
  })

  test('20,000 mutations of generated frames: the same outcome from both decoders', () => {
    const g = new JsonGen(SEED + 1)
    let refused = 0
    for (let i = 0; i < 20_000; i++) {
      const frame = g.mutate(generatedFrame(g).frame)
      const full = outcome((f) => v2.decodeFromServer(f), frame)
      if (typeof full === 'object' && full !== null && 'fault' in full) refused++
      assert.deepEqual(outcome((f) => v2.decodeFromServerLazily(f), frame), full, `mutation ${i} (seed ${SEED + 1}): ${JSON.stringify(frame)}`)
    }
    assert.ok(refused > 2000 && refused < 18_000, `both outcomes exercised: ${refused} refused of 20,000`)
  })

  test('binary frames and V1 frames decode as before, with no payload text', () => {
    const binary = Uint8Array.from([2, 1, 1, 0x74, 0x65, 9, 8])
    assert.deepEqual(fields(v2.decodeFromServerLazily(binary)), fields(v2.decodeFromServer(binary)))
    assert.equal(v2.decodeFromServerLazily(binary).payloadText, undefined)
    const text = '{"topic":"t","event":"e","payload":{"a":1},"ref":null}'
    assert.deepEqual(v1.decodeFromServerLazily(text), v1.decodeFromServer(text))
    assert.equal(v1.decodeFromServerLazily(text).payloadText, undefined)
  })
})
