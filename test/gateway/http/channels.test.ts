/**
 * GET /v1/channels: every subscription with its upstream, topic, state,
 * join_ref, message count, last error and socket, following the upstream as
 * it goes down and comes back.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { topicHash } from '../../../src/connection/pool.ts'
import type { SubscriptionStatus } from '../../../src/gateway/hub/subscription.ts'
import { channelConfig } from '../helpers.ts'
import { clientOf, http, joined, push, startGw, type Gw } from './support.ts'
import { nextEvent } from '../../helpers/wait.ts'

/** A channel as GET /v1/channels lists it: the hub's status plus where it is joined. */
interface ChannelView extends SubscriptionStatus {
  joinRef: string | null
  socket: number | null
}

async function channels (gw: Gw): Promise<Map<string, ChannelView>> {
  const res = await http(gw.base, '/v1/channels')
  assert.equal(res.status, 200)
  const body = res.json as { channels: ChannelView[] }
  assert.deepEqual(Object.keys(body), ['channels'])
  return new Map(body.channels.map((c) => [c.name, c]))
}

function channel (views: Map<string, ChannelView>, name: string): ChannelView {
  const view = views.get(name)
  assert.ok(view !== undefined, `no channel ${name} in /v1/channels`)
  return view
}

/** The join_ref of the last join the fake server accepted for `topic`. */
function serverJoinRef (gw: Gw, topic: string): string | null | undefined {
  return gw.joins.filter((j) => j.topic === topic && j.status === 'ok').at(-1)?.joinRef
}

/** Two topics that a pool of two sockets puts on different sockets. */
function topicsOnBothSockets (): [string, string] {
  const candidates = Array.from({ length: 20 }, (_, i) => `echo:t${i}`)
  const zero = candidates.find((t) => topicHash(t) % 2 === 0)
  const one = candidates.find((t) => topicHash(t) % 2 === 1)
  assert.ok(zero !== undefined && one !== undefined)
  return [zero, one]
}

describe('GET /v1/channels', () => {
  test('lists every channel with its upstream, topic, state, join_ref, counts and socket', async (t) => {
    const [zero, one] = topicsOnBothSockets()
    const gw = await startGw(t, [channelConfig(zero, { name: 'first', required: true }), channelConfig(one, { name: 'second' })], { upstream: { poolSize: 2 } })
    await joined(gw, zero)
    await joined(gw, one)
    const views = await channels(gw)
    assert.deepEqual([...views.keys()], ['first', 'second'])
    const epoch = gw.daemon.broker.hub.epoch
    for (const [name, topic, socket, required] of [['first', zero, 0, true], ['second', one, 1, false]] as const) {
      const view = channel(views, name)
      assert.equal(view.upstream, 'main')
      assert.equal(view.topic, topic)
      assert.equal(view.state, 'joined')
      assert.equal(view.required, required)
      assert.equal(view.messages, 0)
      assert.equal(view.subscribers, 0)
      assert.equal(view.lastError, null)
      assert.equal(view.socket, socket, 'the socket the pool assigned by topic hash')
      assert.equal(view.joinRef, serverJoinRef(gw, topic), 'the join_ref the server joined with')
      assert.equal(view.lastEventId, `${epoch}-1`, 'the joined event is the first of the topic')
      assert.ok(!Number.isNaN(Date.parse(view.since)))
    }
  })

  test('counts channel messages (broadcasts and pushes from the server), not replies', async (t) => {
    const gw = await startGw(t, [channelConfig('room:lobby'), channelConfig('echo:lobby')])
    await joined(gw, 'room:lobby')
    await joined(gw, 'echo:lobby')
    let seen = 0
    const three = nextEvent(clientOf(gw).events, 'message', (e) => e.topic === 'room:lobby' && ++seen === 3)
    for (const n of [1, 2, 3]) gw.phoenix.broadcast('room:lobby', 'shout', { n })
    await three
    const pushed = nextEvent(clientOf(gw).events, 'message', (e) => e.topic === 'echo:lobby' && e.event === 'pushed')
    assert.equal((await push(gw, 'echo:lobby', { event: 'push_back', payload: { x: 1 } })).status, 200)
    await pushed
    assert.equal((await push(gw, 'echo:lobby', { event: 'plain', payload: {} })).status, 200)
    const views = await channels(gw)
    assert.equal(channel(views, 'room:lobby').messages, 3)
    assert.equal(channel(views, 'echo:lobby').messages, 1, 'the pushed message counts, the two replies do not')
    assert.equal(channel(views, 'room:lobby').lastEventId, `${gw.daemon.broker.hub.epoch}-4`, 'joined, then three messages')
  })

  test('a refused join shows as errored with lastError BC_ERR_JOIN_REFUSED and its time', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:refused', { params: { refuse: 'nope' } })], {
      upstream: { maxJoinRefusals: 100, rejoinBackoffMs: [60_000] },
    })
    const before = Date.now()
    await nextEvent(clientOf(gw).events, 'join_error', (e) => e.topic === 'echo:refused')
    const view = channel(await channels(gw), 'echo:refused')
    assert.equal(view.state, 'errored')
    assert.equal(view.lastError?.code, 'BC_ERR_JOIN_REFUSED')
    assert.match(view.lastError.message, /refused/)
    assert.ok(Date.parse(view.lastError.at) >= before - 1000)
    assert.equal(view.socket, 0, 'still assigned: it will be rejoined')
  })

  test('a channel given up after maxJoinRefusals shows closed, with no socket or join_ref', async (t) => {
    // The gateway asks for it again only after the slowest rejoin delay: 60 s here.
    const gw = await startGw(t, [channelConfig('echo:refused', { params: { refuse: 'nope' } })], {
      upstream: { maxJoinRefusals: 2, rejoinBackoffMs: [5, 60_000] },
    })
    await nextEvent(clientOf(gw).events, 'leave', (e) => e.topic === 'echo:refused' && e.reason === 'refused')
    const view = channel(await channels(gw), 'echo:refused')
    assert.equal(view.state, 'closed')
    assert.equal(view.socket, null)
    assert.equal(view.joinRef, null)
    assert.equal(view.lastError?.code, 'BC_ERR_JOIN_REFUSED')
    assert.equal(gw.joins.filter((j) => j.topic === 'echo:refused').length, 2)
  })

  test('the state follows the upstream: errored while it is down, joined with a new join_ref after the rejoin', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const first = channel(await channels(gw), 'echo:lobby')
    assert.equal(first.state, 'joined')

    const down = nextEvent(clientOf(gw).events, 'disconnect')
    await gw.phoenix.faults.stop('abrupt')
    await down
    const errored = channel(await channels(gw), 'echo:lobby')
    assert.equal(errored.state, 'errored')
    assert.ok(Date.parse(errored.since) >= Date.parse(first.since))
    assert.equal(errored.socket, 0)

    const rejoined = nextEvent(clientOf(gw).events, 'join_ok', (e) => e.topic === 'echo:lobby' && e.rejoin)
    await gw.phoenix.faults.start()
    await rejoined
    const back = channel(await channels(gw), 'echo:lobby')
    assert.equal(back.state, 'joined')
    assert.notEqual(back.joinRef, first.joinRef)
    assert.equal(back.joinRef, serverJoinRef(gw, 'echo:lobby'))
    assert.equal(back.lastError, null)
    const epoch = gw.daemon.broker.hub.epoch
    assert.equal(back.lastEventId, `${epoch}-4`, 'joined, errored, gap, rejoined')
  })

  test('a socket that cannot connect shows why as each of its channels\' last error, until they join', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:gated')], {
      upstream: { reconnectBackoffMs: [20] },
      beforeStart: (phoenix) => { phoenix.faults.refuseConnections({ status: 403, body: 'no entry' }) },
    })
    await nextEvent(clientOf(gw).events, 'connect_fail', (e) => e.status === 403)
    const refused = channel(await channels(gw), 'echo:gated')
    assert.notEqual(refused.state, 'joined')
    assert.equal(refused.lastError?.code, 'BC_ERR_CONNECT_REFUSED')
    assert.match(refused.lastError.message, /upgrade refused with 403/)

    const down = nextEvent(clientOf(gw).events, 'connect_fail', (e) => e.cause === 'ECONNREFUSED')
    await gw.phoenix.faults.stop('abrupt')
    gw.phoenix.faults.acceptConnections()
    await down
    const unreachable = channel(await channels(gw), 'echo:gated')
    assert.equal(unreachable.lastError?.code, 'BC_ERR_CONNECT')
    assert.match(unreachable.lastError.message, /ECONNREFUSED/)

    await gw.phoenix.faults.start()
    await joined(gw, 'echo:gated')
    assert.equal(channel(await channels(gw), 'echo:gated').lastError, null)
  })

  test('an empty configuration lists no channels', async (t) => {
    const gw = await startGw(t, [])
    assert.equal((await channels(gw)).size, 0)
  })
})
