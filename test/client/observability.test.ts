/**
 * The observability events carry what metrics and logs need and never a
 * payload or a secret: a whole session with a token param, an auth token
 * and marked payloads (text and bytes, pushes, replies, broadcasts, refusals,
 * crashes and a reconnect) leaves no trace of them in any emission.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { DEADLINE_MS, eventNames, harness, onEveryEvent, type EventName } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

const MARKER = 'MARKER-7f3a9c'
const TOKEN = 'SECRET-TOKEN-51d2'
const AUTH = 'AUTH-TOKEN-e08b'
const PARAM = 'PARAM-VALUE-33c1'

describe('observability events', () => {
  test('no emission contains a payload, a param, the token or the auth token', async (t) => {
    const { server, connected } = await harness(t, { authToken: true })
    const emitted: Array<[EventName, string]> = []
    const c = await connected({
      params: { token: TOKEN, nested: { deep: PARAM } },
      authToken: AUTH,
      headers: { 'x-secret': TOKEN },
      heartbeatIntervalMs: 20,
      heartbeatTimeoutMs: 2000,
      maxJoinRefusals: 1,
    })
    const off = onEveryEvent(c, (name, payload) => { emitted.push([name, JSON.stringify(payload)]) })
    t.after(off)

    await c.join('room:obs', { password: MARKER })
    await c.join('echo:obs', { password: MARKER })
    const shout = c.nextMessage('room:obs', { timeout: DEADLINE_MS })
    await c.push('room:obs', 'shout', { text: MARKER })
    await shout
    await c.request('echo:obs', 'error_reply', { text: MARKER })
    await c.push('echo:obs', 'bytes', Buffer.from(MARKER))
    const pushed = c.nextMessage('echo:obs', { timeout: DEADLINE_MS })
    await c.push('echo:obs', 'push_back', { text: MARKER })
    await pushed
    await assert.rejects(c.join('echo:refused', { refuse: MARKER }))
    await assert.rejects(c.push('echo:obs', 'no_reply', { text: MARKER }, { timeout: 20 }))
    const rejoined = nextEvent(c.events, 'join_ok', (e) => e.topic === 'echo:obs' && e.rejoin)
    await assert.rejects(c.push('echo:obs', 'crash', { text: MARKER }))
    await rejoined
    const reconnected = nextEvent(c.events, 'join_ok', (e) => e.topic === 'room:obs' && e.rejoin)
    server.faults.closeAll(1011, 'bye')
    await reconnected
    server.broadcast('room:obs', 'news', Buffer.from(MARKER))
    await nextEvent(c.events, 'message', (m) => m.event === 'news')
    await nextEvent(c.events, 'heartbeat')
    server.faults.refuseConnections({ status: 403, body: MARKER, headers: { 'x-why': MARKER } })
    server.faults.dropAll()
    await nextEvent(c.events, 'connect_fail', (e) => e.status === 403)
    server.faults.acceptConnections()
    await nextEvent(c.events, 'join_ok', (e) => e.topic === 'room:obs')
    await c.leave('room:obs')

    const kinds = new Set(emitted.map(([name]) => name))
    for (const name of ['connect_fail', 'disconnect', 'reconnect_scheduled', 'join_start', 'join_ok', 'join_error', 'rejoin_scheduled',
      'channel_error', 'leave', 'push_sent', 'reply', 'message', 'heartbeat', 'connect_start', 'connect_ok'] as const) {
      assert.ok(kinds.has(name), `saw ${name}`)
    }
    assert.ok(eventNames.length >= kinds.size)
    for (const [name, json] of emitted) {
      for (const secret of [MARKER, TOKEN, AUTH, PARAM, Buffer.from(MARKER).toString('base64'), 'password', 'token=']) {
        assert.ok(!json.includes(secret), `${name} ${json} holds ${secret}`)
      }
    }
  })
})
