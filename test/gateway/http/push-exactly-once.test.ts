/**
 * Every push request gets exactly one HTTP response, whatever the upstream
 * does meanwhile, and none hangs; an HTTP client that hangs up cancels its
 * push without harming the gateway.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { channelConfig } from '../helpers.ts'
import { assertProblem, assertQuietLogs, clientOf, gatewayWithUpstreamDown, joined, push, REQUEST_DEADLINE_MS, startGw, type Gw, type HttpResult } from './support.ts'
import { nextEvent } from '../../helpers/wait.ts'

const ALLOWED = new Set([200, 422, 502, 503, 504])
const PUSHES = 50

/** Resolves when the fake server has received `count` pushes of these events. */
async function serverReceived (gw: Gw, count: number, events: Set<string>): Promise<void> {
  let seen = 0
  await gw.phoenix.waitFor('frame', (e) => events.has(e.message.event) && ++seen >= count, REQUEST_DEADLINE_MS)
}

/** Every response is one of the allowed outcomes, in its proper shape. */
function assertOutcome (res: HttpResult): void {
  assert.ok(ALLOWED.has(res.status), `status ${res.status} is not an allowed push outcome: ${res.text}`)
  if (res.status === 200 || res.status === 422) {
    const body = res.json as { status: unknown }
    assert.equal(body.status, res.status === 200 ? 'ok' : 'error')
    return
  }
  const code = (res.json as { error: { code: string } }).error.code
  assertProblem(res, res.status, code)
}

/** After the storm: nothing in flight, nothing buffered, and a fresh push is answered. */
async function assertRecovered (gw: Gw): Promise<void> {
  await Promise.race([gw.daemon.broker.idle(), new Promise((_resolve, reject) => { AbortSignal.timeout(REQUEST_DEADLINE_MS).addEventListener('abort', reject) })])
  await joined(gw, 'echo:lobby')
  const stats = clientOf(gw).stats()
  assert.equal(stats.pendingPushes, 0)
  assert.equal(stats.bufferedPushes, 0)
  assert.deepEqual((await push(gw, 'echo:lobby', { event: 'after', payload: { ok: true } })).json, { status: 'ok', response: { ok: true } })
  assertQuietLogs(gw)
}

describe('exactly one response per push', () => {
  const faults: Array<[string, (gw: Gw) => Promise<unknown>]> = [
    ['the TCP connection drops', async (gw) => gw.phoenix.faults.dropAll()],
    ['the server restarts abruptly', async (gw) => gw.phoenix.faults.restart({ mode: 'abrupt' })],
    ['the server restarts with a drain (1012)', async (gw) => gw.phoenix.faults.restart({ mode: 'drain' })],
    ['the server closes with 1011', async (gw) => gw.phoenix.faults.closeAll(1011, 'crash')],
  ]
  for (const [name, fault] of faults) {
    test(`${PUSHES} concurrent pushes each get one allowed answer when ${name} mid-push`, async (t) => {
      const gw = await startGw(t, [channelConfig('echo:lobby')], { upstream: { reconnectBackoffMs: [5] } })
      await joined(gw, 'echo:lobby')
      // Replies are held back a little so that pushes are in flight when the fault strikes.
      gw.phoenix.faults.delayReplies(150)
      const halfway = serverReceived(gw, PUSHES / 2, new Set(['echo', 'error_reply', 'no_reply']))
      const requests = Array.from({ length: PUSHES }, async (_, i) => {
        const event = i % 5 === 0 ? 'no_reply' : i % 7 === 0 ? 'error_reply' : 'echo'
        return push(gw, 'echo:lobby', { event, payload: { i }, timeoutMs: event === 'no_reply' ? 300 : 3000 })
      })
      await halfway
      await fault(gw)
      const results = await Promise.all(requests)
      assert.equal(results.length, PUSHES)
      for (const res of results) assertOutcome(res)
      const codes = results.map((r) => (r.json as { error?: { code: string } }).error?.code)
      assert.ok(codes.includes('BC_ERR_DISCONNECTED'), 'pushes in flight when the fault struck lost their reply')
      assert.ok(results.some((r) => r.status === 200), 'pushes the fault did not reach were answered')
      gw.phoenix.faults.delayReplies(0)
      await assertRecovered(gw)
    })
  }

  test('pushes answered before a drop keep their 200, sent ones waiting for a reply get 503 BC_ERR_DISCONNECTED', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const early = await push(gw, 'echo:lobby', { event: 'echo', payload: 1 })
    const sent = serverReceived(gw, 3, new Set(['no_reply']))
    const waiting = [1, 2, 3].map(async () => push(gw, 'echo:lobby', { event: 'no_reply', payload: {}, timeoutMs: 3000 }))
    await sent
    gw.phoenix.faults.dropAll()
    assert.equal(early.status, 200)
    for (const res of await Promise.all(waiting)) assertProblem(res, 503, 'BC_ERR_DISCONNECTED')
    await assertRecovered(gw)
  })
})

describe('an HTTP client that hangs up', () => {
  test('cancels its push in flight (BC_ERR_ABORTED), and the gateway goes on', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const sent = gw.phoenix.waitFor('frame', (e) => e.message.event === 'no_reply')
    const cancelled = nextEvent(clientOf(gw).events, 'reply', (e) => e.event === 'no_reply')
    const hangUp = new AbortController()
    const request = push(gw, 'echo:lobby', { event: 'no_reply', payload: {}, timeoutMs: 60_000 }, { signal: hangUp.signal })
    await sent
    assert.equal(clientOf(gw).stats().pendingPushes, 1)
    hangUp.abort()
    await assert.rejects(request, { name: 'AbortError' })
    assert.equal((await cancelled).outcome, 'BC_ERR_ABORTED', 'cancelled, not left to its 60 s deadline')
    await assertRecovered(gw)
  })

  test('cancels its push waiting in the buffer while the upstream is down', async (t) => {
    const gw = await gatewayWithUpstreamDown(t, 'echo:lobby')
    const buffered = nextEvent(clientOf(gw).events, 'buffer_depth', (e) => e.depth === 1)
    const cancelled = nextEvent(clientOf(gw).events, 'reply', (e) => e.event === 'parked')
    const hangUp = new AbortController()
    const request = push(gw, 'echo:lobby', { event: 'parked', payload: {}, timeoutMs: 60_000 }, { signal: hangUp.signal })
    await buffered
    hangUp.abort()
    await assert.rejects(request, { name: 'AbortError' })
    assert.equal((await cancelled).outcome, 'BC_ERR_ABORTED')
    assert.equal(clientOf(gw).stats().bufferedPushes, 0)
    // The cancelled push is not sent when the upstream comes back.
    const seen: string[] = []
    gw.phoenix.events.on('frame', (e) => { if (!e.message.event.startsWith('phx_') && e.message.topic !== 'phoenix') seen.push(e.message.event) })
    await gw.phoenix.faults.start()
    await assertRecovered(gw)
    assert.deepEqual(seen, ['after'])
  })

  test('many clients hanging up at once leave nothing in flight', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const sent = serverReceived(gw, 20, new Set(['no_reply']))
    const hangUp = new AbortController()
    const requests = Array.from({ length: 20 }, async () => push(gw, 'echo:lobby', { event: 'no_reply', payload: {}, timeoutMs: 60_000 }, { signal: hangUp.signal }))
    await sent
    hangUp.abort()
    for (const outcome of await Promise.allSettled(requests)) assert.equal(outcome.status, 'rejected')
    await assertRecovered(gw)
  })
})
