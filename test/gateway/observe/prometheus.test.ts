/**
 * A real Prometheus server (the prometheus on PATH: Debian's package) scrapes the
 * gateway every second: the target comes up, and a query for our series
 * returns the values the gateway counted. Prometheus runs on 127.0.0.1 with
 * a temporary config and storage, and is stopped at the end.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pollUntil } from '../../helpers/poll.ts'
import { channelConfig, startGateway, stopGateway } from '../helpers.ts'
import { joined } from '../sse/helpers.ts'
import { tool } from '../../helpers/tools.ts'
import { within } from '../../helpers/wait.ts'

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  const address = server.address()
  await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function stop (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await within(10_000, 'prometheus to exit', (resolve) => {
    child.once('exit', () => { resolve(undefined) })
    child.kill('SIGTERM')
    return undefined
  })
}

interface Target { health: string, scrapeUrl: string, lastError: string }
interface Vector { metric: Record<string, string>, value: [number, string] }

async function api<T> (base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(2000) })
  const body = await res.json() as { status: string, data: T }
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`)
  return body.data
}

async function query (base: string, promql: string): Promise<Vector[]> {
  return (await api<{ result: Vector[] }>(base, `/api/v1/query?query=${encodeURIComponent(promql)}`)).result
}

test('Prometheus scrapes /metrics: the target is up and a query returns the pushes the gateway counted', async (t) => {
  const prometheus = tool(t, 'prometheus')
  if (prometheus === undefined) return
  const r = await startGateway([channelConfig('echo:prom', { name: 'prom' })])
  t.after(async () => { await stopGateway(r) })
  await joined(r.daemon, 'echo:prom')
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${r.base}/v1/channels/echo:prom/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"hi"}', signal: AbortSignal.timeout(5000) })
    assert.equal(res.status, 200)
  }

  const dir = await mkdtemp(join(tmpdir(), 'backchannel-prom-'))
  const started: ChildProcess[] = []
  t.after(async () => {
    for (const child of started) await stop(child)
    await rm(dir, { recursive: true, force: true })
  })
  const target = new URL(r.base).host
  await writeFile(join(dir, 'prometheus.yml'), [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    '  - job_name: backchannel',
    '    static_configs:',
    `      - targets: ['${target}']`,
    '',
  ].join('\n'))
  const port = await freePort()
  const prom = `http://127.0.0.1:${port}`
  let stderr = ''
  const proc = spawn(prometheus, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] })
  started.push(proc)
  proc.stderr.setEncoding('utf8').on('data', (c: string) => { stderr = (stderr + c).slice(-4000) })

  const up = await pollUntil(async () => {
    if (proc.exitCode !== null) throw new Error(`prometheus exited with ${proc.exitCode}: ${stderr}`)
    const { activeTargets } = await api<{ activeTargets: Target[] }>(prom, '/api/v1/targets')
    return activeTargets.find((x) => x.health === 'up')
  }, { timeoutMs: 20_000, intervalMs: 250, what: 'the gateway target up in Prometheus' })
  assert.equal(up.scrapeUrl, `${r.base}/metrics`)
  assert.equal(up.lastError, '')

  const pushes = await pollUntil(async () => {
    const result = await query(prom, 'backchannel_pushes_total{subscription="prom",outcome="ok"}')
    return result.length > 0 ? result : undefined
  }, { timeoutMs: 10_000, intervalMs: 250, what: 'backchannel_pushes_total in Prometheus' })
  assert.equal(pushes.length, 1)
  assert.equal(pushes[0]!.value[1], '3')
  assert.equal(pushes[0]!.metric['job'], 'backchannel')

  const joinedState = await query(prom, 'backchannel_channel_state{subscription="prom",state="joined"}')
  assert.equal(joinedState[0]?.value[1], '1')
  const names = await query(prom, 'count(count by (__name__) ({__name__=~"backchannel_.+",__name__!~"backchannel_(process|nodejs)_.+"}))')
  assert.ok(Number(names[0]?.value[1]) >= 20, `Prometheus stored our series: ${JSON.stringify(names)}`)
})
