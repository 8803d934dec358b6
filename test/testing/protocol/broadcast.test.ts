/**
 * Fastlane broadcasts (reference A9 "Broadcasts"; Part E item 15):
 * `[null, null, topic, event, payload]` to every subscribed connection,
 * and broadcastFrom skipping the sender.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { builtinChannels, ok, type ChannelHandler } from '../../../src/testing/index.ts'
import { harness, heartbeat, rawOf } from './setup.ts'

const relay: ChannelHandler = {
  join: () => ok({}),
  handleIn (event, payload, socket) {
    socket.broadcastFrom(event, payload)
    return ok({})
  },
}

describe('broadcast', () => {
  test('server.broadcast reaches every client joined to the topic, on every connection, and no one else', async (t) => {
    const { connect, server } = await harness(t)
    const a = await connect()
    const b = await connect()
    const elsewhere = await connect()
    for (const [client, topic] of [[a, 'room:lobby'], [b, 'room:lobby'], [elsewhere, 'room:other']] as const) {
      client.sendFrame(`["1","1","${topic}","phx_join",{}]`)
      await client.reply('1')
    }
    assert.equal(server.broadcast('room:lobby', 'new_msg', { body: 'hi' }), 2)
    for (const client of [a, b]) {
      const got = await client.next((m) => m.event === 'new_msg')
      assert.equal(rawOf(client, got), '[null,null,"room:lobby","new_msg",{"body":"hi"}]')
    }
    const at = await heartbeat(elsewhere)
    assert.ok(!elsewhere.received.slice(0, at).some((m) => m.event === 'new_msg'), 'a client on another topic gets nothing')
  })

  test('a channel broadcast reaches the sender too, before the sender\'s reply', async (t) => {
    const { connect } = await harness(t)
    const a = await connect()
    const b = await connect()
    for (const client of [a, b]) {
      client.sendFrame('["1","1","room:lobby","phx_join",{}]')
      await client.reply('1')
    }
    a.sendFrame('["1","2","room:lobby","new_msg",{"body":"hi"}]')
    const reply = await a.reply('2')
    const received = await b.next((m) => m.event === 'new_msg')
    assert.equal(rawOf(b, received), '[null,null,"room:lobby","new_msg",{"body":"hi"}]')
    const own = a.received.slice(0, a.received.indexOf(reply)).find((m) => m.event === 'new_msg')
    assert.ok(own !== undefined, 'the sender got the broadcast before its reply')
    assert.equal(rawOf(a, own), '[null,null,"room:lobby","new_msg",{"body":"hi"}]')
  })

  test('broadcastFrom reaches the other clients but not the sender', async (t) => {
    const { connect } = await harness(t, { channels: { ...builtinChannels(), 'relay:*': relay } })
    const sender = await connect()
    const other = await connect()
    for (const client of [sender, other]) {
      client.sendFrame('["1","1","relay:1","phx_join",{}]')
      await client.reply('1')
    }
    sender.sendFrame('["1","2","relay:1","shout",{"v":1}]')
    await sender.reply('2')
    const got = await other.next((m) => m.event === 'shout')
    assert.equal(rawOf(other, got), '[null,null,"relay:1","shout",{"v":1}]')
    const at = await heartbeat(sender)
    assert.ok(!sender.received.slice(0, at).some((m) => m.event === 'shout'), 'the sender does not get its own broadcastFrom')
  })
})
