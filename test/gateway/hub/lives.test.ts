/**
 * The hub's numbering across lives of a topic, pure: a subscription made
 * after others starts above every seq the hub has given out, so ids are
 * never reused within an epoch, and its counts start from zero.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Hub } from '../../../src/gateway/hub/hub.ts'
import { channelConfig } from '../helpers.ts'

test('a topic removed and added again numbers above every id the hub gave out, counting its own events from zero', () => {
  const hub = new Hub([channelConfig('room:a'), channelConfig('room:b')], { epoch: 'ep', now: () => 0 })
  for (let n = 0; n < 7; n++) hub.onMessage('main', 'room:a', 'msg', { n })
  for (let n = 0; n < 3; n++) hub.onMessage('main', 'room:b', 'msg', { n })
  const first = hub.get('main', 'room:b')
  assert.ok(first !== undefined)
  hub.remove(first, 'removed_from_config')
  assert.deepEqual(hub.retired.get('room:b'), { events: 3, eventsSent: 0 })

  const again = hub.add(channelConfig('room:b'))
  assert.equal(again.base, 7, 'above room:a, the highest seq given out')
  assert.equal(again.events, 0)
  assert.equal(again.status().lastEventId, null)
  hub.onMessage('main', 'room:b', 'msg', { n: 0 })
  assert.equal(again.status().lastEventId, 'ep-8')
  assert.equal(again.events, 1)
  assert.deepEqual(again.ring.since(0).map((e) => e.seq), [8])
})
