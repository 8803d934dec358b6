/**
 * HTTP phase, checks before connect (reference A2 steps 3–5, A3; Part E
 * 3–5): the Phoenix 1.8 auth token carried in Sec-WebSocket-Protocol, the
 * subprotocol list, and the origin policy.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import type { ConnectInfo } from '../../../src/testing/index.ts'
import { openSocket, rawUpgrade, refusedSocket, serve, tokenProtocol, upgradeHead } from './http-helpers.ts'

/** A connect callback that records the connect_info it was given. */
function recorder (): { seen: ConnectInfo[], connect: (_p: unknown, info: ConnectInfo) => { ok: true } } {
  const seen: ConnectInfo[] = []
  return { seen, connect: (_p, info) => { seen.push(info); return { ok: true } } }
}

describe('auth token (Phoenix 1.8 auth_token: true)', () => {
  test('"phoenix, base64url.bearer.phx.<b64>" yields the decoded token and echoes phoenix', async (t) => {
    const { seen, connect } = recorder()
    const server = await serve(t, { authToken: true, connect })
    assert.equal(tokenProtocol('1234'), 'base64url.bearer.phx.MTIzNA')
    const ws = await openSocket(t, `${server.url}?vsn=2.0.0`, ['phoenix', tokenProtocol('1234')])
    assert.equal(ws.protocol, 'phoenix')
    const info = seen[0]
    assert.ok(info !== undefined)
    assert.equal(info.authToken, '1234')
    assert.equal(info.secWebsocketHeaders['sec-websocket-protocol'], 'phoenix', 'the token entry is stripped')
  })

  test('a token whose standard Base64 has + and / decodes', async (t) => {
    const { seen, connect } = recorder()
    const server = await serve(t, { authToken: true, connect })
    const token = 'ab>>>?c??'
    const offered = tokenProtocol(token)
    assert.match(offered, /\+/)
    assert.match(offered, /\//)
    const answer = await rawUpgrade(server.port, upgradeHead(server.port, '/socket/websocket?vsn=2.0.0', [`Sec-WebSocket-Protocol: phoenix, ${offered}`]))
    assert.equal(answer.status, 101)
    assert.equal(answer.headers['sec-websocket-protocol'], 'phoenix')
    assert.equal(seen[0]?.authToken, token)
  })

  test('a URL-safe token (- or _) makes the decode fail: HTTP 500', async (t) => {
    const server = await serve(t, { authToken: true })
    for (const bad of ['base64url.bearer.phx.ab-c', 'base64url.bearer.phx.ab_c']) {
      const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`, ['phoenix', bad])
      assert.equal(answer.status, 500, bad)
    }
  })

  test('two token entries: no token is extracted, phoenix is still echoed', async (t) => {
    const { seen, connect } = recorder()
    const server = await serve(t, { authToken: true, connect })
    const ws = await openSocket(t, `${server.url}?vsn=2.0.0`, ['phoenix', tokenProtocol('1234'), tokenProtocol('5678')])
    assert.equal(ws.protocol, 'phoenix')
    assert.equal(seen.length, 1)
    assert.equal(seen[0]?.authToken, null)
  })

  test('with authToken off the token header is ignored: connect succeeds, nothing echoed', async (t) => {
    const { seen, connect } = recorder()
    const server = await serve(t, { connect })
    const offered = `phoenix, ${tokenProtocol('1234')}`
    const answer = await rawUpgrade(server.port, upgradeHead(server.port, '/socket/websocket?vsn=2.0.0', [`Sec-WebSocket-Protocol: ${offered}`]))
    assert.equal(answer.status, 101)
    assert.equal(answer.headers['sec-websocket-protocol'], undefined)
    assert.equal(seen[0]?.authToken, null)
  })
})

describe('refusals after the subprotocol check carry the chosen subprotocol (Phoenix sets it before connect runs)', () => {
  const offer = ['phoenix', tokenProtocol('1234')]

  test('connect refusing on an auth_token mount: 403, empty body, sec-websocket-protocol: phoenix', async (t) => {
    const server = await serve(t, { authToken: true, connect: () => ({ ok: false }) })
    const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`, offer)
    assert.equal(answer.status, 403)
    assert.equal(answer.body, '')
    assert.equal(answer.headers['sec-websocket-protocol'], 'phoenix')
  })

  test('a custom refusal keeps its own status, body and headers besides the subprotocol', async (t) => {
    const server = await serve(t, { authToken: true, connect: () => ({ ok: false, status: 429, body: 'Too many requests', headers: { 'retry-after': '5' } }) })
    const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`, offer)
    assert.deepEqual([answer.status, answer.body, answer.headers['retry-after'], answer.headers['sec-websocket-protocol']], [429, 'Too many requests', '5', 'phoenix'])
  })

  test('an unknown vsn (403) and a bad upgrade request (400) carry it too', async (t) => {
    const server = await serve(t, { authToken: true })
    const badVsn = await refusedSocket(t, `${server.url}?vsn=3.0.0`, offer)
    assert.deepEqual([badVsn.status, badVsn.body, badVsn.headers['sec-websocket-protocol']], [403, '', 'phoenix'])
    const head = upgradeHead(server.port, '/socket/websocket?vsn=2.0.0', [`Sec-WebSocket-Protocol: ${offer.join(', ')}`])
      .map((line) => (line.startsWith('Sec-WebSocket-Version') ? 'Sec-WebSocket-Version: 12' : line))
    const badUpgrade = await rawUpgrade(server.port, head)
    assert.deepEqual([badUpgrade.status, badUpgrade.body, badUpgrade.headers['sec-websocket-protocol']],
      [400, '\'sec-websocket-version\' header must equal \'13\', got ["12"]', 'phoenix'])
  })

  test('a subprotocols mount: the match chosen is on the refusal', async (t) => {
    const server = await serve(t, { subprotocols: ['mqtt', 'chat'], connect: () => ({ ok: false }) })
    const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`, ['chat'])
    assert.deepEqual([answer.status, answer.headers['sec-websocket-protocol']], [403, 'chat'])
  })

  test('no subprotocol on refusals before the check (origin, token encoding), nor when phoenix was not offered', async (t) => {
    const refusing = await serve(t, { authToken: true, checkOrigin: ['https://a.example'], connect: () => ({ ok: false }) })
    const origin = await refusedSocket(t, `${refusing.url}?vsn=2.0.0`, offer, { origin: 'https://evil.example' })
    assert.deepEqual([origin.status, origin.headers['sec-websocket-protocol']], [403, undefined])
    const encoding = await refusedSocket(t, `${refusing.url}?vsn=2.0.0`, ['phoenix', 'base64url.bearer.phx.ab-c'])
    assert.deepEqual([encoding.status, encoding.headers['sec-websocket-protocol']], [500, undefined])
    const tokenOnly = await refusedSocket(t, `${refusing.url}?vsn=2.0.0`, [tokenProtocol('1234')])
    assert.deepEqual([tokenOnly.status, tokenOnly.headers['sec-websocket-protocol']], [403, undefined])
  })
})

describe('subprotocols option', () => {
  test('the first server-listed protocol the client offered is echoed', async (t) => {
    const server = await serve(t, { subprotocols: ['mqtt', 'graphql-ws', 'chat'] })
    const ws = await openSocket(t, `${server.url}?vsn=2.0.0`, ['chat', 'graphql-ws'])
    assert.equal(ws.protocol, 'graphql-ws')
  })

  test('an offer with no match answers 403 with an empty body', async (t) => {
    const server = await serve(t, { subprotocols: ['mqtt'] })
    const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`, ['soap', 'wamp'])
    assert.equal(answer.status, 403)
    assert.equal(answer.body, '')
  })

  test('no offer at all is fine and nothing is echoed', async (t) => {
    const server = await serve(t, { subprotocols: ['mqtt'] })
    const ws = await openSocket(t, `${server.url}?vsn=2.0.0`)
    assert.equal(ws.protocol, '')
  })
})

describe('origin check', () => {
  const checkOrigin = ['https://a.example', '//b.example:8080', '//*.c.example']

  test('a request without an Origin header passes', async (t) => {
    const server = await serve(t, { checkOrigin })
    const answer = await rawUpgrade(server.port, upgradeHead(server.port, '/socket/websocket?vsn=2.0.0'))
    assert.equal(answer.status, 101)
  })

  test('origins matching an entry pass; the wildcard covers the bare domain and subdomains', async (t) => {
    const server = await serve(t, { checkOrigin })
    for (const origin of ['https://a.example', 'https://a.example:443', 'http://b.example:8080', 'https://b.example:8080', 'https://c.example', 'http://x.c.example', 'https://y.x.c.example:9999']) {
      const ws = await openSocket(t, `${server.url}?vsn=2.0.0`, [], { origin })
      assert.equal(ws.protocol, '', origin)
    }
  })

  test('scheme, port or host mismatch and the "null" origin answer 403 with an empty body', async (t) => {
    const server = await serve(t, { checkOrigin })
    const refused = [
      'http://a.example', // scheme
      'https://a.example:8443', // the entry's scheme implies port 443
      'http://b.example:9090', // port
      'http://b.example', // port 80 is not 8080
      'https://evil.example', // host
      'https://xc.example', // not a subdomain of c.example
      'https://c.example.evil', // suffix is not the domain
      'null',
    ]
    for (const origin of refused) {
      const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`, [], { origin })
      assert.equal(answer.status, 403, origin)
      assert.equal(answer.body, '', origin)
    }
  })

  test('checkOrigin false (the default) allows any origin, even "null"', async (t) => {
    const server = await serve(t, { checkOrigin: false })
    for (const origin of ['https://anything.example', 'null']) {
      const ws = await openSocket(t, `${server.url}?vsn=2.0.0`, [], { origin })
      assert.equal(ws.protocol, '', origin)
    }
  })
})
