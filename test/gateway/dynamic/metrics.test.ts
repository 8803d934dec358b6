/**
 * Metrics of dynamic topics carry the allow-list entry's name, never the
 * topic: however many topics clients ask for, the series stay bounded.
 * Counters read from live subscriptions do not go down when a topic is
 * left.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { http, push, startGw } from '../http/support.ts'
import { SseStream } from '../sse/helpers.ts'
import { sample } from '../webhook/harness.ts'
import { del, dynamicEntry, put } from './support.ts'

test('dynamic topics are counted under their entry\'s name; no label holds a topic', async (t) => {
  const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*', { name: 'rooms', maxTopics: 3 }), dynamicEntry('echo:*', { name: 'echoes' })] } })
  const registry = gw.daemon.registry
  assert.equal((await put(gw, 'room:1')).status, 201)
  const stream = await SseStream.open(gw.base, 'room:2')
  t.after(() => { stream.close() })
  await stream.event('joined')
  assert.equal((await push(gw, 'echo:3', { event: 'x' })).status, 200)
  assert.equal((await put(gw, 'room:3')).status, 201)
  assert.equal((await put(gw, 'room:4')).status, 503)
  assert.equal((await put(gw, 'chat:1')).status, 403)
  gw.phoenix.broadcast('room:1', 'msg', { n: 1 })
  gw.phoenix.broadcast('room:2', 'msg', { n: 1 })
  await stream.event('msg')

  assert.equal(await sample(registry, 'backchannel_dynamic_topics', { entry: 'rooms' }), 3)
  assert.equal(await sample(registry, 'backchannel_dynamic_topics', { entry: 'echoes' }), 1)
  assert.equal(await sample(registry, 'backchannel_dynamic_joins_total', { entry: 'rooms', trigger: 'put' }), 2)
  assert.equal(await sample(registry, 'backchannel_dynamic_joins_total', { entry: 'rooms', trigger: 'sse' }), 1)
  assert.equal(await sample(registry, 'backchannel_dynamic_joins_total', { entry: 'echoes', trigger: 'push' }), 1)
  assert.equal(await sample(registry, 'backchannel_dynamic_refusals_total', { entry: 'rooms', reason: 'limit' }), 1)
  assert.equal(await sample(registry, 'backchannel_dynamic_refusals_total', { entry: 'other', reason: 'not_allowed' }), 1)
  assert.equal(await sample(registry, 'backchannel_channel_state', { subscription: 'rooms', state: 'joined' }), 3)
  assert.equal(await sample(registry, 'backchannel_sse_subscribers', { subscription: 'rooms' }), 1)
  assert.equal(await sample(registry, 'backchannel_pushes_total', { subscription: 'echoes', outcome: 'ok' }), 1)

  const text = (await http(gw.base, '/metrics')).text
  assert.doesNotMatch(text, /room:|echo:|chat:/, 'no topic in any label')

  const events = await sample(registry, 'backchannel_channel_events_total', { subscription: 'rooms' })
  assert.equal((await del(gw, 'room:1')).status, 204)
  assert.equal(await sample(registry, 'backchannel_dynamic_leaves_total', { entry: 'rooms', reason: 'deleted' }), 1)
  assert.equal(await sample(registry, 'backchannel_dynamic_topics', { entry: 'rooms' }), 2)
  assert.equal(await sample(registry, 'backchannel_channel_events_total', { subscription: 'rooms' }), events, 'a counter never goes down')
})
