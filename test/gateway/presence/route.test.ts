/**
 * GET /v1/channels/{topic}/presence outside the happy path: presence off
 * (409 BC_ERR_PRESENCE_OFF, and the raw presence messages pass as ordinary
 * events), an unknown topic (404), the OpenAPI document, and the
 * `presence` key of the config file.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { validateFileConfig } from '../../../src/gateway/config/index.ts'
import { minimal, problemsOf } from '../config/helpers.ts'
import { DEADLINE_MS, getPresence, presenceSetup } from './helpers.ts'

describe('presence over HTTP: the route and the config', () => {
  test('presence off: GET answers 409 BC_ERR_PRESENCE_OFF and the raw presence_state / presence_diff are ordinary SSE events', async (t) => {
    const topic = 'presence:off'
    const { running, stream, enter } = await presenceSetup(t, topic, { presence: false })
    const res = await getPresence(running.base, topic)
    assert.equal(res.status, 409)
    assert.equal((res.body as { error: { code: string } }).error.code, 'BC_ERR_PRESENCE_OFF')

    const member = await enter('max')
    const diff = await stream.event('presence_diff')
    assert.deepEqual(Object.keys((JSON.parse(diff.data) as { joins: Record<string, unknown> }).joins), ['max'], 'the diff as Phoenix sent it')
    assert.deepEqual(stream.named('presence_join'), [], 'no derived events')
    member.socket.disconnect()
    const leave = await stream.event('presence_diff', stream.events.indexOf(diff) + 1)
    assert.deepEqual(Object.keys((JSON.parse(leave.data) as { leaves: Record<string, unknown> }).leaves), ['max'])
    assert.deepEqual(stream.named('presence_leave'), [])
  })

  test('an unknown topic is 404 BC_ERR_UNKNOWN_TOPIC; a channel with presence on answers 200 with its topic', async (t) => {
    const { running } = await presenceSetup(t, 'presence:known')
    const unknown = await getPresence(running.base, 'presence:unknown')
    assert.equal(unknown.status, 404)
    assert.equal((unknown.body as { error: { code: string } }).error.code, 'BC_ERR_UNKNOWN_TOPIC')
    const known = await getPresence(running.base, 'presence:known')
    assert.equal(known.status, 200)
    assert.equal((known.body as { topic: string }).topic, 'presence:known')
  })

  test('the OpenAPI document lists GET /v1/channels/{topic}/presence with its 200 schema', async (t) => {
    const { running } = await presenceSetup(t, 'presence:doc')
    const res = await fetch(`${running.base}/openapi.json`, { signal: AbortSignal.timeout(DEADLINE_MS) })
    const doc = await res.json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { required?: string[] } }> }> }>> }
    const op = doc.paths['/v1/channels/{topic}/presence']?.['get']
    assert.ok(op !== undefined, 'the route is documented')
    assert.deepEqual(op.responses['200']?.content?.['application/json']?.schema.required, ['topic', 'state', 'synced'])
    assert.ok(op.responses['4XX'] !== undefined, 'errors are documented')
  })

  test('the config file takes presence: true or false, is absent by default, and refuses other types', async () => {
    const on = await validateFileConfig({ ...minimal, channels: [{ topic: 'a', presence: true }, { topic: 'b' }] }, '/cfg')
    assert.equal(on.channels[0]?.presence, true)
    assert.equal(on.channels[1]?.presence, undefined, 'absent means off')
    assert.deepEqual(await problemsOf(async () => validateFileConfig({ ...minimal, channels: [{ topic: 'a', presence: 'yes' }] }, '/cfg')), ['/channels/0/presence: must be boolean'])
  })
})
