/**
 * A validating JSON scanner, pure and without recursion: it finds where the
 * JSON value that starts at an index of a text ends, and accepts exactly
 * the texts JSON.parse accepts (RFC 8259 grammar: whitespace is space, tab,
 * CR and LF; strings may hold any code unit but `"`, `\` and U+0000–U+001F
 * raw, lone surrogates included), without building any value.
 *
 * Short strings are read by a loop here, others by a sticky regular
 * expression, and a long one without escapes by native searches (its
 * closing quote by indexOf, then JSON.parse of that token alone for the
 * control characters it must not hold: the one value it builds); only the
 * structure (brackets, commas, colons) is walked here. Nesting is tracked
 * with a counter and a small stack, never the call stack, and is bounded:
 * a value nested deeper than `maxDepth` is reported as such (a value that
 * passes can be parsed, then stringified or walked recursively, safely).
 *
 * A caller that has the text's bytes, one per character (ASCII text), may
 * pass them: a long string is then checked for control characters over its
 * bytes, four at a time, at about half what JSON.parse of the token costs.
 */

// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings: that is what is matched here
const STRING = /"[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"/y

/** Returned instead of an end index: not JSON at that index. */
export const NOT_JSON = -1
/** Returned instead of an end index: JSON so far, but nested deeper than allowed (the rest is not checked). */
export const TOO_DEEP = -2

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39

/** The index of the first character at or after `i` that is not JSON whitespace. */
export function skipWhitespace (text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i
    i++
  }
}

/** Up to this many characters, a string is read by a loop here; past it, the regexp engine's loop is faster. */
const SHORT_STRING = 24
/** From this many characters on, a string without escapes is checked by JSON.parse, faster there than the regexp (see scanString). */
const LONG_STRING = 512

/** The end of the JSON string token at `i` (which must start with `"`), or NOT_JSON. `bytes`: the text's, one per character. */
export function scanString (text: string, i: number, bytes?: Uint8Array): number {
  const stop = Math.min(i + SHORT_STRING, text.length)
  let j = i + 1
  for (; j < stop; j++) {
    const c = text.charCodeAt(j)
    if (c === QUOTE) return j + 1
    if (c === BACKSLASH) return scanStringByRegexp(text, i)
    if (c < 0x20) return NOT_JSON
  }
  if (text.length - i < LONG_STRING) return scanStringByRegexp(text, i)
  // A long string: without escapes (the common kind) it ends at the next quote, found by a native search, and is
  // JSON when it holds no control character, which JSON.parse checks faster than a regexp's loop over it does.
  const close = text.indexOf('"', j)
  if (close < 0) return NOT_JSON
  if (close - i < LONG_STRING) return scanStringByRegexp(text, i)
  const token = text.slice(i, close + 1)
  if (token.includes('\\')) return scanStringByRegexp(text, i)
  if (bytes !== undefined) return hasControlByte(bytes, i + 1, close) ? NOT_JSON : close + 1
  return isJsonString(token) ? close + 1 : NOT_JSON
}

/** Bytes 0x20 and above in every lane of a 32-bit word: subtracting 0x20 from each then borrows into no lane's top bit that was clear. */
const LANE_SPACE = 0x20202020
const LANE_TOP = 0x80808080

/**
 * Whether `bytes[from, to)` holds a byte below 0x20, read a 32-bit word at a
 * time where it is aligned: a word holds such a byte exactly when
 * `(w - 0x20202020) & ~w & 0x80808080` is not zero (the classic "has a byte
 * less than n" test, exact for n ≤ 128).
 */
export function hasControlByte (bytes: Uint8Array, from: number, to: number): boolean {
  let i = from
  // Up to the first byte whose address is a multiple of 4.
  const aligned = Math.min(to, from + ((4 - ((bytes.byteOffset + from) & 3)) & 3))
  for (; i < aligned; i++) if ((bytes[i] ?? 0) < 0x20) return true
  const words = (to - i) >> 2
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words)
    for (let k = 0; k < words; k++) {
      const w = view[k] ?? 0
      if ((((w - LANE_SPACE) & ~w) & LANE_TOP) !== 0) return true
    }
    i += words << 2
  }
  for (; i < to; i++) if ((bytes[i] ?? 0) < 0x20) return true
  return false
}

/** The end of the JSON string token at `i` by the regexp, or NOT_JSON. */
function scanStringByRegexp (text: string, i: number): number {
  STRING.lastIndex = i
  return STRING.test(text) ? STRING.lastIndex : NOT_JSON
}

/** Whether `token` (a quote, characters other than `"` and `\\`, a quote) is a JSON string: whether it holds no control character. */
function isJsonString (token: string): boolean {
  try {
    JSON.parse(token)
    return true
  } catch {
    return false
  }
}

/** The end of the run of digits at `i` (possibly empty). */
function skipDigits (text: string, i: number): number {
  for (let c = text.charCodeAt(i); c >= DIGIT_0 && c <= DIGIT_9; c = text.charCodeAt(++i));
  return i
}

/** The end of the JSON number token at `i` (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`), or NOT_JSON. */
export function scanNumber (text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++
  const c = text.charCodeAt(i)
  if (c === DIGIT_0) i++
  else if (c > DIGIT_0 && c <= DIGIT_9) i = skipDigits(text, i + 1)
  else return NOT_JSON
  if (text.charCodeAt(i) === DOT) {
    const end = skipDigits(text, i + 1)
    if (end === i + 1) return NOT_JSON
    i = end
  }
  const e = text.charCodeAt(i)
  if (e === 0x65 || e === 0x45) {
    i++
    const sign = text.charCodeAt(i)
    if (sign === PLUS || sign === MINUS) i++
    const end = skipDigits(text, i)
    if (end === i) return NOT_JSON
    i = end
  }
  return i
}

/** The end of `true`, `false` or `null` at `i` (whose first character is `c`), or NOT_JSON. */
function scanLiteral (text: string, i: number, c: number): number {
  const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : null
  return word !== null && text.startsWith(word, i) ? i + word.length : NOT_JSON
}

/** The end of the scalar (string, number, literal) at `i`, or NOT_JSON. */
function scanScalar (text: string, i: number, c: number, bytes: Uint8Array | undefined): number {
  if (c === QUOTE) return scanString(text, i, bytes)
  if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return scanNumber(text, i)
  return scanLiteral(text, i, c)
}

/**
 * Where the JSON value starting at `start` (no whitespace before it) ends:
 * the index just after it, NOT_JSON when the text is not a JSON value
 * there, or TOO_DEEP when arrays and objects nest more than `maxDepth`
 * levels (a scalar is depth 0). What follows the value is not looked at.
 * `bytes`: the text's bytes, one per character, when the caller has them.
 */
export function scanJsonValue (text: string, start: number, maxDepth: number, bytes?: Uint8Array): number {
  // One entry per open container: true for an object (whose next element is a key), false for an array.
  const inObject: boolean[] = []
  let i = start
  for (;;) {
    // A value starts at i.
    let c = text.charCodeAt(i)
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (inObject.length >= maxDepth) return TOO_DEEP
      const object = c === OPEN_OBJECT
      i = skipWhitespace(text, i + 1)
      if (text.charCodeAt(i) === (object ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        i++
      } else {
        inObject.push(object)
        if (object && (i = scanKey(text, i, bytes)) < 0) return NOT_JSON
        continue
      }
    } else if ((i = scanScalar(text, i, c, bytes)) < 0) {
      return NOT_JSON
    }
    // A value ended at i: close what it ends, then find the next value, or the end.
    for (;;) {
      const depth = inObject.length
      if (depth === 0) return i
      i = skipWhitespace(text, i)
      c = text.charCodeAt(i)
      const object = inObject[depth - 1] === true
      if (c === COMMA) {
        i = skipWhitespace(text, i + 1)
        if (object && (i = scanKey(text, i, bytes)) < 0) return NOT_JSON
        break
      }
      if (c !== (object ? CLOSE_OBJECT : CLOSE_ARRAY)) return NOT_JSON
      inObject.pop()
      i++
    }
  }
}

/** Reads `"key" :` and the whitespace after it; returns where the member's value starts, or NOT_JSON. */
function scanKey (text: string, i: number, bytes: Uint8Array | undefined): number {
  if (text.charCodeAt(i) !== QUOTE) return NOT_JSON
  i = scanString(text, i, bytes)
  if (i < 0) return NOT_JSON
  i = skipWhitespace(text, i)
  if (text.charCodeAt(i) !== COLON) return NOT_JSON
  return skipWhitespace(text, i + 1)
}

/** Whether `text` as a whole (whitespace around it allowed) is one JSON value nested at most `maxDepth` levels. */
export function isJsonText (text: string, maxDepth: number): boolean {
  const end = scanJsonValue(text, skipWhitespace(text, 0), maxDepth)
  return end >= 0 && skipWhitespace(text, end) === text.length
}
