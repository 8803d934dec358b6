/**
 * faults.closeAll and faults.dropAll: the server ends every socket with a
 * chosen close code, or drops TCP without a close frame (reference A10).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, joinOk } from './support.ts'

describe('closeAll', () => {
  for (const [code, meaning] of [[1001, 'disconnect'], [1011, 'crash'], [1012, 'drain']] as const) {
    test(`closeAll(${code}) closes every socket with ${code} (${meaning}) and returns how many`, async (t) => {
      const { server, connect } = await harness(t)
      const a = await connect()
      const b = await connect()
      await joinOk(b, 'echo:one')
      let open = 2
      const serverSideGone = server.waitFor('disconnect', () => --open === 0, 2000)
      const count = server.faults.closeAll(code, meaning)
      assert.equal(count, 2)
      const [closedA, closedB] = await Promise.all([a.closedWithin(), b.closedWithin()])
      assert.deepEqual(closedA, { code, reason: meaning })
      assert.deepEqual(closedB, { code, reason: meaning })
      await serverSideGone
      assert.equal(server.faults.closeAll(code), 0, 'no socket is left to close')
    })
  }
})

describe('dropAll', () => {
  test('dropAll ends every TCP connection without a close frame: the client sees 1006', async (t) => {
    const { server, connect } = await harness(t)
    const a = await connect()
    const b = await connect()
    await joinOk(a, 'echo:x')
    assert.equal(server.faults.dropAll(), 2)
    const [closedA, closedB] = await Promise.all([a.closedWithin(), b.closedWithin()])
    assert.equal(closedA.code, 1006)
    assert.equal(closedB.code, 1006)
    assert.ok(!a.received.some((m) => m.event === 'phx_close' || m.event === 'phx_error'), 'no Phoenix message precedes the drop')
  })
})
