/**
 * examples/webhook-receiver/receiver.py, run with python3, behind the real
 * gateway built from the example's backchannel.yaml (its webhook pointed at
 * the receiver's free port, its dead letter in a temporary directory). The
 * fake Phoenix server broadcasts to room:hooks and the receiver's verdicts
 * decide each message's fate: SUCCESS delivered once, RETRY retried and
 * then delivered under the same idempotency key, DROP in the dead-letter
 * file. Every request is signed and both receivers (receiver.py and the
 * Node receiver.ts) verify it; a request they cannot verify is refused with
 * 401 and never processed.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { backgroundFor, childEnv, demo, type Background } from './helpers.ts'
import { tool } from '../helpers/tools.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const CONFIG = 'examples/webhook-receiver/backchannel.yaml'
const TOPIC = 'room:hooks'
/** The README's demo secret. */
const SECRET = 'whsec_ZGVtby1zZWNyZXQtb25seS1mb3ItdGhlLWV4YW1wbGU='
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`

/** Standard Webhooks headers for `body`, signed with `secret` at `timestamp` (unix seconds), as the spec says. */
function signed (secret: string, id: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` }
}

interface Delivery { event: string, text: unknown, attempt: number, id: string, key: string, verdict: string, duplicate: boolean }

/** The receiver's delivery lines: `say "hello" attempt=1 id=… key=… -> SUCCESS`. */
function deliveries (stdout: string): Delivery[] {
  return [...stdout.matchAll(/^(\S+) (.+) attempt=(\d+) id=(\S+) key=(\S+) -> (SUCCESS|RETRY|DROP)( \(duplicate\))?$/gm)].map((m) => ({
    event: m[1] ?? '',
    text: JSON.parse(m[2] ?? 'null') as unknown,
    attempt: Number(m[3]),
    id: m[4] ?? '',
    key: m[5] ?? '',
    verdict: m[6] ?? '',
    duplicate: m[7] !== undefined,
  }))
}

/** The receiver on a free port; resolves with it and its URL once it listens. */
async function startReceiver (t: TestContext, command = 'python3', args = ['examples/webhook-receiver/receiver.py'], secrets = SECRET): Promise<{ receiver: Background, url: string }> {
  const receiver = backgroundFor(t, command, args, childEnv({ PORT: '0', WEBHOOK_SECRETS: secrets }))
  const out = await receiver.until('says where it listens', (s) => /listening on \S+\n/.test(s))
  const url = /listening on (\S+)/.exec(out)?.[1]
  assert.ok(url !== undefined, out)
  return { receiver, url }
}

test('SUCCESS is delivered once, RETRY again under the same key, DROP goes to the dead-letter file; order is kept', async (t) => {
  if (tool(t, 'python3') === undefined) return
  const { receiver, url } = await startReceiver(t)
  const dir = await tempDir(t, 'backchannel-webhook-receiver-')
  const deadLetterFile = join(dir, 'dead.jsonl')
  const running = await demo(t, {
    configFile: CONFIG,
    editConfig: (data) => {
      const webhook = data.channels?.find((c) => c.topic === TOPIC)?.webhook
      assert.ok(webhook !== undefined, `${CONFIG} has a webhook on ${TOPIC}`)
      assert.equal(new URL(webhook.url).pathname, new URL(url).pathname, 'the config posts to the path the receiver serves')
      assert.deepEqual(webhook.signingSecrets, [{ env: 'WEBHOOK_SECRET' }], 'the config signs with the README\'s variable')
      webhook.url = url
      webhook.signingSecrets = [SECRET]
      webhook.deadLetter = { file: deadLetterFile }
    },
  })

  const texts = ['hello', 'flaky #retry', 'spam #drop', 'bye']
  for (const text of texts) running.phoenix.broadcast(TOPIC, 'say', { text })
  await receiver.until('got the last message', (s) => deliveries(s).some((d) => d.text === 'bye'))
  // The drain writes every dead letter still on its way before close() resolves.
  await running.close()

  const got = deliveries(receiver.stdout())
  assert.doesNotMatch(receiver.stdout(), /refused/, 'every request verified')
  assert.deepEqual(got.map((d) => [d.event, d.text, d.attempt, d.verdict]), [
    ['say', 'hello', 1, 'SUCCESS'],
    ['say', 'flaky #retry', 1, 'RETRY'],
    ['say', 'flaky #retry', 2, 'SUCCESS'],
    ['say', 'spam #drop', 1, 'DROP'],
    ['say', 'bye', 1, 'SUCCESS'],
  ], 'in order: the retried message held back the ones after it')
  const [hello, retried, again, dropped] = got
  assert.ok(hello !== undefined && retried !== undefined && again !== undefined && dropped !== undefined)
  assert.equal(again.key, retried.key, 'a retry carries the idempotency key of its first attempt')
  assert.equal(again.id, retried.id, 'and the same message id')
  assert.equal(new Set(got.map((d) => d.key)).size, 4, 'each message has its own key')
  const epoch = running.daemon.broker.hub.epoch
  for (const d of got) assert.match(d.id, new RegExp(`^${epoch}-\\d+$`), 'x-backchannel-id is the SSE id')

  const records = (await readFile(deadLetterFile, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  assert.equal(records.length, 1, 'only the dropped message is a dead letter')
  const record = records[0]
  assert.ok(record !== undefined)
  assert.deepEqual(
    { reason: record['reason'], topic: record['topic'], event: record['event'], id: record['id'], idempotencyKey: record['idempotencyKey'], attempts: record['attempts'], lastStatus: record['lastStatus'] },
    { reason: 'dropped', topic: TOPIC, event: 'say', id: dropped.id, idempotencyKey: dropped.key, attempts: 1, lastStatus: 200 }
  )
  assert.deepEqual((record['body'] as { data?: unknown }).data, { text: 'spam #drop' }, 'the record holds the body the receiver refused')
})

test('the receiver acknowledges a repeated idempotency key without processing it again, and answers 404 off its path', async (t) => {
  if (tool(t, 'python3') === undefined) return
  const { receiver, url } = await startReceiver(t)
  const post = async (target: string, key: string, text: string, attempt: number, secret = SECRET, timestamp?: number): Promise<Response> => {
    const body = JSON.stringify({ specversion: '1.0', type: 'say', data: { text } })
    return fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', 'idempotency-key': key, 'x-backchannel-id': 'e-1', 'x-backchannel-attempt': String(attempt), ...signed(secret, key, body, timestamp) },
      body,
      signal: AbortSignal.timeout(5000),
    })
  }
  const forged = await post(url, 'k-0', 'forged', 1, OTHER_SECRET)
  assert.equal(forged.status, 401, 'a request signed with another secret is refused (and would be retried)')
  await forged.body?.cancel()
  const replayed = await post(url, 'k-0', 'replayed', 1, SECRET, Math.floor(Date.now() / 1000) - 301)
  assert.equal(replayed.status, 401, 'a timestamp more than 5 minutes old is refused')
  await replayed.body?.cancel()
  await receiver.until('logged both refusals', (s) => /refused: no signature matches\n[^]*refused: timestamp too old or too new\n/.test(s))
  const first = await post(url, 'k-1', 'flaky #retry', 1)
  assert.deepEqual(await first.json(), { status: 'RETRY' })
  const second = await post(url, 'k-1', 'flaky #retry', 2)
  assert.deepEqual(await second.json(), { status: 'SUCCESS' })
  const repeat = await post(url, 'k-1', 'flaky #retry', 3)
  assert.deepEqual(await repeat.json(), { status: 'SUCCESS' }, 'a duplicate is acknowledged, not retried')
  const lost = await post(new URL('/elsewhere', url).href, 'k-2', 'hello', 1)
  assert.equal(lost.status, 404, 'a 404 is a DROP verdict: the README warns of it')
  await lost.body?.cancel()
  const lines = deliveries(await receiver.until('logged three deliveries', (s) => deliveries(s).length >= 3))
  assert.deepEqual(lines.map((d) => [d.attempt, d.verdict, d.duplicate]), [[1, 'RETRY', false], [2, 'SUCCESS', false], [3, 'SUCCESS', true]], 'the refused requests were not processed')
})

test('the Node receiver verifies a real gateway\'s deliveries, also while two secrets sign them, and refuses a wrong secret', async (t) => {
  const { receiver, url } = await startReceiver(t, process.execPath, ['examples/webhook-receiver/receiver.ts'])
  const running = await demo(t, {
    configFile: CONFIG,
    editConfig: (data) => {
      const webhook = data.channels?.find((c) => c.topic === TOPIC)?.webhook
      assert.ok(webhook !== undefined)
      webhook.url = url
      // A rotation in progress: the receiver knows only SECRET, the sidecar signs with both.
      webhook.signingSecrets = [OTHER_SECRET, SECRET]
      webhook.deadLetter = null
    },
  })
  running.phoenix.broadcast(TOPIC, 'say', { text: 'héllo' })
  const out = await receiver.until('verified the message', (s) => /^verified say /m.test(s))
  assert.match(out, /^verified say \{"text":"héllo"\} id=[0-9a-f-]{36}$/m)
  assert.doesNotMatch(out, /refused/)

  const { receiver: strict, url: strictUrl } = await startReceiver(t, process.execPath, ['examples/webhook-receiver/receiver.ts'], OTHER_SECRET)
  const refused = await fetch(strictUrl, { method: 'POST', headers: signed(SECRET, 'm-1', '{}'), body: '{}', signal: AbortSignal.timeout(5000) })
  assert.equal(refused.status, 401, 'a request signed with a secret the receiver does not hold is refused')
  assert.deepEqual(await refused.json(), { error: 'no signature matches' })
  await strict.until('logged the refusal', (s) => s.includes('refused: no signature matches'))
})
