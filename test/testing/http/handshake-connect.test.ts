/**
 * HTTP phase, the connect callback and what it sees (reference A1, A2
 * steps 6, 8, 10; A4; Part E 6, 7): refusals and their statuses, params and
 * connect_info, the socket id and assigns reaching channels, and
 * permessage-deflate.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { ok, type ChannelHandler, type ConnectInfo } from '../../../src/testing/index.ts'
import type { QueryParams } from '../../../src/testing/fake-phoenix/query.ts'
import { RawClient } from '../../helpers/raw-client.ts'
import { openSocket, refusedSocket, serve } from './http-helpers.ts'

describe('connect refusals', () => {
  test('a refused connect answers 403 with an empty body by default', async (t) => {
    const server = await serve(t, { connect: () => ({ ok: false }) })
    const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`)
    assert.equal(answer.status, 403)
    assert.equal(answer.body, '')
  })

  test('a refusal can carry a custom status, body and headers (429 Too many requests)', async (t) => {
    const server = await serve(t, {
      connect: () => ({ ok: false, status: 429, body: 'Too many requests', headers: { 'retry-after': '30' } }),
    })
    const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`)
    assert.equal(answer.status, 429)
    assert.equal(answer.body, 'Too many requests')
    assert.equal(answer.headers['retry-after'], '30')
  })

  test('a connect callback that throws answers 500', async (t) => {
    const server = await serve(t, { connect: () => { throw new Error('connect blew up') } })
    const answer = await refusedSocket(t, `${server.url}?vsn=2.0.0`)
    assert.equal(answer.status, 500)
  })

  test('connect decides per request: the params it sees pick accept or refuse', async (t) => {
    const server = await serve(t, { connect: (params) => (params['token'] === 'good' ? { ok: true } : { ok: false }) })
    const ws = await openSocket(t, `${server.url}?token=good&vsn=2.0.0`)
    assert.equal(ws.protocol, '')
    const answer = await refusedSocket(t, `${server.url}?token=bad&vsn=2.0.0`)
    assert.equal(answer.status, 403)
  })
})

describe('what connect receives', () => {
  test('params are decoded Plug-style: nested maps, lists, + as space, all strings', async (t) => {
    const seen: QueryParams[] = []
    const server = await serve(t, { connect: (params) => { seen.push(params); return { ok: true } } })
    const query = 'user[name]=ann&user[role][id]=7&ids[]=1&ids[]=2&q=hello+big%20world&empty=&vsn=2.0.0'
    await openSocket(t, `${server.url}?${query}`)
    assert.deepEqual({ ...seen[0] }, {
      user: { name: 'ann', role: { id: '7' } },
      ids: ['1', '2'],
      q: 'hello big world',
      empty: '',
      vsn: '2.0.0',
    })
  })

  test('connect_info has the peer, uri, user agent, x- and trace headers, sec-websocket-* headers and origin', async (t) => {
    const seen: ConnectInfo[] = []
    const server = await serve(t, { connect: (_params, info) => { seen.push(info); return { ok: true } } })
    const headers = {
      'user-agent': 'backchannel-test/1.0',
      'x-request-id': 'req-1',
      'X-Tenant': 'acme',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=x',
      cookie: 'secret=1',
      authorization: 'Bearer hidden',
    }
    await openSocket(t, `${server.url}?token=abc&vsn=2.0.0`, [], { headers, origin: 'https://app.example', perMessageDeflate: false })
    const info = seen[0]
    assert.ok(info !== undefined)
    assert.equal(info.peer.address, '127.0.0.1')
    assert.ok(info.peer.port > 0 && info.peer.port !== server.port)
    assert.deepEqual(info.uri, { scheme: 'http', host: '127.0.0.1', port: server.port, path: '/socket/websocket', query: 'token=abc&vsn=2.0.0' })
    assert.equal(info.userAgent, 'backchannel-test/1.0')
    assert.deepEqual(info.xHeaders, { 'x-request-id': 'req-1', 'x-tenant': 'acme' })
    assert.deepEqual(info.traceContextHeaders, { traceparent: headers.traceparent, tracestate: 'vendor=x' })
    assert.deepEqual(Object.keys(info.secWebsocketHeaders).sort(), ['sec-websocket-key', 'sec-websocket-version'])
    assert.equal(info.secWebsocketHeaders['sec-websocket-version'], '13')
    assert.equal(info.origin, 'https://app.example')
    assert.equal(info.authToken, null)
    const exposed = JSON.stringify(info)
    assert.ok(!exposed.includes('secret=1') && !exposed.includes('hidden'), 'cookies and other headers are not exposed')
  })

  test('the id and assigns returned by connect reach the channel socket', async (t) => {
    const probe: ChannelHandler = {
      join: (_topic, _params, socket) => ok({ socketId: socket.socketId, assigns: socket.assigns, params: socket.params['room'] }),
    }
    const server = await serve(t, {
      channels: { 'probe:*': probe },
      connect: (params) => ({ ok: true, id: `user_socket:${JSON.stringify(params['user'])}`, assigns: { userId: 42, role: 'admin' } }),
    })
    const connected = server.waitFor('connect')
    const client = await RawClient.connect(server.url, { params: { user: '42', room: 'blue' } })
    t.after(() => { client.close() })
    assert.equal((await connected).socketId, 'user_socket:"42"')
    const ref = client.join('probe:1')
    const reply = await client.reply(ref)
    assert.deepEqual(reply.payload, {
      status: 'ok',
      response: { socketId: 'user_socket:"42"', assigns: { userId: 42, role: 'admin' }, params: 'blue' },
    })
  })

  test('without an id from connect the socket id is null', async (t) => {
    const probe: ChannelHandler = { join: (_topic, _params, socket) => ok({ socketId: socket.socketId }) }
    const server = await serve(t, { channels: { 'probe:*': probe } })
    const client = await RawClient.connect(server.url)
    t.after(() => { client.close() })
    const reply = await client.reply(client.join('probe:1'))
    assert.deepEqual(reply.payload, { status: 'ok', response: { socketId: null } })
  })
})

describe('permessage-deflate', () => {
  test('compress: true negotiates permessage-deflate and frames round-trip', async (t) => {
    const server = await serve(t, { compress: true })
    const client = await RawClient.connect(server.url, { ws: { perMessageDeflate: { threshold: 0 } } })
    t.after(() => { client.close() })
    assert.match(client.ws.extensions, /permessage-deflate/)
    const joinRef = client.join('echo:z')
    await client.reply(joinRef)
    const body = 'compressible '.repeat(200)
    const ref = client.push('echo:z', 'say', { body }, joinRef)
    const reply = await client.reply(ref)
    assert.deepEqual(reply.payload, { status: 'ok', response: { body } })
  })

  test('compress false (the default) does not negotiate it even when offered', async (t) => {
    const server = await serve(t)
    const client = await RawClient.connect(server.url, { ws: { perMessageDeflate: true } })
    t.after(() => { client.close() })
    assert.equal(client.ws.extensions, '')
    const ref = client.nextRef()
    client.send({ joinRef: null, ref, topic: 'phoenix', event: 'heartbeat', payload: {} })
    const reply = await client.reply(ref)
    assert.deepEqual(reply.payload, { status: 'ok', response: {} })
  })
})
