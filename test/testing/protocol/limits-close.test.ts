/**
 * Connection limits and server-side closes (reference A9 "Join" limit,
 * A10 close codes; Part E items 8, 9, 11, 16; Part F "Channel limit",
 * "Idle timeout close code").
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Frame } from '../../../src/phoenix/message.ts'
import { harness, heartbeat, rawOf } from './setup.ts'
import type { RawClient } from '../../helpers/raw-client.ts'

/** Sends `count` joins to echo:0 … echo:N-1 (join_ref = ref = i+1) and returns the last reply's text. */
async function joinMany (client: RawClient, count: number): Promise<string[]> {
  for (let i = 0; i < count; i++) client.sendFrame(`["${i + 1}","${i + 1}","echo:${i}","phx_join",{}]`)
  await client.reply(String(count), 5000)
  return client.received
    .filter((m) => m.event === 'phx_reply')
    .map((m) => rawOf(client, m))
}

const ok = (i: number): string => `["${i + 1}","${i + 1}","echo:${i}","phx_reply",{"response":{},"status":"ok"}]`
const tooMany = (i: number): string =>
  `["${i + 1}","${i + 1}","echo:${i}","phx_reply",{"response":{"reason":"too many channels joined"},"status":"error"}]`

describe('channel limit', () => {
  test('by default 100 channels join and the 101st gets "too many channels joined" with its join_ref', async (t) => {
    const { connect } = await harness(t)
    const client = await connect()
    const replies = await joinMany(client, 101)
    assert.deepEqual(replies.slice(0, 100), Array.from({ length: 100 }, (_, i) => ok(i)))
    assert.equal(replies[100], tooMany(100))
  })

  test('before 1.8.9 (phoenixVersion 1.8.8) there is no limit', async (t) => {
    const { connect } = await harness(t, { phoenixVersion: '1.8.8' })
    const client = await connect()
    const replies = await joinMany(client, 120)
    assert.deepEqual(replies, Array.from({ length: 120 }, (_, i) => ok(i)))
  })

  test('1.7.24 already limits a connection to 100 channels: the 101st gets "too many channels joined"', async (t) => {
    const { connect } = await harness(t, { phoenixVersion: '1.7.24' })
    const client = await connect()
    const replies = await joinMany(client, 101)
    assert.deepEqual(replies.slice(0, 100), Array.from({ length: 100 }, (_, i) => ok(i)))
    assert.equal(replies[100], tooMany(100))
  })

  test('1.7.23 has no limit', async (t) => {
    const { connect } = await harness(t, { phoenixVersion: '1.7.23' })
    const client = await connect()
    const replies = await joinMany(client, 120)
    assert.deepEqual(replies, Array.from({ length: 120 }, (_, i) => ok(i)))
  })

  test('the maxChannels option overrides the version', async (t) => {
    const { connect } = await harness(t, { phoenixVersion: '1.8.8', maxChannels: 2 })
    const client = await connect()
    const replies = await joinMany(client, 3)
    assert.deepEqual(replies, [ok(0), ok(1), tooMany(2)])
  })
})

describe('idle timeout', () => {
  test('a silent socket is closed with 1002 (Bandit, the default adapter)', async (t) => {
    const { connect } = await harness(t, { idleTimeoutMs: 150 })
    const client = await connect()
    assert.equal((await client.closedWithin(2000)).code, 1002)
  })

  test('a silent socket is closed with 1000 on the Cowboy adapter', async (t) => {
    const { connect } = await harness(t, { idleTimeoutMs: 150, adapter: 'cowboy' })
    const client = await connect()
    assert.equal((await client.closedWithin(2000)).code, 1000)
  })

  test('a socket that keeps sending heartbeats outlives the idle timeout', async (t) => {
    // 300 ms rather than 150: under heavy CPU load a stalled event loop can
    // fire the server's timer before it reads data that already arrived.
    const { connect } = await harness(t, { idleTimeoutMs: 300 })
    const busy = await connect()
    const stop = new AbortController()
    // Each heartbeat goes out when the previous reply arrives.
    const beating = (async (): Promise<number> => {
      let count = 0
      while (!stop.signal.aborted) {
        await heartbeat(busy)
        count++
      }
      return count
    })()
    // A silent witness opened after `busy`: its idle timer was armed after
    // busy's first one, so when the witness is closed for idleness `busy` has
    // lived longer than the timeout, and had its heartbeats not re-armed its
    // timer it would have been closed first.
    const witness = await connect()
    assert.equal((await witness.closedWithin(3000)).code, 1002)
    stop.abort()
    assert.ok(await beating > 0)
    await heartbeat(busy)
    assert.equal(busy.ws.readyState, busy.ws.OPEN)
  })
})

describe('frame size limit', () => {
  test('a frame of exactly maxFrameBytes is accepted', async (t) => {
    const { connect } = await harness(t, { maxFrameBytes: 1000 })
    const client = await connect()
    const frame = `[null,"1","phoenix","heartbeat",{"pad":"${'x'.repeat(1000 - 43)}"}]`
    assert.equal(Buffer.byteLength(frame), 1000)
    client.sendFrame(frame)
    const reply = await client.reply('1')
    assert.deepEqual(reply.payload, { response: {}, status: 'ok' })
  })

  test('a frame larger than maxFrameBytes closes the socket with 1009', async (t) => {
    const { connect } = await harness(t, { maxFrameBytes: 1000 })
    const client = await connect()
    client.sendFrame(`[null,"1","phoenix","heartbeat",{"pad":"${'x'.repeat(1001 - 43)}"}]`)
    assert.equal((await client.closedWithin(2000)).code, 1009)
  })
})

const malformed: Array<[string, Frame]> = [
  ['invalid JSON text', '[null,"1","phoenix","heartbeat",{'],
  ['a JSON array of 4 elements', '[null,"1","phoenix","heartbeat"]'],
  ['a JSON object on V2', '{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"}'],
  ['a binary frame of kind 1 (reply) from a client', Buffer.from([1, 0, 1, 7, 2, ...Buffer.from('1phoenixok')])],
  ['a binary frame of kind 2 (broadcast) from a client', Buffer.from([2, 7, 9, ...Buffer.from('phoenixheartbeat')])],
  ['a binary frame with a truncated header', Buffer.from([0, 1, 1])],
  ['JSON in a binary frame', Buffer.from('[null,"1","phoenix","heartbeat",{}]')],
]

describe('malformed frames', () => {
  for (const [name, frame] of malformed) {
    test(`${name} closes that socket with 1011 and emits protocolError; the server carries on`, async (t) => {
      const { connect, server } = await harness(t)
      const victim = await connect()
      const victimId = server.connections()[0]?.id
      assert.equal(typeof victimId, 'number')
      const bystander = await connect()
      const reported = server.waitFor('protocolError', (e) => e.connectionId === victimId)
      victim.sendFrame(frame)
      assert.equal((await victim.closedWithin(2000)).code, 1011)
      assert.ok((await reported).error instanceof Error)
      await heartbeat(bystander)
      const fresh = await connect()
      await heartbeat(fresh)
    })
  }
})
