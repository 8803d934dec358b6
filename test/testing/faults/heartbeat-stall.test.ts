/**
 * faults.pauseHeartbeats / resumeHeartbeats and faults.stall / resume: a
 * server that stops answering heartbeats only, or stops answering at all
 * while TCP stays up (what a client's heartbeat deadline exists for).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect as tcpConnect } from 'node:net'
import { WebSocket } from 'ws'
import { attemptUpgrade, harness, httpRoundTrip, isReplyTo, joinOk, sendHeartbeat } from './support.ts'

describe('pauseHeartbeats', () => {
  test('heartbeats go unanswered while channel pushes are answered; resumeHeartbeats brings answers back', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:hb')
    server.faults.pauseHeartbeats()
    const unanswered = sendHeartbeat(client)
    // The connection handles frames in order: a heartbeat answer would be written before this push's reply.
    const push = client.push('echo:hb', 'ping', { n: 1 }, joinRef)
    const pushReply = await client.reply(push)
    assert.deepEqual(pushReply.payload, { response: { n: 1 }, status: 'ok' })
    assert.ok(!client.received.some(isReplyTo(unanswered)), 'the paused heartbeat got no reply')

    server.faults.resumeHeartbeats()
    const answered = sendHeartbeat(client)
    const reply = await client.reply(answered)
    assert.deepEqual(reply.payload, { response: {}, status: 'ok' })
    assert.equal(reply.joinRef, null)
    assert.ok(!client.received.some(isReplyTo(unanswered)), 'a heartbeat sent while paused is never answered later')
  })
})

describe('stall', () => {
  test('a stalled socket does not answer a heartbeat until resume(), then does', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const framesSeen: string[] = []
    server.events.on('frame', ({ message }) => { if (message.ref !== null) framesSeen.push(message.ref) })
    server.faults.stall()
    const ref = sendHeartbeat(client)
    // Another request goes all the way through the server and back; the heartbeat was sent first.
    assert.equal(await httpRoundTrip(server), 404)
    assert.equal(await httpRoundTrip(server), 404)
    assert.ok(!client.received.some(isReplyTo(ref)), 'no answer while stalled')
    assert.deepEqual(framesSeen, [], 'the server did not even read the heartbeat')
    assert.equal(client.ws.readyState, WebSocket.OPEN, 'TCP and the WebSocket stay up')

    server.faults.resume()
    const reply = await client.reply(ref)
    assert.deepEqual(reply.payload, { response: {}, status: 'ok' })
    assert.deepEqual(framesSeen, [ref])
  })

  test('resume() handles the frames held during the stall in the order they were sent', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    const joinRef = await joinOk(client, 'echo:order')
    const framesSeen: string[] = []
    server.events.on('frame', ({ message }) => { framesSeen.push(message.event) })
    server.faults.stall()
    const first = client.push('echo:order', 'first', { n: 1 }, joinRef)
    const hb = sendHeartbeat(client)
    const second = client.push('echo:order', 'second', { n: 2 }, joinRef)
    const third = client.push('echo:order', 'push_back', { n: 3 }, joinRef)
    assert.equal(await httpRoundTrip(server), 404)
    assert.deepEqual(framesSeen, [], 'nothing is handled while stalled')

    server.faults.resume()
    await client.reply(third)
    await client.reply(hb)
    assert.deepEqual(framesSeen, ['first', 'heartbeat', 'second', 'push_back'])
    const channelTraffic = client.received
      .filter((m) => m.topic === 'echo:order' && m.ref !== joinRef)
      .map((m) => (m.event === 'phx_reply' ? `reply ${String(m.ref)}` : m.event))
    assert.deepEqual(channelTraffic, [`reply ${first}`, `reply ${second}`, 'pushed', `reply ${third}`])
  })

  test('a new upgrade during a stall gets no HTTP response until resume()', async (t) => {
    const { server } = await harness(t)
    server.faults.stall()
    const socket = tcpConnect(server.port, '127.0.0.1')
    t.after(() => { socket.destroy() })
    await once(socket, 'connect', { signal: AbortSignal.timeout(2000) })
    const received: Buffer[] = []
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    socket.write([
      'GET /socket/websocket?vsn=2.0.0 HTTP/1.1',
      `Host: 127.0.0.1:${server.port}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '', '',
    ].join('\r\n'))
    assert.equal(await httpRoundTrip(server), 404)
    assert.equal(await httpRoundTrip(server), 404)
    assert.equal(Buffer.concat(received).length, 0, 'no byte of a response while stalled')

    server.faults.resume()
    await once(socket, 'data', { signal: AbortSignal.timeout(2000) })
    const head = Buffer.concat(received).toString('latin1')
    assert.match(head, /^HTTP\/1\.1 101 /)
    assert.match(head, /\r\nsec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/i)
    socket.destroy() // before the server closes: this hand-made client would not answer its close frame
  })

  test('a client with a handshake timeout gives up on an upgrade made during a stall', async (t) => {
    const { server } = await harness(t)
    server.faults.stall()
    const outcome = await attemptUpgrade(server.url, 2000, { handshakeTimeout: 100 })
    server.faults.resume()
    assert.equal(outcome.kind, 'error')
    assert.match(outcome.error.message, /handshake has timed out/)
  })
})
