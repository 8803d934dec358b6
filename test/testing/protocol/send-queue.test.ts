/**
 * A connection's send queue, read-only: `queuedFrames()` counts the frames
 * sent to a client whose write has not completed, `bufferedAmount()` their
 * bytes. Benchmarks sample both on the server's side to see how far a
 * client falls behind a firehose.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, heartbeat, joinOk, nextMessage } from '../../helpers/fake-harness.ts'

describe('send queue of a connection', () => {
  test('frames pile up while the client does not read, and are all written once it reads again', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    await joinOk(client, 'room:queue')
    await heartbeat(client)
    const conn = server.connections()[0]
    assert.ok(conn !== undefined)
    assert.equal(conn.queuedFrames(), 0, 'nothing is queued once the client has read every reply')
    assert.equal(conn.bufferedAmount(), 0)

    const count = 200
    const padding = 'x'.repeat(64 * 1024) // 12.8 MB in all: more than the loopback socket buffers take
    client.ws.pause()
    for (let s = 0; s < count; s++) server.broadcast('room:queue', 'tick', { s, p: padding })
    // Frames the kernel took at once are counted until their write callbacks run, on the next tick.
    await new Promise((resolve) => { process.nextTick(resolve) })
    const queued = conn.queuedFrames()
    const bytes = conn.bufferedAmount()
    assert.ok(queued > 0 && queued <= count, `${queued} of ${count} frames queued`)
    assert.ok(bytes > 0 && bytes <= count * (padding.length + 100), `${bytes} bytes queued`)
    assert.ok(bytes >= (queued - 1) * padding.length, `${bytes} bytes hold the ${queued} queued frames but the one being written`)

    client.ws.resume()
    const from = client.received.length
    await nextMessage(client, 'room:queue', 'tick', from, 5000)
    await client.next((m) => m.event === 'tick' && (m.payload as { s: number }).s === count - 1, 20_000)
    // Every write completed before the server reads the heartbeat that follows the last frame.
    await heartbeat(client)
    assert.equal(conn.queuedFrames(), 0, 'every frame written')
    assert.equal(conn.bufferedAmount(), 0)
  })
})
