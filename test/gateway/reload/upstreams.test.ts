/**
 * Reload of upstreams and of the dynamic allow-list: an upstream whose
 * settings change gets a new client that rejoins its channels (readers
 * stay, and see errored, gap, rejoined); new upstreams connect, removed
 * ones are closed; dynamic entries come and go, and a dynamic topic the
 * config now names becomes a configured channel without losing its reader.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { joined, numbers, SseStream } from '../sse/helpers.ts'
import { sample } from '../webhook/harness.ts'
import { startReloadable, upstream } from './support.ts'

test('an upstream moved to another server: a new client rejoins its channel there; the reader stays and hears the new server', async (t) => {
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:1' }] }))
  const other = await startFakePhoenix()
  t.after(async () => { await other.close() })
  await joined(r.daemon, 'room:1')
  const stream = await SseStream.open(r.base, 'room:1')
  t.after(() => { stream.close() })
  await stream.event('ready')
  r.phoenix.broadcast('room:1', 'msg', { n: 1 })
  await stream.event('msg')
  const oldClient = r.daemon.broker.clients.get('main')

  const closed = r.phoenix.waitFor('disconnect')
  const joinedThere = other.waitFor('join', (j) => j.topic === 'room:1' && j.status === 'ok')
  await r.write({ upstreams: [upstream(other.endpoint)], channels: [{ topic: 'room:1' }] })
  const diff = await r.daemon.reload()
  assert.deepEqual(diff.upstreams.changed.map((u) => u.name), ['main'])
  assert.equal((await closed).code, 1000, 'the old client closed its socket')
  await joinedThere
  assert.notEqual(r.daemon.broker.clients.get('main'), oldClient)
  await stream.event('rejoined')
  other.broadcast('room:1', 'msg', { n: 2 })
  await stream.until('the new server\'s message', (s) => numbers(s.events).length === 2)
  assert.deepEqual(stream.events.map((e) => e.event), ['ready', 'msg', 'errored', 'gap', 'rejoined', 'msg'])
  assert.equal(stream.ended, false)
  // Metrics and logs follow the new client: its join is counted.
  assert.equal(await sample(r.daemon.registry, 'backchannel_channel_rejoins_total', { subscription: 'room:1', result: 'ok' }), 0)
  assert.equal(await sample(r.daemon.registry, 'backchannel_channel_joins_total', { subscription: 'room:1', result: 'ok' }), 2)
})

test('an upstream added with a channel connects and joins; an upstream removed is closed and its readers get a final event', async (t) => {
  const b = await startFakePhoenix()
  t.after(async () => { await b.close() })
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:a' }] }))
  await joined(r.daemon, 'room:a')
  const bJoined = b.waitFor('join', (j) => j.topic === 'room:b' && j.status === 'ok')
  await r.write({ upstreams: [upstream(r.phoenix.endpoint), upstream(b.endpoint, { name: 'b' })], channels: [{ topic: 'room:a', upstream: 'main' }, { topic: 'room:b', upstream: 'b' }] })
  await r.daemon.reload()
  await bJoined
  const stream = await SseStream.open(r.base, 'room:b')
  t.after(() => { stream.close() })
  await stream.event('ready')
  b.broadcast('room:b', 'msg', { n: 1 })
  await stream.event('msg')
  assert.equal(await sample(r.daemon.registry, 'backchannel_upstream_sockets_connected', { upstream: 'b' }), 1)

  const bClosed = b.waitFor('disconnect')
  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:a' }] })
  const diff = await r.daemon.reload()
  assert.deepEqual([diff.upstreams.removed.map((u) => u.name), diff.channels.removed.map((c) => c.topic)], [['b'], ['room:b']])
  assert.equal((await bClosed).code, 1000)
  await stream.endedWithin()
  assert.equal(stream.events.at(-1)?.event, 'channel_closed')
  assert.equal(r.daemon.broker.clients.has('b'), false)
  const text = await r.daemon.registry.metrics()
  assert.doesNotMatch(text, /backchannel_upstream_sockets(_connected)?\{upstream="b"\}/, 'no gauge series for the removed upstream')
  assert.match(text, /backchannel_upstream_sockets\{upstream="main"\} 1/)
})

test('dynamic entries: a removed entry\'s topics are left (readers get a final event), an added one allows its topics', async (t) => {
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], dynamic: [{ pattern: 'room:*', name: 'rooms' }] }))
  const stream = await SseStream.open(r.base, 'room:1')
  t.after(() => { stream.close() })
  await stream.event('joined')
  const left = r.phoenix.waitFor('leave', (l) => l.topic === 'room:1')
  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], dynamic: [{ pattern: 'echo:*', name: 'echoes' }] })
  const diff = await r.daemon.reload()
  assert.deepEqual([diff.dynamic.added.map((d) => d.name), diff.dynamic.removed.map((d) => d.name)], [['echoes'], ['rooms']])
  await left
  await stream.endedWithin()
  assert.deepEqual(JSON.parse(stream.events.at(-1)?.data ?? '{}'), { lastEventId: stream.named('joined')[0]?.id, topic: 'room:1', reason: 'reload' })
  const put = async (topic: string): Promise<number> => (await fetch(`${r.base}/v1/channels/${topic}`, { method: 'PUT' })).status
  assert.equal(await put('room:2'), 403)
  assert.equal(await put('echo:2'), 201)
  assert.equal(await sample(r.daemon.registry, 'backchannel_dynamic_leaves_total', { entry: 'rooms', reason: 'reload' }), 1)
})

test('a changed entry keeps its topics and their readers; a dynamic topic the config now names becomes configured', async (t) => {
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], dynamic: [{ pattern: 'room:*', name: 'rooms', lingerMs: 60000 }] }))
  const kept = await SseStream.open(r.base, 'room:kept')
  t.after(() => { kept.close() })
  await kept.event('joined')
  const promoted = await SseStream.open(r.base, 'room:vip')
  t.after(() => { promoted.close() })
  await promoted.event('joined')
  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:vip', name: 'vip' }], dynamic: [{ pattern: 'room:*', name: 'rooms', lingerMs: 5000, replay: 3 }] })
  const diff = await r.daemon.reload()
  assert.deepEqual([diff.dynamic.changed.map((d) => d.name), diff.channels.added.map((c) => c.topic)], [['rooms'], ['room:vip']])
  const views = new Map(((await (await fetch(`${r.base}/v1/channels`)).json()) as { channels: Array<{ topic: string, origin: string, name: string }> }).channels.map((c) => [c.topic, c]))
  assert.deepEqual([views.get('room:vip')?.origin, views.get('room:vip')?.name], ['config', 'vip'])
  assert.equal(views.get('room:kept')?.origin, 'dynamic-on-demand')
  assert.equal(r.daemon.broker.hub.get('main', 'room:kept')?.ring.capacity, 3)
  r.phoenix.broadcast('room:vip', 'msg', { n: 1 })
  r.phoenix.broadcast('room:kept', 'msg', { n: 1 })
  await promoted.event('msg')
  await kept.event('msg')
  assert.deepEqual([promoted.ended, kept.ended], [false, false])
  assert.equal(r.phoenix.connections().length, 1)
  assert.equal((await fetch(`${r.base}/v1/channels/room:vip`, { method: 'DELETE' })).status, 409, 'configured now')
})
