/**
 * phoenix.js's Presence against the fake server's tracker: `presence_state`
 * and `presence_diff` (with `phx_ref` / `phx_ref_prev`) keep Presence.list
 * equal to what the server tracks (reference B10, E 18).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Presence, type Channel, type Socket } from 'phoenix'
import type { FakePhoenix } from '../../src/testing/index.ts'
import { DEADLINE_MS, field, join, peers, receive } from './phoenixjs-helpers.ts'
import { within } from '../helpers/wait.ts'

type Metas = Record<string, unknown>[]
/** key → the metas' phx_refs, sorted: what both sides must agree on. */
type Snapshot = Record<string, string[]>

function refsOf (metas: unknown): string[] {
  assert.ok(Array.isArray(metas))
  return metas.map((m: unknown) => String(field(m, 'phx_ref'))).sort()
}

function clientView (presence: Presence): Snapshot {
  const entries = presence.list((key: string, p: unknown): [string, string[]] => [key, refsOf(field(p, 'metas'))])
  return Object.fromEntries(entries)
}

function serverView (server: FakePhoenix, topic: string): Snapshot {
  return Object.fromEntries(Object.entries(server.presenceList(topic)).map(([key, { metas }]) => [key, refsOf(metas)]))
}

function clientMetas (presence: Presence, key: string): Metas {
  const found = presence.list((k: string, p: unknown) => (k === key ? field(p, 'metas') : undefined)).find((m) => m !== undefined)
  assert.ok(Array.isArray(found), `no presence for ${key}`)
  return found.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
}

/** Resolves once the client's Presence shows exactly `keys`, and returns its view. */
async function syncedTo (presence: Presence, keys: string[]): Promise<Snapshot> {
  const wanted = [...keys].sort()
  const matches = (): boolean => JSON.stringify(Object.keys(clientView(presence)).sort()) === JSON.stringify(wanted)
  if (matches()) return clientView(presence)
  await within<undefined>(DEADLINE_MS, `presence synced to [${wanted.join(', ')}]`, (resolve) => {
    presence.onSync(() => { if (matches()) resolve(undefined) })
    return () => { presence.onSync(() => {}) }
  })
  return clientView(presence)
}

interface Member { socket: Socket, channel: Channel, presence: Presence }

describe('phoenix.js peer: Presence', () => {
  test('Presence.list equals server.presenceList through joins, a leave and a disconnect', async (t) => {
    const { server, connect } = await peers(t)
    const topic = 'presence:lobby'
    const enter = async (userId: string): Promise<Member> => {
      const socket = await connect()
      const channel = socket.channel(topic, { user_id: userId })
      const presence = new Presence(channel)
      assert.equal((await join(channel)).status, 'ok')
      return { socket, channel, presence }
    }

    const alice = await enter('alice')
    assert.deepEqual(await syncedTo(alice.presence, ['alice']), serverView(server, topic))
    const bob = await enter('bob')
    const carol = await enter('carol')
    for (const member of [alice, bob, carol]) {
      assert.deepEqual(await syncedTo(member.presence, ['alice', 'bob', 'carol']), serverView(server, topic))
    }

    const left = server.waitFor('leave', (l) => l.topic === topic, DEADLINE_MS)
    assert.equal((await receive(carol.channel.leave())).status, 'ok')
    await left
    assert.deepEqual(Object.keys(serverView(server, topic)).sort(), ['alice', 'bob'])
    assert.deepEqual(await syncedTo(alice.presence, ['alice', 'bob']), serverView(server, topic))
    assert.deepEqual(await syncedTo(bob.presence, ['alice', 'bob']), serverView(server, topic))

    const gone = server.waitFor('disconnect', undefined, DEADLINE_MS)
    bob.socket.disconnect()
    await gone
    assert.deepEqual(await syncedTo(alice.presence, ['alice']), serverView(server, topic))
  })

  test('two sockets of one user are two metas under one key, and one leaving keeps the other', async (t) => {
    const { server, connect } = await peers(t)
    const topic = 'presence:multi'
    const channels: Channel[] = []
    for (let i = 0; i < 2; i++) {
      const channel = (await connect()).channel(topic, { user_id: 'dana' })
      await join(channel)
      channels.push(channel)
    }
    const watcher = (await connect()).channel(topic, { user_id: 'eve' })
    const presence = new Presence(watcher)
    await join(watcher)
    await syncedTo(presence, ['dana', 'eve'])
    assert.equal(clientMetas(presence, 'dana').length, 2)
    assert.deepEqual(clientView(presence), serverView(server, topic))

    let synced = within<undefined>(DEADLINE_MS, 'one dana meta left', (resolve) => {
      presence.onSync(() => { if (clientMetas(presence, 'dana').length === 1) resolve(undefined) })
      return () => { presence.onSync(() => {}) }
    })
    await receive(channels[0]!.leave())
    await synced
    assert.deepEqual(clientView(presence), serverView(server, topic))

    synced = syncedTo(presence, ['eve']).then(() => undefined)
    await receive(channels[1]!.leave())
    await synced
    assert.deepEqual(clientView(presence), serverView(server, topic))
  })

  test('an update (push "update") replaces the meta: the new one carries phx_ref_prev = the old phx_ref', async (t) => {
    const { server, connect } = await peers(t)
    const topic = 'presence:status'
    const channel = (await connect()).channel(topic, { user_id: 'frank', meta: { status: 'here' } })
    const presence = new Presence(channel)
    await join(channel)
    await syncedTo(presence, ['frank'])
    const [before] = clientMetas(presence, 'frank')
    assert.equal(field(before, 'status'), 'here')
    const oldRef = field(before, 'phx_ref')

    const updated = within<undefined>(DEADLINE_MS, 'presence update', (resolve) => {
      presence.onSync(() => { if (clientMetas(presence, 'frank').some((m) => m['status'] === 'away')) resolve(undefined) })
      return () => { presence.onSync(() => {}) }
    })
    assert.equal((await receive(channel.push('update', { status: 'away' }))).status, 'ok')
    await updated
    const metas = clientMetas(presence, 'frank')
    assert.equal(metas.length, 1, 'the old meta left as the new one joined')
    assert.equal(metas[0]?.['phx_ref_prev'], oldRef)
    assert.notEqual(metas[0]?.['phx_ref'], oldRef)
    assert.deepEqual(clientView(presence), serverView(server, topic))
    assert.equal(server.presenceList(topic)['frank']?.metas[0]?.['phx_ref_prev'], oldRef)
  })
})
