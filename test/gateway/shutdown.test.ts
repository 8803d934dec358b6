/**
 * The drain, in-process: readiness goes false, new work is refused with
 * 503, channels are left and the sockets closed with 1000, within the grace.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig, startGateway, stopGateway } from './helpers.ts'
import { joined } from './sse/helpers.ts'

test('close() leaves every channel, closes the socket with 1000, and answers new requests with 503', async (t) => {
  const joins = ['echo:a', 'room:b']
  const running = await startGateway(joins.map((topic) => channelConfig(topic, { required: true })))
  t.after(async () => { await stopGateway(running) })
  await Promise.all(joins.map(async (topic) => { await joined(running.daemon, topic) }))
  const leaves = Promise.all(joins.map(async (topic) => running.phoenix.waitFor('leave', (l) => l.topic === topic)))
  const disconnect = running.phoenix.waitFor('disconnect')

  running.daemon.broker.drain()
  const ready = await fetch(`${running.base}/readyz`)
  assert.equal(ready.status, 503)
  const refused = await fetch(`${running.base}/v1/channels/echo:a/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"x"}' })
  assert.equal(refused.status, 503)
  assert.ok(refused.headers.get('retry-after') !== null)
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'BC_ERR_DRAINING')

  const started = performance.now()
  await running.daemon.close()
  assert.ok(performance.now() - started < 5000, 'within the grace')
  assert.equal((await leaves).length, 2)
  assert.equal((await disconnect).code, 1000)
})
