/**
 * faults.restart / stop / start: a deploy. Existing sockets end as the mode
 * says (reference A10: drain 1012 for channel-holding sockets, 1000 for the
 * others; abrupt = TCP dropped; or any code), and the server listens again
 * on the same port.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { RawClient } from '../../helpers/raw-client.ts'
import { harness, joinOk, sendHeartbeat } from './support.ts'

describe('restart', () => {
  test('the default drain mode closes channel-holding sockets with 1012, others with 1000, then listens on the same port', async (t) => {
    const { server, connect } = await harness(t)
    const port = server.port
    const withChannel = await connect()
    await joinOk(withChannel, 'echo:drain')
    const bare = await connect()
    await server.faults.restart()
    const [closedWithChannel, closedBare] = await Promise.all([withChannel.closedWithin(), bare.closedWithin()])
    assert.equal(closedWithChannel.code, 1012)
    assert.equal(closedBare.code, 1000)
    assert.equal(server.port, port)
    const again = await connect()
    assert.equal(new URL(again.ws.url).port, String(port))
    const reply = await again.reply(sendHeartbeat(again))
    assert.deepEqual(reply.payload, { response: {}, status: 'ok' })
    assert.equal(server.connections().length, 1)
  })

  test('abrupt mode drops TCP without a close frame (1006)', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    await joinOk(client, 'echo:abrupt')
    await server.faults.restart({ mode: 'abrupt' })
    assert.equal((await client.closedWithin()).code, 1006)
    const again = await connect()
    await again.reply(sendHeartbeat(again))
  })

  test('a numeric mode closes every socket with that code', async (t) => {
    const { server, connect } = await harness(t)
    const a = await connect()
    await joinOk(a, 'echo:code')
    const b = await connect()
    await server.faults.restart({ mode: 4001 })
    const [closedA, closedB] = await Promise.all([a.closedWithin(), b.closedWithin()])
    assert.equal(closedA.code, 4001)
    assert.equal(closedB.code, 4001)
    const again = await connect()
    await again.reply(sendHeartbeat(again))
  })

  test('while stopped, a connect attempt is refused at TCP level; start() listens again on the same port', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    await server.faults.stop()
    assert.equal((await client.closedWithin()).code, 1000)
    await assert.rejects(RawClient.connect(server.url), (err: NodeJS.ErrnoException) => {
      assert.equal(err.code, 'ECONNREFUSED')
      return true
    })
    await server.faults.start()
    const again = await connect()
    const reply = await again.reply(sendHeartbeat(again))
    assert.deepEqual(reply.payload, { response: {}, status: 'ok' })
  })
})
