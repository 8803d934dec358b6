/**
 * Several socket mounts on one server, as a Phoenix endpoint serves
 * `/socket`, `/socket_auth` with `auth_token: true` and one with a short
 * idle timeout at once: each mount has its own options, all share topics
 * and presence (one PubSub), and the single-mount options stay the common
 * case.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { ok, startFakePhoenix, type ConnectInfo, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import { RawClient, type RawClientOptions } from '../../helpers/raw-client.ts'
import { heartbeat, textFrom } from '../protocol/setup.ts'
import { rawUpgrade, refusedSocket, serve, tokenProtocol, upgradeHead } from './http-helpers.ts'

async function open (t: TestContext, url: string, options?: RawClientOptions): Promise<RawClient> {
  const client = await RawClient.connect(url, options)
  t.after(() => { client.ws.terminate() })
  return client
}

const threeMounts = (seen: ConnectInfo[]): FakePhoenixOptions => ({
  mounts: {
    '/socket_auth': { authToken: true, connect: (_params, info) => { seen.push(info); return info.authToken === 'secret' ? { ok: true } : { ok: false } } },
    '/socket_fast': { idleTimeoutMs: 150 },
  },
})

describe('several mounts on one server', () => {
  test('each mount is reached at its own path with its own options; other paths answer 404', async (t) => {
    const seen: ConnectInfo[] = []
    const server = await serve(t, threeMounts(seen))
    const base = `ws://127.0.0.1:${server.port}`
    assert.deepEqual(['/socket', '/socket_auth', '/socket_fast/'].map(server.mount), [
      { endpoint: `${base}/socket`, url: `${base}/socket/websocket` },
      { endpoint: `${base}/socket_auth`, url: `${base}/socket_auth/websocket` },
      { endpoint: `${base}/socket_fast`, url: `${base}/socket_fast/websocket` },
    ])
    assert.equal(server.url, `${base}/socket/websocket`)
    assert.throws(() => server.mount('/nope'), /no mount at "\/nope"; mounted: \/socket, \/socket_auth, \/socket_fast/)

    const offer = `Sec-WebSocket-Protocol: phoenix, ${tokenProtocol('secret')}`
    const plain = await rawUpgrade(server.port, upgradeHead(server.port, '/socket/websocket?vsn=2.0.0', [offer]))
    assert.deepEqual([plain.status, plain.headers['sec-websocket-protocol']], [101, undefined], '/socket has no auth_token: the offer is ignored')
    const authed = await rawUpgrade(server.port, upgradeHead(server.port, '/socket_auth/websocket?vsn=2.0.0', [offer]))
    assert.deepEqual([authed.status, authed.headers['sec-websocket-protocol']], [101, 'phoenix'])
    assert.equal(seen[0]?.authToken, 'secret')
    assert.equal(seen[0].uri.path, '/socket_auth/websocket')
    const wrong = await refusedSocket(t, `${server.mount('/socket_auth').url}?vsn=2.0.0`, ['phoenix', tokenProtocol('guess')])
    assert.deepEqual([wrong.status, wrong.headers['sec-websocket-protocol']], [403, 'phoenix'])
    assert.equal((await refusedSocket(t, `${base}/socket_other/websocket?vsn=2.0.0`)).status, 404)
  })

  test('the idle timeout is per mount: the fast mount closes its silent socket (1002) while /socket keeps its own', async (t) => {
    const server = await serve(t, threeMounts([]))
    const slow = await open(t, server.url)
    const connected = server.waitFor('connect', (e) => e.mount === '/socket_fast')
    const fast = await open(t, server.mount('/socket_fast').url)
    const { connectionId, mount } = await connected
    assert.equal(mount, '/socket_fast')
    const gone = server.waitFor('disconnect', (e) => e.connectionId === connectionId)
    assert.equal((await fast.closedWithin(2000)).code, 1002)
    await gone
    await heartbeat(slow)
    assert.deepEqual(textFrom(slow), ['[null,"1","phoenix","phx_reply",{"response":{},"status":"ok"}]'])
    assert.deepEqual(server.connections().map((c) => c.mount), ['/socket'])
  })

  test('mounts share topics: a broadcast from a channel on one mount reaches the joiners of the other', async (t) => {
    const server = await serve(t, threeMounts([]))
    const a = await open(t, server.url)
    const b = await open(t, server.mount('/socket_fast').url)
    for (const client of [a, b]) {
      client.sendFrame('["1","1","room:lobby","phx_join",{}]')
      await client.reply('1')
    }
    b.sendFrame('["1","2","room:lobby","new_msg",{"body":"hi"}]')
    await b.reply('2')
    await a.next((m) => m.event === 'new_msg')
    assert.deepEqual(textFrom(a).slice(1), ['[null,null,"room:lobby","new_msg",{"body":"hi"}]'])
    assert.deepEqual(textFrom(b).slice(1), [
      '[null,null,"room:lobby","new_msg",{"body":"hi"}]',
      '["1","2","room:lobby","phx_reply",{"response":{},"status":"ok"}]',
    ])
  })

  test('channels and the channel limit are per mount', async (t) => {
    const server = await serve(t, {
      mounts: { '/admin': { channels: { 'admin:*': { join: () => ok({ admin: true }) } }, maxChannels: 1 } },
    })
    const admin = await open(t, server.mount('/admin').url)
    admin.sendFrame('["1","1","admin:a","phx_join",{}]')
    admin.sendFrame('["2","2","admin:b","phx_join",{}]')
    admin.sendFrame('["3","3","echo:x","phx_join",{}]')
    await admin.reply('3')
    assert.deepEqual(textFrom(admin), [
      '["1","1","admin:a","phx_reply",{"response":{"admin":true},"status":"ok"}]',
      '["2","2","admin:b","phx_reply",{"response":{"reason":"too many channels joined"},"status":"error"}]',
      '[null,"3","echo:x","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]',
    ])
    const plain = await open(t, server.url)
    plain.sendFrame('["1","1","echo:x","phx_join",{}]')
    plain.sendFrame('["2","2","admin:a","phx_join",{}]')
    await plain.reply('2')
    assert.deepEqual(textFrom(plain), [
      '["1","1","echo:x","phx_reply",{"response":{},"status":"ok"}]',
      '[null,"2","admin:a","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]',
    ])
  })

  test('a mount path given twice, or not starting with "/", is refused at start', async () => {
    await assert.rejects(startFakePhoenix({ mounts: { '/socket/': {} } }), /mount "\/socket" is given twice/)
    await assert.rejects(startFakePhoenix({ mounts: { socket_auth: {} } }), /a mount path starts with "\/", got "socket_auth"/)
  })

  test('one mount (no mounts option) is the common case: url and endpoint are its own', async (t) => {
    const server = await serve(t, { mount: '/live' })
    assert.deepEqual(server.mount('/live'), { url: server.url, endpoint: server.endpoint })
    assert.throws(() => server.mount('/socket'), /no mount at "\/socket"; mounted: \/live/)
  })
})
