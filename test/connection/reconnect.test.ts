/**
 * Reconnect and rejoin (reference B3, B6): after a server restart every
 * wanted topic on every socket of the pool is rejoined at once; a server
 * close with 1000 is followed by a reconnect too (phoenix.js 1.8.16); a
 * deliberate close() never reconnects.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { ConnectionState } from '../../src/connection/connection.ts'
import { DEADLINE_MS, harness, record, until } from '../client/helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

const topics = ['echo:a', 'echo:b', 'echo:c', 'echo:d', 'echo:e', 'echo:f', 'echo:g', 'echo:h']

describe('reconnect', () => {
  test('after a server restart both sockets of a pool reconnect and rejoin every topic; pushes work afterwards', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ size: 2 })
    await Promise.all(topics.map(async (topic) => c.join(topic, { who: topic })))
    const before = c.stats()
    assert.equal(before.topicsJoined, topics.length)
    assert.ok(before.sockets.every((s) => s.topics > 0), 'both sockets hold topics')
    const placement = topics.map((topic) => c.pool.socketOf(topic))

    const disconnects = record(c, 'disconnect')
    const rejoined = new Set<string>()
    c.events.on('join_ok', (e) => { if (e.rejoin) rejoined.add(e.topic) })
    const serverJoins = new Set<string>()
    server.events.on('join', (j) => { if (j.status === 'ok') serverJoins.add(j.topic) })

    await server.faults.restart()
    await until(c, () => rejoined.size === topics.length && c.stats().topicsJoined === topics.length, 'every topic rejoined')
    assert.deepEqual([...serverJoins].sort(), topics)
    // Drain mode closes sockets with channels with 1012, as a Phoenix deploy does.
    assert.deepEqual(disconnects.map((d) => d.code).sort(), [1012, 1012])
    assert.deepEqual(topics.map((topic) => c.pool.socketOf(topic)), placement)
    assert.equal(server.connections().length, 2)
    for (const topic of topics) assert.deepEqual(await c.push(topic, 'after', { topic }), { topic })
  })

  test('a rejoin sends the params of the join again', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    const params: unknown[] = []
    server.events.on('frame', (f) => { if (f.message.event === 'phx_join') params.push(f.message.payload) })
    await c.join('echo:params', { room: 7 })
    const rejoin = nextEvent(c.events, 'join_ok', (e) => e.rejoin)
    server.faults.dropAll()
    await rejoin
    assert.deepEqual(params, [{ room: 7 }, { room: 7 }])
  })

  test('a server close with 1000 is followed by a reconnect and rejoin (phoenix.js 1.8.16)', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ jitter: 0 })
    await c.join('room:normal')
    const [first] = server.connections()
    const disconnect = nextEvent(c.events, 'disconnect')
    const scheduled = nextEvent(c.events, 'reconnect_scheduled')
    const reconnected = server.waitFor('connect', (e) => e.connectionId !== first?.id, DEADLINE_MS)
    const rejoin = nextEvent(c.events, 'join_ok', (e) => e.topic === 'room:normal' && e.rejoin)
    assert.equal(server.faults.closeAll(1000, 'bye'), 1)
    assert.deepEqual(await disconnect, { socket: 0, code: 1000, reason: 'bye' })
    assert.deepEqual(await scheduled, { socket: 0, attempt: 1, delayMs: 5 })
    await reconnected
    await rejoin
    const news = c.nextMessage('room:normal', { event: 'shout', timeout: DEADLINE_MS })
    await c.push('room:normal', 'shout', { n: 1 })
    assert.deepEqual((await news).payload, { n: 1 })
  })

  test('the reconnect back-off counter restarts after a successful connect', async (t) => {
    const { server, connected } = await harness(t)
    const attempts: number[] = []
    const c = await connected({ reconnectDelay: (attempt) => { attempts.push(attempt); return 5 } })
    for (let i = 0; i < 3; i++) {
      const back = nextEvent(c.events, 'connect_ok')
      server.faults.dropAll()
      await back
    }
    assert.deepEqual(attempts, [1, 1, 1])
  })

  test('a deliberate close() does not reconnect: the server sees one connect and the sockets stay closed', async (t) => {
    const { server, client, connected } = await harness(t)
    const connects: number[] = []
    server.events.on('connect', (e) => connects.push(e.connectionId))
    // A zero reconnect delay: a reconnect, were one scheduled, would start before the round trip below ends.
    const c = await connected({ reconnectDelay: () => 0 })
    await c.join('echo:bye')
    const connecting = record(c, 'connect_start')
    const serverSaw = server.waitFor('disconnect', undefined, DEADLINE_MS)
    const leaves = record(c, 'leave')

    await c.close()
    assert.deepEqual(c.pool.connections.map((conn): ConnectionState => conn.state), ['closed'])
    assert.equal((await serverSaw).code, 1000)
    assert.deepEqual(leaves.map((l) => [l.topic, l.reason]), [['echo:bye', 'left']])

    // Ordering proof: a full round trip on another client, then nothing from the closed one.
    const other = client()
    await other.connect()
    await other.join('echo:other')
    assert.deepEqual(await other.push('echo:other', 'ping', { n: 1 }), { n: 1 })
    assert.equal(connecting.length, 0)
    assert.equal(connects.length, 2)
    assert.equal(c.pool.connections[0]?.state, 'closed')
    assert.equal(c.stats().socketsConnected, 0)
  })

  test('close() during the reconnect wait cancels it', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ reconnectDelay: () => 50 })
    const connecting = record(c, 'connect_start')
    const scheduled = nextEvent(c.events, 'reconnect_scheduled')
    server.faults.dropAll()
    await scheduled
    assert.equal(c.pool.connections[0]?.state, 'waiting')
    await c.close()
    assert.deepEqual(c.pool.connections.map((conn) => conn.state), ['closed'])
    // A later connect on a new client takes longer than the 50 ms wait would have.
    const late = await connected({ reconnectDelay: () => 50 })
    const back = nextEvent(late.events, 'connect_ok')
    server.faults.dropAll()
    await back
    assert.equal(connecting.length, 0)
  })
})
