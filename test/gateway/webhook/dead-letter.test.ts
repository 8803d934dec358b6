/**
 * Dead letters: a JSON record with the reason, the attempts and the request
 * body, appended to a file as one line, or POSTed once to a URL; a target
 * that fails is reported and counted (the message is lost). The Phoenix
 * topic target is proven through the gateway (broker.test.ts).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hooked, sample, startSinks } from './harness.ts'
import { json, Receiver, type Received } from './receiver.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

interface Record { reason: string, subscription: string, upstream: string, topic: string, event: string, id: string, idempotencyKey: string, attempts: number, lastStatus: number | null, lastError: string | null, deadLetteredAt: string, format: string, body: { data: { n: number } } }

const nOf = (r: Received): number => (JSON.parse(r.body) as { data: { n: number } }).data.n

test('a file target gets one JSON line per dead letter: reason, attempts, last status, and the request body', async (t) => {
  const dir = await tempDir(t, 'bc-dlq-')
  const file = join(dir, 'dead.jsonl')
  const receiver = await Receiver.start((r) => nOf(r) === 1 ? json(200, { status: 'DROP' }) : { status: 500 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:f', receiver.url(), { maxAttempts: 2, backoff: { initialMs: 1, maxMs: 1, multiplier: 1 }, deadLetter: { kind: 'file', file } })], { now: () => Date.parse('2025-01-02T03:04:05Z') })

  const ids = [1, 2].map((n) => sinks.publish('room:f', 'order', { n }))
  await sinks.events.count('dead_letter', 2)
  await sinks.close() // the records are written before close() resolves
  const lines = (await readFile(file, 'utf8')).split('\n')
  assert.equal(lines.pop(), '', 'every record ends with a newline')
  const records = lines.map((l) => JSON.parse(l) as Record)
  const keyOf = (n: number): string => receiver.received.find((r) => nOf(r) === n)?.key ?? ''
  assert.deepEqual(records.map((r) => ({ ...r, body: r.body.data })), [
    { reason: 'dropped', subscription: 'room:f', upstream: 'main', topic: 'room:f', event: 'order', id: ids[0], idempotencyKey: keyOf(1), attempts: 1, lastStatus: 200, lastError: null, deadLetteredAt: '2025-01-02T03:04:05.000Z', format: 'cloudevents', body: { n: 1 } },
    { reason: 'max_attempts', subscription: 'room:f', upstream: 'main', topic: 'room:f', event: 'order', id: ids[1], idempotencyKey: keyOf(2), attempts: 2, lastStatus: 500, lastError: null, deadLetteredAt: '2025-01-02T03:04:05.000Z', format: 'cloudevents', body: { n: 2 } },
  ])
  assert.deepEqual(sinks.events.seen.dead_letter.map((d) => d.target), ['file', 'file'])
})

test('two channels sharing a dead-letter file append whole lines to it', async (t) => {
  const dir = await tempDir(t, 'bc-dlq-')
  const file = join(dir, 'shared.jsonl')
  const receiver = await Receiver.start(() => ({ status: 404 }))
  t.after(() => receiver.close())
  const dl = { kind: 'file' as const, file }
  const sinks = await startSinks([hooked('room:s1', receiver.url(), { deadLetter: dl, orderKey: '/n' }), hooked('room:s2', receiver.url(), { deadLetter: dl, orderKey: '/n' })])

  for (let n = 1; n <= 50; n++) for (const topic of ['room:s1', 'room:s2']) sinks.publish(topic, 'ev', { n, pad: 'x'.repeat(2000) })
  await sinks.events.count('dead_letter', 100)
  await sinks.close()
  const records = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record)
  assert.equal(records.length, 100)
  for (const topic of ['room:s1', 'room:s2']) {
    assert.deepEqual(records.filter((r) => r.topic === topic).map((r) => r.body.data.n).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1))
  }
})

test('a URL target gets one POST per dead letter, as JSON with its configured headers', async (t) => {
  const dlq = await Receiver.start(() => ({ status: 202 }))
  t.after(() => dlq.close())
  const receiver = await Receiver.start(() => json(200, { status: 'DROP' }))
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:u', receiver.url(), { deadLetter: { kind: 'url', url: dlq.url('/dead?src=bc'), headers: { authorization: 'Bearer dl' }, timeoutMs: 1000 } })])
  t.after(() => sinks.close())

  const id = sinks.publish('room:u', 'ev', { n: 7 })
  const got = await dlq.waitFor('the dead letter', () => true)
  assert.equal(got.path, '/dead?src=bc')
  assert.equal(got.headers['content-type'], 'application/json')
  assert.equal(got.headers['authorization'], 'Bearer dl')
  const record = JSON.parse(got.body) as Record
  assert.deepEqual([record.reason, record.id, record.attempts, record.body.data.n], ['dropped', id, 1, 7])
  await dlq.until('the answer', () => got.answered === true ? true : undefined)
  assert.equal(sinks.events.seen.dead_letter_failed.length, 0)
})

test('a dead-letter URL that fails is not retried: the loss is reported and counted', async (t) => {
  const dlq = await Receiver.start(() => ({ status: 500 }))
  t.after(() => dlq.close())
  const receiver = await Receiver.start(() => ({ status: 404 }))
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:lost', receiver.url(), { deadLetter: { kind: 'url', url: dlq.url(), headers: {}, timeoutMs: 1000 } })])
  t.after(() => sinks.close())

  const id = sinks.publish('room:lost', 'ev', { n: 1 })
  const failed = await sinks.events.next('dead_letter_failed', (f) => f.id === id)
  assert.deepEqual([failed.reason, failed.target], ['dropped', 'url'])
  assert.match(failed.error, /answered 500/)
  assert.equal(dlq.received.length, 1, 'one attempt only')
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_dead_letter_failures_total', { subscription: 'room:lost' }), 1)
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_dead_letters_total', { subscription: 'room:lost', reason: 'dropped' }), 1)
})

test('without a target a dead letter is reported and counted only', async (t) => {
  const receiver = await Receiver.start(() => ({ status: 404 }))
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:none', receiver.url())])
  t.after(() => sinks.close())

  const id = sinks.publish('room:none', 'ev', {})
  const dead = await sinks.events.next('dead_letter', (d) => d.id === id)
  assert.deepEqual([dead.reason, dead.target, dead.status], ['dropped', 'none', 404])
  assert.equal(await sample(sinks.registry, 'backchannel_webhook_attempts_total', { subscription: 'room:none', result: 'drop' }), 1)
})
