/**
 * faults.delayReplies (a slow server: replies late, heartbeats on time),
 * faults.sendRaw (any frame, verbatim) and server.waitFor (events with a
 * deadline).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { WebSocket } from 'ws'
import { harness, isReplyTo, joinOk, lastConnection, sendHeartbeat } from './support.ts'

describe('delayReplies', () => {
  test('a push reply comes only after the delay, while a heartbeat sent after it is answered first', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:slow')
    const delayMs = 120
    server.faults.delayReplies(delayMs)
    const started = performance.now()
    const push = client.push('echo:slow', 'ping', { n: 1 }, joinRef)
    const hb = sendHeartbeat(client)
    const pushReply = await client.reply(push)
    const elapsed = performance.now() - started
    // libuv timers count whole milliseconds, so a timer may fire up to 1 ms before the high-resolution clock says.
    assert.ok(elapsed >= delayMs - 1, `the reply came after ${elapsed.toFixed(1)} ms, before the ${delayMs} ms delay`)
    assert.deepEqual(pushReply.payload, { response: { n: 1 }, status: 'ok' })
    const hbIndex = client.received.findIndex(isReplyTo(hb))
    assert.ok(hbIndex !== -1 && hbIndex < client.received.indexOf(pushReply), 'the heartbeat reply was not delayed behind the push reply')
  })

  test('delayReplies(0) turns the delay off', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:fast')
    server.faults.delayReplies(5000)
    server.faults.delayReplies(0)
    const push = client.push('echo:fast', 'ping', { n: 2 }, joinRef)
    // push_back pushes at once (pushes are never delayed), then replies: a delayed reply to the first push would come after that push.
    const marker = client.push('echo:fast', 'push_back', { marker: true }, joinRef)
    await client.reply(marker)
    const events = client.received
      .filter((m) => m.ref === push || m.event === 'pushed')
      .map((m) => m.event)
    assert.deepEqual(events, ['phx_reply', 'pushed'])
  })
})

interface Frame { data: Buffer, isBinary: boolean }

/** Collects the next `count` frames of `ws` (one listener, so frames parsed together are not missed), failing after 2 s. */
async function nextFrames (ws: WebSocket, count: number): Promise<Frame[]> {
  const frames: Frame[] = []
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      frames.push({ data, isBinary })
      if (frames.length === count) { clearTimeout(timer); ws.off('message', onMessage); resolve(frames) }
    }
    const timer = setTimeout(() => { ws.off('message', onMessage); reject(new Error(`only ${frames.length} of ${count} frames within 2 s`)) }, 2000)
    ws.on('message', onMessage)
  })
}

describe('sendRaw', () => {
  test('a text frame and a binary frame arrive verbatim at every connection', async (t) => {
    const { server, openWs } = await harness(t)
    const a = await openWs()
    const b = await openWs()
    const text = 'not phoenix at all: {"unterminated'
    const bytes = Uint8Array.from([0xff, 0x00, 0x7b, 0x80, 0x01])
    const framesA = nextFrames(a, 2)
    const framesB = nextFrames(b, 2)
    assert.equal(server.faults.sendRaw(text), 2)
    assert.equal(server.faults.sendRaw(bytes), 2)
    for (const frames of [await framesA, await framesB]) {
      assert.deepEqual(frames.map((f) => f.isBinary), [false, true])
      assert.equal(frames[0]?.data.toString('utf8'), text)
      assert.deepEqual(frames[1]?.data, Buffer.from(bytes))
    }
  })

  test('with a connection id, only that connection gets the frame', async (t) => {
    const { server, openWs } = await harness(t)
    const a = await openWs()
    const idA = lastConnection(server).id
    const b = await openWs()
    const framesB = nextFrames(b, 1)
    const framesA = nextFrames(a, 1)
    assert.equal(server.faults.sendRaw('for a only', idA), 1)
    const [gotA] = await framesA
    assert.equal(gotA?.data.toString('utf8'), 'for a only')
    // Frames to one socket stay in order: had b received the first frame, it would come before this one.
    assert.equal(server.faults.sendRaw('for everyone'), 2)
    const [first] = await framesB
    assert.equal(first?.data.toString('utf8'), 'for everyone')
    assert.equal(server.faults.sendRaw('nobody', 987654), 0)
  })
})

describe('waitFor', () => {
  test('resolves with the first event that matches the predicate', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const joined = server.waitFor('join', (e) => e.topic === 'echo:b')
    client.join('echo:a')
    client.join('echo:b')
    const event = await joined
    assert.equal(event.topic, 'echo:b')
    assert.equal(event.status, 'ok')
    assert.equal(event.connectionId, lastConnection(server).id)
  })

  test('rejects after its timeout when no matching event comes', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const waiting = server.waitFor('join', (e) => e.topic === 'echo:never', 50)
    client.join('echo:other')
    await assert.rejects(waiting, /no "join" event within 50 ms/)
    assert.equal(server.events.listenerCount('join'), 0, 'the listener is removed after the timeout')
  })
})
