/**
 * The config file watch, on a real folder laid out as a Kubernetes
 * ConfigMap volume (`config.yaml -> ..data/config.yaml`, `..data ->
 * ..<stamp>`): an update renames a new `..data` link over the old one, the
 * file's inode never changes, and the watch on the folder still applies it.
 * A swap or a touch that leaves the content as it was reloads nothing.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FakePhoenix } from '../../../src/testing/index.ts'
import { ConfigError } from '../../../src/gateway/config/index.ts'
import { contentHash } from '../../../src/gateway/reload/watch.ts'
import { channelConfig, startGateway, stopGateway } from '../helpers.ts'
import { sample } from '../webhook/harness.ts'
import { joined, SseStream } from '../sse/helpers.ts'
import { configMapFolder, configMapSwap, startReloadable, upstream } from './support.ts'

const yaml = (phoenix: FakePhoenix, topics: string[]): string => JSON.stringify({ upstreams: [upstream(phoenix.endpoint)], channels: topics.map((topic) => ({ topic })) })
const UNCHANGED = 'config folder changed, file content did not: nothing to reload'

test('a ConfigMap update (the ..data link swapped) is applied; swaps and touches that change nothing are not', async (t) => {
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:keep' }] }), {
    env: { CONFIG_WATCH: 'true', CONFIG_WATCH_DEBOUNCE_MS: '20' },
    prepare: configMapFolder,
  })
  await joined(r.daemon, 'room:keep')
  const stream = await SseStream.open(r.base, 'room:keep')
  t.after(() => { stream.close() })
  await stream.event('ready')
  const before = await contentHash(r.file)

  // The same content, swapped in: the folder changes, the file's content does not.
  const marks = r.logs.length
  await configMapSwap(r.dir, await readFile(r.file, 'utf8'))
  await r.logged(UNCHANGED, marks)
  assert.equal(await contentHash(r.file), before)
  const touched = r.logs.length
  await writeFile(join(r.dir, 'unrelated.txt'), 'x')
  await r.logged(UNCHANGED, touched)

  // New content, swapped in.
  const newJoined = r.phoenix.waitFor('join', (j) => j.topic === 'room:new' && j.status === 'ok')
  await configMapSwap(r.dir, yaml(r.phoenix, ['room:keep', 'room:new']))
  const line = await r.logged('config reloaded')
  assert.deepEqual([line['trigger'], line['added']], ['watch', ['channel main/room:new']])
  await newJoined
  assert.equal(r.logs.filter((l) => l.msg === 'config reloaded').length, 1, 'the no-op swap and the touch reloaded nothing')
  r.phoenix.broadcast('room:keep', 'msg', { n: 1 })
  await stream.event('msg')
  assert.equal(stream.ended, false)

  // An invalid update is refused by the watch as by SIGHUP.
  await configMapSwap(r.dir, 'upstreams: [')
  const refused = await r.logged('config reload refused: the running config is kept')
  assert.equal(refused['trigger'], 'watch')
  assert.deepEqual(r.daemon.broker.hub.all().map((s) => s.config.topic).sort(), ['room:keep', 'room:new'])
})

test('a daemon built without a loader cannot reload: reload() is refused with ConfigError and counted', async (t) => {
  const running = await startGateway([channelConfig('room:a')])
  t.after(async () => { await stopGateway(running) })
  await assert.rejects(running.daemon.reload(), (err) => err instanceof ConfigError && /without a config loader/.test(err.message))
  assert.equal(await sample(running.daemon.registry, 'backchannel_config_reloads_total', { result: 'invalid' }), 1)
  assert.deepEqual(running.daemon.broker.hub.all().map((s) => s.config.topic), ['room:a'])
})
