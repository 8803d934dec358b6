/**
 * The stale join_ref rule on channel pushes (reference A9 "Ordinary pushes",
 * Part E item 14, Part F "Stale join_ref on pushes"): ≤ 1.8.2 no check,
 * 1.8.3–1.8.11 null is stale, 1.8.12+ null is fresh.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { RawClient } from '../../helpers/raw-client.ts'
import type { FakePhoenix, FakePhoenixOptions } from '../../../src/testing/index.ts'
import { harness, joined, rawOf, textFrom } from './setup.ts'

const TOPIC = 'echo:stale'

/**
 * Pushes `ping` with `joinRef`, then a probe with the channel's own join_ref.
 * The channel handles its messages in order, so if the first push was
 * delivered its reply precedes the probe's. Returns that reply, if any.
 */
async function pushThenProbe (client: RawClient, joinRef: string | null): Promise<{ ref: string, answer: unknown }> {
  const ref = client.push(TOPIC, 'ping', { n: 1 }, joinRef)
  const probe = client.push(TOPIC, 'ping', { probe: true }, '1')
  const probeReply = await client.reply(probe)
  const before = client.received.slice(0, client.received.indexOf(probeReply))
  return { ref, answer: before.find((m) => m.ref === ref)?.payload }
}

async function joinedClient (t: TestContext, options: FakePhoenixOptions): Promise<{ client: RawClient, server: FakePhoenix }> {
  const { connect, server } = await harness(t, options)
  const client = await connect()
  const { ref } = await joined(client, TOPIC)
  assert.equal(ref, '1')
  return { client, server }
}

const delivered = { response: { n: 1 }, status: 'ok' }

describe('≤ 1.8.2: no join_ref check', () => {
  test('a push with a different join_ref is delivered', async (t) => {
    const { client } = await joinedClient(t, { phoenixVersion: '1.8.2' })
    assert.deepEqual((await pushThenProbe(client, '77')).answer, delivered)
  })

  test('a push with join_ref null is delivered', async (t) => {
    const { client } = await joinedClient(t, { phoenixVersion: '1.8.2' })
    assert.deepEqual((await pushThenProbe(client, null)).answer, delivered)
  })
})

describe('1.8.3 – 1.8.11: null is stale', () => {
  test('a push with a different join_ref is dropped silently and reported as stale', async (t) => {
    const { client, server } = await joinedClient(t, { phoenixVersion: '1.8.5' })
    const stale = server.waitFor('stale', (e) => e.message.joinRef === '77')
    const { ref, answer } = await pushThenProbe(client, '77')
    assert.equal(answer, undefined)
    assert.equal((await stale).message.ref, ref)
  })

  test('a push with join_ref null is dropped too', async (t) => {
    const { client, server } = await joinedClient(t, { phoenixVersion: '1.8.5' })
    const stale = server.waitFor('stale', (e) => e.message.joinRef === null)
    const { ref, answer } = await pushThenProbe(client, null)
    assert.equal(answer, undefined)
    assert.equal((await stale).message.ref, ref)
  })

  test('a push with the current join_ref is delivered', async (t) => {
    const { client } = await joinedClient(t, { phoenixVersion: '1.8.5' })
    assert.deepEqual((await pushThenProbe(client, '1')).answer, delivered)
  })
})

describe('1.8.12+: null is fresh', () => {
  test('a push with join_ref null is delivered', async (t) => {
    const { client } = await joinedClient(t, { phoenixVersion: '1.8.12' })
    assert.deepEqual((await pushThenProbe(client, null)).answer, delivered)
  })

  test('a push with a different non-null join_ref is dropped and reported as stale', async (t) => {
    const { client, server } = await joinedClient(t, { phoenixVersion: '1.8.12' })
    const stale = server.waitFor('stale', (e) => e.message.joinRef === '77')
    const { ref, answer } = await pushThenProbe(client, '77')
    assert.equal(answer, undefined)
    assert.equal((await stale).message.ref, ref)
  })
})

describe('the staleJoinRef option overrides the version', () => {
  test('staleJoinRef "none" on 1.8.12 delivers a different join_ref', async (t) => {
    const { client } = await joinedClient(t, { phoenixVersion: '1.8.12', staleJoinRef: 'none' })
    assert.deepEqual((await pushThenProbe(client, '77')).answer, delivered)
  })

  test('staleJoinRef "null-is-stale" on 1.8.2 drops join_ref null', async (t) => {
    const { client, server } = await joinedClient(t, { phoenixVersion: '1.8.2', staleJoinRef: 'null-is-stale' })
    const stale = server.waitFor('stale', (e) => e.message.joinRef === null)
    assert.equal((await pushThenProbe(client, null)).answer, undefined)
    await stale
  })
})

/**
 * A channel joined with join_ref null: Phoenix stores nil for the topic and
 * compares later join_refs with it; the channel itself stamps its replies
 * with the join's ref (`join_ref || ref`), while phx_close carries the
 * stored nil.
 */
describe('after a join with join_ref null', () => {
  const NJ = 'echo:nulljoin'

  async function joinedWithNull (t: TestContext, options: FakePhoenixOptions): Promise<{ client: RawClient, server: FakePhoenix }> {
    const { connect, server } = await harness(t, options)
    const client = await connect()
    client.sendFrame(`[null,"3","${NJ}","phx_join",{}]`)
    assert.equal(rawOf(client, await client.reply('3')), `[null,"3","${NJ}","phx_reply",{"response":{},"status":"ok"}]`)
    return { client, server }
  }

  test('1.8.12: a push with join_ref "1" and a leave with "5" are dropped; a null leave is answered with the join\'s ref, then phx_close with null', async (t) => {
    const { client, server } = await joinedWithNull(t, { phoenixVersion: '1.8.12' })
    const staleLeave = server.waitFor('stale', (e) => e.message.ref === '5')
    const from = client.frames.length
    client.sendFrame(`["1","4","${NJ}","ping",{"n":4}]`)
    client.sendFrame(`["5","5","${NJ}","phx_leave",{}]`)
    client.sendFrame(`[null,"6","${NJ}","ping",{"n":6}]`)
    client.sendFrame(`[null,"7","${NJ}","phx_leave",{}]`)
    await client.next((m) => m.event === 'phx_close', 2000, from)
    assert.deepEqual(textFrom(client, from), [
      `["3","6","${NJ}","phx_reply",{"response":{"n":6},"status":"ok"}]`,
      `["3","7","${NJ}","phx_reply",{"response":{},"status":"ok"}]`,
      `[null,null,"${NJ}","phx_close",{}]`,
    ])
    assert.equal((await staleLeave).message.joinRef, '5')
  })

  test('1.8.3 – 1.8.11: a null stored join_ref accepts any: the push with "1" is delivered and the leave with "5" ends the channel', async (t) => {
    const { client } = await joinedWithNull(t, { phoenixVersion: '1.8.11' })
    const from = client.frames.length
    client.sendFrame(`["1","4","${NJ}","ping",{"n":4}]`)
    client.sendFrame(`["5","5","${NJ}","phx_leave",{}]`)
    await client.next((m) => m.event === 'phx_close', 2000, from)
    assert.deepEqual(textFrom(client, from), [
      `["3","4","${NJ}","phx_reply",{"response":{"n":4},"status":"ok"}]`,
      `["3","5","${NJ}","phx_reply",{"response":{},"status":"ok"}]`,
      `[null,null,"${NJ}","phx_close",{}]`,
    ])
  })
})
