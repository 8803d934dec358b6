/**
 * The reload diff, pure: upstreams by name, channels by (upstream, topic),
 * dynamic entries by name; which channel fields changed; file settings
 * applied at once apart from those that need a restart; and the log
 * fields, which name things but never hold params or secrets.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Config } from '../../../src/gateway/config/types.ts'
import { describeDiff, diffConfig, isEmpty } from '../../../src/gateway/reload/diff.ts'
import { channelConfig, gatewayConfig, upstreamConfig } from '../helpers.ts'
import { dynamicEntry } from '../dynamic/support.ts'

function base (): Config {
  return {
    ...gatewayConfig('ws://a/socket', [channelConfig('room:keep'), channelConfig('room:gone'), channelConfig('echo:x', { params: { v: 1 } })]),
    dynamic: [dynamicEntry('chat:*', { name: 'chats' })],
  }
}

describe('diffConfig', () => {
  test('the same configuration: nothing to do', () => {
    const diff = diffConfig(base(), base())
    assert.equal(isEmpty(diff), true)
    assert.deepEqual(diff.needRestart, [])
  })

  test('channels added, removed and changed, with the fields that changed', () => {
    const next = base()
    next.channels = [
      channelConfig('room:keep'),
      channelConfig('echo:x', { params: { v: 2 }, replay: 5, required: true, presence: true }),
      channelConfig('room:new'),
    ]
    const diff = diffConfig(base(), next)
    assert.deepEqual(diff.channels.added.map((c) => c.topic), ['room:new'])
    assert.deepEqual(diff.channels.removed.map((c) => c.topic), ['room:gone'])
    assert.deepEqual(diff.channels.changed.map((c) => [c.after.topic, c.fields]), [['echo:x', ['params', 'presence', 'replay', 'required']]])
    assert.equal(isEmpty(diff), false)
  })

  test('presence: absent and false are the same', () => {
    const next = base()
    next.channels = base().channels.map((c) => ({ ...c, presence: false }))
    assert.equal(isEmpty(diffConfig(base(), next)), true)
  })

  test('a channel moved to another upstream is removed there and added here', () => {
    const next = base()
    next.upstreams = [...next.upstreams, upstreamConfig('ws://b/socket', { name: 'b' })]
    next.channels = next.channels.map((c) => c.topic === 'room:keep' ? { ...c, upstream: 'b' } : c)
    const diff = diffConfig(base(), next)
    assert.deepEqual(diff.upstreams.added.map((u) => u.name), ['b'])
    assert.deepEqual(diff.channels.removed.map((c) => `${c.upstream}/${c.topic}`), ['main/room:keep'])
    assert.deepEqual(diff.channels.added.map((c) => `${c.upstream}/${c.topic}`), ['b/room:keep'])
    assert.deepEqual(diff.channels.changed, [])
  })

  test('upstreams changed by any setting; dynamic entries by name', () => {
    const next = base()
    next.upstreams = [upstreamConfig('ws://a/socket', { heartbeatIntervalMs: 1000 })]
    next.dynamic = [dynamicEntry('chat:*', { name: 'chats', lingerMs: 1 }), dynamicEntry('room:*')]
    const diff = diffConfig(base(), next)
    assert.deepEqual(diff.upstreams.changed.map((u) => u.name), ['main'])
    assert.deepEqual(diff.dynamic.changed.map((d) => d.lingerMs), [1])
    assert.deepEqual(diff.dynamic.added.map((d) => d.name), ['room:*'])
    assert.deepEqual(diffConfig(next, base()).dynamic.removed.map((d) => d.name), ['room:*'])
  })

  test('file settings are applied; the environment and maxBodyBytes need a restart', () => {
    const next = base()
    next.sse = { ...next.sse, keepAliveMs: 5, retryMs: 7 }
    next.pushTimeoutMs = 1
    next.maxBodyBytes = 10
    next.env = { ...next.env, port: 9999, apiToken: 'new-secret' }
    const diff = diffConfig(base(), next)
    assert.deepEqual(diff.settings, ['sse.keepAliveMs', 'sse.retryMs', 'pushTimeoutMs'])
    assert.deepEqual(diff.needRestart, ['PORT', 'API_TOKEN', 'maxBodyBytes'])
  })
})

test('describeDiff names what changed, never a param value or a token', () => {
  const next = base()
  next.channels = [channelConfig('room:keep'), channelConfig('echo:x', { params: { token: 'sekrit-param' } }), channelConfig('room:new')]
  next.env = { ...next.env, apiToken: 'sekrit-token' }
  const fields = describeDiff(diffConfig(base(), next))
  assert.deepEqual(fields, {
    added: ['channel main/room:new'],
    removed: ['channel main/room:gone'],
    changed: ['channel main/echo:x (params)'],
    needRestart: ['API_TOKEN'],
  })
  assert.doesNotMatch(JSON.stringify(fields), /sekrit/)
})
