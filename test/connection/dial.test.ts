/**
 * How a connection attempt is addressed (src/connection/dial.ts): phoenix.js's
 * query flattening, the socket URL, the log-safe form of a URL, and the
 * Phoenix 1.8 auth-token subprotocol.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { AUTH_TOKEN_PREFIX, authTokenProtocol, encodeParams, socketUrl } from '../../src/connection/dial.ts'
import { redactUrl } from '../../src/safe-url.ts'

describe('encodeParams', () => {
  test('flat values become key=value pairs in insertion order', () => {
    assert.deepEqual(encodeParams({ token: 'abc', n: 7, on: true }), ['token=abc', 'n=7', 'on=true'])
  })

  test('nested objects flatten to parent[child]=value, brackets percent-encoded as phoenix.js does', () => {
    const parts = encodeParams({ a: { b: 1, c: { d: 'x' } } })
    assert.deepEqual(parts, ['a%5Bb%5D=1', 'a%5Bc%5D%5Bd%5D=x'])
    assert.deepEqual(parts.map(decodeURIComponent), ['a[b]=1', 'a[c][d]=x'])
  })

  test('arrays flatten by index', () => {
    assert.deepEqual(encodeParams({ list: ['x', 'y'], deep: { ids: [3] } }).map(decodeURIComponent), ['list[0]=x', 'list[1]=y', 'deep[ids][0]=3'])
  })

  test('null is sent as the string null; undefined is left out', () => {
    assert.deepEqual(encodeParams({ a: null, b: undefined, c: 'kept', d: { e: undefined, f: null } }).map(decodeURIComponent), ['a=null', 'c=kept', 'd[f]=null'])
  })

  test('keys and values are URL-encoded', () => {
    assert.deepEqual(encodeParams({ 'k y': 'a b&c=d/é?#+' }), ['k%20y=a%20b%26c%3Dd%2F%C3%A9%3F%23%2B'])
  })

  test('an empty object gives no pairs', () => {
    assert.deepEqual(encodeParams({}), [])
  })
})

describe('socketUrl', () => {
  test('appends /websocket to the endpoint path, then the params, then vsn', () => {
    assert.equal(socketUrl('ws://127.0.0.1:4000/socket', { token: 'a b', user: { id: 1 } }, '2.0.0'),
      'ws://127.0.0.1:4000/socket/websocket?token=a%20b&user%5Bid%5D=1&vsn=2.0.0')
  })

  test('without params the query is vsn alone; a trailing slash is not doubled', () => {
    assert.equal(socketUrl('wss://app.example/socket/', {}, '1.0.0'), 'wss://app.example/socket/websocket?vsn=1.0.0')
  })

  test('http and https endpoints become ws and wss', () => {
    assert.equal(socketUrl('http://h.example:8080/live', {}, '2.0.0'), 'ws://h.example:8080/live/websocket?vsn=2.0.0')
    assert.equal(socketUrl('https://h.example/live', {}, '2.0.0'), 'wss://h.example/live/websocket?vsn=2.0.0')
  })

  test('other schemes are refused with a TypeError', () => {
    assert.throws(() => socketUrl('ftp://h.example/socket', {}, '2.0.0'), (err: unknown) => err instanceof TypeError && /ws:\/\/ or wss:\/\//.test(err.message))
    assert.throws(() => socketUrl('file:///tmp/socket', {}, '2.0.0'), TypeError)
  })

  test('a string that is not a URL throws', () => {
    assert.throws(() => socketUrl('not a url', {}, '2.0.0'), TypeError)
  })
})

describe('redactUrl', () => {
  test('keeps scheme, host, port and path; drops the query, the fragment and credentials', () => {
    const url = 'wss://alice:s3cret@h.example:8443/socket/websocket?token=TOPSECRET&vsn=2.0.0#frag'
    const safe = redactUrl(url)
    assert.equal(safe, 'wss://h.example:8443/socket/websocket')
    for (const secret of ['alice', 's3cret', 'TOPSECRET', 'token', 'frag']) assert.ok(!safe.includes(secret), secret)
  })

  test('an invalid URL is not echoed back', () => {
    assert.equal(redactUrl('::not a url?token=TOPSECRET'), '<invalid url>')
  })
})

describe('authTokenProtocol', () => {
  test('offers phoenix and the token in standard Base64 without padding', () => {
    assert.equal(AUTH_TOKEN_PREFIX, 'base64url.bearer.phx.')
    assert.equal(authTokenProtocol('a'), 'phoenix, base64url.bearer.phx.YQ')
    assert.equal(authTokenProtocol('ab'), 'phoenix, base64url.bearer.phx.YWI')
    assert.equal(authTokenProtocol('abc'), 'phoenix, base64url.bearer.phx.YWJj')
  })

  test('keeps the standard alphabet: / and + are not turned into _ and -', () => {
    assert.equal(authTokenProtocol('???'), 'phoenix, base64url.bearer.phx.Pz8/')
    assert.equal(authTokenProtocol('>>>'), 'phoenix, base64url.bearer.phx.Pj4+')
  })

  test('encodes the token as UTF-8', () => {
    const value = authTokenProtocol('é')
    assert.equal(value, 'phoenix, base64url.bearer.phx.w6k')
    assert.equal(Buffer.from(value.slice('phoenix, base64url.bearer.phx.'.length), 'base64').toString('utf8'), 'é')
  })
})
