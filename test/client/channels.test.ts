/**
 * Channel life on a real server (reference B6): refused joins and giving a
 * topic up, stale join_refs, a duplicate join's phx_close, a crash
 * (phx_error) and the rejoin that follows, a server stop (phx_close); and the
 * payload formats: bytes in V2 binary frames, and the V1 serializer.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Client } from '../../src/client/client.ts'
import { ChannelClosedError, JoinRefusedError, NotJoinedError } from '../../src/phoenix/errors.ts'
import { DEADLINE_MS, fast, harness, isError, record } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

class Closes extends Client {
  readonly closed: Array<[string, string]> = []
  override onTopicClose (topic: string, reason: 'server_closed' | 'refused'): void { this.closed.push([topic, reason]) }
}

describe('refused joins', () => {
  test("a refused join rejects with JoinRefusedError carrying the server's payload", async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ rejoinDelay: () => 10_000 })
    const refused = nextEvent(c.events, 'join_error')
    await assert.rejects(c.join('echo:no', { refuse: 'not allowed' }), isError(JoinRefusedError, (err) =>
      err.code === 'BC_ERR_JOIN_REFUSED' && err.topic === 'echo:no' && JSON.stringify(err.response) === '{"reason":"not allowed"}'))
    assert.deepEqual(await refused, { socket: 0, topic: 'echo:no', reason: 'refused', attempt: 1, willRetry: true })
    // Between attempts a push fails at once with the refusal.
    await assert.rejects(c.push('echo:no', 'ping', {}), isError(JoinRefusedError))
  })

  test('after maxJoinRefusals refusals the topic is given up: onTopicClose(topic, refused), no more joins', async (t) => {
    const { server, track } = await harness(t)
    const c = track(new Closes({ url: server.endpoint, ...fast, maxJoinRefusals: 2 }))
    await c.connect()
    const attempts = record(c, 'join_start')
    const gaveUp = nextEvent(c.events, 'leave', (e) => e.topic === 'echo:never')
    await assert.rejects(c.join('echo:never', { refuse: 'go away' }), isError(JoinRefusedError))
    assert.deepEqual(await gaveUp, { socket: 0, topic: 'echo:never', reason: 'refused' })
    assert.deepEqual(c.closed, [['echo:never', 'refused']])
    // Ordering proof: a round trip on another topic, and still only the two attempts.
    await c.join('echo:other')
    assert.deepEqual(await c.push('echo:other', 'ping', {}), {})
    assert.deepEqual(attempts.filter((a) => a.topic === 'echo:never').length, 2)
    assert.equal(c.pool.socketOf('echo:never'), undefined)
    await assert.rejects(c.push('echo:never', 'ping', {}), isError(NotJoinedError))
  })

  test('a join that crashes on the server is a refusal with reason "join crashed"', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ rejoinDelay: () => 10_000 })
    await assert.rejects(c.join('echo:boom', { crash: true }), isError(JoinRefusedError, (err) =>
      JSON.stringify(err.response) === '{"reason":"join crashed"}'))
  })
})

describe('join_ref routing', () => {
  test('a message with an old join_ref is dropped as stale and not delivered', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    const first = server.waitFor('join', (j) => j.topic === 'room:stale', DEADLINE_MS)
    await c.join('room:stale')
    const oldRef = (await first).joinRef
    await c.leave('room:stale')
    const second = server.waitFor('join', (j) => j.topic === 'room:stale', DEADLINE_MS)
    await c.join('room:stale')
    const newRef = (await second).joinRef
    assert.notEqual(oldRef, newRef)

    const received = c.messages('room:stale')
    const stale = nextEvent(c.events, 'stale')
    server.faults.sendRaw(JSON.stringify([oldRef, null, 'room:stale', 'old_news', { n: 1 }]))
    server.faults.sendRaw(JSON.stringify([newRef, null, 'room:stale', 'fresh', { n: 2 }]))
    assert.deepEqual(await stale, { socket: 0, topic: 'room:stale', event: 'old_news' })
    const next = await received.next()
    assert.deepEqual(next.value, { event: 'fresh', payload: { n: 2 } })
    await received.return?.()
  })

  test('a broadcast (join_ref null) is delivered; a message for an unknown topic is reported unroutable', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:open')
    const unroutable = nextEvent(c.events, 'unroutable')
    const news = c.nextMessage('room:open', { timeout: DEADLINE_MS })
    server.faults.sendRaw(JSON.stringify([null, null, 'room:nobody', 'lost', {}]))
    server.broadcast('room:open', 'news', { n: 1 })
    assert.deepEqual(await unroutable, { socket: 0, topic: 'room:nobody', event: 'lost' })
    assert.deepEqual(await news, { event: 'news', payload: { n: 1 } })
  })

  test("a duplicate join: the server's phx_close for the old join_ref after the rejoin does not close the channel", async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    const first = server.waitFor('join', (j) => j.topic === 'echo:dup', DEADLINE_MS)
    await c.join('echo:dup')
    const oldRef = (await first).joinRef
    const leaves = record(c, 'leave')
    const staleClose = nextEvent(c.events, 'stale', (e) => e.event === 'phx_close')
    const rejoin = nextEvent(c.events, 'join_ok', (e) => e.topic === 'echo:dup' && e.rejoin)
    const duplicate = server.waitFor('join', (j) => j.topic === 'echo:dup' && j.joinRef !== oldRef, DEADLINE_MS)
    // The client is told its channel crashed while the server's channel lives on: the rejoin is a duplicate join,
    // which Phoenix answers with ok, then phx_close for the old join_ref.
    server.faults.sendRaw(JSON.stringify([oldRef, oldRef, 'echo:dup', 'phx_error', {}]))
    await rejoin
    assert.equal((await duplicate).status, 'ok')
    await staleClose
    assert.deepEqual(await c.push('echo:dup', 'ping', { n: 1 }), { n: 1 })
    assert.deepEqual(leaves, [])
    assert.equal(c.stats().topicsJoined, 1)
  })
})

describe('channel ends', () => {
  test('a handler crash: the in-flight push fails with ChannelClosedError crashed and the channel rejoins by itself', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('echo:crashy')
    const errored = nextEvent(c.events, 'channel_error')
    const rejoin = nextEvent(c.events, 'join_ok', (e) => e.topic === 'echo:crashy' && e.rejoin)
    const serverEnd = server.waitFor('channelEnd', (e) => e.topic === 'echo:crashy', DEADLINE_MS)
    await assert.rejects(c.push('echo:crashy', 'crash', {}), isError(ChannelClosedError, (err) => err.reason === 'crashed' && err.code === 'BC_ERR_CHANNEL_CLOSED'))
    assert.deepEqual(await errored, { socket: 0, topic: 'echo:crashy', reason: 'crashed' })
    assert.match((await serverEnd).reason, /^crash/)
    await rejoin
    assert.deepEqual(await c.push('echo:crashy', 'ping', { again: true }), { again: true })
  })

  test('a server stop (phx_close) ends the topic: onTopicClose(topic, server_closed), not rejoined', async (t) => {
    const { server, track } = await harness(t)
    const c = track(new Closes({ url: server.endpoint, ...fast }))
    await c.connect()
    await c.join('echo:stopping')
    const starts = record(c, 'join_start')
    const ended = nextEvent(c.events, 'leave', (e) => e.topic === 'echo:stopping')
    assert.deepEqual(await c.push('echo:stopping', 'stop', {}), {})
    assert.equal((await ended).reason, 'server_closed')
    assert.deepEqual(c.closed, [['echo:stopping', 'server_closed']])
    await assert.rejects(c.push('echo:stopping', 'ping', {}), isError(NotJoinedError))
    await c.join('echo:ordering')
    assert.deepEqual(starts.map((s) => s.topic), ['echo:ordering'])
  })
})

describe('payload formats', () => {
  test('binary round trip: a Uint8Array payload comes back as equal bytes', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('echo:bytes')
    const bytes = new Uint8Array([0, 1, 2, 127, 128, 254, 255])
    const reply = await c.push('echo:bytes', 'blob', bytes)
    assert.ok(reply instanceof Uint8Array)
    assert.deepEqual([...reply], [...bytes])
    const empty = await c.push('echo:bytes', 'blob', new Uint8Array(0))
    assert.ok(empty instanceof Uint8Array && empty.length === 0)
  })

  test('binary broadcasts arrive as bytes with their byte count', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:bin')
    const sizes = nextEvent(c.events, 'message', (m) => m.topic === 'room:bin')
    const next = c.nextMessage('room:bin', { timeout: DEADLINE_MS })
    server.broadcast('room:bin', 'frame', Buffer.from([9, 8, 7]))
    const message = await next
    assert.ok(message.payload instanceof Uint8Array)
    assert.deepEqual([...message.payload], [9, 8, 7])
    // The binary broadcast frame: kind, topic and event lengths, topic, event, then the bytes.
    assert.equal((await sizes).bytes, 3 + 'room:bin'.length + 'frame'.length + 3)
  })

  test('V1 (vsn 1.0.0): join, push and broadcast work', async (t) => {
    const { server, connected } = await harness(t)
    const seen = server.waitFor('connect', undefined, DEADLINE_MS)
    const c = await connected({ vsn: '1.0.0' })
    assert.equal((await seen).vsn, '1.0.0')
    await c.join('room:v1')
    const shout = c.nextMessage('room:v1', { event: 'shout', timeout: DEADLINE_MS })
    assert.deepEqual(await c.push('room:v1', 'shout', { text: 'hi' }), {})
    assert.deepEqual((await shout).payload, { text: 'hi' })
    await c.join('echo:v1')
    assert.deepEqual(await c.push('echo:v1', 'ping', { n: 1 }), { n: 1 })
    const news = c.nextMessage('room:v1', { event: 'news', timeout: DEADLINE_MS })
    server.broadcast('room:v1', 'news', { n: 2 })
    assert.deepEqual((await news).payload, { n: 2 })
  })
})
