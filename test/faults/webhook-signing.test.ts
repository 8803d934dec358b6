/**
 * Guarantee: a signing secret that goes wrong never costs a message and
 * never unsigns a request. A receiver that refuses the signature (the
 * sidecar holds a secret it does not know) gets the message again, under
 * the same webhook-id, until the secret is fixed in its file, and then
 * takes it; a secret file that is deleted or emptied keeps the key in use
 * (a reload is refused as invalid, the watch logs the error);
 * a Kubernetes Secret volume's update (a new `..data` link renamed over
 * the old one) is seen as one change.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { resolveValue, type ConfigError } from '../../src/gateway/config/index.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { startReloadable, upstream, type Reloadable } from '../gateway/reload/support.ts'
import { joined } from '../gateway/sse/helpers.ts'
import { Recorder } from '../gateway/webhook/harness.ts'
import { Receiver, type Received } from '../gateway/webhook/receiver.ts'
import { newSecret, verifyRequest } from '../gateway/webhook/verifier.ts'

const TOPIC = 'room:faults'
const WATCH = { CONFIG_WATCH: 'true', CONFIG_WATCH_DEBOUNCE_MS: '20' }

/** A Secret volume as the kubelet lays it out: `current -> ..data/current`, `..data -> ..<stamp>`. */
async function secretVolume (dir: string, value: string): Promise<string> {
  await mkdir(join(dir, '..2026_01_01.1'))
  await writeFile(join(dir, '..2026_01_01.1', 'current'), value)
  await symlink('..2026_01_01.1', join(dir, '..data'))
  await symlink(join('..data', 'current'), join(dir, 'current'))
  return join(dir, 'current')
}

let stamps = 1
/** The kubelet's update: a new folder, a new link renamed over `..data`, the old folder removed. */
async function secretUpdate (dir: string, value: string): Promise<void> {
  const old = await readlink(join(dir, '..data'))
  const stamp = `..2026_01_01.${++stamps}`
  await mkdir(join(dir, stamp))
  await writeFile(join(dir, stamp, 'current'), value)
  await symlink(stamp, join(dir, '..data_tmp'))
  await rename(join(dir, '..data_tmp'), join(dir, '..data'))
  await rm(join(dir, old), { recursive: true, force: true })
}

async function start (t: TestContext, receiver: Receiver, file: string): Promise<Reloadable> {
  let endpoint = ''
  const gw = await startReloadable(t, (phoenix) => {
    endpoint = phoenix.endpoint
    return {
      upstreams: [upstream(endpoint)],
      channels: [{ topic: TOPIC, webhook: { url: receiver.url(), signingSecrets: [{ file }], timeoutMs: 2000, maxAttempts: 1000, backoff: { initialMs: 5, maxMs: 20 } } }],
    }
  }, { env: WATCH, resolve: async (source) => String(await resolveValue(source, {})) })
  await joined(gw.daemon, TOPIC)
  return gw
}

const nOf = (r: Received): number => (JSON.parse(r.body) as { data: { n: number } }).data.n

test('a receiver that cannot verify the signature gets the message again, same webhook-id, until the secret file is fixed', async (t) => {
  const [wrong, right] = [newSecret(), newSecret()]
  // The receiver trusts only `right`: 401 otherwise, which the sidecar retries.
  const receiver = await Receiver.start((r) => verifyRequest([right], r.headers, r.raw).matched.length === 1 ? { status: 200 } : { status: 401 })
  t.after(() => receiver.close())
  const dir = await tempDir(t, 'bc-secret-volume-')
  const gw = await start(t, receiver, await secretVolume(dir, wrong))
  const events = new Recorder(gw.daemon.webhooks.events)

  gw.phoenix.broadcast(TOPIC, 'order', { n: 1 })
  await receiver.until('a few refused attempts', () => receiver.received.filter((r) => r.attempt >= 3).length > 0 ? true : undefined)
  await secretUpdate(dir, right)
  const delivered = await events.next('delivered')
  const taken = receiver.received.at(-1)
  assert.ok(taken !== undefined)
  assert.deepEqual(verifyRequest([right], taken.headers, taken.raw).matched, [0], 'taken once signed with the fixed secret')
  const attempts = receiver.received.filter((r) => nOf(r) === 1)
  assert.ok(attempts.length >= 4, `refused, then taken (${attempts.length} attempts)`)
  assert.equal(new Set(attempts.map((r) => r.headers['webhook-id'])).size, 1, 'every attempt carries the same webhook-id')
  assert.ok(attempts.every((r) => typeof r.headers['webhook-signature'] === 'string'), 'every attempt is signed')
  assert.equal(taken.attempt, attempts.length, 'taken on the last attempt: no more after it')
  assert.equal(delivered.attempts, attempts.length)
  assert.equal(events.seen.dead_letter.length, 0, 'not lost')
  assert.deepEqual(gw.daemon.webhooks.stats(), [{ subscription: TOPIC, held: 0, inFlight: 0, waiting: 0 }], 'nothing left behind')
})

test('a secret file that is deleted or emptied keeps the key in use: a reload is refused, the watch logs it, never with the secret', async (t) => {
  const secret = newSecret()
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const dir = await tempDir(t, 'bc-secret-file-')
  const file = join(dir, 'secret')
  await writeFile(file, secret)
  const gw = await start(t, receiver, file)
  const deliver = async (n: number): Promise<Received> => {
    gw.phoenix.broadcast(TOPIC, 'order', { n })
    return receiver.waitFor(`message ${n}`, (r) => nOf(r) === n)
  }

  await rm(file) // the watch takes an unreadable file for a swap in progress: nothing to read yet
  await assert.rejects(gw.daemon.reload(), (err: unknown) => {
    assert.deepEqual((err as ConfigError).problems, [`/channels/0/webhook/signingSecrets/0: cannot read file ${file}: ENOENT`])
    return true
  })
  const m1 = await deliver(1)
  assert.deepEqual(verifyRequest([secret], m1.headers, m1.raw).matched, [0], 'still signed with the key in use')

  const from = gw.logs.length
  await writeFile(file, '')
  const empty = await gw.logged('webhook signing secrets not read: the ones in use are kept', from)
  assert.match(String(empty['error']), /file .*secret is empty/)
  const m2 = await deliver(2)
  assert.deepEqual(verifyRequest([secret], m2.headers, m2.raw).matched, [0])
  assert.ok(!JSON.stringify(gw.logs).includes(secret.slice('whsec_'.length)), 'the secret never reaches the logs')
})
