/**
 * faults.refuseConnections / acceptConnections: new upgrades are refused
 * with a chosen HTTP response (a load balancer's 503 during a deploy), the
 * sockets already open are left alone.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { WebSocket } from 'ws'
import { attemptUpgrade, harness, sendHeartbeat, type Attempt } from './support.ts'

function refusedOf (attempt: Attempt): { status: number, body: string, headers: Record<string, unknown> } {
  if (attempt.kind !== 'refused') throw new Error(`expected an HTTP refusal, got ${attempt.kind}`)
  return attempt.refused
}

describe('refuseConnections', () => {
  test('new upgrades get the configured status, body and headers', async (t) => {
    const { server } = await harness(t)
    server.faults.refuseConnections({ status: 503, body: 'down for maintenance', headers: { 'retry-after': '7', 'x-fault': 'on' } })
    const refused = refusedOf(await attemptUpgrade(server.url))
    assert.equal(refused.status, 503)
    assert.equal(refused.body, 'down for maintenance')
    assert.equal(refused.headers['retry-after'], '7')
    assert.equal(refused.headers['x-fault'], 'on')
    assert.equal(server.connections().length, 0)
  })

  test('without options the refusal is a 503 with an empty body', async (t) => {
    const { server } = await harness(t)
    server.faults.refuseConnections()
    const refused = refusedOf(await attemptUpgrade(server.url))
    assert.equal(refused.status, 503)
    assert.equal(refused.body, '')
  })

  test('connections already open keep working while new ones are refused', async (t) => {
    const { server, connect } = await harness(t)
    const client = await connect()
    server.faults.refuseConnections({ status: 429, body: 'slow down' })
    assert.equal(refusedOf(await attemptUpgrade(server.url)).status, 429)
    const reply = await client.reply(sendHeartbeat(client))
    assert.deepEqual(reply.payload, { response: {}, status: 'ok' })
    assert.equal(client.ws.readyState, WebSocket.OPEN)
    assert.equal(server.connections().length, 1)
  })

  test('acceptConnections() ends the refusal', async (t) => {
    const { server } = await harness(t)
    server.faults.refuseConnections({ status: 503 })
    assert.equal(refusedOf(await attemptUpgrade(server.url)).status, 503)
    server.faults.acceptConnections()
    const attempt = await attemptUpgrade(server.url)
    assert.equal(attempt.kind, 'open')
    attempt.ws.terminate()
  })

  test('forMs ends the refusal by itself', async (t) => {
    const { server } = await harness(t)
    server.faults.refuseConnections({ status: 503, forMs: 150 })
    assert.equal(refusedOf(await attemptUpgrade(server.url)).status, 503, 'refused at first')
    // Retry after every refusal, as a reconnecting client does; each attempt and the whole loop have deadlines.
    const deadline = performance.now() + 3000
    let refusals = 1
    let attempt = await attemptUpgrade(server.url)
    while (attempt.kind === 'refused') {
      assert.equal(attempt.refused.status, 503)
      assert.ok(performance.now() < deadline, 'the refusal did not end within 3 s')
      refusals++
      attempt = await attemptUpgrade(server.url)
    }
    assert.equal(attempt.kind, 'open', 'once the refusal ends, the upgrade succeeds')
    attempt.ws.terminate()
    t.diagnostic(`${refusals} refusals before the upgrade went through`)
  })
})
