/**
 * HTTP phase, routing and validation (reference A1, A2 steps 1, 7, 9; A5;
 * Part E 1, 2, 7): which requests reach the socket, which vsn values are
 * served, and that upgrade headers are checked only after connect.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { WebSocket } from 'ws'
import { httpRequest, openSocket, rawUpgrade, refusedSocket, serve, upgradeHead } from './http-helpers.ts'

describe('routing', () => {
  test('only <mount>/websocket is served: other paths answer 404', async (t) => {
    const server = await serve(t)
    const base = `ws://127.0.0.1:${server.port}`
    for (const path of ['/socket', '/socket/longpoll', '/other/websocket', '/socket/websocket/extra']) {
      const answer = await refusedSocket(t, `${base}${path}?vsn=2.0.0`)
      assert.equal(answer.status, 404, path)
    }
    const plain = await httpRequest(server.port, 'GET', '/nothing-here')
    assert.equal(plain.status, 404)
    const ws = await openSocket(t, `${server.url}?vsn=2.0.0`)
    assert.equal(ws.readyState, WebSocket.OPEN)
  })

  test('POST and PUT on the socket path answer 400 with an empty body', async (t) => {
    const server = await serve(t)
    for (const method of ['POST', 'PUT']) {
      const answer = await httpRequest(server.port, method, '/socket/websocket?vsn=2.0.0')
      assert.equal(answer.status, 400, method)
      assert.equal(answer.body, '', method)
    }
  })

  test('a custom mount moves the socket: <mount>/websocket opens, /socket/websocket is 404', async (t) => {
    const server = await serve(t, { mount: '/live' })
    assert.equal(server.url, `ws://127.0.0.1:${server.port}/live/websocket`)
    const ws = await openSocket(t, `ws://127.0.0.1:${server.port}/live/websocket?vsn=2.0.0`)
    assert.equal(ws.readyState, WebSocket.OPEN)
    const old = await refusedSocket(t, `ws://127.0.0.1:${server.port}/socket/websocket?vsn=2.0.0`)
    assert.equal(old.status, 404)
  })
})

describe('vsn negotiation', () => {
  test('vsn 1.0.0, 1.0.1, 2.0.0 and 2.0.5 are accepted with the matching serializer', async (t) => {
    const server = await serve(t)
    for (const vsn of ['1.0.0', '1.0.1', '2.0.0', '2.0.5']) {
      const connected = server.waitFor('connect')
      await openSocket(t, `${server.url}?vsn=${vsn}`)
      const event = await connected
      assert.equal(event.vsn, vsn.startsWith('1.') ? '1.0.0' : '2.0.0', vsn)
    }
  })

  test('a missing vsn means 1.0.0: the heartbeat reply is a V1 JSON object', async (t) => {
    const server = await serve(t)
    const ws = await openSocket(t, server.url)
    const answered = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error('no heartbeat reply within 2000 ms')) }, 2000)
      ws.once('message', (data: Buffer) => { clearTimeout(timer); resolve(data.toString('utf8')) })
    })
    ws.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1' }))
    assert.equal(await answered, '{"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"1","topic":"phoenix"}')
  })

  test('vsn 3.0.0, 2.1.0, abc and vsn[]=x answer 403 with an empty body', async (t) => {
    const server = await serve(t)
    for (const query of ['vsn=3.0.0', 'vsn=2.1.0', 'vsn=abc', 'vsn[]=x']) {
      const answer = await refusedSocket(t, `${server.url}?${query}`)
      assert.equal(answer.status, 403, query)
      assert.equal(answer.body, '', query)
    }
  })

  test('a query that does not decode to UTF-8 answers 400, as Plug refuses it', async (t) => {
    const server = await serve(t)
    const answer = await rawUpgrade(server.port, upgradeHead(server.port, '/socket/websocket?vsn=2.0.0&name=%FF'))
    assert.equal(answer.status, 400)
    const fine = await rawUpgrade(server.port, upgradeHead(server.port, '/socket/websocket?vsn=2.0.0&name=%ZZ'))
    assert.equal(fine.status, 101)
  })
})

describe('upgrade validation after connect', () => {
  test('a refused connect wins over malformed upgrade headers: 403, not 400', async (t) => {
    const server = await serve(t, { connect: () => ({ ok: false }) })
    const noKey = upgradeHead(server.port, '/socket/websocket?vsn=2.0.0').filter((l) => !l.startsWith('Sec-WebSocket-Key'))
    const refused = await rawUpgrade(server.port, noKey)
    assert.equal(refused.status, 403)
    assert.equal(refused.body, '')
    const plain = await httpRequest(server.port, 'GET', '/socket/websocket?vsn=2.0.0')
    assert.equal(plain.status, 403)
  })

  test('with connect accepting, a plain GET answers 400 explaining the connection header', async (t) => {
    const server = await serve(t)
    const answer = await httpRequest(server.port, 'GET', '/socket/websocket?vsn=2.0.0')
    assert.equal(answer.status, 400)
    assert.equal(answer.body, '\'connection\' header must contain \'upgrade\', got ["close"]')
  })

  test('a missing Sec-WebSocket-Key answers 400 after connect ran', async (t) => {
    let connects = 0
    const server = await serve(t, { connect: () => { connects += 1; return { ok: true } } })
    const noKey = upgradeHead(server.port, '/socket/websocket?vsn=2.0.0').filter((l) => !l.startsWith('Sec-WebSocket-Key'))
    const answer = await rawUpgrade(server.port, noKey)
    assert.equal(answer.status, 400)
    assert.match(answer.body, /sec-websocket-key/)
    assert.equal(connects, 1)
  })

  test('a Sec-WebSocket-Version other than 13 answers 400 naming the header', async (t) => {
    const server = await serve(t)
    const head = upgradeHead(server.port, '/socket/websocket?vsn=2.0.0').map((l) => l.startsWith('Sec-WebSocket-Version') ? 'Sec-WebSocket-Version: 8' : l)
    const answer = await rawUpgrade(server.port, head)
    assert.equal(answer.status, 400)
    assert.equal(answer.body, '\'sec-websocket-version\' header must equal \'13\', got ["8"]')
    const good = await rawUpgrade(server.port, upgradeHead(server.port, '/socket/websocket?vsn=2.0.0'))
    assert.equal(good.status, 101)
    assert.equal(good.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
  })
})
