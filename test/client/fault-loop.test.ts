/**
 * A fault loop: a seeded random mix of server faults (restarts, dropped and
 * closed sockets, stalls, unanswered heartbeats, refused upgrades, channel
 * crashes), one after the other, while pushes go out on several topics of a
 * pool of two sockets. Each step waits on events for the client to recover
 * (every socket reconnected, every topic joined), with a deadline.
 *
 * At the end: every push ended in exactly one outcome, every topic is joined
 * again and answers a push.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { PushOutcome } from '../../src/phoenix/session-types.ts'
import { DisconnectedError } from '../../src/phoenix/errors.ts'
import { harness, record, until } from './helpers.ts'
import { mulberry32 as prng } from '../helpers/prng.ts'

const FAULTS = 1000
/** Stop early (but after at least MIN_FAULTS) when a slow machine would take longer than this. */
const BUDGET_MS = 15_000
const MIN_FAULTS = 300
const STEP_DEADLINE_MS = 3000

type Fault = 'restart' | 'drop' | 'close' | 'stall' | 'heartbeats' | 'refuse' | 'crash'
const MIX: Fault[] = ['restart', 'drop', 'drop', 'close', 'close', 'stall', 'heartbeats', 'refuse', 'crash']

test(`${FAULTS} injected faults while pushing on a pool of 2: one outcome per push, every topic back`, { timeout: 60_000 }, async (t) => {
  const seed = 0xbc2024
  const random = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const { server, opened } = await harness(t)
  const topics = Array.from({ length: 6 }, (_, i) => `echo:loop-${i}`)
  // A first dial on a loaded machine can miss the 200 ms deadline: the loop starts once a socket is open.
  const c = await opened({
    size: 2,
    heartbeatIntervalMs: 5,
    heartbeatTimeoutMs: 20,
    joinTimeoutMs: 200,
    pushTimeoutMs: 150,
    connectTimeoutMs: 200,
    reconnectDelay: () => 1,
    rejoinDelay: () => 2,
    random: prng(seed + 1),
  })
  await Promise.all(topics.map(async (topic) => c.join(topic)))

  const calls: number[] = []
  let resolved = 0
  let rejected = 0
  const push = (topic: string, event: string): number => {
    const i = calls.push(0) - 1
    c.pool.push(topic, event, { i }, {}, (outcome: PushOutcome) => {
      calls[i] = (calls[i] ?? 0) + 1
      if (outcome.kind === 'reply') resolved++
      else rejected++
    })
    return i
  }
  const opens = [0, 0]
  const lost = [0, 0]
  c.events.on('connect_ok', (e) => { opens[e.socket] = (opens[e.socket] ?? 0) + 1 })
  c.events.on('liveness_lost', (e) => { lost[e.socket] = (lost[e.socket] ?? 0) + 1 })
  let refusedSeen = 0
  c.events.on('connect_fail', (e) => { if (e.status === 503) refusedSeen++ })

  const sockets = [0, 1]
  const healthy = (): boolean => {
    const stats = c.stats()
    return stats.socketsConnected === 2 && stats.topicsJoined === topics.length
  }
  const everySocketDown = (lostBefore: number[]): boolean =>
    sockets.every((s) => (lost[s] ?? 0) > (lostBefore[s] ?? 0) || c.pool.connections[s]?.state !== 'open')

  const counts = new Map<Fault, number>()
  const started = performance.now()
  let done = 0
  for (; done < FAULTS; done++) {
    if (done >= MIN_FAULTS && performance.now() - started > BUDGET_MS) break
    const fault = pick(MIX)
    counts.set(fault, (counts.get(fault) ?? 0) + 1)
    const what = `fault #${done} (${fault}, seed ${seed})`
    for (let k = 0; k < 2; k++) push(pick(topics), random() < 0.9 ? 'ping' : 'no_reply')
    const opensBefore = [...opens]
    const lostBefore = [...lost]
    const reconnected = (): boolean => sockets.every((s) => (opens[s] ?? 0) > (opensBefore[s] ?? 0)) && healthy()
    switch (fault) {
      case 'restart':
        await server.faults.restart({ mode: pick(['drain', 'abrupt', 1011] as const) })
        break
      case 'drop':
        server.faults.dropAll()
        break
      case 'close':
        server.faults.closeAll(pick([1000, 1001, 1011, 1012]))
        break
      case 'stall':
        server.faults.stall()
        await until(c, () => everySocketDown(lostBefore), `${what}: stall noticed`, STEP_DEADLINE_MS)
        server.faults.resume()
        break
      case 'heartbeats':
        server.faults.pauseHeartbeats()
        await until(c, () => everySocketDown(lostBefore), `${what}: missed heartbeats noticed`, STEP_DEADLINE_MS)
        server.faults.resumeHeartbeats()
        break
      case 'refuse': {
        const before = refusedSeen
        server.faults.refuseConnections({ status: 503 })
        server.faults.dropAll()
        await until(c, () => refusedSeen > before, `${what}: refusal seen`, STEP_DEADLINE_MS)
        server.faults.acceptConnections()
        break
      }
      case 'crash': {
        const crash = push(pick(topics), 'crash')
        await until(c, () => calls[crash] === 1 && healthy(), `${what}: rejoined after the crash`, STEP_DEADLINE_MS)
        continue
      }
    }
    // Pushes made once the client saw its sockets go: buffered, then sent in order once rejoined.
    await until(c, () => sockets.every((s) => c.pool.connections[s]?.state !== 'open' || (opens[s] ?? 0) > (opensBefore[s] ?? 0)),
      `${what}: disconnect noticed`, STEP_DEADLINE_MS)
    for (let k = 0; k < 2; k++) push(pick(topics), 'ping')
    await until(c, reconnected, `${what}: recovered`, STEP_DEADLINE_MS)
  }
  const elapsed = performance.now() - started
  t.diagnostic(`${done} faults in ${Math.round(elapsed)} ms (${[...counts].map(([f, n]) => `${f} ${n}`).join(', ')}); ${calls.length} pushes: ${resolved} replied, ${rejected} failed`)
  assert.ok(done >= MIN_FAULTS, `only ${done} faults`)

  // Every push ends, once: the last ones within their timeout.
  await until(c, () => resolved + rejected === calls.length, 'every push settled', STEP_DEADLINE_MS)
  assert.equal(resolved + rejected, calls.length)
  assert.equal(calls.filter((n) => n !== 1).length, 0, 'no push settled twice')
  assert.ok(resolved > 0 && rejected > 0)
  assert.equal(c.stats().pendingPushes + c.stats().bufferedPushes, 0)

  // Every wanted topic is joined again, on the server too, and answers.
  await until(c, healthy, 'every topic joined at the end', STEP_DEADLINE_MS)
  const joinedOnServer = new Set(server.connections().flatMap((conn) => [...conn.channels.keys()]))
  assert.deepEqual(topics.filter((topic) => !joinedOnServer.has(topic)), [])
  for (const topic of topics) {
    // With 5 ms heartbeats a loaded machine may still miss one: a push lost with its socket is
    // retried once, but only when a disconnect really happened in between.
    const disconnects = record(c, 'disconnect')
    const reply = await c.push(topic, 'final', { topic }).catch(async (err: unknown) => {
      if (!(err instanceof DisconnectedError) || disconnects.length === 0) throw err
      return c.push(topic, 'final', { topic })
    })
    assert.deepEqual(reply, { topic })
  }
  assert.equal(calls.filter((n) => n !== 1).length, 0, 'still no push settled twice')
})
