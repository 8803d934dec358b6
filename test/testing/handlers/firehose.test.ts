/**
 * The built-in `firehose:*` handler: `start {count, size, binary?}` replies
 * `{count}`, then pushes exactly `count` messages in order and `done`,
 * writing only as fast as the client reads.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { isBytes } from '../../../src/phoenix/message.ts'
import { httpRoundTrip } from '../faults/support.ts'
import { harness, joinOk, nextMessage } from './support.ts'

interface Msg { seq: number, data: string }

describe('firehose handler', () => {
  test('start {count: 2000, size: 100} replies {count}, then pushes seq 0..count-1 in order with size-byte data, then done', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'firehose:text')
    const from = client.received.length
    const ref = client.push('firehose:text', 'start', { count: 2000, size: 100 }, joinRef)
    const done = await nextMessage(client, 'firehose:text', 'done', from, 5000)
    assert.deepEqual(done.payload, { count: 2000 })
    const after = client.received.slice(from)
    assert.deepEqual(after[0], { joinRef, ref, topic: 'firehose:text', event: 'phx_reply', payload: { response: { count: 2000 }, status: 'ok' } })
    const msgs = after.slice(1, -1)
    assert.equal(msgs.length, 2000)
    msgs.forEach((m, i) => {
      assert.equal(m.event, 'msg')
      assert.equal(m.joinRef, joinRef)
      assert.equal(m.ref, null)
      const { seq, data } = m.payload as Msg
      assert.equal(seq, i)
      assert.equal(Buffer.byteLength(data), 100)
    })
    assert.equal(after.at(-1), done)
  })

  test('binary: true pushes kind-0 binary frames of size bytes', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'firehose:bin')
    const from = client.received.length
    client.push('firehose:bin', 'start', { count: 50, size: 64, binary: true }, joinRef)
    await nextMessage(client, 'firehose:bin', 'done', from)
    const frames = client.frames.slice(from)
    const pushes = client.received.slice(from).filter((m) => m.event === 'msg')
    assert.equal(pushes.length, 50)
    for (const m of pushes) {
      const frame = frames[client.received.indexOf(m) - from]
      assert.ok(frame instanceof Uint8Array, 'a binary frame')
      assert.equal(frame[0], 0, 'kind 0: push')
      assert.equal(m.joinRef, joinRef)
      assert.ok(isBytes(m.payload))
      assert.equal(m.payload.length, 64)
    }
  })

  test('bad start payloads and unknown events get an error reply and no pushes', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'firehose:bad')
    const bad: unknown[] = [null, 'go', { count: -1, size: 10 }, { count: 1.5, size: 10 }, { count: 3, size: 'big' }, { count: 3 }, { size: 3 }]
    for (const payload of bad) {
      const reply = await client.reply(client.push('firehose:bad', 'start', payload, joinRef))
      assert.equal((reply.payload as { status: string }).status, 'error', `start ${JSON.stringify(payload)} is refused`)
    }
    const unknown = await client.reply(client.push('firehose:bad', 'stop_now', {}, joinRef))
    assert.deepEqual(unknown.payload, { response: { reason: 'unknown event' }, status: 'error' })
    assert.ok(!client.received.some((m) => m.event === 'msg' || m.event === 'done'))
  })

  test('a client that stops reading holds the server to a bounded send queue; after it reads again everything arrives', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'firehose:slow')
    const count = 2000
    const size = 10_000 // 20 MB in all: far more than the loopback socket buffers hold
    client.ws.pause()
    const received = server.waitFor('frame', ({ message }) => message.event === 'start', 2000)
    client.push('firehose:slow', 'start', { count, size }, joinRef)
    await received
    // The server writes as much as it will in the turn it received start; one HTTP round trip later it has stopped.
    assert.equal(await httpRoundTrip(server), 404)
    const conn = server.connections()[0]
    assert.ok(conn !== undefined)
    const buffered = conn.ws.bufferedAmount
    assert.ok(buffered > 0, 'the server has more to send than the socket took')
    assert.ok(buffered < 2 * 1024 * 1024, `the server queued ${buffered} bytes for a client that does not read`)

    client.ws.resume()
    await nextMessage(client, 'firehose:slow', 'done', 0, 20_000)
    const seqs = client.received.filter((m) => m.event === 'msg').map((m) => (m.payload as Msg).seq)
    assert.equal(seqs.length, count)
    assert.ok(seqs.every((seq, i) => seq === i), 'every message, in order')
  })
})
