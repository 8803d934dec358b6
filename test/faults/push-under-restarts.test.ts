/**
 * Guarantee: every HTTP push gets exactly one response, whatever the
 * upstream does. Concurrent pushes run while the fake Phoenix server is
 * restarted (draining, then dropping TCP) and its sockets closed with 1011;
 * every push is answered once, with its own reply (200 with its own payload)
 * or a problem of a known class (503/504, or 502), and the gateway reports
 * one outcome per push.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig } from '../gateway/helpers.ts'
import { assertProblem, assertQuietLogs, clientOf, joined, push, startGw } from '../gateway/http/support.ts'
import { nextEvent } from '../helpers/wait.ts'

const WORKERS = 16

test('pushes under upstream restarts: each answered once, by its reply or a known problem', async (t) => {
  const gw = await startGw(t, [channelConfig('echo:a')], { upstream: { reconnectBackoffMs: [5], rejoinBackoffMs: [5] } })
  await joined(gw, 'echo:a')
  let outcomes = 0
  gw.daemon.broker.events.on('push_done', () => { outcomes++ })

  const byStatus = new Map<number, number>()
  const codes = new Map<string, number>()
  let sent = 0
  const load = { running: true }
  const worker = async (id: number): Promise<void> => {
    for (let i = 0; load.running || i < 10; i++) {
      const n = `${id}-${i}`
      sent++
      const res = await push(gw, 'echo:a', { event: 'echo', payload: { n }, timeoutMs: 300 })
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1)
      if (res.status === 200) {
        assert.deepEqual(res.json, { status: 'ok', response: { n } }, 'its own reply')
      } else {
        const code = (res.json as { error?: { code?: string } } | undefined)?.error?.code ?? 'none'
        codes.set(code, (codes.get(code) ?? 0) + 1)
        assert.ok([502, 503, 504].includes(res.status), `a known class: ${res.status} ${res.text}`)
        assertProblem(res, res.status, code)
      }
    }
  }
  const workers = Promise.all(Array.from({ length: WORKERS }, async (_, id) => worker(id)))

  const rejoined = async (): Promise<void> => { await nextEvent(clientOf(gw).events, 'join_ok', (e) => e.topic === 'echo:a') }
  for (const disrupt of [
    async () => { await gw.phoenix.faults.restart({ mode: 'drain' }) },
    async () => { await gw.phoenix.faults.restart({ mode: 'abrupt' }) },
    async () => { gw.phoenix.faults.closeAll(1011, 'crash') },
    async () => { await gw.phoenix.faults.restart({ mode: 'drain' }) },
  ]) {
    const back = rejoined()
    await disrupt()
    await back
  }
  load.running = false
  await workers

  const answered = [...byStatus.values()].reduce((a, b) => a + b, 0)
  t.diagnostic(`statuses ${JSON.stringify(Object.fromEntries(byStatus))}, codes ${JSON.stringify(Object.fromEntries(codes))}`)
  assert.equal(answered, sent, 'one response per push')
  assert.equal(outcomes, sent, 'one outcome per push')
  assert.ok((byStatus.get(200) ?? 0) > 0, 'pushes went through between the restarts')
  assertQuietLogs(gw)
})
