/**
 * The writer lease on a real redis-server: one holder at a time, renewed
 * while it lives, taken over when it stops renewing (within ttl + ttl/3),
 * at once when it releases, and a holder that lost it cannot append even
 * while it still believes it holds (the append script is the fence).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LeaseLostError } from '../../src/gateway/shared/errors.ts'
import { nextAttemptMs, validUntil } from '../../src/gateway/shared/lease.ts'
import { appendEntries, entryFields } from '../../src/gateway/shared/writer.ts'
import { tool } from '../helpers/tools.ts'
import { within } from '../helpers/wait.ts'
import { startRedis } from './redis-server.ts'
import { countScriptCalls, holderChange, keysFor, linkState, makeWriter, newEpoch, openLink, plainConnect, TTL_MS } from './helpers.ts'

test('a replica that does not hold the lease tries again when it runs out, and at least every ttl/3', () => {
  assert.equal(nextAttemptMs(50, 300), 51)
  assert.equal(nextAttemptMs(290, 300), 100)
  assert.equal(nextAttemptMs(-2, 300), 100, 'no lease or no expiry: the regular retry')
  assert.equal(validUntil(1000, 300), 1270, 'a holder counts itself holder until a tenth of the ttl before it may run out')
})

test('one holder at a time: renewed while it lives, taken over when it stops renewing, at once when it releases', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  const links = [openLink(t, plainConnect(redis.url)), openLink(t, plainConnect(redis.url))] as const
  await Promise.all(links.map(async (link) => { await linkState(link, 'ready') }))
  const a = makeWriter(t, links[0], 'lease:1', 'replica-a')
  const b = makeWriter(t, links[1], 'lease:1', 'replica-b')
  const aHolds = holderChange(a, true)
  a.start()
  await aHolds
  b.start()
  let bAcquired = false
  b.on('holder', (holding) => { bAcquired ||= holding })
  // Four renewals span more than the ttl: without them the lease would have run out.
  await within<undefined>(10_000, 'four renewals', (resolve) => {
    let renewals = 0
    const listener = (): void => { if (++renewals === 4) resolve(undefined) }
    a.lease.on('renewed', listener)
    return () => { a.lease.off('renewed', listener) }
  })
  assert.equal(bAcquired, false, 'the other replica never held the lease while the holder renewed it')
  assert.equal(a.lease.holds(), true)

  // The holder dies: it stops renewing and releases nothing.
  const stoppedAt = performance.now()
  const bHolds = holderChange(b, true)
  await a.stop({ release: false })
  await bHolds
  t.diagnostic(`takeover after ${Math.round(performance.now() - stoppedAt)} ms (bound: ttl ${TTL_MS} + ttl/3)`)
  const pttl = Number(await links[1].call('pttl', ['PTTL', keysFor('lease:1').lease]))
  assert.ok(pttl > 0 && pttl <= TTL_MS, `the new holder's lease has a ttl (${pttl} ms)`)
  assert.equal(await links[1].call('get', ['GET', keysFor('lease:1').lease]), 'replica-b')

  // A holder that releases is replaced at the other's next try, without waiting for the ttl.
  const c = makeWriter(t, links[0], 'lease:1', 'replica-c', { leaseTtlMs: 60_000, dedupeWindowMs: 300_000 })
  const cHolds = holderChange(c, true)
  c.start()
  await b.stop()
  await cHolds
})

test('a holder paused past its lease cannot append, though it still believes it holds: a burst\'s batch is refused whole', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  const link = openLink(t, plainConnect(redis.url))
  const other = openLink(t, plainConnect(redis.url))
  await linkState(link, 'ready')
  await linkState(other, 'ready')
  const keys = keysFor('fence:1')
  // A long ttl: the paused holder's own renewal will not run during the test, so its belief is stale.
  const a = makeWriter(t, link, 'fence:1', 'replica-a', { leaseTtlMs: 60_000, dedupeWindowMs: 300_000 })
  const aHolds = holderChange(a, true)
  a.start()
  await aHolds
  assert.deepEqual((await a.offer({ event: 'new_msg', payload: '{"n":1}' })).kind, 'appended')

  // While "paused", its lease ran out and replica-b took it.
  await other.call('take over', ['SET', keys.lease, 'replica-b', 'PX', '60000'])
  assert.equal(a.lease.holds(), true, 'the paused holder still believes it holds')
  const lost = holderChange(a, false)
  const calls = countScriptCalls(link, 'append')
  // A burst: its first batch (100 messages, one script call) is refused as a whole, the rest are not sent.
  const burst = await Promise.all(Array.from({ length: 250 }, async (_, n) => a.offer({ event: 'new_msg', payload: JSON.stringify({ n: n + 2 }) })))
  assert.ok(burst.every((o) => o.kind === 'held'), 'the appends were refused in Redis; the messages stay pending')
  assert.equal(a.pendingCount, 251)
  assert.equal(calls.count, 1, 'one batch was sent and refused; once fenced, the rest were not sent')
  await lost
  assert.equal(a.lease.holds(), false, 'refused once, it stops believing it holds')
  const batch = ['x.0', 'x.1', 'x.2'].map((identity) => ({ identity, fields: entryFields({ event: 'e', payload: '{}' }) }))
  await assert.rejects(appendEntries(link, keys, 'fence:1', batch, { replicaId: 'replica-a', maxLen: 100, dedupeWindowMs: 1000, newEpoch }),
    (err: unknown) => err instanceof LeaseLostError && err.code === 'BC_ERR_LEASE_LOST')
  const entries = await link.call('xrange', ['XRANGE', keys.stream, '-', '+'])
  assert.ok(Array.isArray(entries))
  assert.equal(entries.length, 1, 'only the append made while it held the lease is in the stream')
  assert.equal(await link.call('seen marks', ['EXISTS', `${keys.seen}x.0`, `${keys.seen}x.1`, `${keys.seen}x.2`]), 0, 'a refused batch leaves no dedupe mark either')
})
