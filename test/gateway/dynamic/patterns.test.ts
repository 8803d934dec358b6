/**
 * Topic patterns of the dynamic allow-list, pure: `*` stands for one or
 * more characters other than `:`, everything else for itself; the first
 * entry in config order wins; unusable patterns are named at load.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { firstMatch, matchesPattern, patternProblem } from '../../../src/gateway/dynamic/patterns.ts'

describe('matchesPattern', () => {
  test('a star stands for one or more characters of one segment', () => {
    assert.equal(matchesPattern('room:*', 'room:lobby'), true)
    assert.equal(matchesPattern('room:*', 'room:1'), true)
    assert.equal(matchesPattern('room:*', 'room:'), false, 'one or more: not none')
    assert.equal(matchesPattern('room:*', 'room:a:b'), false, 'never across a ":"')
    assert.equal(matchesPattern('room:*:*', 'room:a:b'), true)
    assert.equal(matchesPattern('room:*', 'rooms:lobby'), false)
    assert.equal(matchesPattern('room:*', 'xroom:lobby'), false)
  })

  test('stars inside a segment, and literal segments, match exactly', () => {
    assert.equal(matchesPattern('user:*:inbox', 'user:42:inbox'), true)
    assert.equal(matchesPattern('user:*:inbox', 'user:42:outbox'), false)
    assert.equal(matchesPattern('user:u-*', 'user:u-7'), true)
    assert.equal(matchesPattern('user:u-*', 'user:u-'), false)
    assert.equal(matchesPattern('a*b*c', 'aXbYc'), true)
    assert.equal(matchesPattern('a*b*c', 'abc'), false, 'each star takes at least one character')
    assert.equal(matchesPattern('a*b*c', 'aXXbbYYc'), true)
    assert.equal(matchesPattern('orders:eu', 'orders:eu'), true)
    assert.equal(matchesPattern('orders:eu', 'orders:us'), false)
  })

  test('other characters are literal, including those a regular expression would treat specially', () => {
    assert.equal(matchesPattern('a.b:*', 'a.b:x'), true)
    assert.equal(matchesPattern('a.b:*', 'aXb:x'), false)
    assert.equal(matchesPattern('q?:*', 'q?:1'), true)
    assert.equal(matchesPattern('q?:*', 'qq:1'), false)
    assert.equal(matchesPattern('(x)+:*', '(x)+:1'), true)
  })

  test('the reserved topic "phoenix" is never allowed', () => {
    assert.equal(matchesPattern('phoe*', 'phoenix'), false)
    assert.equal(matchesPattern('phoe*', 'phoebe'), true)
  })

  test('a long hostile topic against many stars is answered at once', () => {
    const pattern = `${'a*'.repeat(40)}b`
    const topic = 'a'.repeat(255)
    const started = performance.now()
    assert.equal(matchesPattern(pattern, topic), false)
    assert.ok(performance.now() - started < 200, 'bounded work, no backtracking blow-up')
  })
})

describe('patternProblem', () => {
  test('usable patterns have none', () => {
    for (const p of ['room:*', 'user:*:inbox', 'orders:eu', 'a*b', '*:lobby']) assert.equal(patternProblem(p), null, p)
  })

  test('a double star, a pattern of stars and colons only, and "phoenix" are refused', () => {
    assert.match(patternProblem('room:**') ?? '', /must not hold "\*\*"/)
    assert.match(patternProblem('*') ?? '', /at least one character other than/)
    assert.match(patternProblem('*:*') ?? '', /at least one character other than/)
    assert.match(patternProblem('phoenix') ?? '', /reserved/)
  })
})

describe('firstMatch', () => {
  const entries = [
    { name: 'vip', pattern: 'room:vip', upstream: 'a' },
    { name: 'rooms', pattern: 'room:*', upstream: 'a' },
    { name: 'rooms-b', pattern: 'room:*', upstream: 'b' },
  ]

  test('the first entry in config order that allows the topic', () => {
    assert.equal(firstMatch(entries, 'room:vip')?.name, 'vip')
    assert.equal(firstMatch(entries, 'room:1')?.name, 'rooms')
    assert.equal(firstMatch(entries, 'chat:1'), undefined)
  })

  test('a named upstream only considers its entries', () => {
    assert.equal(firstMatch(entries, 'room:1', 'b')?.name, 'rooms-b')
    assert.equal(firstMatch(entries, 'room:vip', 'b')?.name, 'rooms-b')
    assert.equal(firstMatch(entries, 'room:1', 'c'), undefined)
  })
})
