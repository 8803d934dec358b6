/**
 * Seeded generators of JSON text for the scanner tests: random values
 * written with random (legal) whitespace and escapes, and mutations of them
 * that are mostly not JSON any more. JSON.parse is the judge of each.
 */
import { mulberry32 } from '../helpers/prng.ts'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const WHITESPACE = ['', '', '', ' ', '\n', '\r\n', '\t', '\r', '  \n\t ']
/** Characters a mutation inserts: structure, quotes, escapes, controls, digits, letters of literals, line breaks. */
const INSERTS = ['"', '\\', ',', ':', '[', ']', '{', '}', '\u0000', '\u001f', '\n', '\r', '\t', ' ', '-', '+', '.', 'e', '0', '1', 'n', 't', 'f', 'x', '\u2028', '\ud800', '\u00e9', '𝄞']
const ESCAPES = ['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u0041', '\\u00e9', '\\ud834\\udd1e', '\\ud800', '\\u001F']

export class JsonGen {
  readonly next: () => number
  constructor (seed: number) { this.next = mulberry32(seed) }

  int (below: number): number { return Math.floor(this.next() * below) }
  pick<T> (items: readonly T[]): T { return items[this.int(items.length)]! }

  /** Some characters: ASCII, `]` and `"` (escaped when written), non-ASCII, astral, lone surrogates. */
  chars (max: number): string {
    let out = ''
    for (let n = this.int(max + 1); n > 0; n--) {
      switch (this.int(6)) {
        case 0: out += this.pick([']', '"', '[', ',', '\\', '}', '{']); break
        case 1: out += String.fromCodePoint(0xa0 + this.int(0xd000)); break
        case 2: out += String.fromCodePoint(0x10000 + this.int(0x1000)); break
        case 3: out += String.fromCharCode(this.int(0x20)); break
        case 4: out += String.fromCharCode(0xd800 + this.int(0x800)); break
        default: out += String.fromCharCode(0x20 + this.int(0x5f))
      }
    }
    return out
  }

  /** A string of 400 to 1,500 characters, mostly plain (no quote, backslash or control), now and then one of `chars`. */
  longChars (): string {
    let out = ''
    for (let n = 400 + this.int(1100); n > 0; n--) {
      out += this.int(200) === 0 ? this.chars(1) : this.int(8) === 0 ? String.fromCodePoint(0xa0 + this.int(0xd000)) : String.fromCharCode(0x20 + this.int(0x5f)).replace(/["\\]/, 'q')
    }
    return out
  }

  number (): number {
    switch (this.int(4)) {
      case 0: return this.int(1000)
      case 1: return -this.int(2 ** 31)
      case 2: return (this.next() - 0.5) * 10 ** (this.int(40) - 20)
      default: return this.next()
    }
  }

  value (depth = 0): Json {
    switch (this.int(depth >= 4 ? 5 : 7)) {
      case 0: return null
      case 1: return this.int(2) === 0
      case 2: return this.number()
      case 3:
      case 4: return this.chars(12)
      case 5: return Array.from({ length: this.int(5) }, () => this.value(depth + 1))
      default: return Object.fromEntries(Array.from({ length: this.int(5) }, () => [this.chars(6), this.value(depth + 1)]))
    }
  }

  ws (): string { return this.pick(WHITESPACE) }

  /** A JSON string token for `s`, with some characters written as escapes JSON.stringify would not use. */
  stringToken (s: string): string {
    const plain = JSON.stringify(s)
    if (this.int(3) !== 0) return plain
    // After the opening quote or before the closing one: never inside another escape.
    return this.int(2) === 0 ? `"${this.pick(ESCAPES)}${plain.slice(1)}` : `${plain.slice(0, -1)}${this.pick(ESCAPES)}"`
  }

  /** `value` as JSON text with random whitespace between tokens and random escapes in strings. */
  write (value: Json): string {
    if (typeof value === 'string') return this.stringToken(value)
    if (typeof value === 'number' && this.int(4) === 0 && Number.isInteger(value)) return `${value}${this.pick(['', '.0', 'e0', 'E+0', '.00e-0'])}`
    if (value === null || typeof value !== 'object') return JSON.stringify(value)
    const w = (): string => this.ws()
    if (Array.isArray(value)) return `[${w()}${value.map((v) => this.write(v) + w()).join(`,${w()}`)}]`
    return `{${w()}${Object.entries(value).map(([k, v]) => `${this.stringToken(k)}${w()}:${w()}${this.write(v)}${w()}`).join(`,${w()}`)}}`
  }

  /** `text` changed at one random place: a character inserted, removed or replaced, or the text cut short. */
  mutate (text: string): string {
    const at = this.int(text.length + 1)
    switch (this.int(4)) {
      case 0: return text.slice(0, at) + this.pick(INSERTS) + text.slice(at)
      case 1: return text.slice(0, at) + text.slice(at + 1)
      case 2: return text.slice(0, at) + this.pick(INSERTS) + text.slice(at + 1)
      default: return text.slice(0, at)
    }
  }
}

/** Whether JSON.parse reads `text`. */
export function parses (text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
