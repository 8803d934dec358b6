/**
 * The hub with a message it cannot handle, pure: a payload nested too
 * deeply to be written as JSON, or a presence message nested too deep, is
 * dropped and stands in the sequence as a `gap`; the hub reports it once
 * and the next message goes on as usual.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sseText } from '../../../src/gateway/http/sse/stream-writer.ts'
import { Hub, type HubEvents } from '../../../src/gateway/hub/hub.ts'
import { channelConfig } from '../helpers.ts'

const deep = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth))

function hubWith (...topics: Array<[string, boolean]>): { hub: Hub, dropped: Array<HubEvents['message_dropped'][0]> } {
  const hub = new Hub(topics.map(([topic, presence]) => channelConfig(topic, { presence })), { epoch: 'ep', now: () => Date.UTC(2026, 0, 1) })
  const dropped: Array<HubEvents['message_dropped'][0]> = []
  hub.events.on('message_dropped', (e) => { dropped.push(e) })
  return { hub, dropped }
}

test('a payload JSON.stringify cannot write becomes a gap in its place; the next message follows it', () => {
  const { hub, dropped } = hubWith(['room:a', false])
  hub.onMessage('main', 'room:a', 'msg', deep(50_000))
  hub.onMessage('main', 'room:a', 'msg', { n: 2 })
  const entries = hub.get('main', 'room:a')?.ring.since(0) ?? []
  assert.deepEqual(entries.map((e) => [e.seq, e.event, e.control]), [[1, 'gap', true], [2, 'msg', false]])
  assert.equal(entries[0]?.data, '{"reason":"message_dropped","event":"msg","cause":"too_deep","at":"2026-01-01T00:00:00.000Z"}')
  assert.match(sseText(entries[0], hub.epoch), /^id: ep-1\nevent: gap\ndata: \{"reason":"message_dropped","event":"msg","cause":"too_deep","at":"2026-01-01T00:00:00.000Z"\}\n\n$/)
  assert.deepEqual(dropped, [{ upstream: 'main', topic: 'room:a', subscription: 'room:a', event: 'msg', reason: 'too_deep' }])
})

test('a presence message nested too deep is dropped before it reaches the merged view', () => {
  const { hub, dropped } = hubWith(['presence:p', true])
  hub.onJoined('main', 'presence:p')
  hub.onMessage('main', 'presence:p', 'presence_state', { u1: { metas: [{ phx_ref: 'r1', x: deep(600) }] } })
  hub.onMessage('main', 'presence:p', 'presence_state', { u2: { metas: [{ phx_ref: 'r2' }] } })
  const sub = hub.get('main', 'presence:p')
  assert.deepEqual(Object.keys(sub?.presence?.state() ?? {}), ['u2'])
  assert.deepEqual(dropped.map((d) => [d.event, d.reason]), [['presence_state', 'too_deep']])
})

test('a drop reported from below (a listener threw) on a topic the hub holds is a gap; on one it does not hold, only reported', () => {
  const { hub, dropped } = hubWith(['room:b', false])
  hub.onDropped('main', 'room:b', 'msg', 'handler_error')
  hub.onDropped('main', 'room:zzz', 'msg', 'handler_error')
  assert.deepEqual(hub.get('main', 'room:b')?.ring.since(0).map((e) => e.event), ['gap'])
  assert.deepEqual(dropped.map((d) => [d.topic, d.subscription]), [['room:b', 'room:b'], ['room:zzz', null]])
})
