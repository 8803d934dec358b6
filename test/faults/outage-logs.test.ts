/**
 * Guarantee: an upstream outage does not flood the error level. Pushes
 * refused with 503 while Phoenix is down are logged at warn, failing
 * readiness probes at info, each line with the problem's `code` and the
 * `topic`; the error level stays for faults of the sidecar itself.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { createDaemon } from '../../src/gateway/daemon.ts'
import { startFakePhoenix } from '../../src/testing/index.ts'
import { channelConfig, gatewayConfig, literal } from '../gateway/helpers.ts'
import { http, type HttpResult } from '../gateway/http/support.ts'
import { joined } from '../gateway/sse/helpers.ts'

interface Line { level: number, msg?: string, status?: number, code?: string | null, topic?: string | null, route?: string | null }

test('during an outage 503s are logged at warn and failing probes at info, with code and topic; nothing at error', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const config = gatewayConfig(phoenix.endpoint, [channelConfig('room:a', { required: true })], {}, { reconnectBackoffMs: [60_000] })
  config.env = { ...config.env, readyGraceMs: 0 }
  const lines: Line[] = []
  const daemon = await createDaemon(config, { logger: pino({ level: 'info' }, { write (line: string) { lines.push(JSON.parse(line) as Line) } }), resolve: literal })
  t.after(async () => { await daemon.close() })
  const base = await daemon.start()
  await joined(daemon, 'room:a')
  const down = new Promise<void>((resolve) => { daemon.broker.clients.get('main')?.events.once('disconnect', () => { resolve() }) })
  await phoenix.faults.stop('abrupt')
  await down

  const pushes: HttpResult[] = []
  for (let i = 0; i < 20; i++) pushes.push(await http(base, '/v1/channels/room%3Aa/push', { json: { event: 'ping', timeoutMs: 20 } }))
  const probes: HttpResult[] = []
  for (let i = 0; i < 5; i++) probes.push(await http(base, '/readyz'))
  assert.ok(pushes.every((r) => r.status === 503), pushes.map((r) => r.status).join(','))
  assert.ok(probes.every((r) => r.status === 503))

  assert.deepEqual(lines.filter((l) => l.level >= 50), [], 'nothing at error or above')
  const failed = lines.filter((l) => l.route === '/v1/channels/:topic/push')
  assert.equal(failed.length, 20)
  for (const l of failed) {
    assert.equal(l.level, 40)
    assert.equal(l.status, 503)
    assert.equal(l.code, 'BC_ERR_TIMEOUT', 'a push that waited for a join the whole time: 503, never sent')
    assert.equal(l.topic, 'room:a')
  }
  const notReady = lines.filter((l) => l.route === '/readyz')
  assert.equal(notReady.length, 5)
  for (const l of notReady) assert.deepEqual({ level: l.level, msg: l.msg, status: l.status }, { level: 30, msg: 'not ready', status: 503 })
})
