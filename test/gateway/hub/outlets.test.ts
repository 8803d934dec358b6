/**
 * The hub's seam for outlets, pure: a reader that is not SSE (it keeps what
 * it is given in memory) is attached, resumed, told of gaps and ended by
 * the hub; message sinks get the channel's messages, not its lifecycle;
 * the gateway's open readers are counted per outlet, ticked for keep-alive
 * when they want it, and ended together.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Hub } from '../../../src/gateway/hub/hub.ts'
import type { MessageSink, Reader } from '../../../src/gateway/hub/reader.ts'
import { OpenReaders, startKeepAlive } from '../../../src/gateway/readers.ts'
import { channelConfig } from '../helpers.ts'
import { MemoryReader } from './memory-reader.ts'

const hubWith = (topic: string): Hub => new Hub([channelConfig(topic)], { epoch: 'ep', now: () => Date.UTC(2026, 0, 1) })

test('a reader of another outlet is given messages as the hub keeps them, a resume gap as data, and a final channel_closed', () => {
  const hub = hubWith('room:a')
  const sub = hub.get('main', 'room:a') ?? assert.fail('no subscription')
  const live = new MemoryReader()
  hub.attach(sub, live, null)
  hub.onJoined('main', 'room:a')
  hub.onMessage('main', 'room:a', 'new\nmsg', { n: 1 })
  assert.deepEqual(live.got, [
    { seq: 1, event: 'joined', data: '{"topic":"room:a"}' },
    { seq: 2, event: 'new\nmsg', data: '{"n":1}' },
  ], 'the event name is kept as sent: escaping it is the SSE writer\'s business')
  assert.equal(sub.status().subscribers, 1)

  const resumed = new MemoryReader()
  hub.attach(sub, resumed, 'other-1')
  assert.deepEqual(resumed.got.map((g) => [g.seq, g.event]), [[null, 'gap'], [1, 'joined'], [2, 'new\nmsg']])
  assert.deepEqual(JSON.parse(resumed.got[0]?.data ?? ''), { reason: 'sidecar_restarted', lastEventId: 'other-1' })

  hub.remove(sub, 'removed')
  assert.equal(live.ended && resumed.ended, true)
  assert.deepEqual(live.got.at(-1), { seq: null, event: 'channel_closed', data: '{"topic":"room:a","reason":"removed"}' })
  assert.equal(sub.readers.size, 0)
})

test('every sink of a subscription gets each message once, lifecycle events none; a removed sink gets no more', () => {
  const hub = hubWith('room:s')
  const sub = hub.get('main', 'room:s') ?? assert.fail('no subscription')
  const seen: Record<string, Array<[number, string, string]>> = { a: [], b: [] }
  const sink = (name: 'a' | 'b'): MessageSink => ({ offer: (m) => { seen[name]?.push([m.seq, m.event, m.data]) } })
  const a = sink('a')
  sub.addSink(a)
  sub.addSink(a)
  sub.addSink(sink('b'))
  hub.onJoined('main', 'room:s')
  hub.onMessage('main', 'room:s', 'msg', { n: 1 })
  sub.removeSink(a)
  hub.onMessage('main', 'room:s', 'msg', { n: 2 })
  assert.deepEqual(seen, { a: [[2, 'msg', '{"n":1}']], b: [[2, 'msg', '{"n":1}'], [3, 'msg', '{"n":2}']] })
})

test('open readers are counted per outlet and leave when they end; endAll ends them all; the tick reaches those that want one', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] })
  const readers = new OpenReaders()
  const sse = [new MemoryReader(), new MemoryReader()]
  const other = new MemoryReader()
  const noTick: Reader = Object.assign(new MemoryReader(), { keepAlive: undefined })
  for (const r of sse) readers.add(r, 'sse')
  readers.add(other, 'ws')
  readers.add(noTick, 'ws')
  assert.deepEqual([readers.size, readers.count('sse'), readers.count('ws')], [4, 2, 2])

  const timer = startKeepAlive(readers, 1000)
  t.after(() => { clearInterval(timer) })
  t.mock.timers.tick(1000)
  assert.deepEqual([...sse, other].map((r) => r.ticks), [1, 1, 1])

  sse[0]?.end('client_closed', {})
  assert.deepEqual([readers.size, readers.count('sse')], [3, 1])
  assert.equal(readers.endAll('shutdown', { reason: 'shutdown' }, 50), 3)
  assert.deepEqual([readers.size, readers.count('sse'), readers.count('ws')], [0, 0, 0])
  assert.deepEqual(other.got.at(-1), { seq: null, event: 'shutdown', data: '{"reason":"shutdown"}' })

  const late = new MemoryReader()
  late.end('client_closed', {})
  readers.add(late, 'sse')
  assert.equal(readers.size, 0, 'a reader that has ended already is not held')
})
