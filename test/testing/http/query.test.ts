/**
 * The fake server's query decoder, as Plug decodes a socket's query string
 * (reference A1): nested keys, lists, `+`/percent decoding, empty values,
 * and Elixir's handling of malformed escapes.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { InvalidQueryError, parseQuery, type QueryParams } from '../../../src/testing/fake-phoenix/query.ts'

/** parseQuery's result as a plain object, so deepEqual compares content only. */
const parse = (query: string): QueryParams => ({ ...parseQuery(query) })

describe('parseQuery', () => {
  test('flat keys give strings; a repeated plain key keeps the last value', () => {
    assert.deepEqual(parse('token=abc&vsn=2.0.0&n=1&n=2'), { token: 'abc', vsn: '2.0.0', n: '2' })
  })

  test('a[b]=1 nests maps to any depth and merges siblings', () => {
    assert.deepEqual(parse('a[b]=1&a[c][d]=2&a[c][e]=3'), { a: { b: '1', c: { d: '2', e: '3' } } })
  })

  test('a[]=1&a[]=2 builds a list in order; a[x][]= builds a nested list', () => {
    assert.deepEqual(parse('a[]=1&a[]=2&a[]=3'), { a: ['1', '2', '3'] })
    assert.deepEqual(parse('f[tags][]=x&f[tags][]=y'), { f: { tags: ['x', 'y'] } })
  })

  test('+ and %20 both decode to a space; %2B is a literal plus; UTF-8 escapes decode', () => {
    assert.deepEqual(parse('q=hello+big%20world&p=1%2B1&name=J%C3%BCrgen'), { q: 'hello big world', p: '1+1', name: 'Jürgen' })
  })

  test('keys are decoded too, before the brackets are read', () => {
    assert.deepEqual(parse('my+key=1&a%5Bb%5D=2'), { 'my key': '1', a: { b: '2' } })
  })

  test('empty values, keys without =, empty pairs and an empty query', () => {
    assert.deepEqual(parse('a=&b&&c=1&'), { a: '', b: '', c: '1' })
    assert.deepEqual(parse(''), {})
  })

  test('a % not followed by two hex digits stays literal, and the rest still decodes', () => {
    assert.deepEqual(parse('a=%ZZ&b=100%&c=%4&d=a+%41%G1'), { a: '%ZZ', b: '100%', c: '%4', d: 'a A%G1' })
  })

  test('escapes that are not valid UTF-8 are refused with InvalidQueryError', () => {
    assert.throws(() => parseQuery('name=%FF'), InvalidQueryError)
    assert.throws(() => parseQuery('%C3=1'), InvalidQueryError)
  })

  test('__proto__ and constructor are ordinary keys and pollute nothing', () => {
    const params = parseQuery('a[__proto__][polluted]=1&__proto__[x]=2&constructor[prototype][y]=3')
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined)
    assert.equal(({} as Record<string, unknown>)['y'], undefined)
    assert.deepEqual(Object.keys(params).sort(), ['__proto__', 'a', 'constructor'])
    assert.equal(JSON.stringify(params['a']), '{"__proto__":{"polluted":"1"}}')
  })
})
