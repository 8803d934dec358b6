/**
 * The channel handler API on the wire (reference A9 "Ordinary pushes",
 * "phx_error", "phx_close"; Part E item 15; Part F "phx_error payload"):
 * reply statuses, no reply, later replies, stops, crashes, handleInfo and
 * terminate.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import {
  error, noreply, ok, reply, stop, type ChannelHandler, type FakePhoenix, type FakePhoenixOptions, type ReplyTo,
} from '../../../src/testing/index.ts'
import type { RawClient } from '../../helpers/raw-client.ts'
import { harness, heartbeat, rawOf, textFrom } from './setup.ts'

interface Api { handler: ChannelHandler, terminations: Array<{ topic: string, reason: string }> }

function makeApi (): Api {
  const terminations: Api['terminations'] = []
  const handler: ChannelHandler = {
    join: () => ok({}),
    handleIn (event, payload, socket, replyTo) {
      switch (event) {
        case 'ok': return ok({ a: 1 })
        case 'error': return error({ reason: 'nope' })
        case 'custom': return reply('accepted', { queued: 3 })
        case 'silent': return noreply()
        case 'later':
          socket.assigns['later'] = replyTo
          return noreply()
        case 'stop_normal': return stop('normal', ok({ bye: true }))
        case 'stop_boom': return stop('boom')
        case 'throw': throw new Error('handler bug')
        default: return ok(payload)
      }
    },
    handleInfo (message, socket) {
      if (message === 'answer') {
        const to = socket.assigns['later'] as ReplyTo
        socket.reply(to, ok({ n: 1 }))
        socket.reply(to, reply('progress', { n: 2 }))
      }
      if (message === 'tell') socket.push('told', { by: 'info' })
      if (message === 'quit') return stop('shutdown')
      return noreply()
    },
    terminate (reason, socket) { terminations.push({ topic: socket.topic, reason }) },
  }
  return { handler, terminations }
}

async function setup (t: TestContext, options: FakePhoenixOptions = {}): Promise<{ client: RawClient, api: Api, server: FakePhoenix }> {
  const api = makeApi()
  const { connect, server } = await harness(t, { ...options, channels: { 'api:*': api.handler } })
  const client = await connect()
  client.sendFrame('["1","1","api:x","phx_join",{}]')
  await client.reply('1')
  return { client, api, server }
}

async function replyText (client: RawClient, frame: string, ref: string): Promise<string> {
  client.sendFrame(frame)
  return rawOf(client, await client.reply(ref))
}

describe('reply statuses', () => {
  test('ok(response) is an ok reply with the response', async (t) => {
    const { client } = await setup(t)
    assert.equal(await replyText(client, '["1","2","api:x","ok",{}]', '2'), '["1","2","api:x","phx_reply",{"response":{"a":1},"status":"ok"}]')
  })

  test('error(response) is an error reply with the response', async (t) => {
    const { client } = await setup(t)
    assert.equal(await replyText(client, '["1","2","api:x","error",{}]', '2'), '["1","2","api:x","phx_reply",{"response":{"reason":"nope"},"status":"error"}]')
  })

  test('reply(status, response) sends any status name', async (t) => {
    const { client } = await setup(t)
    assert.equal(await replyText(client, '["1","2","api:x","custom",{}]', '2'), '["1","2","api:x","phx_reply",{"response":{"queued":3},"status":"accepted"}]')
  })

  test('noreply() sends no reply: a later push on the channel is answered and it is not', async (t) => {
    const { client } = await setup(t)
    client.sendFrame('["1","2","api:x","silent",{}]')
    client.sendFrame('["1","3","api:x","echo",{}]')
    await client.reply('3')
    assert.ok(!client.received.some((m) => m.ref === '2'), 'no reply to the noreply push')
  })

  test('socket.reply answers later, and more than once for the same ref', async (t) => {
    const { client, server } = await setup(t)
    client.sendFrame('["1","2","api:x","later",{}]')
    client.sendFrame('["1","3","api:x","echo",{}]')
    await client.reply('3')
    assert.ok(!client.received.some((m) => m.ref === '2'), 'nothing is answered before the handler replies')
    const from = client.frames.length
    server.sendInfo('api:x', 'answer')
    await client.next((m) => m.ref === '2' && (m.payload as { status: string }).status === 'progress')
    assert.deepEqual(textFrom(client, from), [
      '["1","2","api:x","phx_reply",{"response":{"n":1},"status":"ok"}]',
      '["1","2","api:x","phx_reply",{"response":{"n":2},"status":"progress"}]',
    ])
  })
})

describe('stops and crashes', () => {
  test('stop("normal", ok()) sends the reply, then phx_close', async (t) => {
    const { client } = await setup(t)
    const from = client.frames.length
    client.sendFrame('["1","2","api:x","stop_normal",{}]')
    await client.next((m) => m.event === 'phx_close')
    assert.deepEqual(textFrom(client, from), [
      '["1","2","api:x","phx_reply",{"response":{"bye":true},"status":"ok"}]',
      '["1","1","api:x","phx_close",{}]',
    ])
  })

  test('stop("boom") is a crash: phx_error and no reply', async (t) => {
    const { client } = await setup(t)
    client.sendFrame('["1","2","api:x","stop_boom",{}]')
    const crash = await client.next((m) => m.event === 'phx_error')
    assert.equal(rawOf(client, crash), '["1","1","api:x","phx_error",{"reason":"channel_crash"}]')
    await heartbeat(client)
    assert.ok(!client.received.some((m) => m.ref === '2'), 'no reply to the push that stopped the channel')
  })

  test('a throw in handleIn on 1.8.10+ sends phx_error {"reason":"channel_crash"}; the socket and other channels carry on', async (t) => {
    const { client } = await setup(t, { phoenixVersion: '1.8.10' })
    client.sendFrame('["5","5","api:y","phx_join",{}]')
    await client.reply('5')
    client.sendFrame('["1","2","api:x","throw",{}]')
    const crash = await client.next((m) => m.event === 'phx_error')
    assert.equal(rawOf(client, crash), '["1","1","api:x","phx_error",{"reason":"channel_crash"}]')
    assert.equal(await replyText(client, '["5","6","api:y","echo",{"ok":1}]', '6'), '["5","6","api:y","phx_reply",{"response":{"ok":1},"status":"ok"}]')
    assert.equal(await replyText(client, '["1","7","api:x","echo",{}]', '7'), '[null,"7","api:x","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]')
    await heartbeat(client)
    assert.equal(client.ws.readyState, client.ws.OPEN)
  })

  test('a throw in handleIn on 1.8.9 sends phx_error with an empty payload', async (t) => {
    const { client } = await setup(t, { phoenixVersion: '1.8.9' })
    client.sendFrame('["1","2","api:x","throw",{}]')
    const crash = await client.next((m) => m.event === 'phx_error')
    assert.equal(rawOf(client, crash), '["1","1","api:x","phx_error",{}]')
  })
})

describe('handleInfo', () => {
  test('server.sendInfo reaches handleInfo, whose push carries the join_ref', async (t) => {
    const { client, server } = await setup(t)
    server.sendInfo('api:x', 'tell')
    const told = await client.next((m) => m.event === 'told')
    assert.equal(rawOf(client, told), '["1",null,"api:x","told",{"by":"info"}]')
  })

  test('stop("shutdown") from handleInfo ends the channel with phx_close', async (t) => {
    const { client, server } = await setup(t)
    server.sendInfo('api:x', 'quit')
    const close = await client.next((m) => m.event === 'phx_close')
    assert.equal(rawOf(client, close), '["1","1","api:x","phx_close",{}]')
  })
})

describe('terminate', () => {
  test('is called when the client leaves', async (t) => {
    const { client, api } = await setup(t)
    client.sendFrame('["1","2","api:x","phx_leave",{}]')
    await client.next((m) => m.event === 'phx_close')
    assert.deepEqual(api.terminations, [{ topic: 'api:x', reason: 'shutdown:left' }])
  })

  test('is called when the channel crashes', async (t) => {
    const { client, api } = await setup(t)
    client.sendFrame('["1","2","api:x","throw",{}]')
    await client.next((m) => m.event === 'phx_error')
    assert.deepEqual(api.terminations, [{ topic: 'api:x', reason: 'crash: handler bug' }])
  })

  test('is called with a reason when the connection goes away', async (t) => {
    const { client, api, server } = await setup(t)
    const gone = server.waitFor('disconnect')
    client.close()
    await gone
    assert.deepEqual(api.terminations, [{ topic: 'api:x', reason: 'shutdown:closed' }])
  })
})
