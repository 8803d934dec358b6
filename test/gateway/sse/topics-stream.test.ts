/**
 * One SSE stream over many topics, `GET /v1/events?topic=…&topic=…`
 * (issue 12), against a real gateway and the fake Phoenix server over real
 * HTTP: exact topics and patterns in one stream, every event naming its
 * topic with ids increasing over all of them, the `events=` filter, topics
 * a pattern matches coming (`topic_added`) and going (`topic_removed`)
 * while the stream is open, exact allow-listed topics joined on demand, and
 * the limits and refusals. Resume and slow readers: topics-resume.test.ts;
 * reload, drain and keep-alive: topics-lifecycle.test.ts.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig, gatewayConfig } from '../helpers.ts'
import { assertProblem, http, joined, startGw } from '../http/support.ts'
import { del, dynamicEntry, listed, put } from '../dynamic/support.ts'
import { SseStream, type SseMessage } from './helpers.ts'
import { deadline } from '../../helpers/wait.ts'
import { ANY_TOPIC, assertIncreasingIds, dataOf, delivered, eventsPath, openEvents, payloadOf, seenMessage } from './topics-support.ts'

/** The gateway's default SSE settings, to change one of them in a config given whole. */
const SSE = gatewayConfig('ws://unused', []).sse

interface TopicView { topic: string, upstream: string, state: string }
interface Ready { epoch: string, topics: TopicView[], patterns: string[] }

function readyOf (event: SseMessage): Ready {
  assert.equal(event.event, 'ready')
  assert.equal(event.id, undefined, 'ready has no id')
  const ready = JSON.parse(event.data) as Ready
  return { ...ready, topics: [...ready.topics].sort((a, b) => a.topic.localeCompare(b.topic)) }
}

/** The events of `topic` (named by their data), in arrival order, past `ready`. */
function eventsOf (events: readonly SseMessage[], topic: string): SseMessage[] {
  return events.slice(1).filter((e) => dataOf(e).topic === topic)
}

test('exact topics and a pattern in one stream: ready lists them, each event names its topic and payload, ids increase over all topics', async (t) => {
  const topics = ['orders:1', 'orders:2', 'orders:1:x', 'room:a', 'room:b', 'chat:1']
  const gw = await startGw(t, topics.map((topic) => channelConfig(topic)), { phoenix: ANY_TOPIC })
  for (const topic of topics) await joined(gw, topic)
  const stream = await openEvents(t, gw.base, ['orders:*', 'room:a', 'room:b'])
  assert.equal(stream.status, 200)
  assert.match(stream.headers['content-type'] ?? '', /^text\/event-stream/)
  const first = await stream.event('ready')
  assert.equal(typeof first.retry, 'number', 'ready carries retry:')
  const ready = readyOf(first)
  assert.deepEqual(ready.topics, ['orders:1', 'orders:2', 'room:a', 'room:b'].map((topic) => ({ topic, upstream: 'main', state: 'joined' })))
  assert.deepEqual(ready.patterns, ['orders:*'])
  assert.equal(typeof ready.epoch, 'string')

  // Interleaved over every topic, the followed ones and the others; a last message closes the burst.
  for (let n = 1; n <= 5; n++) for (const topic of topics) gw.phoenix.broadcast(topic, 'msg', { n })
  gw.phoenix.broadcast('room:a', 'msg', { n: 6 })
  await seenMessage(stream, 'room:a', 6)

  const expected = [1, 2, 3, 4, 5].flatMap((n) => ['orders:1', 'orders:2', 'room:a', 'room:b'].map((topic) => ({ topic, n }))).concat([{ topic: 'room:a', n: 6 }])
  assert.deepEqual(stream.events.slice(1).map((e) => e.event), expected.map(() => 'msg'), 'only messages of the followed topics')
  assert.deepEqual(delivered(stream.events).map(({ topic, n }) => ({ topic, n })), expected, 'in the order they were published, over all topics')
  assert.deepEqual(stream.events.slice(1).map((e) => payloadOf(e)), expected.map(({ n }) => ({ n })))
  assert.ok(stream.events.slice(1).every((e) => e.id?.startsWith(`${ready.epoch}.`)), 'ids are <epoch>.<n>')
  assertIncreasingIds(stream.events, 'one stream over four topics')
  assert.equal(stream.ended, false)
})

test('a topic both named and matched by a pattern is followed once: each of its events comes once', async (t) => {
  const gw = await startGw(t, [channelConfig('orders:1'), channelConfig('orders:2')], { phoenix: ANY_TOPIC })
  await joined(gw, 'orders:1')
  await joined(gw, 'orders:2')
  const stream = await openEvents(t, gw.base, ['orders:*', 'orders:1'])
  const ready = readyOf(await stream.event('ready'))
  assert.deepEqual(ready.topics.map((v) => v.topic), ['orders:1', 'orders:2'])
  for (let n = 1; n <= 3; n++) gw.phoenix.broadcast('orders:1', 'msg', { n })
  gw.phoenix.broadcast('orders:2', 'msg', { n: 1 })
  await seenMessage(stream, 'orders:2', 1)
  assert.deepEqual(delivered(stream.events).map(({ topic, n }) => `${topic}/${n}`), ['orders:1/1', 'orders:1/2', 'orders:1/3', 'orders:2/1'])
})

test('events= passes only the named Phoenix events; lifecycle events of every topic always pass, numbered, with their topic', async (t) => {
  const gw = await startGw(t, [channelConfig('orders:1'), channelConfig('room:a')], { phoenix: ANY_TOPIC })
  await joined(gw, 'orders:1')
  await joined(gw, 'room:a')
  const stream = await openEvents(t, gw.base, ['orders:*', 'room:a'], { query: { events: 'keep,also' } })
  await stream.event('ready')
  for (const topic of ['orders:1', 'room:a']) {
    gw.phoenix.broadcast(topic, 'drop', { n: 0 })
    gw.phoenix.broadcast(topic, 'keep', { n: 1 })
    gw.phoenix.broadcast(topic, 'also', { n: 2 })
  }
  await stream.until('both topics\' `also`', (s) => s.named('also').length === 2)

  // The upstream drops: each topic errors and rejoins, with a gap for the outage, all of which pass the filter.
  gw.phoenix.faults.dropAll()
  await stream.until('both topics rejoined', (s) => s.named('rejoined').length === 2)
  for (const topic of ['orders:1', 'room:a']) gw.phoenix.broadcast(topic, 'keep', { n: 3 })
  await stream.until('both topics\' second `keep`', (s) => s.named('keep').length === 4)

  assert.deepEqual(stream.named('drop'), [])
  for (const topic of ['orders:1', 'room:a']) {
    const own = eventsOf(stream.events, topic)
    assert.deepEqual(own.map((e) => e.event), ['keep', 'also', 'errored', 'gap', 'rejoined', 'keep'], topic)
    assert.deepEqual(payloadOf(own[2]!), { topic, reason: 'disconnected' })
    assert.equal((payloadOf(own[3]!) as { reason: string }).reason, 'upstream_disconnected')
    assert.deepEqual(payloadOf(own[4]!), { topic })
    assert.ok(own.every((e) => e.id !== undefined), `${topic}: lifecycle events are numbered like messages`)
  }
  assertIncreasingIds(stream.events, 'the filtered stream')
})

test('a dynamic topic a pattern matches that is held after the stream opened (PUT, or another reader) gives topic_added, then its events', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a')], { phoenix: ANY_TOPIC, config: { dynamic: [dynamicEntry('orders:*')] } })
  await joined(gw, 'room:a')
  const stream = await openEvents(t, gw.base, ['orders:*', 'room:a'])
  const ready = readyOf(await stream.event('ready'))
  assert.deepEqual(ready.topics.map((v) => v.topic), ['room:a'])
  assert.deepEqual(ready.patterns, ['orders:*'])

  assert.equal((await put(gw, 'orders:7')).status, 201)
  const added = await stream.event('topic_added')
  assert.equal(added.id, undefined, 'topic_added has no id')
  const body = JSON.parse(added.data) as TopicView
  assert.deepEqual({ topic: body.topic, upstream: body.upstream }, { topic: 'orders:7', upstream: 'main' })
  assert.ok(['joining', 'joined'].includes(body.state), `state ${body.state}`)
  gw.phoenix.broadcast('orders:7', 'msg', { n: 1 })
  await seenMessage(stream, 'orders:7', 1)

  // A topic someone else's per-topic stream joins on demand is matched too.
  const other = await SseStream.open(gw.base, 'orders:8')
  t.after(() => { other.close() })
  await other.event('joined')
  await stream.until('topic_added for orders:8', (s) => s.named('topic_added').some((e) => dataOf(e).topic === 'orders:8'))
  gw.phoenix.broadcast('orders:8', 'msg', { n: 1 })
  await seenMessage(stream, 'orders:8', 1)

  for (const topic of ['orders:7', 'orders:8']) {
    const at = stream.events.findIndex((e) => e.event === 'topic_added' && dataOf(e).topic === topic)
    const firstOwn = stream.events.findIndex((e, i) => i > 0 && e.event !== 'topic_added' && dataOf(e).topic === topic)
    assert.ok(at > 0 && at < firstOwn, `${topic}: topic_added comes before its events`)
  }
  assertIncreasingIds(stream.events, 'a stream whose topics grew')
})

test('DELETE of a followed topic gives topic_removed after its last event; the stream goes on, and a PUT again adds it back', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a')], { phoenix: ANY_TOPIC, config: { dynamic: [dynamicEntry('orders:*')] } })
  await joined(gw, 'room:a')
  assert.equal((await put(gw, 'orders:1')).status, 201)
  const stream = await openEvents(t, gw.base, ['orders:*', 'room:a'])
  assert.deepEqual(readyOf(await stream.event('ready')).topics.map((v) => v.topic), ['orders:1', 'room:a'])
  for (let n = 1; n <= 3; n++) gw.phoenix.broadcast('orders:1', 'msg', { n })
  await seenMessage(stream, 'orders:1', 3)

  assert.equal((await del(gw, 'orders:1')).status, 204)
  const removed = await stream.event('topic_removed')
  assert.equal(removed.id, undefined, 'topic_removed has no id')
  assert.deepEqual(JSON.parse(removed.data), { topic: 'orders:1', upstream: 'main', reason: 'deleted' })
  const at = stream.events.indexOf(removed)
  const lastOwn = stream.events.findLastIndex((e, i) => i > 0 && e !== removed && dataOf(e).topic === 'orders:1')
  assert.ok(lastOwn < at, 'after the topic\'s last event')

  gw.phoenix.broadcast('room:a', 'msg', { n: 1 })
  await seenMessage(stream, 'room:a', 1)
  assert.equal(stream.ended, false, 'the stream goes on with the others')

  assert.equal((await put(gw, 'orders:1')).status, 201)
  await stream.until('orders:1 added again', (s) => s.named('topic_added').some((e) => dataOf(e).topic === 'orders:1'))
  gw.phoenix.broadcast('orders:1', 'msg', { n: 4 })
  await seenMessage(stream, 'orders:1', 4)
  assert.deepEqual(delivered(stream.events).map(({ topic, n }) => `${topic}/${n}`), ['orders:1/1', 'orders:1/2', 'orders:1/3', 'room:a/1', 'orders:1/4'])
  assert.equal(stream.named('topic_removed').length, 1)
})

test('exact allow-listed topics are joined on demand, held while the stream is open, and left once it closed and the linger passed', async (t) => {
  const gw = await startGw(t, [], { phoenix: ANY_TOPIC, config: { dynamic: [dynamicEntry('room:*', { name: 'rooms', lingerMs: 50 })] } })
  const stream = await openEvents(t, gw.base, ['room:7', 'room:8'])
  assert.equal(stream.status, 200)
  const ready = readyOf(await stream.event('ready'))
  assert.deepEqual(ready.topics.map((v) => v.topic), ['room:7', 'room:8'])
  assert.deepEqual(ready.patterns, [])
  // Each topic's join reaches the stream as its `joined` event, unless it was joined before `ready` was written.
  const joinedBefore = new Set(ready.topics.filter((v) => v.state === 'joined').map((v) => v.topic))
  await stream.until('both topics joined', (s) => ['room:7', 'room:8'].every((topic) => joinedBefore.has(topic) || s.named('joined').some((e) => dataOf(e).topic === topic)))
  const views = await listed(gw)
  for (const topic of ['room:7', 'room:8']) {
    assert.deepEqual([views.get(topic)?.origin, views.get(topic)?.subscribers], ['dynamic-on-demand', 1], topic)
    gw.phoenix.broadcast(topic, 'msg', { n: 1 })
  }
  await seenMessage(stream, 'room:8', 1)
  assert.deepEqual(delivered(stream.events).map(({ topic, n }) => `${topic}/${n}`), ['room:7/1', 'room:8/1'])

  const left = Promise.all(['room:7', 'room:8'].map(async (topic) => gw.phoenix.waitFor('leave', (l) => l.topic === topic)))
  const closedAt = performance.now()
  stream.close()
  await left
  assert.ok(performance.now() - closedAt >= 45, 'not before the linger')
  const after = await listed(gw)
  assert.equal(after.has('room:7') || after.has('room:8'), false)
  assert.deepEqual(gw.joins.map((j) => j.topic).sort(), ['room:7', 'room:8'], 'each joined once')
})

test('more topics named or matched at open than sse.maxTopicsPerStream is 400 BC_ERR_TOO_MANY_TOPICS, and nothing is joined', async (t) => {
  const configured = ['c:1', 'c:2', 'c:3', 'c:4']
  const gw = await startGw(t, configured.map((topic) => channelConfig(topic)), {
    phoenix: ANY_TOPIC,
    config: { dynamic: [dynamicEntry('d:*')], sse: { ...SSE, maxTopicsPerStream: 3 } },
  })
  for (const topic of configured) await joined(gw, topic)
  for (const topics of [configured, ['c:*'], ['d:1', 'd:2', 'd:3', 'd:4'], ['c:1', 'c:2', 'd:1', 'd:2']]) {
    const error = assertProblem(await http(gw.base, eventsPath(topics)), 400, 'BC_ERR_TOO_MANY_TOPICS')
    assert.match(error.message, /\b3\b/, `${topics.join(',')}: the message names the limit`)
  }
  const atLimit = await openEvents(t, gw.base, ['c:1', 'c:2', 'c:3'])
  assert.equal(atLimit.status, 200, 'as many as the limit is fine')
  await atLimit.event('ready')
  assert.equal((await put(gw, 'd:9')).status, 201)
  assert.deepEqual(gw.joins.map((j) => j.topic).filter((topic) => topic.startsWith('d:')), ['d:9'], 'no refused stream joined a topic')
})

test('a topic a pattern matches after open, past sse.maxTopicsPerStream, gives topic_skipped and is not followed', async (t) => {
  const gw = await startGw(t, [], { phoenix: ANY_TOPIC, config: { dynamic: [dynamicEntry('orders:*')], sse: { ...SSE, maxTopicsPerStream: 2 } } })
  for (const topic of ['orders:1', 'orders:2']) assert.equal((await put(gw, topic)).status, 201)
  const stream = await openEvents(t, gw.base, ['orders:*'])
  assert.equal(readyOf(await stream.event('ready')).topics.length, 2)

  assert.equal((await put(gw, 'orders:3')).status, 201)
  const skipped = await stream.event('topic_skipped')
  assert.equal(skipped.id, undefined)
  assert.deepEqual(JSON.parse(skipped.data), { topic: 'orders:3', upstream: 'main', reason: 'topic_limit', limit: 2 })
  gw.phoenix.broadcast('orders:3', 'msg', { n: 1 })
  gw.phoenix.broadcast('orders:1', 'msg', { n: 1 })
  await seenMessage(stream, 'orders:1', 1)
  assert.deepEqual(stream.events.map((e) => e.event), ['ready', 'topic_skipped', 'msg'], 'nothing of the skipped topic')
})

test('no topic, an empty topic or a bad pattern is 400 BC_ERR_BAD_REQUEST, and nothing is joined', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a')], { phoenix: ANY_TOPIC, config: { dynamic: [dynamicEntry('room:*')] } })
  await joined(gw, 'room:a')
  for (const topics of [[], [''], ['orders:**'], ['*'], ['*:*'], ['room:a', 'orders:**'], ['room:9', '*']]) {
    assertProblem(await http(gw.base, eventsPath(topics)), 400, 'BC_ERR_BAD_REQUEST')
  }
  // Joins go out on one socket in order: had a refused stream asked for room:9, it would be here before room:5.
  assert.equal((await put(gw, 'room:5')).status, 201)
  assert.deepEqual(gw.joins.map((j) => j.topic), ['room:a', 'room:5'], 'a refused stream joins nothing')
  assert.equal(gw.daemon.broker.readers.size, 0)
})

test('an exact topic neither configured nor allowed is 404 BC_ERR_UNKNOWN_TOPIC, as on a per-topic stream, and nothing is joined', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a')], { phoenix: ANY_TOPIC, config: { dynamic: [dynamicEntry('room:*')] } })
  await joined(gw, 'room:a')
  for (const topics of [['chat:1'], ['room:a', 'chat:1'], ['room:9', 'chat:1'], ['room:*', 'chat:1']]) {
    const error = assertProblem(await http(gw.base, eventsPath(topics)), 404, 'BC_ERR_UNKNOWN_TOPIC')
    assert.match(error.message, /"chat:1" is neither a configured channel nor allowed by a dynamic pattern/)
  }
  assert.equal((await put(gw, 'room:5')).status, 201)
  assert.deepEqual(gw.joins.map((j) => j.topic), ['room:a', 'room:5'], 'a refused stream joins nothing')
  assert.equal(gw.daemon.broker.readers.size, 0)
})

test('a multi-topic stream counts as one toward sse.maxClients', async (t) => {
  const topics = ['room:a', 'room:b', 'room:c']
  const gw = await startGw(t, topics.map((topic) => channelConfig(topic)), { phoenix: ANY_TOPIC, config: { sse: { ...SSE, maxClients: 2, retryMs: 3000 } } })
  for (const topic of topics) await joined(gw, topic)
  const multi = await openEvents(t, gw.base, ['room:*'])
  await multi.event('ready')
  const single = await SseStream.open(gw.base, 'room:a')
  t.after(() => { single.close() })
  assert.equal(single.status, 200, 'three topics in one stream are one client')
  await single.event('ready')

  const refused = await http(gw.base, eventsPath(['room:b']))
  assertProblem(refused, 503, 'BC_ERR_SSE_LIMIT')
  assert.equal(refused.headers.get('retry-after'), '3')
  assertProblem(await http(gw.base, '/v1/channels/room%3Ab/events'), 503, 'BC_ERR_SSE_LIMIT')

  // Once the multi-topic stream has gone, there is room for one more again.
  const gone = new Promise<void>((resolve) => { for (const reader of gw.daemon.broker.readers) reader.onEnd(() => { if (gw.daemon.broker.readers.size < 2) resolve() }) })
  multi.close()
  await deadline(gone, 'the multi-topic stream gone from the gateway')
  const again = await openEvents(t, gw.base, ['room:b', 'room:c'])
  assert.equal(again.status, 200)
  await again.event('ready')
})
