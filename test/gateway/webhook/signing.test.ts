/**
 * Signed deliveries seen by a real receiver (node:http on port 0), checked
 * with the test's own Standard Webhooks verifier (verifier.ts), never with
 * the sidecar's signing code: the whole gateway against the fake Phoenix
 * server signs what it sends, byte for byte; a retry keeps its webhook-id
 * and gets its own timestamp; two secrets give two signatures; a webhook
 * without a secret still names its message but is not signed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import type { ChannelConfig } from '../../../src/gateway/config/types.ts'
import { createDaemon } from '../../../src/gateway/daemon.ts'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { gatewayConfig, literal, stopGateway, type Running } from '../helpers.ts'
import { joined } from '../sse/helpers.ts'
import { hooked, Recorder, startSinks } from './harness.ts'
import { Receiver, sequence } from './receiver.ts'
import { newSecret, verifyRequest } from './verifier.ts'

async function startWebhookGateway (channels: ChannelConfig[]): Promise<Running & { events: Recorder }> {
  const phoenix = await startFakePhoenix()
  const daemon = await createDaemon(gatewayConfig(phoenix.endpoint, channels), { logger: pino({ level: 'silent' }), resolve: literal })
  const events = new Recorder(daemon.webhooks.events)
  const base = await daemon.start()
  await Promise.all(channels.map(async (c) => { await joined(daemon, c.topic) }))
  return { phoenix, daemon, base, events }
}

test('the gateway signs each delivery: the headers verify against the bytes received, and a changed byte does not', async (t) => {
  const secret = newSecret()
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const r = await startWebhookGateway([hooked('room:signed', receiver.url(), { signingSecrets: [secret] })])
  t.after(() => stopGateway(r))

  const before = Math.floor(Date.now() / 1000)
  // Non-ASCII text, an astral character and U+2028: the signature covers the UTF-8 bytes on the wire.
  r.phoenix.broadcast('room:signed', 'say', { text: 'héllo 😀 \u2028 "quoted"' })
  const got = await receiver.waitFor('the delivery', () => true)
  const after = Math.ceil(Date.now() / 1000)

  const verified = verifyRequest([secret], got.headers, got.raw)
  assert.deepEqual(verified.matched, [0], 'signed with the configured secret')
  assert.equal(verified.entries.length, 1, 'one secret, one signature')
  assert.equal(verified.id, got.key, 'webhook-id is the idempotency key')
  assert.equal((JSON.parse(got.body) as { id: string }).id, verified.id, 'and the CloudEvents id')
  assert.ok(verified.timestamp >= before && verified.timestamp <= after, `webhook-timestamp ${verified.timestamp} is the attempt's time (${before}–${after})`)
  assert.deepEqual((JSON.parse(got.body) as { data: unknown }).data, { text: 'héllo 😀 \u2028 "quoted"' })

  const tampered = Buffer.from(got.raw)
  const at = tampered.length - 3
  tampered[at] = (tampered[at] ?? 0) ^ 1
  assert.deepEqual(verifyRequest([secret], got.headers, tampered).matched, [], 'one changed byte and the signature no longer verifies')
  assert.deepEqual(verifyRequest([newSecret()], got.headers, got.raw).matched, [], 'nor with another secret')
})

test('a retry keeps the webhook-id of its message and is signed with its own timestamp', async (t) => {
  const secret = newSecret()
  let clock = Date.parse('2025-03-04T05:06:07.000Z')
  const receiver = await Receiver.start(sequence(() => {
    clock += 90_000 // the retry comes 90 s later by the sidecar's clock
    return { status: 503 }
  }, { status: 200 }))
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:r', receiver.url(), { signingSecrets: [secret], backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } })], { now: () => clock })
  t.after(() => sinks.close())

  sinks.publish('room:r', 'a', { n: 1 })
  sinks.publish('room:r', 'b', { n: 2 })
  await sinks.events.count('delivered', 2)
  const [first, retry, next] = receiver.received
  assert.ok(first !== undefined && retry !== undefined && next !== undefined)
  assert.equal(retry.attempt, 2)
  const seconds = (at: number): number => Math.floor(at / 1000)
  const v1 = verifyRequest([secret], first.headers, first.raw, seconds(clock))
  const v2 = verifyRequest([secret], retry.headers, retry.raw, seconds(clock))
  assert.deepEqual([v1.matched, v2.matched], [[0], [0]], 'both attempts verify')
  assert.equal(v2.id, v1.id, 'the same webhook-id on every attempt: receivers dedupe on it')
  assert.equal(v2.timestamp - v1.timestamp, 90, 'each attempt carries the time it was made')
  assert.notEqual(retry.headers['webhook-signature'], first.headers['webhook-signature'])
  assert.notEqual(verifyRequest([secret], next.headers, next.raw, seconds(clock)).id, v1.id, 'another message, another id')
})

test('two secrets (a rotation): two v1 signatures, each made with one of them', async (t) => {
  const [oldSecret, newOne] = [newSecret(), newSecret(48)]
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:two', receiver.url(), { signingSecrets: [newOne, oldSecret] })])
  t.after(() => sinks.close())

  sinks.publish('room:two', 'e', { n: 1 })
  const got = await receiver.waitFor('the delivery', () => true)
  const both = verifyRequest([newOne, oldSecret], got.headers, got.raw)
  assert.equal(both.entries.length, 2)
  assert.ok(both.entries.every((e) => e.startsWith('v1,')))
  assert.deepEqual(both.matched, [0, 1])
  // A receiver that knows only one of them accepts the request, by one entry each.
  for (const [i, only] of [newOne, oldSecret].entries()) {
    const entry = both.entries[i] ?? ''
    const alone = verifyRequest([only], { ...got.headers, 'webhook-signature': entry }, got.raw)
    assert.deepEqual(alone.matched, [0], `entry ${i} is the signature of secret ${i}`)
  }
})

test('without a secret the request names its message (webhook-id, webhook-timestamp) but carries no signature', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:plain', receiver.url())])
  t.after(() => sinks.close())

  assert.deepEqual(sinks.events.seen.signing_keys, [{ subscription: 'room:plain', secrets: 0, trigger: 'start' }], 'reported at start: the log warns of it')
  sinks.publish('room:plain', 'e', {})
  const got = await receiver.waitFor('the delivery', () => true)
  assert.equal(got.headers['webhook-id'], got.key)
  assert.match(String(got.headers['webhook-timestamp']), /^\d+$/)
  assert.equal(got.headers['webhook-signature'], undefined)
  assert.throws(() => verifyRequest([newSecret()], got.headers, got.raw), /no webhook-signature header/)
})
