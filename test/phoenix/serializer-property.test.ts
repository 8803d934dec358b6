/**
 * Property tests of the serializers with a seeded PRNG (so a failure can be
 * replayed): random messages survive a round trip in both directions, and
 * decoding random input never throws anything but a ProtocolError.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ProtocolError } from '../../src/phoenix/errors.ts'
import { isBytes, isReplyPayload, type Frame, type Message } from '../../src/phoenix/message.ts'
import { v1, v2, type Serializer } from '../../src/phoenix/serializer.ts'
import { mulberry32 as prng } from '../helpers/prng.ts'

const SEED = 0x5eed_2026

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

class Gen {
  readonly next: () => number
  constructor (seed: number) { this.next = prng(seed) }

  int (below: number): number { return Math.floor(this.next() * below) }
  bool (): boolean { return this.next() < 0.5 }
  pick<T> (items: readonly T[]): T { return items[this.int(items.length)]! }

  /** A Unicode scalar value (no lone surrogates): ASCII, controls, BMP, or astral. */
  codePoint (): number {
    switch (this.int(5)) {
      case 0: return this.int(0x20)
      case 1: return 0xa0 + this.int(0xd800 - 0xa0)
      case 2: return 0xe000 + this.int(0xfffe - 0xe000)
      case 3: return 0x10000 + this.int(0x110000 - 0x10000)
      default: return 0x20 + this.int(0x5f)
    }
  }

  /** Up to `maxChars` code points: at most 4 × maxChars UTF-8 bytes. */
  text (maxChars: number, minChars = 0): string {
    const count = minChars + this.int(maxChars - minChars + 1)
    return String.fromCodePoint(...Array.from({ length: count }, () => this.codePoint()))
  }

  ref (): string | null { return this.int(4) === 0 ? null : this.text(12, 1) }

  bytes (maxLength: number): Uint8Array {
    return Uint8Array.from({ length: this.int(maxLength + 1) }, () => this.int(256))
  }

  json (depth = 0): Json {
    const kind = this.int(depth >= 3 ? 4 : 6)
    switch (kind) {
      case 0: return null
      case 1: return this.bool()
      case 2: return this.bool() ? this.int(2 ** 31) - 2 ** 30 : (this.next() - 0.5) * 10 ** this.int(12) || 0 // never -0: JSON has no -0
      case 3: return this.text(16)
      case 4: return Array.from({ length: this.int(5) }, () => this.json(depth + 1))
      default: return Object.fromEntries(Array.from({ length: this.int(5) }, () => [this.text(8), this.json(depth + 1)]))
    }
  }
}

/** A message with bytes shown as arrays, so any Uint8Array compares equal. */
function plain (m: Message): unknown {
  const { payload } = m
  if (isBytes(payload)) return { ...m, payload: { bytes: [...payload] } }
  if (isReplyPayload(payload) && isBytes(payload.response)) return { ...m, payload: { status: payload.status, response: { bytes: [...payload.response] } } }
  return m
}

/** Something a client sends: JSON, or (V2 only) bytes in a kind-0 push. */
function clientMessage (g: Gen, withBytes: boolean): Message {
  return { joinRef: g.ref(), ref: g.ref(), topic: g.text(40), event: g.text(40), payload: withBytes && g.bool() ? g.bytes(64) : g.json() }
}

/** Something a server sends, and what the client must decode from it. */
function serverMessage (g: Gen, withBytes: boolean): { sent: Message, decoded: Message } {
  const topic = g.text(40)
  const event = g.text(40)
  switch (withBytes ? g.int(4) : 0) {
    case 1: { // push: binary pushes carry no ref
      const sent = { joinRef: g.text(12, 1), ref: null, topic, event, payload: g.bytes(64) }
      return { sent, decoded: sent }
    }
    case 2: { // broadcast
      const sent = { joinRef: null, ref: null, topic, event, payload: g.bytes(64) }
      return { sent, decoded: sent }
    }
    case 3: { // reply with a binary response
      const sent = { joinRef: g.ref(), ref: g.ref(), topic, event: 'phx_reply', payload: { status: g.text(10), response: g.bytes(64) } }
      return { sent, decoded: sent }
    }
    default: {
      const sent = { joinRef: g.ref(), ref: g.ref(), topic, event, payload: g.json() }
      return { sent, decoded: withBytes ? sent : { ...sent, joinRef: null } } // V1 never carries join_ref to the client
    }
  }
}

const RUNS = 1000

describe('round trips', () => {
  for (const serializer of [v2, v1]) {
    const withBytes = serializer === v2
    test(`${serializer.vsn}: ${RUNS} random client messages survive encodeToServer → decodeFromClient`, () => {
      const g = new Gen(SEED)
      let binary = 0
      for (let i = 0; i < RUNS; i++) {
        const message = clientMessage(g, withBytes)
        const frame = serializer.encodeToServer(message)
        if (typeof frame !== 'string') binary++
        // A binary push has no way to say nil: null goes as "" (length 0), and Phoenix reads "" back.
        const expected = typeof frame === 'string' ? message : { ...message, joinRef: message.joinRef ?? '', ref: message.ref ?? '' }
        assert.deepEqual(plain(serializer.decodeFromClient(frame)), plain(expected), `run ${i} (seed ${SEED})`)
      }
      assert.equal(binary > 0, withBytes, withBytes ? 'some messages went as binary frames' : 'V1 sends text only')
    })

    test(`${serializer.vsn}: ${RUNS} random server messages survive encodeToClient → decodeFromServer`, () => {
      const g = new Gen(SEED + 1)
      let binary = 0
      for (let i = 0; i < RUNS; i++) {
        const { sent, decoded } = serverMessage(g, withBytes)
        const frame = serializer.encodeToClient(sent)
        if (typeof frame !== 'string') binary++
        assert.deepEqual(plain(serializer.decodeFromServer(frame)), plain(decoded), `run ${i} (seed ${SEED + 1})`)
      }
      assert.equal(binary > 0, withBytes)
    })
  }
})

/** Random input a decoder may meet: garbage, near-misses of valid frames, and plausible JSON of the wrong shape. */
function randomInput (g: Gen): Frame {
  switch (g.int(6)) {
    case 0: return g.bytes(40)
    case 1: { // a binary header of a known kind with small lengths, and a random tail
      const head = [g.int(4), ...Array.from({ length: 4 }, () => g.int(6))]
      return Uint8Array.from([...head, ...g.bytes(20)])
    }
    case 2: return g.text(30)
    case 3: return JSON.stringify(Array.from({ length: g.int(8) }, () => g.json(2)))
    case 4: { // V1-like objects with some keys missing and random values
      const keys = ['topic', 'event', 'payload', 'ref', 'join_ref'].filter(() => g.int(5) > 0)
      return JSON.stringify(Object.fromEntries(keys.map((k) => [k, g.json(2)])))
    }
    default: { // a valid frame, cut short
      const frame = v2.encodeToServer(clientMessage(g, true))
      return frame.slice(0, g.int(frame.length + 1))
    }
  }
}

describe('decoding random input', () => {
  test('5,000 random byte strings and strings never throw anything but a ProtocolError', () => {
    const g = new Gen(SEED + 2)
    const decoders: Array<[string, Serializer['decodeFromClient']]> = [
      ['v2 from client', (f) => v2.decodeFromClient(f)], ['v2 from server', (f) => v2.decodeFromServer(f)],
      ['v1 from client', (f) => v1.decodeFromClient(f)], ['v1 from server', (f) => v1.decodeFromServer(f)],
    ]
    let decoded = 0
    let refused = 0
    for (let i = 0; i < 5000; i++) {
      const input = randomInput(g)
      for (const [label, decode] of decoders) {
        try {
          const m = decode(input)
          assert.equal(typeof m.topic, 'string')
          assert.equal(typeof m.event, 'string')
          decoded++
        } catch (err) {
          assert.ok(err instanceof ProtocolError, `${label}, input ${i} (seed ${SEED + 2}): threw ${String(err)}`)
          refused++
        }
      }
    }
    assert.ok(decoded > 500 && refused > 500, `both paths exercised: ${decoded} decoded, ${refused} refused`)
  })
})
