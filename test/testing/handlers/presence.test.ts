/**
 * The built-in `presence:*` handler and the server's presence controls
 * (reference B10, Part E 18): `presence_state` pushes, `presence_diff`
 * broadcasts, phx_ref (URL-safe Base64 of 12 bytes: 16 characters) and
 * phx_ref_prev on updates.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { RawClient } from '../../helpers/raw-client.ts'
import { harness, joinOk, nextMessage } from './support.ts'

interface Meta { phx_ref: string, phx_ref_prev?: string, [field: string]: unknown }
type PresenceMap = Record<string, { metas: Meta[] } | undefined>
interface Diff { joins: PresenceMap, leaves: PresenceMap }

const PHX_REF = /^[A-Za-z0-9_-]{16}$/
const TOPIC = 'presence:lobby'

async function presenceState (client: RawClient, from = 0): Promise<PresenceMap> {
  return (await nextMessage(client, TOPIC, 'presence_state', from)).payload as PresenceMap
}

/** The next presence_diff from `from` on that `match`es. */
async function nextDiff (client: RawClient, match: (diff: Diff) => boolean, from = 0): Promise<Diff> {
  const m = await client.next((msg) => msg.topic === TOPIC && msg.event === 'presence_diff' && match(msg.payload as Diff), 2000, from)
  assert.equal(m.joinRef, null, 'a presence_diff is a broadcast')
  return m.payload as Diff
}

function onlyMeta (map: PresenceMap, key: string): Meta {
  const metas = map[key]?.metas ?? []
  assert.equal(metas.length, 1, `exactly one meta for ${key}`)
  return metas[0]!
}

describe('presence handler', () => {
  test('a joiner gets presence_state with itself; the others get a presence_diff join', async (t) => {
    const { connect } = await harness(t)
    const alice = await connect()
    await joinOk(alice, TOPIC, { user_id: 'alice', meta: { device: 'web' } })
    const aliceState = await presenceState(alice)
    const aliceMeta = onlyMeta(aliceState, 'alice')
    assert.match(aliceMeta.phx_ref, PHX_REF)
    assert.equal(aliceMeta['device'], 'web')
    assert.equal(typeof aliceMeta['online_at'], 'number')

    const from = alice.received.length
    const bob = await connect()
    await joinOk(bob, TOPIC, { user_id: 'bob' })
    const bobState = await presenceState(bob)
    assert.deepEqual(Object.keys(bobState).sort(), ['alice', 'bob'])
    assert.deepEqual(onlyMeta(bobState, 'alice'), aliceMeta)
    const bobMeta = onlyMeta(bobState, 'bob')
    assert.match(bobMeta.phx_ref, PHX_REF)
    assert.notEqual(bobMeta.phx_ref, aliceMeta.phx_ref)

    const diff = await nextDiff(alice, (d) => d.joins['bob'] !== undefined, from)
    assert.deepEqual(diff, { joins: { bob: { metas: [bobMeta] } }, leaves: {} })
  })

  test('a leave, and a dropped connection, each give a presence_diff leave of that meta', async (t) => {
    const { connect } = await harness(t)
    const alice = await connect()
    await joinOk(alice, TOPIC, { user_id: 'alice' })
    await presenceState(alice)
    const bob = await connect()
    const bobJoin = await joinOk(bob, TOPIC, { user_id: 'bob' })
    const bobMeta = onlyMeta(await presenceState(bob), 'bob')
    const carol = await connect()
    await joinOk(carol, TOPIC, { user_id: 'carol' })
    const carolMeta = onlyMeta(await presenceState(carol), 'carol')

    let from = alice.received.length
    bob.send({ joinRef: bobJoin, ref: bob.nextRef(), topic: TOPIC, event: 'phx_leave', payload: {} })
    assert.deepEqual(await nextDiff(alice, (d) => d.leaves['bob'] !== undefined, from), { joins: {}, leaves: { bob: { metas: [bobMeta] } } })

    from = alice.received.length
    carol.ws.terminate()
    assert.deepEqual(await nextDiff(alice, (d) => d.leaves['carol'] !== undefined, from), { joins: {}, leaves: { carol: { metas: [carolMeta] } } })
  })

  test('update gives a join with a new phx_ref and phx_ref_prev, plus a leave of the old meta', async (t) => {
    const { server, connect } = await harness(t)
    const alice = await connect()
    const aliceJoin = await joinOk(alice, TOPIC, { user_id: 'alice', meta: { status: 'online' } })
    const oldMeta = onlyMeta(await presenceState(alice), 'alice')
    const bob = await connect()
    await joinOk(bob, TOPIC, { user_id: 'bob' })
    await presenceState(bob)

    const from = bob.received.length
    const ref = alice.push(TOPIC, 'update', { status: 'away' }, aliceJoin)
    assert.deepEqual((await alice.reply(ref)).payload, { response: {}, status: 'ok' })
    const diff = await nextDiff(bob, (d) => d.joins['alice'] !== undefined, from)
    const newMeta = onlyMeta(diff.joins, 'alice')
    assert.match(newMeta.phx_ref, PHX_REF)
    assert.notEqual(newMeta.phx_ref, oldMeta.phx_ref)
    assert.equal(newMeta.phx_ref_prev, oldMeta.phx_ref)
    assert.equal(newMeta['status'], 'away')
    assert.deepEqual(diff.leaves, { alice: { metas: [oldMeta] } })
    assert.deepEqual(server.presenceList(TOPIC)['alice'], { metas: [newMeta] })
  })

  test('server.trackPresence / untrackPresence send diffs and show in presenceList and presence_state', async (t) => {
    const { server, connect } = await harness(t)
    server.trackPresence(TOPIC, 'bot', { kind: 'bot' })
    const botMeta = onlyMeta(server.presenceList(TOPIC) as PresenceMap, 'bot')
    assert.equal(botMeta['kind'], 'bot')
    assert.match(botMeta.phx_ref, PHX_REF)

    const alice = await connect()
    await joinOk(alice, TOPIC, { user_id: 'alice' })
    const state = await presenceState(alice)
    assert.deepEqual(state['bot'], { metas: [botMeta] })

    let from = alice.received.length
    server.trackPresence(TOPIC, 'helper', { kind: 'helper' })
    const joinDiff = await nextDiff(alice, (d) => d.joins['helper'] !== undefined, from)
    const helperMeta = onlyMeta(joinDiff.joins, 'helper')
    assert.equal(helperMeta['kind'], 'helper')
    assert.deepEqual(Object.keys(server.presenceList(TOPIC)).sort(), ['alice', 'bot', 'helper'])

    from = alice.received.length
    server.untrackPresence(TOPIC, 'bot')
    assert.deepEqual(await nextDiff(alice, (d) => d.leaves['bot'] !== undefined, from), { joins: {}, leaves: { bot: { metas: [botMeta] } } })
    assert.deepEqual(Object.keys(server.presenceList(TOPIC)).sort(), ['alice', 'helper'])
  })
})
