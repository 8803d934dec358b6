/**
 * docs/metrics.md has one table, and it lists exactly the backchannel_*
 * series a daemon's registry defines (the default process and Node.js
 * metrics apart), each with its type and labels.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import type { Histogram } from 'prom-client'
import { channelConfig, startGateway, stopGateway } from '../helpers.ts'
import { isOwnMetric } from './support.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

interface Row { type: string, labels: string[] }

async function table (): Promise<Map<string, Row>> {
  const text = await readFile(new URL('../../../docs/metrics.md', import.meta.url), 'utf8')
  const headers = text.split('\n').filter((l) => /^\|\s*name\s*\|/.test(l))
  assert.equal(headers.length, 1, 'one table')
  const rows = new Map<string, Row>()
  for (const line of text.split('\n')) {
    const m = /^\|\s*`(backchannel_[a-z0-9_]+)`\s*\|\s*(\w+)\s*\|([^|]*)\|[^|]+\|$/.exec(line)
    if (m === null) continue
    assert.ok(!rows.has(m[1]!), `${m[1]!} is listed once`)
    rows.set(m[1]!, { type: m[2]!, labels: [...m[3]!.matchAll(/`([a-z_]+)`/g)].map((l) => l[1]!).sort() })
  }
  return rows
}

test('docs/metrics.md lists exactly the backchannel_* series of the registry, with their types and labels', async (t) => {
  // With a durable store and shared history, so that their series are registered too (no Redis answers on port 1: the
  // link stays down, which is all the registry needs).
  const stateDir = await tempDir(t, 'bc-metrics-')
  const env = { port: 0, host: '127.0.0.1', logLevel: 'silent' as const, configFile: null, apiToken: null, readyGraceMs: 3000, shutdownGraceMs: 5000, configWatch: false, stateDir }
  const sharedHistory = { url: 'redis://127.0.0.1:1', keyPrefix: 'bc:', leaseTtlMs: 3000, maxLen: 100, commandTimeoutMs: 500, reconnectMinMs: 100, reconnectMaxMs: 1000 }
  const r = await startGateway([channelConfig('echo:docs')], { config: { env, sharedHistory } })
  t.after(async () => { await stopGateway(r) })
  const registry = r.daemon.registry
  const own = (await registry.getMetricsAsJSON()).filter((m) => isOwnMetric(m.name))
  const documented = await table()

  assert.deepEqual([...documented.keys()].sort(), own.map((m) => m.name).sort())
  for (const m of own) {
    const metric = registry.getSingleMetric(m.name) as unknown as Histogram & { labelNames: string[] }
    const labels = metric.labelNames.filter((l) => l !== 'le').sort()
    assert.deepEqual(documented.get(m.name), { type: String(m.type), labels }, m.name)
  }
  assert.ok(own.length >= 30, `at least 30 series of our own, got ${own.length}`)
})

test('the default process metrics are there with the prefix, and only they are outside the table', async (t) => {
  const r = await startGateway([channelConfig('echo:docs')])
  t.after(async () => { await stopGateway(r) })
  const names = (await r.daemon.registry.getMetricsAsJSON()).map((m) => m.name)
  const others = names.filter((n) => !isOwnMetric(n))
  assert.ok(others.length > 10, 'prom-client\'s default metrics are registered')
  assert.deepEqual(others.filter((n) => !/^backchannel_(process|nodejs)_/.test(n)), [])
  assert.ok(others.includes('backchannel_process_cpu_seconds_total'))
  assert.ok(others.includes('backchannel_nodejs_eventloop_lag_seconds'))
  for (const dropped of ['handles', 'requests', 'resources']) assert.ok(!names.includes(`backchannel_nodejs_active_${dropped}_total`))
})
