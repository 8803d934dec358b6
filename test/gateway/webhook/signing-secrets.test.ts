/**
 * Where signing secrets come from and how they are rotated, in a gateway
 * started from a real config file with the start-up loader (as `serve`
 * does): a secret file signs; rotation by the config file (add the new
 * secret, then drop the old one, each applied by a reload); a secret file
 * whose content changes is read again by the watch, and by a reload when
 * the watch is off; a malformed one keeps the keys in use. No secret ever
 * appears in a log line, and a webhook without one is warned of at start.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError, resolveValue } from '../../../src/gateway/config/index.ts'
import { tempDir } from '../../helpers/temp-dir.ts'
import { startReloadable, upstream, type Reloadable } from '../reload/support.ts'
import { joined } from '../sse/helpers.ts'
import { Receiver, type Received } from './receiver.ts'
import { newSecret, verifyRequest } from './verifier.ts'

const TOPIC = 'room:signed'

interface Setup { gw: Reloadable, receiver: Receiver, secrets: string, config: (signingSecrets: unknown[]) => object }

/** A receiver, a folder for secret files, and a gateway whose webhook to the receiver is signed with `signingSecrets`. */
async function start (t: TestContext, signingSecrets: (dir: string) => Promise<unknown[]>, env: Record<string, string> = {}): Promise<Setup> {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const secrets = await tempDir(t, 'bc-secrets-')
  const first = await signingSecrets(secrets)
  let endpoint = ''
  const config = (list: unknown[]): object => ({
    upstreams: [upstream(endpoint)],
    channels: [{ topic: TOPIC, webhook: { url: receiver.url(), ...(list.length === 0 ? {} : { signingSecrets: list }), timeoutMs: 2000, backoff: { initialMs: 1, maxMs: 1 } } }],
  })
  const gw = await startReloadable(t, (phoenix) => {
    endpoint = phoenix.endpoint
    return config(first)
  }, { env, resolve: async (source) => String(await resolveValue(source, env)) })
  await joined(gw.daemon, TOPIC)
  return { gw, receiver, secrets, config }
}

/** Broadcasts message `n` and resolves with its delivery. */
async function deliver (s: Setup, n: number): Promise<Received> {
  s.gw.phoenix.broadcast(TOPIC, 'msg', { n })
  return s.receiver.waitFor(`message ${n}`, (r) => (JSON.parse(r.body) as { data: { n: number } }).data.n === n)
}

/** Replaces a file at once (write aside, rename over), as a secret manager or the kubelet does. */
async function replace (file: string, content: string): Promise<void> {
  await writeFile(`${file}.tmp`, content)
  await rename(`${file}.tmp`, file)
}

function assertNoSecretLogged (gw: Reloadable, secrets: readonly string[]): void {
  const text = JSON.stringify(gw.logs)
  for (const secret of secrets) {
    assert.ok(!text.includes(secret) && !text.includes(secret.slice('whsec_'.length)), 'no secret in any log line')
  }
}

test('a secret file signs; rotation by the config file: sign with both, then with the new one alone', async (t) => {
  const [oldSecret, newOne] = [newSecret(), newSecret()]
  const s = await start(t, async (dir) => {
    await writeFile(join(dir, 'old'), `${oldSecret}\n`) // a trailing newline, as `echo` writes it, is not part of the secret
    return [{ file: join(dir, 'old') }]
  })
  const first = await deliver(s, 1)
  assert.deepEqual(verifyRequest([oldSecret, newOne], first.headers, first.raw).matched, [0])

  // Step 1: the new secret is added beside the old one; every request is signed with both.
  await writeFile(join(s.secrets, 'new'), newOne)
  await s.gw.write(s.config([{ file: join(s.secrets, 'new') }, { file: join(s.secrets, 'old') }]))
  await s.gw.daemon.reload()
  const during = await deliver(s, 2)
  const both = verifyRequest([newOne, oldSecret], during.headers, during.raw)
  assert.equal(both.entries.length, 2)
  assert.deepEqual(both.matched, [0, 1], 'a receiver with either secret accepts it')

  // Step 3 (after the receivers moved to the new secret): the old one is dropped.
  await s.gw.write(s.config([{ file: join(s.secrets, 'new') }]))
  await s.gw.daemon.reload()
  const after = await deliver(s, 3)
  assert.deepEqual(verifyRequest([newOne, oldSecret], after.headers, after.raw).matched, [0], 'the old secret signs no more')
  assertNoSecretLogged(s.gw, [oldSecret, newOne])
})

test('a secret file whose content changes is read again by the watch; a malformed one keeps the key in use', async (t) => {
  const [a, b] = [newSecret(), newSecret()]
  let file = ''
  const s = await start(t, async (dir) => {
    file = join(dir, 'current')
    await writeFile(file, a)
    return [{ file }]
  }, { CONFIG_WATCH: 'true', CONFIG_WATCH_DEBOUNCE_MS: '20' })
  const m1 = await deliver(s, 1)
  assert.deepEqual(verifyRequest([a], m1.headers, m1.raw).matched, [0])

  let from = s.gw.logs.length
  await replace(file, b)
  const read = await s.gw.logged('webhook signing secrets read again: a secret file changed', from)
  assert.deepEqual([read['subscription'], read['secrets'], read['trigger']], [TOPIC, 1, 'watch'])
  const m2 = await deliver(s, 2)
  assert.deepEqual(verifyRequest([a, b], m2.headers, m2.raw).matched, [1], 'signed with the new content only')

  from = s.gw.logs.length
  const garbage = 'hunter2-is-not-a-whsec-secret'
  await replace(file, garbage)
  const failed = await s.gw.logged('webhook signing secrets not read: the ones in use are kept', from)
  assert.equal(failed.level, 50)
  assert.match(String(failed['error']), new RegExp(`signingSecrets\\[0\\] \\(file ${file}\\): must start with "whsec_"`))
  const m3 = await deliver(s, 3)
  assert.deepEqual(verifyRequest([b], m3.headers, m3.raw).matched, [0], 'still signed with the last good secret')
  assertNoSecretLogged(s.gw, [a, b, `whsec_${garbage}`])
  assert.ok(!JSON.stringify(s.gw.logs).includes(garbage), 'nor what was in the malformed file')
})

test('with the watch off a reload reads the secret file again; a malformed file makes the reload invalid and changes nothing', async (t) => {
  const [a, b] = [newSecret(), newSecret()]
  let file = ''
  const s = await start(t, async (dir) => {
    file = join(dir, 'current')
    await writeFile(file, a)
    return [{ file }]
  })
  await replace(file, b)
  const diff = await s.gw.daemon.reload()
  assert.deepEqual(diff.channels.changed, [], 'the config file did not change…')
  const m1 = await deliver(s, 1)
  assert.deepEqual(verifyRequest([a, b], m1.headers, m1.raw).matched, [1], '…but the reload read the secret again')

  await replace(file, 'whsec_c2hvcnQ=')
  await assert.rejects(s.gw.daemon.reload(), (err: unknown) => {
    assert.ok(err instanceof ConfigError)
    assert.deepEqual(err.problems, [`/channels/0/webhook/signingSecrets/0: file ${file} must hold 24 to 64 bytes once decoded (got 5)`])
    return true
  })
  const m2 = await deliver(s, 2)
  assert.deepEqual(verifyRequest([b], m2.headers, m2.raw).matched, [0], 'the running key is kept')
  assertNoSecretLogged(s.gw, [a, b])
})

test('a webhook without a signing secret is warned of at start-up, and still delivers', async (t) => {
  const s = await start(t, async () => [])
  const warning = await s.gw.logged(/^webhook requests are not signed/)
  assert.equal(warning.level, 40)
  assert.equal(warning['subscription'], TOPIC)
  const m = await deliver(s, 1)
  assert.equal(m.headers['webhook-signature'], undefined)
})
