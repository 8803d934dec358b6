/**
 * The SSE stream of a presence channel: presence_state, presence_join and
 * presence_leave with the diffs already applied, in place of Phoenix's raw
 * presence_state / presence_diff; a fresh reader starts from the merged
 * state; after the upstream was down, the next state brings what changed.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { SseStream, type SseMessage } from '../sse/helpers.ts'
import { DEADLINE_MS, GATEWAY_KEY, fold, gatewayPresence, keysAre, presenceSetup, serverView, snapshot, streamShows, type Meta } from './helpers.ts'

interface JoinData { key: string, current: { metas: Meta[] }, joined: { metas: Meta[] } }
interface LeaveData { key: string, current: { metas: Meta[] } | null, left: { metas: Meta[] } }

const refs = (metas: readonly Meta[]): string[] => metas.map((m) => m.phx_ref)
const presenceEvents = (events: readonly SseMessage[]): SseMessage[] => events.filter((e) => e.event.startsWith('presence_'))

describe('presence over HTTP: SSE events', () => {
  test('joins and leaves become presence_join / presence_leave whose `current` is the entry after the step; no raw presence_diff', async (t) => {
    const topic = 'presence:events'
    const { server, running, stream, enter } = await presenceSetup(t, topic)
    await streamShows(stream, 'the gateway itself', keysAre(GATEWAY_KEY))
    const from = stream.events.length

    const alice = await enter('alice', { status: 'here' })
    await streamShows(stream, 'alice', keysAre(GATEWAY_KEY, 'alice'))
    const aliceRef = server.presenceList(topic)['alice']?.metas[0]?.['phx_ref']
    const join = JSON.parse((await stream.event('presence_join', from)).data) as JoinData
    assert.equal(join.key, 'alice')
    assert.deepEqual(refs(join.joined.metas), [aliceRef])
    assert.deepEqual(join.current, join.joined, 'a new key: current is what joined')
    assert.equal(join.current.metas[0]?.['status'], 'here')

    // An update is a join of the new meta, then a leave of the old one.
    const beforeUpdate = stream.events.length
    alice.channel.push('update', { status: 'away' })
    await streamShows(stream, 'alice away', (s) => s['alice']?.metas[0]?.['status'] === 'away' && s['alice'].metas.length === 1)
    const update = presenceEvents(stream.events.slice(beforeUpdate))
    const updJoin = update.at(0)
    const updLeave = update.at(1)
    assert.equal(updJoin?.event, 'presence_join')
    assert.equal(updLeave?.event, 'presence_leave')
    const newRef = server.presenceList(topic)['alice']?.metas[0]?.['phx_ref']
    const j = JSON.parse(updJoin.data) as JoinData
    assert.deepEqual(refs(j.current.metas), [aliceRef, newRef], 'after the join step both metas are present, the old first')
    assert.equal(j.joined.metas[0]?.phx_ref_prev, aliceRef)
    const l = JSON.parse(updLeave.data) as LeaveData
    assert.deepEqual(refs(l.left.metas), [aliceRef])
    assert.deepEqual(refs(l.current?.metas ?? []), [newRef])

    // The last meta of a key leaving: current is null.
    const beforeLeave = stream.events.length
    alice.socket.disconnect()
    await streamShows(stream, 'alice gone', keysAre(GATEWAY_KEY))
    const gone = presenceEvents(stream.events.slice(beforeLeave)).at(0)
    assert.equal(gone?.event, 'presence_leave')
    const g = JSON.parse(gone.data) as LeaveData
    assert.equal(g.key, 'alice')
    assert.equal(g.current, null)
    assert.deepEqual(refs(g.left.metas), [newRef])

    // Each derived event arrived in the same write as the raw diff would have: none came.
    assert.deepEqual(stream.named('presence_diff'), [])
    assert.deepEqual(snapshot(fold(stream.events)), serverView(server, topic))
    assert.deepEqual(snapshot((await gatewayPresence(running.base, topic)).state), serverView(server, topic))
  })

  test('a fresh reader starts with presence_state: the merged state, carrying the id of the latest event', async (t) => {
    const topic = 'presence:fresh'
    const { server, running, stream, enter } = await presenceSetup(t, topic)
    await enter('hal')
    await streamShows(stream, 'hal', keysAre(GATEWAY_KEY, 'hal'))
    const lastId = stream.events.at(-1)?.id

    const late = await SseStream.open(running.base, topic)
    t.after(() => { late.close() })
    const first = await late.event('presence_state')
    assert.deepEqual(late.events.map((e) => e.event), ['ready', 'presence_state'])
    assert.equal(first.id, lastId)
    assert.deepEqual(snapshot(JSON.parse(first.data) as Record<string, { metas: Meta[] }>), serverView(server, topic))

    // Resuming from that id replays nothing and misses nothing.
    const resumed = await SseStream.open(running.base, topic, { lastEventId: first.id ?? '' })
    t.after(() => { resumed.close() })
    await enter('ida')
    await streamShows(resumed, 'ida', (s) => s['ida'] !== undefined)
    assert.deepEqual(resumed.events.map((e) => e.event), ['ready', 'presence_join'])
    assert.deepEqual(resumed.named('gap'), [])
  })

  test('?events= filters the derived events by name', async (t) => {
    const topic = 'presence:filter'
    const { running, enter } = await presenceSetup(t, topic)
    const leaves = await SseStream.open(running.base, topic, { query: { events: 'presence_leave' } })
    t.after(() => { leaves.close() })
    const jay = await enter('jay')
    jay.socket.disconnect()
    const leave = await leaves.event('presence_leave')
    assert.equal((JSON.parse(leave.data) as LeaveData).key, 'jay')
    assert.deepEqual(leaves.events.map((e) => e.event), ['ready', 'presence_leave'], 'no presence_join, no presence_state')
  })

  test('while the upstream is down the view is not synced; the state of the rejoin brings what changed as joins, leaves and a presence_state', async (t) => {
    const topic = 'presence:rejoin'
    const { server, running, stream, enter } = await presenceSetup(t, topic)
    const [gatewayConnection] = server.connections()
    assert.ok(gatewayConnection !== undefined)
    await enter('kim')
    const lou = await enter('lou')
    await streamShows(stream, 'kim and lou', keysAre(GATEWAY_KEY, 'kim', 'lou'))
    const before = serverView(server, topic)

    server.faults.refuseConnections()
    gatewayConnection.drop()
    await stream.event('errored')
    const down = await gatewayPresence(running.base, topic)
    assert.equal(down.synced, false)
    assert.deepEqual(snapshot(down.state), before, 'the last known state is kept while down')

    // Lou leaves while the gateway cannot see it.
    const left = server.waitFor('leave', (l) => l.topic === topic, DEADLINE_MS)
    lou.channel.leave()
    await left
    const mark = stream.events.length
    server.faults.acceptConnections()
    await stream.event('rejoined', mark)
    const state = await stream.event('presence_state', mark)
    // Phoenix then sends the gateway the presence_diff of its own new join, which the state already holds.
    const echo = await stream.event('presence_join', stream.events.indexOf(state) + 1)
    const echoed = JSON.parse(echo.data) as JoinData
    assert.equal(echoed.key, GATEWAY_KEY)
    assert.deepEqual(refs(echoed.joined.metas), refs((JSON.parse(state.data) as Record<string, { metas: Meta[] }>)[GATEWAY_KEY]?.metas ?? []))
    const after = presenceEvents(stream.events.slice(mark))
    const leaveOf = (key: string): boolean => after.some((e) => e.event === 'presence_leave' && (JSON.parse(e.data) as LeaveData).key === key)
    assert.ok(leaveOf('lou'), 'lou left while the gateway was away')
    assert.ok(leaveOf(GATEWAY_KEY) && after.some((e) => e.event === 'presence_join' && e !== echo), "the gateway's own presence was replaced")
    assert.deepEqual(after.slice(after.indexOf(state) + 1), [echo], 'presence_state comes after the joins and leaves it implies; only the echo of the own join follows')
    assert.deepEqual(snapshot(JSON.parse(state.data) as Record<string, { metas: Meta[] }>), serverView(server, topic))
    const up = await gatewayPresence(running.base, topic)
    assert.equal(up.synced, true)
    assert.deepEqual(snapshot(up.state), serverView(server, topic))
    assert.deepEqual(Object.keys(up.state).sort(), [GATEWAY_KEY, 'kim'])
  })
})
