/**
 * Guarantee: with STATE_DIR, a kill -9 of the sidecar keeps its replay. A
 * real `serve` child on the fake Phoenix server, readers on a per-topic
 * stream and on `GET /v1/events` over two topics, 30 messages on each
 * (interleaved), SIGKILL while the streams are open, a new `serve` on the
 * same folder: readers resuming with Last-Event-ID from an id inside the
 * kept window get exactly the messages after it, once and in order, then
 * the topic's `gap upstream_disconnected` for the downtime (Phoenix does
 * not replay) and `rejoined`; what is broadcast after the restart arrives.
 * An id from before the kill outside the kept window gets
 * `gap replay_exhausted`, as without a restart. After a SIGTERM restart,
 * the id the `shutdown` event named resumes the same way.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { join } from 'node:path'
import { startFakePhoenix } from '../../src/testing/index.ts'
import { broadcastNumbered, numbers, SseStream, type SseMessage } from '../gateway/sse/helpers.ts'
import { dataOf, delivered } from '../gateway/sse/topics-support.ts'
import { kill9, serve, serveConfig } from './serve-child.ts'

const TOPICS = ['room:a', 'room:b']
const PER_TOPIC = 30
/** Each topic's replay, in events: after the restart's gap and rejoined, the last 8 of its 30 messages. */
const REPLAY = 10

function broadcastBoth (phoenix: Awaited<ReturnType<typeof startFakePhoenix>>, first: number, count: number): void {
  for (let n = first; n < first + count; n++) for (const topic of TOPICS) phoenix.broadcast(topic, 'msg', { n })
}

/** What a per-topic stream got, as names, with each message's n. */
const perTopic = (events: readonly SseMessage[]): string[] =>
  events.filter((e) => e.event !== 'ready').map((e) => e.event === 'msg' ? `msg ${(JSON.parse(e.data) as { n: number }).n}` : e.event === 'gap' ? `gap ${(JSON.parse(e.data) as { reason: string }).reason}` : e.event)

/** What a multi-topic stream got, as `topic name`, with each message's n. */
const multi = (events: readonly SseMessage[]): string[] => events.filter((e) => e.event !== 'ready').map((e) => {
  const { topic, payload } = dataOf(e)
  if (e.event === 'msg') return `${topic} msg ${(payload as { n: number }).n}`
  if (e.event === 'gap') return `${topic} gap ${(payload as { reason: string }).reason}`
  return `${topic} ${e.event}`
})

test('kill -9 with readers mid-stream: the restarted sidecar resumes them from the kept replay exactly once, then the downtime gap, then live', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const { file, dir } = await serveConfig(t, phoenix, {
    channels: TOPICS.map((topic) => ({ topic, replay: REPLAY })),
  }, 'bc-replay-')
  const stateDir = join(dir, 'state')

  const first = await serve(t, phoenix, file, stateDir, TOPICS)
  const one = await SseStream.open(first.address, 'room:a')
  const both = await SseStream.openTopics(first.address, TOPICS)
  t.after(() => { one.close(); both.close() })
  await one.event('ready')
  await both.event('ready')
  broadcastBoth(phoenix, 1, PER_TOPIC)
  await one.until('all of room:a', (s) => s.named('msg').length === PER_TOPIC)
  await both.until('all of both topics', (s) => s.named('msg').length === 2 * PER_TOPIC)
  const idOf = (n: number): string => one.named('msg').find((e) => (JSON.parse(e.data) as { n: number }).n === n)?.id ?? assert.fail(`no id for ${n}`)
  const multiIdOf = (topic: string, n: number): string => delivered(both.events, topic).find((d) => d.n === n)?.id ?? assert.fail(`no id for ${topic} ${n}`)
  await kill9(first.child)
  await one.endedWithin()
  await both.endedWithin()

  const second = await serve(t, phoenix, file, stateDir, TOPICS)
  // The topics have rejoined: each replay holds messages 23 to 30, the gap and rejoined.
  // Inside the kept window: exactly what came after the id, then the downtime.
  const resumed = await SseStream.open(second.address, 'room:a', { lastEventId: idOf(24) })
  const resumedAtEnd = await SseStream.open(second.address, 'room:a', { lastEventId: idOf(PER_TOPIC) })
  const resumedBoth = await SseStream.openTopics(second.address, TOPICS, { lastEventId: multiIdOf('room:a', 25) })
  // Outside it: the gap a reader away too long gets, then what is kept.
  const tooOld = await SseStream.open(second.address, 'room:a', { lastEventId: idOf(5) })
  const tooOldBoth = await SseStream.openTopics(second.address, TOPICS, { lastEventId: multiIdOf('room:a', 5) })
  t.after(() => { for (const s of [resumed, resumedAtEnd, resumedBoth, tooOld, tooOldBoth]) s.close() })
  for (const s of [resumed, resumedAtEnd, tooOld]) await s.until('rejoined', (x) => x.named('rejoined').length === 1)
  await resumedBoth.until('both rejoined', (x) => x.named('rejoined').length === 2)
  await tooOldBoth.until('both rejoined', (x) => x.named('rejoined').length === 2)
  broadcastBoth(phoenix, 101, 3)
  for (const s of [resumed, resumedAtEnd, tooOld]) await s.until('the live messages', (x) => numbers(x.events).includes(103))
  for (const s of [resumedBoth, tooOldBoth]) await s.until('the live messages', (x) => x.named('msg').filter((e) => (dataOf(e).payload as { n: number }).n === 103).length === 2)

  const downtime = ['gap upstream_disconnected', 'rejoined', 'msg 101', 'msg 102', 'msg 103']
  assert.deepEqual(perTopic(resumed.events), [...[25, 26, 27, 28, 29, 30].map((n) => `msg ${n}`), ...downtime])
  assert.deepEqual(resumed.named('msg').slice(0, 6).map((e) => e.id), [25, 26, 27, 28, 29, 30].map(idOf), 'the same ids as before the kill')
  assert.deepEqual(perTopic(resumedAtEnd.events), downtime)
  assert.deepEqual(perTopic(tooOld.events), ['gap replay_exhausted', ...[23, 24, 25, 26, 27, 28, 29, 30].map((n) => `msg ${n}`), ...downtime])

  // Over both topics, in the order they arrived before the kill: room:b 25, then both from 26 to 30.
  const kept = ['room:b msg 25', ...[26, 27, 28, 29, 30].flatMap((n) => [`room:a msg ${n}`, `room:b msg ${n}`])]
  const afterBoth = multi(resumedBoth.events)
  assert.deepEqual(afterBoth.slice(0, kept.length), kept)
  const rest = afterBoth.slice(kept.length)
  for (const topic of TOPICS) {
    assert.deepEqual(rest.filter((e) => e.startsWith(topic)), [`${topic} gap upstream_disconnected`, `${topic} rejoined`, `${topic} msg 101`, `${topic} msg 102`, `${topic} msg 103`])
  }
  const old = multi(tooOldBoth.events)
  assert.deepEqual(old.slice(0, 2).sort(), ['room:a gap replay_exhausted', 'room:b gap replay_exhausted'])
  for (const topic of TOPICS) {
    assert.deepEqual(old.filter((e) => e.startsWith(`${topic} msg`)).map((e) => Number(e.split(' ')[2])), [23, 24, 25, 26, 27, 28, 29, 30, 101, 102, 103])
  }
  await kill9(second.child)
})

test('a SIGTERM restart: a reader resuming from the id its `shutdown` event named gets what came after it, then the downtime gap', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const { file, dir } = await serveConfig(t, phoenix, {
    channels: [{ topic: 'room:a', replay: REPLAY }],
  }, 'bc-replay-')
  const stateDir = join(dir, 'state')
  const first = await serve(t, phoenix, file, stateDir, ['room:a'])
  const stream = await SseStream.open(first.address, 'room:a')
  t.after(() => { stream.close() })
  await stream.event('ready')
  broadcastNumbered(phoenix, 'room:a', 'msg', 5)
  await stream.until('room:a', (s) => s.named('msg').length === 5)
  const exit = once(first.child, 'exit', { signal: AbortSignal.timeout(20_000) })
  first.child.kill('SIGTERM')
  const shutdown = await stream.event('shutdown')
  await exit
  const named = (JSON.parse(shutdown.data) as { lastEventId: string }).lastEventId
  assert.equal(named, stream.named('msg').at(-1)?.id)

  const second = await serve(t, phoenix, file, stateDir, ['room:a'])
  const resumed = await SseStream.open(second.address, 'room:a', { lastEventId: named })
  t.after(() => { resumed.close() })
  await resumed.until('rejoined', (s) => s.named('rejoined').length === 1)
  broadcastNumbered(phoenix, 'room:a', 'msg', 1, 101)
  await resumed.until('the live message', (s) => numbers(s.events).includes(101))
  // What the drain added after the reader's last id (leaving the channel) comes first, then the downtime.
  assert.deepEqual(perTopic(resumed.events), ['closed', 'gap upstream_disconnected', 'rejoined', 'msg 101'])
  await kill9(second.child)
})
