/**
 * A bad reload is rejected: the file is checked by the start-up loader,
 * and when it is invalid (schema, cross-checks, syntax, unreadable) the
 * running configuration is kept whole, readers are undisturbed, and the
 * reason is in an error log line (each problem's path) and in the metrics.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { ConfigError } from '../../../src/gateway/config/index.ts'
import type { FakePhoenix } from '../../../src/testing/index.ts'
import { joined, numbers, SseStream } from '../sse/helpers.ts'
import { sample } from '../webhook/harness.ts'
import { startReloadable, upstream } from './support.ts'

const good = (phoenix: FakePhoenix): object => ({ upstreams: [upstream(phoenix.endpoint)], channels: [{ topic: 'room:1' }] })

async function rejected (promise: Promise<unknown>): Promise<readonly string[]> {
  await assert.rejects(promise, (err) => err instanceof ConfigError && err.code === 'BC_ERR_CONFIG')
  try {
    await promise
  } catch (err) {
    return (err as ConfigError).problems
  }
  return []
}

test('an invalid file is refused: the running config is kept, the reader undisturbed, the reason logged and counted', async (t) => {
  const r = await startReloadable(t, good)
  await joined(r.daemon, 'room:1')
  const stream = await SseStream.open(r.base, 'room:1')
  t.after(() => { stream.close() })
  await stream.event('ready')
  const running = r.daemon.broker.config
  const metrics = r.daemon.registry
  const startedAt = await sample(metrics, 'backchannel_config_last_reload_success_timestamp_seconds', {})
  assert.ok(startedAt > 0)
  assert.equal(await sample(metrics, 'backchannel_config_last_reload_successful', {}), 1)

  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:2', replay: 'many' }, { topic: 'room:3', upstream: 'nope' }] })
  const problems = await rejected(r.daemon.reload())
  assert.deepEqual(problems, ['/channels/0/replay: must be integer'])
  assert.equal(r.daemon.broker.config, running, 'the very same config object')
  assert.deepEqual(r.daemon.broker.hub.all().map((s) => s.config.topic), ['room:1'])

  const line = await r.logged('config reload refused: the running config is kept')
  assert.equal(line.level, 50, 'error level')
  assert.deepEqual(line['problems'], ['/channels/0/replay: must be integer'])
  assert.equal(line['reason'], `invalid configuration (config file ${r.file})`)
  assert.equal(await sample(metrics, 'backchannel_config_reloads_total', { result: 'invalid' }), 1)
  assert.equal(await sample(metrics, 'backchannel_config_last_reload_successful', {}), 0)

  r.phoenix.broadcast('room:1', 'msg', { n: 1 })
  await stream.event('msg')
  assert.deepEqual(numbers(stream.events), [1])
  assert.equal(stream.ended, false)

  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:1' }, { topic: 'room:2' }] })
  const diff = await r.daemon.reload()
  assert.deepEqual(diff.channels.added.map((c) => c.topic), ['room:2'])
  assert.equal(await sample(metrics, 'backchannel_config_reloads_total', { result: 'ok' }), 1)
  assert.equal(await sample(metrics, 'backchannel_config_last_reload_successful', {}), 1)
  assert.ok(await sample(metrics, 'backchannel_config_last_reload_success_timestamp_seconds', {}) >= startedAt)
})

test('problems the schema cannot see (an unknown upstream, a bad pattern) refuse the file too, all of them at once', async (t) => {
  const r = await startReloadable(t, good)
  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:1', upstream: 'other' }], dynamic: [{ pattern: 'room:**' }] })
  assert.deepEqual(await rejected(r.daemon.reload()), [
    '/channels/0/upstream: no upstream is named "other" (known: "main")',
    '/dynamic/0/pattern: must not hold "**" (one "*" already stands for one or more characters)',
  ])
  assert.deepEqual(r.daemon.broker.hub.all().map((s) => s.config.upstream), ['main'])
})

test('a file that is not valid JSON, or no longer there, is refused with the reason', async (t) => {
  const r = await startReloadable(t, good)
  await r.write('{ "upstreams": [')
  const syntax = await rejected(r.daemon.reload())
  assert.equal(syntax.length, 1)
  assert.match(syntax[0] ?? '', /not valid JSON/)
  await rm(r.file)
  assert.deepEqual(await rejected(r.daemon.reload()), [`cannot read ${r.file}: ENOENT`])
  assert.equal(await sample(r.daemon.registry, 'backchannel_config_reloads_total', { result: 'invalid' }), 2)
  assert.deepEqual(r.daemon.broker.hub.all().map((s) => s.config.topic), ['room:1'])
})
