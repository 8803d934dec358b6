/**
 * The app's verdicts over real HTTP, as Dapr defines them: 2xx (or a
 * SUCCESS body) is done; RETRY, 5xx, 429, other statuses, a timeout or no
 * connection are retried; DROP or 404 go to the dead letter. Every
 * response body is consumed, so one kept-alive connection carries them all.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hooked, startSinks } from './harness.ts'
import { Gate, json, Receiver, type Answer } from './receiver.ts'

const indexOf = (body: string): number => (JSON.parse(body) as { data: { i: number } }).data.i

test('every form of success is delivered in one attempt: empty 2xx, SUCCESS, no status, unparsable body', async (t) => {
  const answers: Answer[] = [{ status: 200 }, { status: 204 }, json(200, { status: 'SUCCESS' }), json(201, { ok: true }), { status: 200, body: 'thanks' }, json(200, { status: '' })]
  const receiver = await Receiver.start((r) => answers[indexOf(r.body)]!)
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:ok', receiver.url(), { maxInFlight: 1 })])
  t.after(() => sinks.close())

  answers.forEach((_, i) => sinks.publish('room:ok', 'ev', { i }))
  const delivered = await sinks.events.count('delivered', answers.length)
  assert.deepEqual(delivered.map((d) => d.attempts), answers.map(() => 1))
  assert.deepEqual(sinks.events.seen.attempt.map((a) => a.result), answers.map(() => 'success'))
  assert.equal(sinks.events.seen.retry.length, 0)
  assert.equal(sinks.events.seen.dead_letter.length, 0)
  assert.equal(new Set(receiver.received.map((r) => r.port)).size, 1, 'one kept-alive connection')
})

test('RETRY, an unknown status, 5xx, 429 and other 4xx are retried, and the retry succeeds', async (t) => {
  const first: Answer[] = [json(200, { status: 'RETRY' }), json(200, { status: 'LATER' }), json(500, { error: 'boom' }), { status: 503 }, { status: 429 }, json(400, { status: 'SUCCESS' }), { status: 401 }]
  const receiver = await Receiver.start((r) => r.attempt === 1 ? first[indexOf(r.body)]! : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:retry', receiver.url(), { maxInFlight: 1, backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } })])
  t.after(() => sinks.close())

  first.forEach((_, i) => sinks.publish('room:retry', 'ev', { i }))
  const delivered = await sinks.events.count('delivered', first.length)
  assert.deepEqual(delivered.map((d) => d.attempts), first.map(() => 2))
  assert.deepEqual(sinks.events.seen.attempt.map((a) => [a.result, a.status]), first.flatMap((a) => [['retry', a.status], ['success', 200]]))
  assert.equal(sinks.events.seen.retry.length, first.length)
  assert.equal(new Set(receiver.received.map((r) => r.port)).size, 1, 'error bodies were consumed: the connection was reused')
})

test('DROP and 404 go to the dead letter at once, with reason dropped, and are not retried', async (t) => {
  const answers: Answer[] = [json(200, { status: 'DROP' }), json(404, { status: 'RETRY' }), { status: 200 }]
  const receiver = await Receiver.start((r) => answers[indexOf(r.body)]!)
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:drop', receiver.url(), { maxInFlight: 1 })])
  t.after(() => sinks.close())

  const ids = answers.map((_, i) => sinks.publish('room:drop', 'ev', { i }))
  await sinks.events.next('delivered', (d) => d.id === ids[2])
  assert.deepEqual(sinks.events.seen.dead_letter.map((d) => [d.id, d.reason, d.attempts, d.status]), [[ids[0], 'dropped', 1, 200], [ids[1], 'dropped', 1, 404]])
  assert.equal(receiver.received.length, 3, 'one attempt each')
  assert.equal(sinks.events.seen.retry.length, 0)
})

test('an answer that does not come within timeoutMs is a timeout: the request is abandoned and retried', async (t) => {
  const never = new Gate()
  const receiver = await Receiver.start((r) => r.attempt === 1 ? never.promise : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:slow', receiver.url(), { timeoutMs: 100 })])
  t.after(() => sinks.close())

  const id = sinks.publish('room:slow', 'ev', {})
  const delivered = await sinks.events.next('delivered', (d) => d.id === id)
  assert.equal(delivered.attempts, 2)
  const [timeout] = sinks.events.seen.attempt
  assert.equal(timeout?.result, 'timeout')
  assert.equal(timeout.status, null)
  assert.ok(timeout.seconds >= 0.09, `the attempt lasted its deadline (${timeout.seconds} s)`)
  await receiver.until('the first request closed by the client', () => receiver.received[0]?.aborted === true ? true : undefined)
})

test('no connection is an error, retried until the attempts run out, then dead-lettered with the error', async (t) => {
  const gone = await Receiver.start()
  const url = gone.url()
  await gone.close()
  const sinks = await startSinks([hooked('room:down', url, { maxAttempts: 3, backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } })])
  t.after(() => sinks.close())

  const id = sinks.publish('room:down', 'ev', {})
  const dead = await sinks.events.next('dead_letter', (d) => d.id === id)
  assert.equal(dead.reason, 'max_attempts')
  assert.equal(dead.attempts, 3)
  assert.equal(dead.status, null)
  assert.equal(dead.error, 'ECONNREFUSED')
  assert.deepEqual(sinks.events.seen.attempt.map((a) => a.result), ['error', 'error', 'error'])
  assert.equal(sinks.events.seen.retry.length, 2)
})

test('a 2xx body larger than the verdict limit is cut off (success), and delivery goes on', async (t) => {
  const big = `${'x'.repeat(200 * 1024)}{"status":"DROP"}`
  const receiver = await Receiver.start((r) => indexOf(r.body) === 0 ? { status: 200, body: big, headers: { 'content-type': 'text/plain' } } : { status: 200 })
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:big', receiver.url(), { maxInFlight: 1 })])
  t.after(() => sinks.close())

  const ids = [0, 1].map((i) => sinks.publish('room:big', 'ev', { i }))
  await sinks.events.count('delivered', 2)
  assert.deepEqual(sinks.events.seen.delivered.map((d) => d.id), ids)
  assert.equal(sinks.events.seen.dead_letter.length, 0)
})
