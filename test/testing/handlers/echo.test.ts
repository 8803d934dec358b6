/**
 * The built-in `echo:*` handler: each scripted event gives the reply rule it
 * names (reference A9: replies, no reply, crash → phx_error, stop →
 * phx_close, pushes before replies), and join params refuse or crash joins.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { isBytes } from '../../../src/phoenix/message.ts'
import { harness, joinOk, nextMessage } from './support.ts'

describe('echo handler', () => {
  test('any other event is echoed back as an ok reply with the payload as response', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:e')
    const payload = { text: 'héllo', list: [1, null, true], nested: { deep: 'x' } }
    const ref = client.push('echo:e', 'anything', payload, joinRef)
    const reply = await client.reply(ref)
    assert.deepEqual(reply, { joinRef, ref, topic: 'echo:e', event: 'phx_reply', payload: { response: payload, status: 'ok' } })
  })

  test('bytes are echoed as a binary reply (kind 1)', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:bin')
    const ref = client.nextRef()
    client.send({ joinRef, ref, topic: 'echo:bin', event: 'bytes', payload: Uint8Array.from([0, 1, 2, 255]) })
    const reply = await client.reply(ref)
    const frame = client.frames[client.received.indexOf(reply)]
    assert.ok(frame instanceof Uint8Array && frame[0] === 1, 'sent as a binary reply frame')
    const { status, response } = reply.payload as { status: string, response: unknown }
    assert.equal(status, 'ok')
    assert.ok(isBytes(response))
    assert.deepEqual([...response], [0, 1, 2, 255])
  })

  test('error_reply answers with status error and the payload', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:err')
    const ref = client.push('echo:err', 'error_reply', { why: 'asked' }, joinRef)
    const reply = await client.reply(ref)
    assert.deepEqual(reply.payload, { response: { why: 'asked' }, status: 'error' })
    assert.equal(reply.joinRef, joinRef)
  })

  test('no_reply never answers (a later push on the channel is answered)', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:quiet')
    const silent = client.push('echo:quiet', 'no_reply', {}, joinRef)
    // The channel handles its messages in order: a reply to no_reply would come before this one.
    const later = client.push('echo:quiet', 'ping', {}, joinRef)
    await client.reply(later)
    assert.ok(!client.received.some((m) => m.ref === silent), 'no_reply got no reply')
  })

  test('crash sends phx_error with ref = join_ref, no reply, and the topic is no longer joined', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:boom')
    const crashRef = client.push('echo:boom', 'crash', {}, joinRef)
    const error = await nextMessage(client, 'echo:boom', 'phx_error')
    assert.deepEqual(error, { joinRef, ref: joinRef, topic: 'echo:boom', event: 'phx_error', payload: { reason: 'channel_crash' } })
    const after = client.push('echo:boom', 'ping', {}, joinRef)
    const reply = await client.reply(after)
    assert.deepEqual(reply.payload, { response: { reason: 'unmatched topic' }, status: 'error' })
    assert.equal(reply.joinRef, null)
    assert.ok(!client.received.some((m) => m.ref === crashRef), 'the crashing push got no reply')
  })

  test('stop answers ok, then closes the channel with phx_close', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:stop')
    const from = client.received.length
    const ref = client.push('echo:stop', 'stop', {}, joinRef)
    await nextMessage(client, 'echo:stop', 'phx_close', from)
    assert.deepEqual(client.received.slice(from), [
      { joinRef, ref, topic: 'echo:stop', event: 'phx_reply', payload: { response: {}, status: 'ok' } },
      { joinRef, ref: joinRef, topic: 'echo:stop', event: 'phx_close', payload: {} },
    ])
  })

  test('push_back pushes "pushed" with the payload before the ok reply', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:pb')
    const from = client.received.length
    const ref = client.push('echo:pb', 'push_back', { body: 'back' }, joinRef)
    await client.reply(ref)
    assert.deepEqual(client.received.slice(from), [
      { joinRef, ref: null, topic: 'echo:pb', event: 'pushed', payload: { body: 'back' } },
      { joinRef, ref, topic: 'echo:pb', event: 'phx_reply', payload: { response: {}, status: 'ok' } },
    ])
  })

  test('join params {refuse} refuse the join with that reason; the topic stays unjoined', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const ref = client.join('echo:no', { refuse: 'unauthorized' })
    const reply = await client.reply(ref)
    assert.deepEqual(reply, { joinRef: ref, ref, topic: 'echo:no', event: 'phx_reply', payload: { response: { reason: 'unauthorized' }, status: 'error' } })
    const push = client.push('echo:no', 'ping', {}, ref)
    assert.deepEqual((await client.reply(push)).payload, { response: { reason: 'unmatched topic' }, status: 'error' })
  })

  test('join params {crash: true} make the join crash: "join crashed" with the join_ref', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const ref = client.join('echo:crashjoin', { crash: true })
    const reply = await client.reply(ref)
    assert.deepEqual(reply, { joinRef: ref, ref, topic: 'echo:crashjoin', event: 'phx_reply', payload: { response: { reason: 'join crashed' }, status: 'error' } })
    assert.ok(!client.received.some((m) => m.event === 'phx_error' || m.event === 'phx_close'), 'a failed join sends no phx_error or phx_close')
  })
})
