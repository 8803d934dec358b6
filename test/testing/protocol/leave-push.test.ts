/**
 * Leaves and pushes to topics that are not joined (reference A9 "Leave",
 * "Ordinary pushes"; Part E items 13–14; Part F "Stale join_ref on leave").
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, heartbeat, rawOf, textFrom } from './setup.ts'

describe('leave', () => {
  test('a leave gets an ok reply, then phx_close with the join_ref as join_ref and ref', async (t) => {
    const { connect, server } = await harness(t)
    const client = await connect()
    client.sendFrame('["1","1","room:lobby","phx_join",{}]')
    await client.reply('1')
    const left = server.waitFor('leave', (e) => e.topic === 'room:lobby')
    const from = client.frames.length
    client.sendFrame('["1","5","room:lobby","phx_leave",{}]')
    await client.next((m) => m.event === 'phx_close')
    assert.deepEqual(textFrom(client, from), [
      '["1","5","room:lobby","phx_reply",{"response":{},"status":"ok"}]',
      '["1","1","room:lobby","phx_close",{}]',
    ])
    assert.equal((await left).joinRef, '1')
  })

  test('after a leave, a push to the topic is "unmatched topic"', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["1","1","echo:a","phx_join",{}]')
    await client.reply('1')
    client.sendFrame('["1","2","echo:a","phx_leave",{}]')
    await client.next((m) => m.event === 'phx_close')
    client.sendFrame('["1","3","echo:a","ping",{}]')
    const reply = await client.reply('3')
    assert.equal(rawOf(client, reply), '[null,"3","echo:a","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]')
  })

  test('a leave of a topic not joined gets an ok reply echoing its join_ref, and no phx_close', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["8","9","echo:never","phx_leave",{}]')
    const reply = await client.reply('9')
    assert.equal(rawOf(client, reply), '["8","9","echo:never","phx_reply",{"response":{},"status":"ok"}]')
    const at = await heartbeat(client)
    assert.ok(!client.received.slice(0, at).some((m) => m.event === 'phx_close'), 'no phx_close before the heartbeat reply')
  })

  test('a leave with a stale join_ref is ignored: no reply, no phx_close, the channel lives on', async (t) => {
    const { connect, server } = await harness(t)
    const client = await connect()
    client.sendFrame('["1","1","echo:s","phx_join",{}]')
    await client.reply('1')
    const stale = server.waitFor('stale', (e) => e.message.ref === '2')
    client.sendFrame('["99","2","echo:s","phx_leave",{}]')
    // A push on the same channel: had the leave been handled, this would be "unmatched topic".
    client.sendFrame('["1","3","echo:s","ping",{"still":"here"}]')
    const reply = await client.reply('3')
    assert.equal(rawOf(client, reply), '["1","3","echo:s","phx_reply",{"response":{"still":"here"},"status":"ok"}]')
    const before = client.received.slice(0, client.received.indexOf(reply))
    assert.ok(!before.some((m) => m.ref === '2' || m.event === 'phx_close'), 'nothing answered the stale leave')
    assert.equal((await stale).message.joinRef, '99')
  })

  test('before 1.8.12 a leave with join_ref null is stale and ignored', async (t) => {
    const { connect } = await harness(t, { phoenixVersion: '1.8.11' })
    const client = await connect()
    client.sendFrame('["1","1","echo:n","phx_join",{}]')
    await client.reply('1')
    client.sendFrame('[null,"2","echo:n","phx_leave",{}]')
    client.sendFrame('["1","3","echo:n","ping",{}]')
    const reply = await client.reply('3')
    assert.equal(rawOf(client, reply), '["1","3","echo:n","phx_reply",{"response":{},"status":"ok"}]')
    const before = client.received.slice(0, client.received.indexOf(reply))
    assert.ok(!before.some((m) => m.ref === '2' || m.event === 'phx_close'), 'nothing answered the null leave')
  })

  test('from 1.8.12 a leave with join_ref null is accepted', async (t) => {
    const { connect } = await harness(t, { phoenixVersion: '1.8.12' })
    const client = await connect()
    client.sendFrame('["1","1","echo:n","phx_join",{}]')
    await client.reply('1')
    const from = client.frames.length
    client.sendFrame('[null,"2","echo:n","phx_leave",{}]')
    await client.next((m) => m.event === 'phx_close')
    assert.deepEqual(textFrom(client, from), [
      '["1","2","echo:n","phx_reply",{"response":{},"status":"ok"}]',
      '["1","1","echo:n","phx_close",{}]',
    ])
  })
})

describe('push to a topic not joined', () => {
  test('gets "unmatched topic" with join_ref null, the push\'s ref and topic', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["1","4","nope:x","new_msg",{}]')
    const reply = await client.reply('4')
    assert.equal(rawOf(client, reply), '[null,"4","nope:x","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]')
  })

  test('a topic a channel pattern matches but that is not joined is also "unmatched topic"', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["1","1","room:joined","phx_join",{}]')
    await client.reply('1')
    client.sendFrame('["1","2","room:other","new_msg",{"body":"hi"}]')
    const reply = await client.reply('2')
    assert.equal(rawOf(client, reply), '[null,"2","room:other","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]')
  })
})
