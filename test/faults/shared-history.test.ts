/**
 * Guarantee (issue 16): with three replicas sharing Redis, a reader resumes
 * on another replica with no gap and no duplicate. Real `serve` children on
 * one fake Phoenix server (which broadcasts to all three) and one
 * redis-server:
 *
 * (a) a reader on A reads, disconnects and resumes on B with its
 *     Last-Event-ID: exactly the events after it, in order, no gap;
 * (b) kill -9 of the lease holder mid-stream: a reader resuming on a
 *     survivor gets no gap and no duplicate (what was broadcast while the
 *     holder was dead is appended by the taker from its pending window);
 * (c) Redis killed and started again: readers get a gap and keep receiving
 *     local events, pushes answer, and after Redis returns shared ids
 *     resume (the same on every replica), each message once per reader;
 * (d) a replica that joins late resumes a reader from an id another gave.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { startFakePhoenix, type FakePhoenix } from '../../src/testing/index.ts'
import { broadcastNumbered, numbers, range, SseStream, type SseMessage } from '../gateway/sse/helpers.ts'
import { tool } from '../helpers/tools.ts'
import { startRedis, type RedisServer } from '../shared/redis-server.ts'
import { kill9, serve, serveConfig, type Serve } from './serve-child.ts'

const TOPIC = 'echo:shared'
const SHARED_ID = /^[0-9a-z]+:\d+-\d+$/
const LOCAL_ID = /^[0-9a-z]+-\d+$/
const SERVED_SHARED = 'shared history: topic served from shared history'

interface Setup { phoenix: FakePhoenix, redis: RedisServer, file: string }

async function setup (t: TestContext, program: string): Promise<Setup> {
  const redis = await startRedis(t, program)
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const { file } = await serveConfig(t, phoenix, {
    channels: [{ topic: TOPIC, replay: 100 }],
    sharedHistory: { url: redis.url, leaseTtlMs: 1500, commandTimeoutMs: 400, reconnectMinMs: 20, reconnectMaxMs: 200 },
  }, 'bc-shared-')
  return { phoenix, redis, file }
}

/** A replica named `id`, once it serves the topic from shared history. */
async function replica (t: TestContext, s: Setup, id: string): Promise<Serve> {
  const child = await serve(t, s.phoenix, s.file, null, [TOPIC], { POD_NAME: id })
  await child.logged(`${id} serves ${TOPIC} from shared history`, (l) => l['msg'] === SERVED_SHARED)
  return child
}

/** Resolves once the replica logs `msg` after its `from`-th log line. */
async function loggedAfter (child: Serve, from: number, msg: string): Promise<void> {
  await child.logged(msg, (l) => l['msg'] === msg && child.lines.indexOf(l) >= from)
}

async function holds (child: Serve): Promise<boolean> {
  const text = await (await fetch(`${child.address}/metrics`)).text()
  return text.includes(`backchannel_shared_history_lease_held{subscription="${TOPIC}"} 1`)
}

function idsOf (events: readonly SseMessage[]): Array<string | undefined> {
  return events.filter((e) => e.event === 'msg').map((e) => e.id)
}

test('(a) three replicas: a reader resumes on another replica with exactly the events after its id', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const s = await setup(t, program)
  const [a, b, c] = [await replica(t, s, 'a'), await replica(t, s, 'b'), await replica(t, s, 'c')]
  const first = await SseStream.open(a.address, TOPIC)
  t.after(() => { first.close() })
  await first.event('ready')
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 15)
  await first.until('15 messages on a', (st) => st.named('msg').length === 15)
  first.close()
  const last = first.named('msg')[9]?.lastEventId ?? ''
  assert.match(last, SHARED_ID)
  // More while the reader is away; it resumes on b from the 10th.
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 10, 16)
  const resumed = await SseStream.open(b.address, TOPIC, { lastEventId: last })
  t.after(() => { resumed.close() })
  await resumed.until('up to 25 on b', (st) => numbers(st.events).includes(25))
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 5, 26)
  await resumed.until('up to 30 on b', (st) => numbers(st.events).includes(30))
  assert.deepEqual(numbers(resumed.events), range(11, 20), 'exactly the events after the id, once each, in order')
  assert.deepEqual(resumed.named('gap'), [])
  // The ids b gives are the ids a gave: a reader on c, resuming from the same place, sees the same.
  const onC = await SseStream.open(c.address, TOPIC, { lastEventId: last })
  t.after(() => { onC.close() })
  await onC.until('up to 30 on c', (st) => numbers(st.events).includes(30))
  assert.deepEqual(idsOf(onC.events), idsOf(resumed.events))
  for (const id of idsOf(resumed.events)) assert.match(id ?? '', SHARED_ID)
})

test('(b) kill -9 of the lease holder mid-stream: a reader resuming on a survivor gets no gap and no duplicate', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const s = await setup(t, program)
  const replicas = [await replica(t, s, 'a'), await replica(t, s, 'b'), await replica(t, s, 'c')]
  const reader = await SseStream.open(replicas[0]?.address ?? '', TOPIC)
  t.after(() => { reader.close() })
  await reader.event('ready')
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 10)
  await reader.until('10 messages', (st) => st.named('msg').length === 10)
  const holding = await Promise.all(replicas.map(holds))
  assert.equal(holding.filter(Boolean).length, 1, 'one holder')
  const holder = replicas[holding.indexOf(true)]
  const survivor = replicas.find((r) => r !== holder)
  assert.ok(holder !== undefined && survivor !== undefined)
  const takeoverFrom = survivor.lines.length
  // Mid-stream: 20 more sent, and the holder killed at once (it may have appended some, or none).
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 20, 11)
  await kill9(holder.child)
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 10, 31)
  reader.close()
  const last = reader.named('msg').at(-1)?.lastEventId ?? ''
  const n = numbers(reader.events).at(-1) ?? 0
  assert.match(last, SHARED_ID)
  const resumed = await SseStream.open(survivor.address, TOPIC, { lastEventId: last })
  t.after(() => { resumed.close() })
  // Within the takeover (ttl + ttl/3 = 2 s) and the flush of the taker's pending window.
  await resumed.until('up to 40 on the survivor', (st) => numbers(st.events).includes(40), 15_000)
  assert.deepEqual(numbers(resumed.events), range(n + 1, 40 - n), 'no gap, no duplicate, in order')
  assert.deepEqual(resumed.named('gap'), [])
  for (const id of idsOf(resumed.events)) assert.match(id ?? '', SHARED_ID)
  // The messages sent while the holder was dead reached the stream through a takeover, not through local history.
  const survivors = replicas.filter((r) => r !== holder)
  const taking = await Promise.all(survivors.map(holds))
  assert.equal(taking.filter(Boolean).length, 1, 'one new holder')
  const taker = survivors[taking.indexOf(true)]
  const appended = /backchannel_shared_history_appends_total\{outcome="appended"\} (\d+)/.exec(await (await fetch(`${taker?.address ?? ''}/metrics`)).text())
  assert.ok(Number(appended?.[1]) >= 10, `the taker appended what it received while no one held the lease (${appended?.[1]})`)
  assert.deepEqual(survivor.lines.slice(takeoverFrom).filter((l) => l['msg'] === 'shared history: topic falls back to local history (readers get a gap)'), [])
})

test('(c) Redis killed and started again: a gap, local events, pushes answered; then shared ids again, each message once', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const s = await setup(t, program)
  const replicas = [await replica(t, s, 'a'), await replica(t, s, 'b'), await replica(t, s, 'c')]
  const readers = await Promise.all(replicas.map(async (r) => SseStream.open(r.address, TOPIC)))
  t.after(() => { for (const r of readers) r.close() })
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 5)
  for (const r of readers) await r.until('5 messages', (st) => st.named('msg').length === 5)
  await s.redis.stop()
  for (const r of readers) await r.until('the gap', (st) => st.named('gap').length === 1)
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 5, 6)
  for (const r of readers) await r.until('10 messages', (st) => st.named('msg').length === 10)
  for (const r of readers) assert.match(r.named('msg')[9]?.id ?? '', LOCAL_ID, 'local ids while Redis is down')
  for (const r of replicas) {
    const res = await fetch(`${r.address}/v1/channels/${TOPIC}/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'hello', payload: { from: 'test' } }) })
    assert.equal(res.status, 200, 'a push still answers')
    assert.equal((await fetch(`${r.address}/readyz`)).status, 200, 'still ready')
  }
  const marks = replicas.map((r) => r.lines.length)
  await s.redis.start()
  await Promise.all(replicas.map(async (r, i) => { await loggedAfter(r, marks[i] ?? 0, SERVED_SHARED) }))
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 5, 11)
  for (const r of readers) await r.until('15 messages', (st) => st.named('msg').length === 15)
  for (const r of readers) {
    assert.deepEqual(numbers(r.events), range(1, 15), 'each message once, in order')
    assert.deepEqual(r.named('gap').map((g) => (JSON.parse(g.data) as { reason: string }).reason), ['shared_history_unavailable', 'shared_history_resumed'])
    for (const id of idsOf(r.events).slice(10)) assert.match(id ?? '', SHARED_ID)
  }
  assert.deepEqual(idsOf(readers[1]?.events ?? []).slice(10), idsOf(readers[0]?.events ?? []).slice(10), 'the same shared ids on every replica')
  assert.deepEqual(idsOf(readers[2]?.events ?? []).slice(10), idsOf(readers[0]?.events ?? []).slice(10))
})

test('(d) a replica that joins late resumes a reader from an id another replica gave', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const s = await setup(t, program)
  const a = await replica(t, s, 'a')
  await replica(t, s, 'b')
  const reader = await SseStream.open(a.address, TOPIC)
  t.after(() => { reader.close() })
  await reader.event('ready')
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 30)
  await reader.until('30 messages', (st) => st.named('msg').length === 30)
  reader.close()
  const last = reader.named('msg')[4]?.lastEventId ?? ''
  const late = await replica(t, s, 'late')
  broadcastNumbered(s.phoenix, TOPIC, 'msg', 10, 31)
  const resumed = await SseStream.open(late.address, TOPIC, { lastEventId: last })
  t.after(() => { resumed.close() })
  await resumed.until('up to 40 on the late replica', (st) => numbers(st.events).includes(40))
  assert.deepEqual(numbers(resumed.events), range(6, 35), 'what it never received, from Redis, then live: once each, in order')
  assert.deepEqual(resumed.named('gap'), [])
  assert.deepEqual(idsOf(resumed.events).slice(0, 25), idsOf(reader.events).slice(5), 'the ids a gave')
})
