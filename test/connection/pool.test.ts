/**
 * The pool: topics spread over N sockets by a stable hash, kept on their
 * socket across reconnects, and a per-socket channel limit that keeps joins
 * clear of Phoenix's own "too many channels joined".
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ChannelLimitError, topicHash } from '../../src/connection/pool.ts'
import { DEADLINE_MS, harness, isError, until } from '../client/helpers.ts'

/** Which server connection each topic is joined on, from the server's join events. */
function joinsByConnection (joins: Array<{ connectionId: number, topic: string }>): string[][] {
  const groups = new Map<number, string[]>()
  for (const j of joins) {
    const list = groups.get(j.connectionId) ?? []
    list.push(j.topic)
    groups.set(j.connectionId, list)
  }
  return [...groups.values()].map((topics) => topics.sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''))
}

describe('pool', () => {
  test('topicHash is FNV-1a 32: stable and spread', () => {
    assert.equal(topicHash(''), 0x811c9dc5)
    assert.equal(topicHash('a'), 0xe40c292c)
    assert.equal(topicHash('room:1'), topicHash('room:1'))
    assert.notEqual(topicHash('room:1'), topicHash('room:2'))
  })

  test('with size 4 and 40 topics every socket gets some, and each topic stays on its socket across a restart', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ size: 4 })
    const topics = Array.from({ length: 40 }, (_, i) => `room:${i}`)
    const joins: Array<{ connectionId: number, topic: string }> = []
    server.events.on('join', (j) => { if (j.status === 'ok') joins.push(j) })
    await Promise.all(topics.map(async (topic) => c.join(topic)))
    const stats = c.stats()
    assert.equal(stats.topicsJoined, 40)
    assert.deepEqual(stats.sockets.map((s) => s.index), [0, 1, 2, 3])
    for (const s of stats.sockets) assert.ok(s.topics > 0 && s.topics === s.joined, `socket ${s.index} holds ${s.topics}`)
    const placement = topics.map((topic) => c.pool.socketOf(topic))
    assert.deepEqual(placement, topics.map((topic) => topicHash(topic) % 4))
    const before = joinsByConnection(joins)
    assert.equal(before.length, 4)

    joins.length = 0
    await server.faults.restart()
    await until(c, () => joins.length === 40 && c.stats().topicsJoined === 40, 'all 40 rejoined')
    assert.deepEqual(topics.map((topic) => c.pool.socketOf(topic)), placement)
    // The same topics share a connection as before.
    assert.deepEqual(joinsByConnection(joins), before)
    for (const topic of topics.slice(0, 4)) assert.deepEqual(await c.push(topic, 'hi', {}), {})
  })

  test('the channel limit: maxChannelsPerSocket 2 on 2 sockets, the 5th join fails with ChannelLimitError', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ size: 2, maxChannelsPerSocket: 2 })
    for (const topic of ['echo:1', 'echo:2', 'echo:3', 'echo:4']) await c.join(topic)
    assert.deepEqual(c.stats().sockets.map((s) => s.topics), [2, 2])
    await assert.rejects(c.join('echo:5'), isError(ChannelLimitError, (err) => err.code === 'BC_ERR_CHANNEL_LIMIT' && err.statusCode === 503))
    // Joining a topic already held is no new channel.
    await c.join('echo:3')
    // Leaving frees a slot on that socket.
    const freed = c.pool.socketOf('echo:1')
    await c.leave('echo:1')
    await c.join('echo:5')
    assert.equal(c.pool.socketOf('echo:5'), freed)
    assert.deepEqual(await c.push('echo:5', 'ping', { n: 5 }), { n: 5 })
  })

  test("with the server's limit of 3 and maxChannelsPerSocket 3, joins never hit the server's 'too many channels joined'", async (t) => {
    const { server, connected } = await harness(t, { maxChannels: 3 })
    const c = await connected({ size: 2, maxChannelsPerSocket: 3 })
    const statuses: string[] = []
    server.events.on('join', (j) => statuses.push(j.status))
    const topics = Array.from({ length: 6 }, (_, i) => `echo:limit-${i}`)
    await Promise.all(topics.map(async (topic) => c.join(topic)))
    assert.deepEqual(c.stats().sockets.map((s) => s.topics), [3, 3])
    await assert.rejects(c.join('echo:limit-6'), isError(ChannelLimitError))
    await c.leave('echo:limit-0')
    await c.join('echo:limit-6')
    assert.deepEqual(await c.push('echo:limit-6', 'ping', {}), {})
    assert.equal(statuses.filter((s) => s !== 'ok').length, 0)
    assert.equal(statuses.length, 7)
    // After a restart every topic comes back on its socket, still within the server's limit.
    statuses.length = 0
    await server.faults.restart()
    await until(c, () => c.stats().topicsJoined === 6, 'rejoined after restart', DEADLINE_MS)
    assert.deepEqual(statuses, ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'])
  })

  test('a topic left and joined again at once stays assigned and usable', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ size: 2, maxChannelsPerSocket: 1 })
    await c.join('echo:again')
    const leaving = c.leave('echo:again')
    const joined = c.join('echo:again')
    await leaving
    await joined
    assert.notEqual(c.pool.socketOf('echo:again'), undefined)
    assert.deepEqual(await c.push('echo:again', 'ping', { n: 1 }), { n: 1 })
    assert.equal(c.stats().topicsJoined, 1)
    // The slot is still counted: one topic per socket, two sockets.
    await c.join('echo:second')
    await assert.rejects(c.join('echo:third'), isError(ChannelLimitError))
  })
})
