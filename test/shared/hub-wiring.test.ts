/**
 * Shared history wired into the hub, in process: three gateways on one
 * fake Phoenix server and one redis-server. Readers on every replica get
 * the same ids `<epoch>:<ms>-<n>`; a reader resumes on another replica with
 * exactly the events after its id (from the ring, or from Redis when the
 * ring does not reach back that far); the topic falls back to local ids
 * with a gap while Redis is down and comes back after it. Without
 * `sharedHistory` nothing changes (every other test).
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { createDaemon, type Daemon } from '../../src/gateway/daemon.ts'
import type { Config } from '../../src/gateway/config/types.ts'
import { startFakePhoenix, type FakePhoenix } from '../../src/testing/index.ts'
import { channelConfig, gatewayConfig, literal } from '../gateway/helpers.ts'
import { broadcastNumbered, joined, numbers, SseStream } from '../gateway/sse/helpers.ts'
import { tool } from '../helpers/tools.ts'
import { within } from '../helpers/wait.ts'
import { startRedis, type RedisServer } from './redis-server.ts'
import { linkState, openLink, plainConnect } from './helpers.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { pollUntil } from '../helpers/poll.ts'

const TOPIC = 'room:shared'

interface Replica { daemon: Daemon, base: string }

/** A redis-server child and a fake Phoenix server for one test; undefined (the test skipped, with the summary) without redis-server. */
async function redisAndPhoenix (t: TestContext): Promise<{ redis: RedisServer, phoenix: FakePhoenix } | undefined> {
  const program = tool(t, 'redis-server')
  if (program === undefined) return undefined
  const redis = await startRedis(t, program)
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  return { redis, phoenix }
}

async function replica (t: TestContext, phoenix: FakePhoenix, redisUrl: string, id: string, replay = 100, stateDir?: string, topicBufferBytes?: number): Promise<Replica> {
  const dynamic = [{ pattern: 'echo:*', name: 'dyn', upstream: 'main', params: {}, lingerMs: 30_000, maxTopics: 10, replay: 100, presence: false }]
  const base = gatewayConfig(phoenix.endpoint, [channelConfig(TOPIC, { replay })], { dynamic }, { reconnectBackoffMs: [5], rejoinBackoffMs: [5], params: { replica: id } })
  const config: Config = {
    ...base,
    ...(topicBufferBytes === undefined ? {} : { sse: { ...base.sse, topicBufferBytes } }),
    sharedHistory: { url: redisUrl, keyPrefix: 'bc:', leaseTtlMs: 1500, maxLen: 10_000, commandTimeoutMs: 400, reconnectMinMs: 20, reconnectMaxMs: 200 },
    env: { ...base.env, replicaId: id, ...(stateDir === undefined ? {} : { stateDir }) },
  }
  const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal })
  t.after(async () => { await daemon.close() })
  const address = await daemon.start()
  await joined(daemon, TOPIC)
  await shared(daemon)
  return { daemon, base: address }
}

/** A series' values by their labels (`name=value,…`). */
async function metric (daemon: Daemon, name: string): Promise<Map<string, number>> {
  const found = (await daemon.registry.getMetricsAsJSON()).find((m) => m.name === name)
  assert.ok(found !== undefined, name)
  return new Map(found.values.map((v) => [Object.entries(v.labels).map(([k, l]) => `${k}=${String(l)}`).join(','), v.value]))
}

/** Resolves once the replica serves the topic from shared history. */
async function shared (daemon: Daemon, ms = 10_000): Promise<void> {
  const history = daemon.shared
  assert.ok(history !== null)
  await within<undefined>(ms, 'the topic served from shared history', (resolve) => {
    const check = (): void => { if ([...history.topics.values()].every((topic) => topic.mode === 'shared')) resolve(undefined) }
    check()
    history.events.on('mode', check)
    return () => { history.events.off('mode', check) }
  })
}

test('three replicas: the same shared ids everywhere; a reader resumes on another replica with no gap and no duplicate', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const replicas = [await replica(t, phoenix, redis.url, 'a'), await replica(t, phoenix, redis.url, 'b'), await replica(t, phoenix, redis.url, 'c')]
  const streams = await Promise.all(replicas.map(async (r) => SseStream.open(r.base, TOPIC)))
  t.after(() => { for (const s of streams) s.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 20)
  for (const s of streams) await s.until('20 messages', () => s.named('msg').length === 20)
  const ids = streams.map((s) => s.named('msg').map((e) => e.id))
  assert.match(ids[0]?.[0] ?? '', /^[0-9a-z]+:\d+-\d+$/, JSON.stringify(streams[0]?.events.slice(0, 4)))
  assert.deepEqual(ids[1], ids[0], 'replica b gives the same ids')
  assert.deepEqual(ids[2], ids[0], 'replica c gives the same ids')
  for (const s of streams) assert.deepEqual(numbers(s.events), Array.from({ length: 20 }, (_, i) => i + 1))
  // One writer: exactly one replica holds the topic's lease, and only it appended.
  const held = await Promise.all(replicas.map(async (r) => metric(r.daemon, 'backchannel_shared_history_lease_held')))
  assert.deepEqual(held.map((v) => v.get(`subscription=${TOPIC}`) ?? 0).sort(), [0, 0, 1])
  const appended = await Promise.all(replicas.map(async (r) => (await metric(r.daemon, 'backchannel_shared_history_appends_total')).get('outcome=appended') ?? 0))
  assert.equal(appended.reduce((a, b) => a + b, 0), 20)
  assert.deepEqual((await metric(replicas[0]!.daemon, 'backchannel_shared_history_topics')).get('mode=shared'), 1)

  const at = streams[0]?.named('msg')[6]?.id ?? ''
  const resumed = await SseStream.open(replicas[1]?.base ?? '', TOPIC, { lastEventId: at })
  t.after(() => { resumed.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 5, 21)
  await resumed.until('up to 25', () => numbers(resumed.events).includes(25))
  assert.deepEqual(numbers(resumed.events), Array.from({ length: 18 }, (_, i) => i + 8))
  assert.deepEqual(resumed.named('gap'), [])
})

test('a replica whose ring does not reach back reads the rest from Redis, then goes on live', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const a = await replica(t, phoenix, redis.url, 'a')
  const stream = await SseStream.open(a.base, TOPIC)
  t.after(() => { stream.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 30)
  await stream.until('30 messages', () => stream.named('msg').length === 30)
  const at = stream.named('msg')[4]?.id ?? ''
  // Joins late, with a ring of 10: the id is older than anything it holds.
  const late = await replica(t, phoenix, redis.url, 'late', 10)
  broadcastNumbered(phoenix, TOPIC, 'msg', 12, 31)
  await stream.until('42 messages', () => stream.named('msg').length === 42)
  const resumed = await SseStream.open(late.base, TOPIC, { lastEventId: at })
  t.after(() => { resumed.close() })
  await resumed.until('up to 42', () => numbers(resumed.events).includes(42))
  broadcastNumbered(phoenix, TOPIC, 'msg', 3, 43)
  await resumed.until('up to 45', () => numbers(resumed.events).includes(45))
  assert.deepEqual(numbers(resumed.events), Array.from({ length: 40 }, (_, i) => i + 6))
  await stream.until('45 messages', () => stream.named('msg').length === 45)
  assert.deepEqual(resumed.named('msg').map((e) => e.id), stream.named('msg').slice(5).map((e) => e.id), 'the ids the first replica gave')
  assert.deepEqual(resumed.named('gap'), [])
})

test('Redis down: a gap and local ids, messages keep coming, none twice; back up: shared ids again after a gap', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const a = await replica(t, phoenix, redis.url, 'a')
  const stream = await SseStream.open(a.base, TOPIC)
  t.after(() => { stream.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 5)
  await stream.until('5 messages', () => stream.named('msg').length === 5)
  await redis.stop()
  await stream.until('the gap', () => stream.named('gap').length === 1)
  // Readiness does not depend on Redis; its details say the link is down.
  const ready = await fetch(`${a.base}/readyz`)
  assert.equal(ready.status, 200)
  const body = await ready.json() as { status: string, sharedHistory: { link: string, lastError?: string } }
  assert.equal(body.status, 'ready')
  assert.equal(body.sharedHistory.link, 'down')
  assert.equal(typeof body.sharedHistory.lastError, 'string')
  assert.equal((JSON.parse(stream.named('gap')[0]?.data ?? '{}') as { reason: string }).reason, 'shared_history_unavailable')
  broadcastNumbered(phoenix, TOPIC, 'msg', 5, 6)
  await stream.until('10 messages', () => stream.named('msg').length === 10)
  assert.match(stream.named('msg')[9]?.id ?? '', /^[0-9a-z]+-\d+$/, 'a local id')
  await redis.start()
  if (a.daemon.shared === null) assert.fail('no shared history')
  await shared(a.daemon)
  broadcastNumbered(phoenix, TOPIC, 'msg', 5, 11)
  await stream.until('15 messages', () => stream.named('msg').length === 15)
  assert.deepEqual(numbers(stream.events), Array.from({ length: 15 }, (_, i) => i + 1), 'each once, in order')
  assert.deepEqual(stream.named('gap').map((g) => (JSON.parse(g.data) as { reason: string }).reason), ['shared_history_unavailable', 'shared_history_resumed'])
  assert.match(stream.named('msg')[14]?.id ?? '', /^[0-9a-z]+:\d+-\d+$/, 'a shared id again')
  assert.equal((await metric(a.daemon, 'backchannel_shared_history_fallbacks_total')).get('cause=unavailable'), 1)
  assert.deepEqual(await (await fetch(`${a.base}/readyz`)).json(), { status: 'ready', notReady: [], sharedHistory: { link: 'ready' } })
})

test('a holder whose channel goes down gives the lease up: the others go on appending, with no gap', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  const refused = new Set<string>()
  const replicaOf = (params: Record<string, unknown>): string => { const r = params['replica']; return typeof r === 'string' ? r : '' }
  const phoenix = await startFakePhoenix({ connect: (params) => refused.has(replicaOf(params)) ? { ok: false, status: 403 } : { ok: true } })
  t.after(() => phoenix.close())
  const replicas = [await replica(t, phoenix, redis.url, 'a'), await replica(t, phoenix, redis.url, 'b')]
  const streams = await Promise.all(replicas.map(async (r) => SseStream.open(r.base, TOPIC)))
  t.after(() => { for (const st of streams) st.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 5)
  for (const st of streams) await st.until('5 messages', () => st.named('msg').length === 5)
  const held = await Promise.all(replicas.map(async (r) => (await metric(r.daemon, 'backchannel_shared_history_lease_held')).get(`subscription=${TOPIC}`) ?? 0))
  const holderAt = held.indexOf(1)
  const holder = replicas[holderAt]
  const other = replicas[1 - holderAt]
  const otherStream = streams[1 - holderAt]
  assert.ok(holder !== undefined && other !== undefined && otherStream !== undefined)
  // The holder's upstream is cut and refused: its channel is down, it receives nothing.
  const holderId = holderAt === 0 ? 'a' : 'b'
  refused.add(holderId)
  for (const c of phoenix.connections()) if (replicaOf(c.params) === holderId) c.drop()
  const history = other.daemon.shared
  assert.ok(history !== null)
  await within<undefined>(10_000, 'the other replica takes the lease', (resolve) => {
    const onHolder = (e: { holds: boolean }): void => { if (e.holds) resolve(undefined) }
    history.events.on('holder', onHolder)
    return () => { history.events.off('holder', onHolder) }
  })
  broadcastNumbered(phoenix, TOPIC, 'msg', 5, 6)
  await otherStream.until('10 messages', () => otherStream.named('msg').length === 10)
  assert.deepEqual(numbers(otherStream.events), Array.from({ length: 10 }, (_, i) => i + 1))
  assert.deepEqual(otherStream.named('gap'), [], 'no fallback: the new holder appended them')
  for (const e of otherStream.named('msg')) assert.match(e.id ?? '', /^[0-9a-z]+:\d+-\d+$/)
})

test('Redis stalls (SIGSTOP): received messages do not wedge, they go out locally after a gap within the pending window; shared ids come back after it resumes', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  t.after(() => { redis.resume() })
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const a = await replica(t, phoenix, redis.url, 'a')
  const stream = await SseStream.open(a.base, TOPIC)
  t.after(() => { stream.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 3)
  await stream.until('3 messages', () => stream.named('msg').length === 3)
  redis.pause()
  broadcastNumbered(phoenix, TOPIC, 'msg', 3, 4)
  // The pending window is 2 × 1.5 s: the messages wait that long for the stream, then go out locally.
  await stream.until('6 messages', () => stream.named('msg').length === 6, 15_000)
  assert.deepEqual(stream.named('gap').map((g) => (JSON.parse(g.data) as { reason: string }).reason), ['shared_history_unavailable'])
  assert.equal((await metric(a.daemon, 'backchannel_shared_history_fallbacks_total')).get('cause=stalled'), 1)
  redis.resume()
  await shared(a.daemon, 15_000)
  broadcastNumbered(phoenix, TOPIC, 'msg', 3, 7)
  await stream.until('9 messages', () => stream.named('msg').length === 9, 15_000)
  assert.deepEqual(numbers(stream.events), Array.from({ length: 9 }, (_, i) => i + 1), 'each once, in order')
  assert.match(stream.named('msg')[8]?.id ?? '', /^[0-9a-z]+:\d+-\d+$/)
})

test('a dynamic topic joined on demand by a resuming reader is resumed exactly from another replica\'s id', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const [a, b] = [await replica(t, phoenix, redis.url, 'a'), await replica(t, phoenix, redis.url, 'b')]
  const first = await SseStream.open(a.base, 'echo:x')
  t.after(() => { first.close() })
  await first.event('joined')
  await within<undefined>(10_000, 'echo:x shared on a', (resolve) => {
    const history = a.daemon.shared
    const check = (): void => { if ([...(history?.topics.values() ?? [])].some((topic) => topic.sub.config.topic === 'echo:x' && topic.mode === 'shared')) resolve(undefined) }
    check()
    history?.events.on('mode', check)
    return () => { history?.events.off('mode', check) }
  })
  broadcastNumbered(phoenix, 'echo:x', 'msg', 10)
  await first.until('10 messages', () => first.named('msg').length === 10)
  // b has never held echo:x: the reader's arrival joins it, and the resume waits for it to be shared, then reads Redis.
  const resumed = await SseStream.open(b.base, 'echo:x', { lastEventId: first.named('msg')[2]?.id ?? '' })
  t.after(() => { resumed.close() })
  await resumed.until('up to 10', () => numbers(resumed.events).includes(10))
  broadcastNumbered(phoenix, 'echo:x', 'msg', 2, 11)
  await resumed.until('up to 12', () => numbers(resumed.events).includes(12))
  assert.deepEqual(numbers(resumed.events), Array.from({ length: 9 }, (_, i) => i + 4))
  assert.deepEqual(resumed.named('gap'), [])
})

test('with STATE_DIR as well: after a restart a shared id resumes from shared history, a local one from the store', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const stateDir = await tempDir(t, 'bc-shared-state-')
  const first = await replica(t, phoenix, redis.url, 'a', 100, stateDir)
  const stream = await SseStream.open(first.base, TOPIC)
  t.after(() => { stream.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 8)
  await stream.until('8 messages', () => stream.named('msg').length === 8)
  const sharedId = stream.named('msg')[2]?.id ?? ''
  stream.close()
  await first.daemon.close()
  const second = await replica(t, phoenix, redis.url, 'a', 100, stateDir)
  // The store restored the ring (with local ids); the shared id is served from Redis: exactly what followed it.
  const resumed = await SseStream.open(second.base, TOPIC, { lastEventId: sharedId })
  t.after(() => { resumed.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 2, 9)
  await resumed.until('up to 10', () => numbers(resumed.events).includes(10))
  assert.deepEqual(numbers(resumed.events), Array.from({ length: 7 }, (_, i) => i + 4))
  assert.deepEqual(resumed.named('gap'), [])
  // A local id of the restored ring resumes from the store, as without Redis.
  const restored = second.daemon.broker.hub.find(TOPIC)
  assert.ok(restored !== undefined && restored !== 'ambiguous')
  const local = restored.ring.since(0).find((e) => e.id === undefined && e.data === '{"n":5}')
  assert.ok(local !== undefined, 'the restored ring holds n=5 with a local id')
  const fromStore = await SseStream.open(second.base, TOPIC, { lastEventId: `${second.daemon.broker.hub.epoch}-${local.seq}` })
  t.after(() => { fromStore.close() })
  await fromStore.until('up to 10', () => numbers(fromStore.events).includes(10))
  assert.deepEqual(numbers(fromStore.events).slice(0, 3), [6, 7, 8])
})

test('drain: the holder releases its lease at once (not left to run out); with Redis stalled the drain still ends within its grace', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  t.after(() => { redis.resume() })
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const replicas = [await replica(t, phoenix, redis.url, 'a'), await replica(t, phoenix, redis.url, 'b')]
  const stream = await SseStream.open(replicas[0]?.base ?? '', TOPIC)
  t.after(() => { stream.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 3)
  await stream.until('3 messages', () => stream.named('msg').length === 3)
  const held = await Promise.all(replicas.map(async (r) => (await metric(r.daemon, 'backchannel_shared_history_lease_held')).get(`subscription=${TOPIC}`) ?? 0))
  const holder = replicas[held.indexOf(1)]
  assert.ok(holder !== undefined)
  const holderId = held.indexOf(1) === 0 ? 'a' : 'b'
  await holder.daemon.close()
  // Released: the key no longer names the stopped replica (its ttl of 1.5 s has not run out).
  const link = openLink(t, plainConnect(redis.url))
  await linkState(link, 'ready')
  assert.notEqual(await link.call('lease', ['GET', `bc:{main/${TOPIC}}:lease`]), holderId)

  const other = replicas.find((r) => r !== holder)
  assert.ok(other !== undefined)
  redis.pause()
  const report = await other.daemon.close()
  assert.ok(report.durationMs < 5000, `within SHUTDOWN_GRACE_MS (${report.durationMs} ms)`)
  assert.deepEqual(report.overran, [])
})

test('a resume that would read more from Redis than a topic may hold gets the newest that fit, after a replay_exhausted gap', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const a = await replica(t, phoenix, redis.url, 'a')
  const stream = await SseStream.open(a.base, TOPIC)
  t.after(() => { stream.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 40)
  await stream.until('40 messages', () => stream.named('msg').length === 40)
  // Each event counts about 140 bytes: 2,000 bytes hold 14 of them.
  const late = await replica(t, phoenix, redis.url, 'late', 100, undefined, 2000)
  const resumed = await SseStream.open(late.base, TOPIC, { lastEventId: stream.named('msg')[4]?.id ?? '' })
  t.after(() => { resumed.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', 2, 41)
  await resumed.until('up to 42', () => numbers(resumed.events).includes(42))
  const gap = JSON.parse(resumed.named('gap')[0]?.data ?? '{}') as { reason: string, missed: number }
  assert.equal(gap.reason, 'replay_exhausted')
  const got = numbers(resumed.events)
  assert.equal(got.length + gap.missed, 42 - 5, 'what was left out is counted')
  assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => 43 - got.length + i), 'the newest, once each, in order')
  assert.ok(got.length < 20)
})

test('a channel removed by a reload stops being carried: its lease is released at once', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const base = gatewayConfig(phoenix.endpoint, [channelConfig(TOPIC)], {}, { reconnectBackoffMs: [5], rejoinBackoffMs: [5] })
  const config: Config = {
    ...base,
    sharedHistory: { url: redis.url, keyPrefix: 'bc:', leaseTtlMs: 1500, maxLen: 10_000, commandTimeoutMs: 400, reconnectMinMs: 20, reconnectMaxMs: 200 },
    env: { ...base.env, replicaId: 'solo' },
  }
  const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal, load: async () => ({ ...config, channels: [] }) })
  t.after(async () => { await daemon.close() })
  await daemon.start()
  await joined(daemon, TOPIC)
  await shared(daemon)
  const history = daemon.shared
  assert.ok(history !== null)
  await within<undefined>(10_000, 'the lease held', (resolve) => {
    // Held already (taken as soon as the channel joined), or when it is taken.
    if ([...history.topics.values()].some((topic) => topic.writer.lease.holds())) { resolve(undefined); return undefined }
    const onHolder = (e: { holds: boolean }): void => { if (e.holds) resolve(undefined) }
    history.events.on('holder', onHolder)
    return () => { history.events.off('holder', onHolder) }
  })
  const link = openLink(t, plainConnect(redis.url))
  await linkState(link, 'ready')
  const key = `bc:{main/${TOPIC}}:lease`
  assert.equal(await link.call('lease', ['GET', key]), 'solo')
  const released = within<undefined>(10_000, 'the topic released', (resolve) => {
    const onCarried = (e: { carried: boolean }): void => { if (!e.carried) resolve(undefined) }
    history.events.on('carried', onCarried)
    return () => { history.events.off('carried', onCarried) }
  })
  await daemon.reload()
  await released
  assert.equal(history.topics.size, 0)
  // The release is one command, sent when the topic was released: the key is gone well before its ttl.
  await pollUntil(async () => (await link.call('lease', ['EXISTS', key])) === 0 ? true : undefined, { timeoutMs: 1000, intervalMs: 20, what: 'the lease key deleted before its ttl (1.5 s)' })
})

test('a burst of 5,000 broadcasts at once to three replicas: every reader gets each message once, with the same shared ids, and no fallback to local ids', async (t) => {
  const peers = await redisAndPhoenix(t)
  if (peers === undefined) return
  const { redis, phoenix } = peers
  const COUNT = 5000
  const replicas = [await replica(t, phoenix, redis.url, 'a', COUNT), await replica(t, phoenix, redis.url, 'b', COUNT), await replica(t, phoenix, redis.url, 'c', COUNT)]
  const modes: string[] = []
  for (const r of replicas) r.daemon.shared?.events.on('mode', ({ mode, cause }) => { modes.push(`${mode}:${String(cause)}`) })
  const streams = await Promise.all(replicas.map(async (r) => SseStream.open(r.base, TOPIC)))
  t.after(() => { for (const s of streams) s.close() })
  broadcastNumbered(phoenix, TOPIC, 'msg', COUNT)
  for (const s of streams) await s.until(`${COUNT} messages`, () => s.named('msg').length >= COUNT, 30_000)
  const ids = streams.map((s) => s.named('msg').map((e) => e.id))
  for (const [i, s] of streams.entries()) {
    assert.deepEqual(numbers(s.events), Array.from({ length: COUNT }, (_, n) => n + 1), `replica ${i}: each message once, in order`)
    assert.deepEqual(s.named('gap'), [], `replica ${i}: no gap`)
    assert.ok(ids[i]?.every((id) => /^[0-9a-z]+:\d+-\d+$/.test(id ?? '')), `replica ${i}: every id is a shared one`)
  }
  assert.deepEqual(ids[1], ids[0], 'replica b gives the same ids')
  assert.deepEqual(ids[2], ids[0], 'replica c gives the same ids')
  assert.deepEqual(modes, [], 'no topic fell back to local history')
  const appended = await Promise.all(replicas.map(async (r) => (await metric(r.daemon, 'backchannel_shared_history_appends_total')).get('outcome=appended') ?? 0))
  assert.equal(appended.reduce((a, b) => a + b, 0), COUNT, 'each message appended once, by the holder')
})
