/**
 * Three replicas on one real redis-server, each offered the same
 * messages, as when each receives the same Phoenix broadcast: every
 * message is in the stream exactly once and in order, across a writer that
 * dies between receiving and appending; a replica that joins late reads
 * the history from any id, and tails what comes next.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readAfter, tail } from '../../src/gateway/shared/reader.ts'
import type { SharedTopicWriter } from '../../src/gateway/shared/writer.ts'
import { tool } from '../helpers/tools.ts'
import { within } from '../helpers/wait.ts'
import { startRedis } from './redis-server.ts'
import { countScriptCalls, firstHolder, holderChange, keysFor, linkState, makeWriter, openLink, plainConnect } from './helpers.ts'

const message = (n: number): { event: string, payload: string } => ({ event: 'new_msg', payload: JSON.stringify({ n }) })
// A takeover under a loaded machine can be slow: a wide window keeps what the test proves about identity, not timing.
const WIDE = { pendingWindowMs: 10_000, dedupeWindowMs: 20_000 }

test('three replicas offered the same messages: each is in the stream once, in order, across a writer that dies', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  const links = [0, 1, 2].map(() => openLink(t, plainConnect(redis.url)))
  await Promise.all(links.map(async (link) => { await linkState(link, 'ready') }))
  const writers = links.map((link, i) => makeWriter(t, link, 'room:1', `replica-${i}`, WIDE))
  const first = firstHolder(writers)
  for (const w of writers) w.start()
  const offerAll = async (to: readonly SharedTopicWriter[], from: number, to_: number): Promise<void> => {
    for (let n = from; n < to_; n++) await Promise.all(to.map(async (w) => w.offer(message(n))))
  }
  // Some messages arrive before anyone holds the lease, some after.
  await offerAll(writers, 0, 5)
  const holder = await first
  await offerAll(writers, 5, 20)
  // The holder dies: the next messages reach only the survivors, and it appends nothing more.
  await holder.stop({ release: false })
  const survivors = writers.filter((w) => w !== holder)
  const next = firstHolder(survivors)
  await offerAll(survivors, 20, 25)
  const newHolder = await next
  await offerAll(survivors, 25, 40)
  const last = await newHolder.offer(message(40))
  await Promise.all(survivors.filter((w) => w !== newHolder).map(async (w) => w.offer(message(40))))
  assert.equal(last.kind, 'appended')

  const read = await readAfter(links[0] ?? assert.fail(), keysFor('room:1'), null, 1000)
  assert.equal(read.gap, false)
  assert.deepEqual(read.entries.map((e) => (JSON.parse(String(e.payload)) as { n: number }).n), Array.from({ length: 41 }, (_, n) => n), 'each message once, in order')
  assert.ok(read.entries.every((e) => e.event === 'new_msg' && e.eventId === `${read.epoch}:${e.entryId}`))
  const writersSeen = new Set(read.entries.map((e) => e.writer))
  assert.ok(writersSeen.size >= 2, 'the dead writer appended the first part, the new one the rest')
})

test('a burst is appended in batches: far fewer round trips than messages, each message once and in order across a takeover', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  const links = [0, 1, 2].map(() => openLink(t, plainConnect(redis.url), 2000))
  await Promise.all(links.map(async (link) => { await linkState(link, 'ready') }))
  const calls = links.map((link) => countScriptCalls(link, 'append'))
  const writers = links.map((link, i) => makeWriter(t, link, 'room:burst', `replica-${i}`, WIDE))
  const first = firstHolder(writers)
  for (const w of writers) w.start()
  const holder = await first
  const h = writers.indexOf(holder)
  const N = 1000
  // The holder receives 0..399 at once and appends them; the others receive 0..599 (the holder dies before 400).
  const burst = await Promise.all(Array.from({ length: 400 }, async (_, n) => holder.offer(message(n))))
  assert.ok(burst.every((o) => o.kind === 'appended'), 'the holder appended the whole burst')
  assert.ok((calls[h]?.count ?? Infinity) <= 5, `400 messages in ${calls[h]?.count} calls: batches of up to 100`)
  const survivors = writers.filter((w) => w !== holder)
  for (const w of survivors) for (let n = 0; n < 600; n++) w.offer(message(n)).catch(() => undefined)
  await holder.stop({ release: false })
  const next = firstHolder(survivors)
  for (const w of survivors) for (let n = 600; n < N; n++) w.offer(message(n)).catch(() => undefined)
  const newHolder = await next
  const outcomes = { appended: 0, duplicate: 0 }
  await within<undefined>(10_000, 'the takeover flush', (resolve) => {
    const listener = (kind: string): void => {
      if (kind === 'appended' || kind === 'duplicate') outcomes[kind]++
      if (outcomes.appended + outcomes.duplicate === N) resolve(undefined)
    }
    newHolder.on('append', listener)
    return () => { newHolder.off('append', listener) }
  })
  assert.deepEqual(outcomes, { appended: 600, duplicate: 400 }, 'what the dead holder appended comes back duplicate, the rest fills the gap')
  const n = writers.indexOf(newHolder)
  assert.ok((calls[n]?.count ?? Infinity) <= 12, `the flush of ${N} took ${calls[n]?.count} calls`)

  const read = await readAfter(links[0] ?? assert.fail(), keysFor('room:burst'), null, 2 * N)
  assert.deepEqual(read.entries.map((e) => (JSON.parse(String(e.payload)) as { n: number }).n), Array.from({ length: N }, (_, i) => i), 'each message once, in order')
})

test('a replica that joins late reads the history after any id, tails the next entries, and is told of a trimmed gap', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  const link = openLink(t, plainConnect(redis.url))
  await linkState(link, 'ready')
  const writer = makeWriter(t, link, 'room:2', 'replica-0', WIDE)
  const holds = holderChange(writer, true)
  writer.start()
  await holds
  for (let n = 0; n < 10; n++) assert.equal((await writer.offer(message(n))).kind, 'appended')
  await writer.offer({ event: 'bytes', payload: new Uint8Array([0, 1, 255]) })

  const late = openLink(t, plainConnect(redis.url))
  await linkState(late, 'ready')
  const keys = keysFor('room:2')
  const all = await readAfter(late, keys, null, 100)
  assert.equal(all.entries.length, 11)
  assert.deepEqual(all.entries[10]?.payload, new Uint8Array([0, 1, 255]), 'a binary payload comes back as bytes')
  const fromFourth = await readAfter(late, keys, all.entries[3]?.eventId ?? assert.fail(), 100)
  assert.equal(fromFourth.gap, false)
  assert.deepEqual(fromFourth.entries.map((e) => e.eventId), all.entries.slice(4).map((e) => e.eventId), 'resumes right after the id, on another replica')
  const page = await readAfter(late, keys, all.entries[3]?.eventId ?? assert.fail(), 2)
  assert.equal(page.entries.length, 2, 'limit bounds one read')

  // The live tail: nothing new yet, then the next append.
  const lastId = all.entries.at(-1)?.entryId ?? assert.fail()
  const empty = await tail(late, [{ topic: 'room:2', keys, epoch: all.epoch, afterEntryId: lastId }], 50, 100)
  assert.equal(empty.size, 0, 'nothing new within the block time')
  const waiting = tail(late, [{ topic: 'room:2', keys, epoch: all.epoch, afterEntryId: lastId }], 5000, 100)
  assert.equal((await writer.offer(message(11))).kind, 'appended')
  const got = (await waiting).get('room:2')
  assert.ok(got !== undefined && 'entries' in got)
  assert.deepEqual(got.entries.map((e) => e.payload), ['{"n":11}'])

  // An id of another epoch, or one whose next entries were trimmed: a gap, and what is kept.
  const foreign = await readAfter(late, keys, 'zzz:1-0', 100)
  assert.equal(foreign.gap, true)
  assert.equal(foreign.entries.length, 12)
  assert.equal((await readAfter(late, keys, 'lmq4x-7', 100)).gap, true, 'a local (non-shared) id is a gap too')
  await late.call('trim', ['XTRIM', keys.stream, 'MAXLEN', '3'])
  const trimmed = await readAfter(late, keys, all.entries[2]?.eventId ?? assert.fail(), 100)
  assert.equal(trimmed.gap, true)
  assert.equal(trimmed.entries.length, 3)
  assert.equal((await readAfter(late, keys, trimmed.entries[0]?.eventId ?? assert.fail(), 100)).gap, false, 'a kept id has no gap')
})
