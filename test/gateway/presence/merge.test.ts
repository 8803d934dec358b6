/**
 * The gateway's merged presence equals phoenix.js's Presence on the same
 * fake server, and the server's own tracker, through joins, a leave, a
 * disconnect and an update: GET /v1/channels/{topic}/presence and the SSE
 * events folded in order all show the same key → phx_refs.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { DEADLINE_MS, GATEWAY_KEY, clientShows, clientView, gatewayPresence, keysAre, presenceSetup, serverView, snapshot, streamShows, type Member, type State } from './helpers.ts'
import { within } from '../../helpers/wait.ts'

/** Every view agrees: the gateway's GET, its SSE events folded, each phoenix.js Presence, and the server. */
async function allAgree (base: string, topic: string, fromStream: State, members: Member[], server: Parameters<typeof serverView>[0]): Promise<void> {
  const expected = serverView(server, topic)
  const body = await gatewayPresence(base, topic)
  assert.equal(body.topic, topic)
  assert.equal(body.synced, true)
  assert.deepEqual(snapshot(body.state), expected, 'GET equals the server')
  assert.deepEqual(snapshot(fromStream), expected, 'the SSE events folded equal the server')
  for (const m of members) assert.deepEqual(clientView(m.presence), expected, 'phoenix.js equals the server')
}

describe('presence over HTTP: the merged state', () => {
  test('joins, a leave, a disconnect and an update: the broker, phoenix.js and the server agree at every step', async (t) => {
    const topic = 'presence:lobby'
    const { server, running, stream, enter } = await presenceSetup(t, topic)
    const { base } = running

    const alice = await enter('alice')
    const bob = await enter('bob')
    const carol = await enter('carol')
    const everyone = [GATEWAY_KEY, 'alice', 'bob', 'carol']
    let folded = await streamShows(stream, 'four keys', keysAre(...everyone))
    for (const m of [alice, bob, carol]) await clientShows(m.presence, 'four keys', keysAre(...everyone))
    await allAgree(base, topic, folded, [alice, bob, carol], server)

    // A leave.
    await within<undefined>(DEADLINE_MS, 'carol leaves', (resolve) => { carol.channel.leave().receive('ok', () => { resolve(undefined) }); return undefined })
    folded = await streamShows(stream, 'carol gone', keysAre(GATEWAY_KEY, 'alice', 'bob'))
    for (const m of [alice, bob]) await clientShows(m.presence, 'carol gone', keysAre(GATEWAY_KEY, 'alice', 'bob'))
    await allAgree(base, topic, folded, [alice, bob], server)

    // A disconnect.
    const gone = server.waitFor('disconnect', undefined, DEADLINE_MS)
    bob.socket.disconnect()
    await gone
    folded = await streamShows(stream, 'bob gone', keysAre(GATEWAY_KEY, 'alice'))
    await clientShows(alice.presence, 'bob gone', keysAre(GATEWAY_KEY, 'alice'))
    await allAgree(base, topic, folded, [alice], server)

    // An update: a new meta replaces the old one, which it names in phx_ref_prev.
    const oldRef = server.presenceList(topic)['alice']?.metas[0]?.['phx_ref']
    assert.equal(typeof oldRef, 'string')
    const away = (state: Record<string, { metas: unknown[] }>): boolean => {
      const metas = state['alice']?.metas as Array<Record<string, unknown>> | undefined
      return metas?.length === 1 && metas[0]?.['status'] === 'away'
    }
    alice.channel.push('update', { status: 'away' })
    folded = await streamShows(stream, 'alice away', away)
    await clientShows(alice.presence, 'alice updated', (view) => view['alice']?.[0] !== oldRef)
    await allAgree(base, topic, folded, [alice], server)
    const body = await gatewayPresence(base, topic)
    assert.equal(body.state['alice']?.metas[0]?.phx_ref_prev, oldRef)
    assert.equal(body.state['alice']?.metas[0]?.['status'], 'away')
  })

  test('two sockets of one user are two metas under one key; one leaving keeps the other', async (t) => {
    const topic = 'presence:multi'
    const { server, running, stream, enter } = await presenceSetup(t, topic)
    const first = await enter('dana')
    const second = await enter('dana')
    const watcher = await enter('eve')
    const twoMetas = (state: Record<string, { metas: unknown[] }>): boolean => state['dana']?.metas.length === 2 && keysAre(GATEWAY_KEY, 'dana', 'eve')(state)
    let folded = await streamShows(stream, 'dana twice', twoMetas)
    await clientShows(watcher.presence, 'dana twice', (v) => v['dana']?.length === 2 && v['eve'] !== undefined)
    await allAgree(running.base, topic, folded, [watcher], server)

    first.channel.leave()
    folded = await streamShows(stream, 'dana once', (s) => s['dana']?.metas.length === 1)
    await clientShows(watcher.presence, 'dana once', (v) => v['dana']?.length === 1)
    await allAgree(running.base, topic, folded, [watcher], server)

    second.channel.leave()
    folded = await streamShows(stream, 'dana gone', keysAre(GATEWAY_KEY, 'eve'))
    await clientShows(watcher.presence, 'dana gone', (v) => v['dana'] === undefined)
    await allAgree(running.base, topic, folded, [watcher], server)
  })

  test('server-owned presence (trackPresence / untrackPresence) is merged like any other', async (t) => {
    const topic = 'presence:bots'
    const { server, running, stream, enter } = await presenceSetup(t, topic)
    const member = await enter('gus')
    server.trackPresence(topic, 'bot', { kind: 'bot' })
    let folded = await streamShows(stream, 'the bot joined', keysAre(GATEWAY_KEY, 'gus', 'bot'))
    await clientShows(member.presence, 'the bot joined', (v) => v['bot'] !== undefined)
    await allAgree(running.base, topic, folded, [member], server)
    server.untrackPresence(topic, 'bot')
    folded = await streamShows(stream, 'the bot left', keysAre(GATEWAY_KEY, 'gus'))
    await clientShows(member.presence, 'the bot left', (v) => v['bot'] === undefined)
    await allAgree(running.base, topic, folded, [member], server)
  })
})
