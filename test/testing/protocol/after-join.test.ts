/**
 * A message a channel sends itself during join (Phoenix's
 * `send(self(), :after_join)`, the usual way to track presence) is handled
 * only once the join succeeded: the channel has subscribed to its topic and
 * the join reply is out. A refused join drops it with the channel, and
 * whatever the join tracked goes with it. Presence diffs are broadcast after
 * the tracking callback, so `presence_state` precedes the joiner's own
 * `presence_diff` (reference A12, B10).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { error, noreply, ok, presenceChannel, type ChannelHandler } from '../../../src/testing/index.ts'
import { harness, heartbeat, textFrom } from './setup.ts'

/** join sends itself `after`; handleInfo broadcasts and pushes. Params `{ refuse: true }` refuse after the send. */
function afterJoinChannel (handled: unknown[]): ChannelHandler {
  return {
    join (_topic, params, socket) {
      socket.sendInfo('after')
      return (params as { refuse?: boolean }).refuse === true ? error({ reason: 'no' }) : ok({})
    },
    handleInfo (message, socket) {
      handled.push(message)
      socket.broadcast('hello', { from: 'after_join' })
      socket.push('pushed', {})
      return noreply()
    },
  }
}

describe('a message sent during join', () => {
  test('runs after the join reply, once subscribed: its broadcast reaches the joiner', async (t) => {
    const handled: unknown[] = []
    const { connect } = await harness(t, { channels: { 'aj:*': afterJoinChannel(handled) } })
    const client = await connect()
    client.sendFrame('["1","1","aj:a","phx_join",{}]')
    await client.next((m) => m.event === 'pushed')
    assert.deepEqual(textFrom(client), [
      '["1","1","aj:a","phx_reply",{"response":{},"status":"ok"}]',
      '[null,null,"aj:a","hello",{"from":"after_join"}]',
      '["1",null,"aj:a","pushed",{}]',
    ])
    assert.deepEqual(handled, ['after'])
  })

  test('is dropped when the join is refused: handleInfo never runs', async (t) => {
    const handled: unknown[] = []
    const { connect } = await harness(t, { channels: { 'aj:*': afterJoinChannel(handled) } })
    const client = await connect()
    client.sendFrame('["1","1","aj:r","phx_join",{"refuse":true}]')
    client.sendFrame('["2","2","aj:ok","phx_join",{}]')
    // The second join's own message has run; the refused one's would have run before it.
    await client.next((m) => m.event === 'pushed')
    assert.deepEqual(textFrom(client), [
      '["1","1","aj:r","phx_reply",{"response":{"reason":"no"},"status":"error"}]',
      '["2","2","aj:ok","phx_reply",{"response":{},"status":"ok"}]',
      '[null,null,"aj:ok","hello",{"from":"after_join"}]',
      '["2",null,"aj:ok","pushed",{}]',
    ])
    assert.deepEqual(handled, ['after'])
  })
})

describe('presence and the join', () => {
  const TOPIC = 'presence:lobby'

  test('the built-in presence channel: join reply, presence_state with the joiner, then the joiner\'s own presence_diff', async (t) => {
    const { connect, server } = await harness(t)
    const client = await connect()
    client.sendFrame(`["1","1","${TOPIC}","phx_join",{"user_id":"alice"}]`)
    await client.next((m) => m.event === 'presence_diff')
    const alice = server.presenceList(TOPIC)['alice']
    assert.ok(alice !== undefined)
    assert.deepEqual(textFrom(client), [
      `["1","1","${TOPIC}","phx_reply",{"response":{},"status":"ok"}]`,
      `["1",null,"${TOPIC}","presence_state",${JSON.stringify({ alice })}]`,
      `[null,null,"${TOPIC}","presence_diff",${JSON.stringify({ joins: { alice }, leaves: {} })}]`,
    ])
  })

  test('a join refused after sending itself the tracking message tracks nothing', async (t) => {
    const refusing: ChannelHandler = {
      ...presenceChannel,
      async join (topic, params, socket) {
        await presenceChannel.join(topic, params, socket)
        return error({ reason: 'no' })
      },
    }
    const { connect, server } = await harness(t, { channels: { 'presence:refused': refusing, 'presence:*': presenceChannel } })
    const observer = await connect()
    observer.sendFrame(`["1","1","${TOPIC}","phx_join",{"user_id":"observer"}]`)
    await observer.next((m) => m.event === 'presence_diff')
    const client = await connect()
    client.sendFrame('["1","1","presence:refused","phx_join",{"user_id":"ghost"}]')
    await client.reply('1')
    await heartbeat(client)
    assert.deepEqual(textFrom(client), [
      '["1","1","presence:refused","phx_reply",{"response":{"reason":"no"},"status":"error"}]',
      '[null,"1","phoenix","phx_reply",{"response":{},"status":"ok"}]',
    ])
    assert.deepEqual(server.presenceList('presence:refused'), {})
  })

  test('a presence tracked inside a join that is then refused is untracked with it: others see its join, then its leave', async (t) => {
    const ghostly: ChannelHandler = {
      join (_topic, params, socket) {
        if ((params as { ghost?: boolean }).ghost !== true) return ok({})
        socket.track('ghost', { n: 1 })
        return error({ reason: 'no' })
      },
    }
    const { connect, server } = await harness(t, { channels: { 'track:*': ghostly } })
    const observer = await connect()
    observer.sendFrame('["1","1","track:x","phx_join",{}]')
    await observer.reply('1')
    const from = observer.frames.length
    const client = await connect()
    client.sendFrame('["1","1","track:x","phx_join",{"ghost":true}]')
    await client.reply('1')
    assert.deepEqual(server.presenceList('track:x'), {})
    // A marker through the same diff queue: whatever the refused join caused has gone out before it.
    server.trackPresence('track:x', 'marker', {})
    const markerDiff = await observer.next((m) => m.event === 'presence_diff' && JSON.stringify(m.payload).includes('marker'), 2000, from)
    const ghost = (observer.received[from]?.payload as { joins: { ghost?: { metas: unknown[] } } }).joins.ghost?.metas[0]
    assert.deepEqual({ ...ghost as object, phx_ref: 'x' }, { n: 1, phx_ref: 'x' })
    assert.deepEqual(textFrom(observer, from), [
      `[null,null,"track:x","presence_diff",${JSON.stringify({ joins: { ghost: { metas: [ghost] } }, leaves: {} })}]`,
      `[null,null,"track:x","presence_diff",${JSON.stringify({ joins: {}, leaves: { ghost: { metas: [ghost] } } })}]`,
      `[null,null,"track:x","presence_diff",${JSON.stringify(markerDiff.payload)}]`,
    ])
  })
})
