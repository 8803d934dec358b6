/**
 * The validating JSON scanner against JSON.parse: on hand-written texts and
 * on thousands of generated ones (random values with random whitespace and
 * escapes, and one-character mutations of them), it accepts exactly what
 * JSON.parse accepts and finds where each value ends; nesting is bounded
 * without recursion, however deep the text goes.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_JSON_DEPTH } from '../../src/phoenix/depth.ts'
import { hasControlByte, isJsonText, NOT_JSON, scanJsonValue, TOO_DEEP } from '../../src/phoenix/json-scan.ts'
import { JsonGen, parses } from './json-gen.ts'

const SEED = 0x13_5ca7

const VALID = [
  'null', 'true', 'false', '0', '-0', '1', '-1', '0.5', '-0.5e-3', '1E9', '1e+2', '123456789012345678901234567890',
  '""', '"a"', '"]"', '"\\""', '"\\\\"', '"\\/\\b\\f\\n\\r\\t"', '"\\u0000\\uFFFF\\ud800"', '"\ud800"', '"\u2028\u2029"', '"é𝄞"',
  '[]', '{}', '[ ]', '{ }', '[[]]', '[{}]', '{"a":[]}', '{"":""}', '{"a":1,"a":2}', '[1,"2",[3],{"4":null}]',
  ' \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n', '{\n  "a": "b",\r\n  "c": [\n    1\n  ]\n}',
  `"${'x'.repeat(100_000)}"`, `"${'\\n'.repeat(10_000)}a"`, `[${'"s",'.repeat(1000)}"t"]`,
]

const INVALID = [
  '', ' ', 'nul', 'nulll', 'True', 'NaN', 'Infinity', '-', '+1', '01', '-01', '1.', '.5', '1e', '1e+', '0x1', '1_000',
  '"', '"a', 'a"', "'a'", '"\\"', '"\\x41"', '"\\u12"', '"\\u12G4"', '"\\U0041"', '"\u0000"', '"\t"', '"\n"', '"a\rb"', '"\u001f"',
  '[', ']', '[,]', '[1,]', '[,1]', '[1 2]', '[1,,2]', '{', '}', '{,}', '{"a"}', '{"a":}', '{"a" 1}', '{a:1}', '{"a":1,}', '{1:1}',
  '[}', '{]', '[1]]', '[[1]', '{"a":1}}', '1 2', '[] []', '"a" "b"', '\u00a0[]', '\ufeff[]', '[\u2028]', '[1]\u0000',
  `"${'x'.repeat(100_000)}\u0001"`, `"${'x'.repeat(100_000)}`, `[${'"s",'.repeat(1000)}]`,
]

const nested = (depth: number, inner = ''): string => '['.repeat(depth) + inner + ']'.repeat(depth)

describe('isJsonText agrees with JSON.parse', () => {
  test('on hand-written valid texts', () => {
    for (const text of VALID) {
      assert.ok(parses(text), `JSON.parse reads ${JSON.stringify(text.slice(0, 40))}`)
      assert.equal(isJsonText(text, MAX_JSON_DEPTH), true, JSON.stringify(text.slice(0, 40)))
    }
  })

  test('on hand-written invalid texts', () => {
    for (const text of INVALID) {
      assert.ok(!parses(text), `JSON.parse refuses ${JSON.stringify(text.slice(0, 40))}`)
      assert.equal(isJsonText(text, MAX_JSON_DEPTH), false, JSON.stringify(text.slice(0, 40)))
    }
  })

  test('on 3,000 random values written with random whitespace and escapes', () => {
    const g = new JsonGen(SEED)
    for (let i = 0; i < 3000; i++) {
      const text = g.write(g.value())
      assert.ok(parses(text), `generated text ${i} is JSON`)
      assert.equal(isJsonText(text, MAX_JSON_DEPTH), true, `text ${i} (seed ${SEED}): ${JSON.stringify(text)}`)
    }
  })

  test('on 20,000 one-character mutations of random texts, valid or not', () => {
    const g = new JsonGen(SEED + 1)
    let valid = 0
    for (let i = 0; i < 20_000; i++) {
      const text = g.mutate(g.write(g.value()))
      const expected = parses(text)
      if (expected) valid++
      assert.equal(isJsonText(text, MAX_JSON_DEPTH), expected, `mutation ${i} (seed ${SEED + 1}): ${JSON.stringify(text)}`)
    }
    assert.ok(valid > 2000 && valid < 18_000, `both verdicts exercised: ${valid} valid of 20,000`)
  })

  test('on 3,000 long strings (past the regexp: found by native searches), in containers, and mutations of them', () => {
    const g = new JsonGen(SEED + 2)
    let valid = 0
    for (let i = 0; i < 3000; i++) {
      const long = g.write(g.longChars())
      const text = g.mutate(i % 2 === 0 ? `[${long},${g.ws()}${long}]` : `{"k":${long}}`)
      const expected = parses(text)
      if (expected) valid++
      assert.equal(isJsonText(text, MAX_JSON_DEPTH), expected, `long ${i} (seed ${SEED + 2}): ${JSON.stringify(text)}`)
      if (!expected) continue
      const start = text.length - text.trimStart().length
      const end = scanJsonValue(`${text}]`, start, MAX_JSON_DEPTH)
      assert.ok(end > start && /^[ \t\r\n]*$/.test(text.slice(end)) && parses(text.slice(start, end)), `long ${i}: its end`)
    }
    assert.ok(valid > 300 && valid < 2700, `both verdicts exercised: ${valid} valid of 3,000`)
  })
})

describe('scanJsonValue', () => {
  test('finds where a value ends and leaves what follows alone', () => {
    const cases: Array<[string, number]> = [
      ['1,2', 1], ['-1.5e3]', 6], ['"a\\"]",x', 6], ['[1,[2]] trailing', 7], ['{"a":{"b":[]}}}', 14], ['null]', 4], ['true ', 4], ['"]"]', 3],
    ]
    for (const [text, end] of cases) assert.equal(scanJsonValue(text, 0, MAX_JSON_DEPTH), end, text)
    assert.equal(scanJsonValue('xx[1]', 2, MAX_JSON_DEPTH), 5, 'from an index')
    assert.equal(scanJsonValue(' 1', 0, MAX_JSON_DEPTH), NOT_JSON, 'no whitespace before the value')
    assert.equal(scanJsonValue('[1', 0, MAX_JSON_DEPTH), NOT_JSON)
  })

  test('nesting is bounded: maxDepth levels pass, one more is TOO_DEEP, scalars are depth 0', () => {
    assert.equal(scanJsonValue(nested(MAX_JSON_DEPTH), 0, MAX_JSON_DEPTH), 2 * MAX_JSON_DEPTH)
    assert.equal(scanJsonValue(nested(MAX_JSON_DEPTH + 1), 0, MAX_JSON_DEPTH), TOO_DEEP)
    assert.equal(scanJsonValue('{"a":[{"b":[1]}]}', 0, 4), 17)
    assert.equal(scanJsonValue('{"a":[{"b":[1]}]}', 0, 3), TOO_DEEP)
    assert.equal(scanJsonValue('"x"', 0, 0), 3)
    assert.equal(scanJsonValue('[]', 0, 0), TOO_DEEP)
    assert.equal(isJsonText(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH), false)
  })

  test('100,000 levels deep, valid or cut short, are answered without recursion', () => {
    assert.equal(scanJsonValue(nested(100_000), 0, MAX_JSON_DEPTH), TOO_DEEP)
    assert.equal(scanJsonValue(nested(100_000), 0, 200_000), 200_000, 'a bound above the depth reads it all')
    assert.equal(scanJsonValue(nested(100_000).slice(0, -1), 0, 200_000), NOT_JSON)
    assert.equal(scanJsonValue('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), 0, 200_000), 600_001)
  })
})

describe('with the text\'s bytes (ASCII frames): long strings checked for control characters over the bytes', () => {
  test('hasControlByte finds a byte below 0x20 at every position and alignment, and no other', () => {
    const backing = Buffer.alloc(700, 0x41)
    for (let offset = 0; offset < 4; offset++) {
      const bytes = backing.subarray(offset, offset + 600)
      assert.equal(hasControlByte(bytes, 0, bytes.length), false)
      for (const value of [0x00, 0x09, 0x0a, 0x1f]) {
        for (let at = 0; at < 40; at++) {
          for (const [from, to] of [[0, 600], [at, 600], [0, at + 1], [Math.max(0, at - 5), at + 3]] as const) {
            bytes[at] = value
            assert.equal(hasControlByte(bytes, from, to), at >= from && at < to, `offset ${offset}, 0x${value.toString(16)} at ${at} in [${from}, ${to})`)
            bytes[at] = 0x41
          }
        }
      }
      // Every byte from 0x20 up (0x7f and above too) passes, in every lane of a word.
      for (let v = 0x20; v <= 0xff; v++) bytes.fill(v, 100, 108)
      for (let v = 0x20; v <= 0xff; v++) {
        bytes.fill(v, 100, 108)
        assert.equal(hasControlByte(bytes, 96, 112), false, `0x${v.toString(16)}`)
      }
    }
  })

  test('a frame scanned with its bytes is accepted and refused exactly as without them', () => {
    const gen = new JsonGen(SEED ^ 0xb17e5)
    const long = (fill: string): string => `"${fill.repeat(2048)}"`
    const texts = [
      ...VALID, ...INVALID,
      `{"p":${long('x')}}`, `{"p":"${'x'.repeat(2048)}\u0001"}`, `{"p":"\u0001${'x'.repeat(2048)}"}`, `{"p":"${'x'.repeat(1000)}\t${'x'.repeat(1000)}"}`,
      `[${long('ab')},${long('c')}]`, `{${long('k')}:${long('v')}}`,
    ]
    for (let i = 0; i < 300; i++) {
      const text = gen.write(gen.value(3))
      texts.push(text, gen.mutate(text), `{"pad":${long('p')},"v":${text}}`, `{"pad":${long('p')},"v":${gen.mutate(text)}}`)
    }
    for (const text of texts.filter((t) => Buffer.byteLength(t) === t.length)) {
      const bytes = Buffer.from(text, 'latin1')
      const start = text.search(/\S|$/)
      assert.equal(scanJsonValue(text, start, MAX_JSON_DEPTH, bytes), scanJsonValue(text, start, MAX_JSON_DEPTH), JSON.stringify(text.slice(0, 80)))
    }
  })
})
