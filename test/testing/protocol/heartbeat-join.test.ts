/**
 * Heartbeats and joins (reference A6, A9 "Heartbeat", "Join", "Duplicate
 * join"; Part E items 10–12), frame by frame.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { builtinChannels, ok, type ChannelHandler } from '../../../src/testing/index.ts'
import { harness, heartbeat, joined, rawOf, textFrom } from './setup.ts'

describe('heartbeat', () => {
  test('a heartbeat gets an ok reply with join_ref null, byte for byte', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('[null,"7","phoenix","heartbeat",{}]')
    const reply = await client.reply('7')
    assert.equal(rawOf(client, reply), '[null,"7","phoenix","phx_reply",{"response":{},"status":"ok"}]')
  })

  test('a heartbeat is answered the same way while channels are joined', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    await joined(client, 'echo:a')
    await joined(client, 'room:b')
    client.sendFrame('["1","42","phoenix","heartbeat",{}]')
    const reply = await client.reply('42')
    assert.equal(rawOf(client, reply), '[null,"42","phoenix","phx_reply",{"response":{},"status":"ok"}]')
  })
})

describe('join', () => {
  test('a join the channel accepts gets an ok reply carrying its join_ref and ref', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["3","3","room:lobby","phx_join",{"token":"x"}]')
    const reply = await client.reply('3')
    assert.equal(rawOf(client, reply), '["3","3","room:lobby","phx_reply",{"response":{},"status":"ok"}]')
  })

  test('the join reply carries the response the channel returned', async (t) => {
    const greeter: ChannelHandler = { join: (_topic, params) => ok({ hello: params }) }
    const { connect } = await harness(t, { channels: { 'greet:*': greeter } })
    const client = await connect()
    client.sendFrame('["9","10","greet:1","phx_join",{"name":"ann"}]')
    const reply = await client.reply('10')
    assert.equal(rawOf(client, reply), '["9","10","greet:1","phx_reply",{"response":{"hello":{"name":"ann"}},"status":"ok"}]')
  })

  test('a join the app refuses gets an error reply with the app payload, and no channel remains', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["1","1","echo:a","phx_join",{"refuse":"unauthorized"}]')
    const reply = await client.reply('1')
    assert.equal(rawOf(client, reply), '["1","1","echo:a","phx_reply",{"response":{"reason":"unauthorized"},"status":"error"}]')
    client.sendFrame('["1","2","echo:a","ping",{}]')
    const after = await client.reply('2')
    assert.deepEqual(after.payload, { response: { reason: 'unmatched topic' }, status: 'error' })
    assert.ok(!client.received.some((m) => m.event === 'phx_close' || m.event === 'phx_error'), 'a refused join sends no phx_close or phx_error')
  })

  test('a join that throws gets "join crashed" with its join_ref', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["4","5","echo:a","phx_join",{"crash":true}]')
    const reply = await client.reply('5')
    assert.equal(rawOf(client, reply), '["4","5","echo:a","phx_reply",{"response":{"reason":"join crashed"},"status":"error"}]')
  })

  test('a join to a topic no channel matches gets "unmatched topic" with join_ref null', async (t) => {
    const { connect, server } = await harness(t)
    const client = await connect()
    const event = server.waitFor('join', (e) => e.topic === 'nope:x')
    client.sendFrame('["2","2","nope:x","phx_join",{}]')
    const reply = await client.reply('2')
    assert.equal(rawOf(client, reply), '[null,"2","nope:x","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]')
    assert.equal((await event).status, 'unmatched')
  })

  test('a join with join_ref null: pushes and replies carry its ref, phx_close carries null', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('[null,"5","echo:n","phx_join",{}]')
    const joinReply = await client.reply('5')
    // The socket builds the join reply from the message's own join_ref (null).
    assert.equal(rawOf(client, joinReply), '[null,"5","echo:n","phx_reply",{"response":{},"status":"ok"}]')
    const from = client.frames.length
    client.sendFrame('[null,"6","echo:n","push_back",{"a":1}]')
    await client.reply('6')
    client.sendFrame('[null,"7","echo:n","phx_leave",{}]')
    await client.next((m) => m.event === 'phx_close')
    assert.deepEqual(textFrom(client, from), [
      '["5",null,"echo:n","pushed",{"a":1}]',
      '["5","6","echo:n","phx_reply",{"response":{},"status":"ok"}]',
      '["5","7","echo:n","phx_reply",{"response":{},"status":"ok"}]',
      '[null,null,"echo:n","phx_close",{}]',
    ])
  })

  test('pushes a channel makes during its join arrive after the join reply', async (t) => {
    const welcoming: ChannelHandler = {
      join: (_topic, _params, socket) => {
        socket.push('welcome', { n: 1 })
        socket.push('welcome', { n: 2 })
        return ok({ joined: true })
      },
    }
    const { connect } = await harness(t, { channels: { 'w:*': welcoming } })
    const client = await connect()
    client.sendFrame('["1","1","w:1","phx_join",{}]')
    await client.next((m) => m.event === 'welcome' && (m.payload as { n: number }).n === 2)
    assert.deepEqual(textFrom(client), [
      '["1","1","w:1","phx_reply",{"response":{"joined":true},"status":"ok"}]',
      '["1",null,"w:1","welcome",{"n":1}]',
      '["1",null,"w:1","welcome",{"n":2}]',
    ])
  })

  test('a push made inside handleIn precedes that handleIn\'s reply', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    await joined(client, 'echo:p')
    const from = client.frames.length
    client.sendFrame('["1","2","echo:p","push_back",{"x":true}]')
    await client.reply('2')
    assert.deepEqual(textFrom(client, from), [
      '["1",null,"echo:p","pushed",{"x":true}]',
      '["1","2","echo:p","phx_reply",{"response":{},"status":"ok"}]',
    ])
  })

  test('a slow join holds up later frames on the socket, heartbeats included', async (t) => {
    let release = (): void => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    const slow: ChannelHandler = { join: async () => { await gate; return ok({}) } }
    const { connect, server } = await harness(t, { channels: { 'slow:*': slow } })
    const client = await connect()
    const heartbeatSeen = server.waitFor('frame', (e) => e.message.event === 'heartbeat')
    client.sendFrame('["1","1","slow:1","phx_join",{}]')
    client.sendFrame('[null,"2","phoenix","heartbeat",{}]')
    await heartbeatSeen
    release()
    await client.reply('2')
    assert.deepEqual(client.received.map((m) => m.ref), ['1', '2'], 'the join reply comes before the heartbeat reply')
  })
})

describe('duplicate join', () => {
  test('the new join is answered first, then phx_close for the old join_ref; the new channel works', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    client.sendFrame('["1","1","echo:d","phx_join",{}]')
    await client.reply('1')
    const from = client.frames.length
    client.sendFrame('["2","2","echo:d","phx_join",{}]')
    await client.next((m) => m.event === 'phx_close')
    client.sendFrame('["2","3","echo:d","hello",{"v":1}]')
    await client.reply('3')
    assert.deepEqual(textFrom(client, from), [
      '["2","2","echo:d","phx_reply",{"response":{},"status":"ok"}]',
      '["1","1","echo:d","phx_close",{}]',
      '["2","3","echo:d","phx_reply",{"response":{"v":1},"status":"ok"}]',
    ])
  })

  test('phx_close for the replaced channel comes before the new channel\'s first push', async (t) => {
    const welcoming: ChannelHandler = {
      join: (_topic, _params, socket) => {
        socket.push('welcome', {})
        return ok({})
      },
    }
    const { connect } = await harness(t, { channels: { ...builtinChannels(), 'w:*': welcoming } })
    const client = await connect()
    client.sendFrame('["1","1","w:d","phx_join",{}]')
    await client.next((m) => m.event === 'welcome')
    const from = client.frames.length
    client.sendFrame('["2","2","w:d","phx_join",{}]')
    await client.next((m) => m.event === 'welcome' && m.joinRef === '2')
    assert.deepEqual(textFrom(client, from), [
      '["2","2","w:d","phx_reply",{"response":{},"status":"ok"}]',
      '["1","1","w:d","phx_close",{}]',
      '["2",null,"w:d","welcome",{}]',
    ])
  })

  test('a heartbeat after the duplicate join sees nothing else for the old channel', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    await joined(client, 'echo:d')
    await joined(client, 'echo:d')
    const at = await heartbeat(client)
    const closes = client.received.slice(0, at).filter((m) => m.event === 'phx_close')
    assert.equal(closes.length, 1)
    assert.equal(closes[0]?.joinRef, '1')
  })
})
