/**
 * The built-in `room:*` handler: what one client sends is broadcast to every
 * client joined to the room, the sender included (Phoenix `broadcast!/3`,
 * fastlane: join_ref and ref null), and the sender gets an ok reply.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, joinOk, nextMessage } from './support.ts'

describe('room handler', () => {
  test('an event is broadcast to every joined client, the sender included, and answered ok', async (t) => {
    const { server, connect } = await harness(t)
    const alice = await connect()
    const bob = await connect()
    const carol = await connect()
    const aliceJoin = await joinOk(alice, 'room:lobby')
    await joinOk(bob, 'room:lobby')
    await joinOk(carol, 'room:elsewhere')

    const ref = alice.push('room:lobby', 'new_msg', { body: 'hi all' }, aliceJoin)
    const broadcast = { joinRef: null, ref: null, topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi all' } }
    assert.deepEqual(await nextMessage(alice, 'room:lobby', 'new_msg'), broadcast)
    assert.deepEqual(await nextMessage(bob, 'room:lobby', 'new_msg'), broadcast)
    const reply = await alice.reply(ref)
    assert.deepEqual(reply, { joinRef: aliceJoin, ref, topic: 'room:lobby', event: 'phx_reply', payload: { response: {}, status: 'ok' } })

    // Frames to one socket keep their order: a lobby broadcast to carol would precede this one.
    assert.equal(server.broadcast('room:elsewhere', 'marker', {}), 1)
    await nextMessage(carol, 'room:elsewhere', 'marker')
    assert.ok(!carol.received.some((m) => m.topic === 'room:lobby'), 'a client in another room got nothing')
  })

  test('every message of a sender reaches the others in the order sent', async (t) => {
    const { connect } = await harness(t)
    const alice = await connect()
    const bob = await connect()
    const aliceJoin = await joinOk(alice, 'room:seq')
    await joinOk(bob, 'room:seq')
    const refs = [1, 2, 3, 4, 5].map((n) => alice.push('room:seq', 'tick', { n }, aliceJoin))
    for (const ref of refs) await alice.reply(ref)
    await bob.next((m) => m.event === 'tick' && (m.payload as { n: number }).n === 5)
    const seen = bob.received.filter((m) => m.event === 'tick').map((m) => (m.payload as { n: number }).n)
    assert.deepEqual(seen, [1, 2, 3, 4, 5])
  })
})
