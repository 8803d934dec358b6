/**
 * One topic's switching between shared and local history (shared/topic.ts),
 * on a real Subscription and a real writer whose Redis is unreachable (so
 * offers answer at once and never append): what is published, with which
 * ids, and that no message is published twice across a switch. Also the
 * bounded identity memory and the catch-up source a resume from Redis uses.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Subscription } from '../../src/gateway/hub/subscription.ts'
import { CatchUpSource } from '../../src/gateway/hub/catch-up.ts'
import type { RingEntry } from '../../src/gateway/hub/ring.ts'
import { RecentIdentities } from '../../src/gateway/shared/recent.ts'
import { contentHash } from '../../src/gateway/shared/pending.ts'
import { SharedTopic } from '../../src/gateway/shared/topic.ts'
import type { SharedEntry } from '../../src/gateway/shared/reader.ts'
import { SharedTopicWriter } from '../../src/gateway/shared/writer.ts'
import { channelConfig } from '../gateway/helpers.ts'
import { keysFor, openLink, plainConnect } from './helpers.ts'

const EPOCH = 'e1'

function entry (n: number, ms: number): SharedEntry {
  const data = JSON.stringify({ n })
  return { entryId: `${ms}-0`, eventId: `${EPOCH}:${ms}-0`, event: 'msg', payload: data, writer: 'x', identity: `${contentHash('msg', data)}.0` }
}

function published (sub: Subscription): Array<{ event: string, data: string, id: string | undefined }> {
  return sub.ring.since(0).map((e) => ({ event: e.event, data: e.data, id: e.id }))
}

test('shared: received messages wait for the stream and are published with its ids; local: at once, none twice across switches', (t) => {
  // Nothing listens on port 1: every call fails at once, the writer never holds the lease.
  const link = openLink(t, plainConnect('redis://127.0.0.1:1'))
  const keys = keysFor('room:t')
  const writer = new SharedTopicWriter({ link, keys, topic: 'room:t', replicaId: 'r', leaseTtlMs: 300, maxLen: 100, dedupeWindowMs: 900, newEpoch: () => EPOCH })
  let now = 1000
  const sub = new Subscription(channelConfig('room:t'), 'local', now)
  const topic = new SharedTopic({ sub, writer, keys, rememberMs: 5000, maxRemembered: 100, stallMs: 600, now: () => now })
  sub.shared = topic

  // Local: published at once, with a local id.
  assert.equal(topic.received('msg', '{"n":1}', true), false)
  sub.publish('msg', '{"n":1}', now, true)
  topic.position = { epoch: EPOCH, after: '0-0' }
  topic.toShared()
  assert.equal(sub.sharedIds, true)
  // Shared: 2 waits; the stream brings 1 (published locally already: skipped), 2 and 3 (3 not received here yet).
  assert.equal(topic.received('msg', '{"n":2}', true), true)
  assert.equal(topic.oldestWaiting, now)
  topic.fromStream([entry(1, 10), entry(2, 11), entry(3, 12)], EPOCH)
  assert.equal(topic.oldestWaiting, null)
  // 3 arrives after its entry was read: not published again.
  now += 1
  assert.equal(topic.received('msg', '{"n":3}', true), true)
  // 4 waits, then Redis fails: a gap, then 4 locally; when 4 is read back later it is skipped.
  assert.equal(topic.received('msg', '{"n":4}', true), true)
  topic.toLocal('unavailable', now + 100)
  assert.equal(topic.retryAt, now + 100)
  assert.equal(sub.sharedIds, false)
  assert.equal(topic.received('msg', '{"n":5}', true), false)
  sub.publish('msg', '{"n":5}', now, true)
  topic.fromStream([entry(4, 13), entry(5, 14)], EPOCH)
  topic.toShared()
  topic.fromStream([entry(6, 15)], EPOCH)
  assert.deepEqual(topic.position, { epoch: EPOCH, after: '15-0' })
  assert.ok(topic.hasRead('14-0') && topic.hasRead('15-0') && !topic.hasRead('16-0'))

  const gapAt = (reason: string, at = now): { event: string, data: string, id: undefined } => ({ event: 'gap', data: JSON.stringify({ reason, at: new Date(at).toISOString() }), id: undefined })
  assert.deepEqual(published(sub), [
    { event: 'msg', data: '{"n":1}', id: undefined },
    // Readers were given a local event: the switch to shared ids is marked.
    gapAt('shared_history_resumed', 1000),
    { event: 'msg', data: '{"n":2}', id: `${EPOCH}:11-0` },
    { event: 'msg', data: '{"n":3}', id: `${EPOCH}:12-0` },
    gapAt('shared_history_unavailable'),
    { event: 'msg', data: '{"n":4}', id: undefined },
    { event: 'msg', data: '{"n":5}', id: undefined },
    gapAt('shared_history_resumed'),
    { event: 'msg', data: '{"n":6}', id: `${EPOCH}:15-0` },
  ])
})

test('an entry read before this replica received it, while local, is given with its shared id when the message arrives', (t) => {
  const link = openLink(t, plainConnect('redis://127.0.0.1:1'))
  const keys = keysFor('room:u')
  const writer = new SharedTopicWriter({ link, keys, topic: 'room:u', replicaId: 'r', leaseTtlMs: 300, maxLen: 100, dedupeWindowMs: 900, newEpoch: () => EPOCH })
  const sub = new Subscription(channelConfig('room:u'), 'local', 0)
  const topic = new SharedTopic({ sub, writer, keys, rememberMs: 5000, maxRemembered: 100, stallMs: 600, now: () => 0 })
  topic.noteBefore([entry(7, 20)])
  topic.position = { epoch: EPOCH, after: '20-0' }
  topic.toShared()
  assert.equal(topic.received('msg', '{"n":7}', true), true)
  assert.equal(topic.oldestWaiting, null, 'it does not wait')
  assert.deepEqual(published(sub), [{ event: 'msg', data: '{"n":7}', id: `${EPOCH}:20-0` }])
  // Lifecycle events while shared go out without an id.
  sub.control('errored', { topic: 'room:u', reason: 'x' }, 0)
  assert.equal(sub.ring.since(0).at(-1)?.id, '')
})

test('a message given with a shared id and appended again into a restarted Redis\'s new stream is not given twice', (t) => {
  const link = openLink(t, plainConnect('redis://127.0.0.1:1'))
  const keys = keysFor('room:r')
  const writer = new SharedTopicWriter({ link, keys, topic: 'room:r', replicaId: 'r', leaseTtlMs: 300, maxLen: 100, dedupeWindowMs: 900, newEpoch: () => EPOCH })
  let now = 0
  const sub = new Subscription(channelConfig('room:r'), 'local', now)
  const topic = new SharedTopic({ sub, writer, keys, rememberMs: 5000, maxRemembered: 100, stallMs: 600, now: () => now })
  topic.position = { epoch: EPOCH, after: '0-0' }
  topic.toShared()
  for (let n = 1; n <= 2; n++) topic.received('msg', JSON.stringify({ n }), true)
  topic.fromStream([entry(1, 10), entry(2, 11)], EPOCH)
  // Redis restarts empty while the topic is local; the holder appends what it still holds pending into the new stream.
  now += 100
  topic.toLocal('unavailable', now)
  topic.restarted('e2')
  const again = (n: number, ms: number): SharedEntry => ({ ...entry(n, ms), eventId: `e2:${ms}-0` })
  topic.fromStream([again(1, 20), again(2, 21)], 'e2')
  topic.toShared()
  // And once more while shared (a second restart after the switch back).
  topic.restarted('e3')
  topic.fromStream([{ ...entry(2, 30), eventId: 'e3:30-0' }], 'e3')
  assert.deepEqual(sub.ring.since(0).filter((e) => e.event === 'msg').map((e) => e.data), ['{"n":1}', '{"n":2}'], 'each message once')
})

test('too many messages waiting: the topic falls back to local history with them', (t) => {
  const link = openLink(t, plainConnect('redis://127.0.0.1:1'))
  const keys = keysFor('room:v')
  const writer = new SharedTopicWriter({ link, keys, topic: 'room:v', replicaId: 'r', leaseTtlMs: 300, maxLen: 100, dedupeWindowMs: 900, newEpoch: () => EPOCH })
  const sub = new Subscription(channelConfig('room:v'), 'local', 0)
  const topic = new SharedTopic({ sub, writer, keys, rememberMs: 5000, maxRemembered: 3, stallMs: 600, now: () => 50 })
  topic.position = { epoch: EPOCH, after: '0-0' }
  topic.toShared()
  for (let n = 1; n <= 4; n++) topic.received('msg', JSON.stringify({ n }), true)
  assert.equal(topic.mode, 'local')
  assert.equal(topic.retryAt, 650)
  assert.deepEqual(sub.ring.since(0).map((e) => e.event === 'gap' ? 'gap' : e.data), ['gap', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'])
})

test('recent identities: bounded by age and count, oldest first', () => {
  const recent = new RecentIdentities<string>(100, 2)
  recent.set('a', 'x', 0)
  recent.set('b', 'y', 50)
  assert.equal(recent.get('a', 60), 'x')
  recent.set('c', 'z', 60)
  assert.equal(recent.get('a', 60), undefined, 'the oldest goes past the count')
  assert.equal(recent.get('b', 151), undefined, 'and past the age')
  assert.equal(recent.get('c', 151), 'z')
})

test('catch-up source: the entries read from Redis numbered just below the ring\'s place, then the topic', () => {
  const sub = new Subscription(channelConfig('room:w'), 'local', 0)
  for (let n = 1; n <= 5; n++) sub.publish('msg', JSON.stringify({ n }), 0)
  const before: Array<Omit<RingEntry, 'seq'>> = [{ order: 0, at: 0, event: 'msg', data: '"a"', control: false, id: 'e:1-0' }, { order: 0, at: 0, event: 'msg', data: '"b"', control: false, id: 'e:2-0' }]
  const source = new CatchUpSource(sub, before, 3)
  assert.equal(source.first, 2)
  assert.equal(source.seq, 5)
  assert.deepEqual([2, 3, 4, 5].map((seq) => source.entry(seq)?.data), ['"a"', '"b"', '{"n":4}', '{"n":5}'])
  assert.equal(source.entry(1), undefined)
  source.eventsSent += 2
  assert.equal(sub.eventsSent, 2, 'counted on the topic')
})
