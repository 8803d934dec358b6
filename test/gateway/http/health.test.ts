/**
 * GET /livez never depends on Phoenix. GET /readyz is 200 when every
 * required channel is joined, tolerating a required channel being down for
 * less than readyGraceMs (so a blip does not flap), 503 otherwise and while
 * draining. Channels not marked required never count.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { EnvConfig } from '../../../src/gateway/config/types.ts'
import { channelConfig } from '../helpers.ts'
import { clientOf, http, joined, REQUEST_DEADLINE_MS, stateOf, startGw, type Gw } from './support.ts'
import { nextEvent } from '../../helpers/wait.ts'

interface Ready { status: string, notReady?: string[] }

async function readyz (gw: Gw): Promise<{ status: number, body: Ready }> {
  const res = await http(gw.base, '/readyz')
  return { status: res.status, body: res.json as Ready }
}

/** Takes the upstream down and resolves once the gateway has seen it go. */
async function upstreamDown (gw: Gw): Promise<void> {
  const down = nextEvent(clientOf(gw).events, 'disconnect')
  await gw.phoenix.faults.stop('abrupt')
  await down
}

async function upstreamBack (gw: Gw, topic: string): Promise<void> {
  const rejoined = nextEvent(clientOf(gw).events, 'join_ok', (e) => e.topic === topic && e.rejoin)
  await gw.phoenix.faults.start()
  await rejoined
}

describe('GET /livez', () => {
  test('is 200 before anything joined, with the upstream down, and while draining', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby', { required: true })], { beforeStart: (phoenix) => { phoenix.faults.refuseConnections() } })
    const live = async (): Promise<void> => {
      const res = await http(gw.base, '/livez')
      assert.equal(res.status, 200)
      assert.deepEqual(res.json, { status: 'ok' })
    }
    await nextEvent(clientOf(gw).events, 'connect_fail')
    await live()
    gw.phoenix.faults.acceptConnections()
    await joined(gw, 'echo:lobby')
    await live()
    await upstreamDown(gw)
    await live()
    gw.daemon.broker.drain()
    await live()
  })
})

describe('GET /readyz', () => {
  test('is 503 naming the required channel until it joins, then 200', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby', { name: 'lobby', required: true })], { beforeStart: (phoenix) => { phoenix.faults.refuseConnections() } })
    await nextEvent(clientOf(gw).events, 'connect_fail')
    assert.deepEqual(await readyz(gw), { status: 503, body: { status: 'not_ready', notReady: ['lobby'] } })
    gw.phoenix.faults.acceptConnections()
    await joined(gw, 'echo:lobby')
    assert.deepEqual(await readyz(gw), { status: 200, body: { status: 'ready', notReady: [] } })
  })

  test('a channel not marked required never affects it, even refused', async (t) => {
    const gw = await startGw(t, [
      channelConfig('echo:needed', { required: true }),
      channelConfig('echo:refused', { params: { refuse: 'nope' } }),
    ], { upstream: { maxJoinRefusals: 100, rejoinBackoffMs: [60_000] } })
    const refused = nextEvent(clientOf(gw).events, 'join_error', (e) => e.topic === 'echo:refused')
    await joined(gw, 'echo:needed')
    await refused
    assert.equal(stateOf(gw, 'echo:refused'), 'errored')
    assert.deepEqual(await readyz(gw), { status: 200, body: { status: 'ready', notReady: [] } })
  })

  test('with no required channel it is ready even with the upstream down', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')], { beforeStart: (phoenix) => { phoenix.faults.refuseConnections() } })
    await nextEvent(clientOf(gw).events, 'connect_fail')
    assert.equal((await readyz(gw)).status, 200)
  })

  test('a blip shorter than the grace does not flip it: 200 while down, 200 after the rejoin', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby', { required: true })], { config: { env: envWith({ readyGraceMs: 2000 }) } })
    await joined(gw, 'echo:lobby')
    assert.equal((await readyz(gw)).status, 200)
    await upstreamDown(gw)
    assert.equal(stateOf(gw, 'echo:lobby'), 'errored')
    assert.equal((await readyz(gw)).status, 200, 'down, but for less than the grace')
    await upstreamBack(gw, 'echo:lobby')
    assert.equal((await readyz(gw)).status, 200)
  })

  test('the grace is exact: 200 up to readyGraceMs after the loss, 503 from then on, 200 again after the rejoin', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby', { name: 'lobby', required: true })], { config: { env: envWith({ readyGraceMs: 300 }) }, manualClock: true })
    await joined(gw, 'echo:lobby')
    await upstreamDown(gw)
    gw.clock.ms += 299
    assert.equal((await readyz(gw)).status, 200, '299 ms into a 300 ms grace')
    gw.clock.ms += 1
    assert.deepEqual(await readyz(gw), { status: 503, body: { status: 'not_ready', notReady: ['lobby'] } })
    await upstreamBack(gw, 'echo:lobby')
    assert.equal((await readyz(gw)).status, 200)
    // A second loss starts a new grace period.
    await upstreamDown(gw)
    assert.equal((await readyz(gw)).status, 200)
    gw.clock.ms += 300
    assert.equal((await readyz(gw)).status, 503)
  })

  test('a long outage flips it to 503 on the real clock', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby', { name: 'lobby', required: true })], { config: { env: envWith({ readyGraceMs: 300 }) } })
    await joined(gw, 'echo:lobby')
    // Taken before the fault: the gateway notes the loss at or after this instant, so it is a sound lower bound.
    const lost = Date.now()
    await upstreamDown(gw)
    // The gateway keeps trying to reconnect; ask at each failed attempt until readiness gives way.
    const flipped = new Promise<number>((resolve, reject) => {
      const client = clientOf(gw)
      const stop = (): void => { clearTimeout(deadline); client.events.off('connect_fail', onFail) }
      const deadline = setTimeout(() => { stop(); reject(new Error('/readyz never flipped')) }, REQUEST_DEADLINE_MS)
      const check = async (): Promise<void> => {
        if ((await readyz(gw)).status !== 503) return
        stop()
        resolve(Date.now())
      }
      const onFail = (): void => { check().catch((err: unknown) => { stop(); reject(err instanceof Error ? err : new Error(String(err))) }) }
      client.events.on('connect_fail', onFail)
    })
    assert.ok(await flipped - lost >= 300, 'not before the grace ran out')
    await upstreamBack(gw, 'echo:lobby')
    assert.equal((await readyz(gw)).status, 200)
  })

  test("is 503 'draining' once draining starts, even with every channel joined", async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby', { required: true })])
    await joined(gw, 'echo:lobby')
    assert.equal((await readyz(gw)).status, 200)
    gw.daemon.broker.drain()
    const res = await http(gw.base, '/readyz')
    assert.equal(res.status, 503)
    assert.deepEqual(res.json, { status: 'draining', notReady: [] })
  })
})

function envWith (over: Partial<EnvConfig>): EnvConfig {
  return { port: 0, host: '127.0.0.1', logLevel: 'silent', configFile: null, apiToken: null, readyGraceMs: 3000, shutdownGraceMs: 5000, ...over }
}
