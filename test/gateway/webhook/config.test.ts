/**
 * A channel's `webhook` in the config file: the schema's defaults, the
 * checks after it (URL, headers, dead-letter target, back-off), variables
 * its header sources name, and how check-config explains it without
 * secrets.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { explainConfig, loadConfig, validateFileConfig, type FileConfig } from '../../../src/gateway/config/index.ts'
import { problemsOf, tempDir, writeTemp } from '../config/helpers.ts'

const upstreams = [{ name: 'app', url: 'ws://127.0.0.1:4000/socket' }]
const withHook = (webhook: unknown, more: unknown[] = []): unknown => ({ upstreams, channels: [{ topic: 'room:a', webhook }, ...more] })
const validate = async (data: unknown): Promise<FileConfig> => validateFileConfig(data, '/cfg')
const problems = async (data: unknown): Promise<readonly string[]> => problemsOf(() => validate(data))

test('a webhook needs only a url; every other key has a default', async () => {
  const config = await validate(withHook({ url: 'https://app.example/hook' }))
  assert.deepEqual(config.channels[0]?.webhook, {
    url: 'https://app.example/hook',
    headers: {},
    signingSecrets: [],
    format: 'cloudevents',
    timeoutMs: 10_000,
    maxAttempts: 10,
    maxAgeMs: 600_000,
    backoff: { initialMs: 500, maxMs: 60_000, multiplier: 2 },
    maxInFlight: 16,
    queueSize: 10_000,
    overflow: 'drop-newest',
    orderKey: null,
    deadLetter: null,
  })
  assert.equal((await validate({ upstreams, channels: [{ topic: 'room:b' }] })).channels[0]?.webhook, undefined, 'no webhook unless configured')
})

test('dead-letter targets: a file (made absolute), a URL with headers, or a configured topic', async () => {
  const file = await validate(withHook({ url: 'http://h/x', deadLetter: { file: 'dead/letters.jsonl' } }))
  assert.deepEqual(file.channels[0]?.webhook?.deadLetter, { kind: 'file', file: '/cfg/dead/letters.jsonl' })
  const url = await validate(withHook({ url: 'http://h/x', deadLetter: { url: 'https://dlq/in', headers: { authorization: { env: 'DLQ_TOKEN' } } } }))
  assert.deepEqual(url.channels[0]?.webhook?.deadLetter, { kind: 'url', url: 'https://dlq/in', headers: { authorization: { env: 'DLQ_TOKEN' } }, timeoutMs: 5000 })
  const topic = await validate(withHook({ url: 'http://h/x', deadLetter: { topic: 'dlq:all' } }, [{ topic: 'dlq:all' }]))
  assert.deepEqual(topic.channels[0]?.webhook?.deadLetter, { kind: 'topic', topic: 'dlq:all', upstream: 'app', event: 'dead_letter', timeoutMs: 5000 })
})

test('bad webhooks are refused with their paths', async () => {
  assert.deepEqual(await problems(withHook({ url: 'ftp://h/x' })), ['/channels/0/webhook/url: must start with http:// or https://, got ftp://'])
  assert.deepEqual(await problems(withHook({ url: 'https://user:pw@h/x#frag' })), [
    '/channels/0/webhook/url: must not have a fragment',
    '/channels/0/webhook/url: must not hold credentials; put them in "headers"',
  ])
  assert.deepEqual(await problems(withHook({ url: 'http://h', headers: { 'Idempotency-Key': 'x', 'X-Backchannel-Id': 'y', Authorization: { env: 'BACKCHANNEL_TOKEN' } } })), [
    '/channels/0/webhook/headers/Idempotency-Key: set by the webhook sink itself; remove it',
    '/channels/0/webhook/headers/X-Backchannel-Id: set by the webhook sink itself; remove it',
    '/channels/0/webhook/headers/Authorization/env: BACKCHANNEL_* variables are reserved for the gateway\'s own settings; use another name',
  ])
  assert.deepEqual(await problems(withHook({ url: 'http://h', backoff: { initialMs: 5000, maxMs: 100 } })), ['/channels/0/webhook/backoff/maxMs: must be at least initialMs (5000)'])
  assert.deepEqual(await problems(withHook({ url: 'http://h', orderKey: 'user' })), ['/channels/0/webhook/orderKey: must match pattern "^(/([^~/]|~[01])*)+$"'])
  assert.deepEqual(await problems(withHook({ url: 'http://h', overflow: 'block', maxInFlight: 0 })), [
    '/channels/0/webhook/maxInFlight: must be >= 1',
    '/channels/0/webhook/overflow: must be one of "drop-newest", "drop-oldest"',
  ])
  assert.deepEqual(await problems(withHook({ url: 'http://h', retries: 3 })), ['/channels/0/webhook: unknown key "retries"'])
})

test('a dead-letter target is exactly one of file, url or topic, and a topic must be another configured channel', async () => {
  assert.deepEqual(await problems(withHook({ url: 'http://h', deadLetter: {} })), ['/channels/0/webhook/deadLetter: must have exactly one of "file", "url" or "topic"'])
  assert.deepEqual(await problems(withHook({ url: 'http://h', deadLetter: { file: 'a', url: 'http://b' } })), ['/channels/0/webhook/deadLetter: must have exactly one of "file", "url" or "topic" (got "file", "url")'])
  assert.deepEqual(await problems(withHook({ url: 'http://h', deadLetter: { file: 'a', headers: { a: 'b' }, upstream: 'app' } })), [
    '/channels/0/webhook/deadLetter/headers: only used with "url"',
    '/channels/0/webhook/deadLetter/upstream: only used with "topic"',
  ])
  assert.deepEqual(await problems(withHook({ url: 'http://h', deadLetter: { topic: 'dlq:none' } })), [
    '/channels/0/webhook/deadLetter/topic: "dlq:none" is not a configured channel on upstream "app"; the gateway pushes dead letters to a channel it has joined',
  ])
  assert.deepEqual(await problems(withHook({ url: 'http://h', deadLetter: { topic: 'room:a' } })), ['/channels/0/webhook/deadLetter/topic: must not be the webhook\'s own channel'])
  assert.deepEqual(await problems(withHook({ url: 'http://h', deadLetter: { url: 'ws://x' } })), ['/channels/0/webhook/deadLetter/url: must start with http:// or https://, got ws://'])
})

test('variables named by webhook header sources must be set at start-up', async (t) => {
  const dir = await tempDir(t)
  const file = await writeTemp(dir, 'c.json', withHook({ url: 'http://h/x', headers: { authorization: { env: 'HOOK_TOKEN' } }, deadLetter: { url: 'http://d/x', headers: { 'x-key': { env: 'DLQ_KEY' } } } }) as object)
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file, DLQ_KEY: 'k' })), ['/channels/0/webhook/headers/authorization: environment variable HOOK_TOKEN is not set'])
  const config = await loadConfig({ CONFIG_FILE: file, DLQ_KEY: 'k', HOOK_TOKEN: 't' })
  assert.deepEqual(config.channels[0]?.webhook?.headers, { authorization: { env: 'HOOK_TOKEN' } })
})

test('an attempt and its dead-letter write must fit in SHUTDOWN_GRACE_MS, so the drain never abandons one', async (t) => {
  const dir = await tempDir(t)
  const file = await writeTemp(dir, 'c.json', withHook({ url: 'http://h/x', timeoutMs: 4000, deadLetter: { url: 'http://d/x', timeoutMs: 1000 } }) as object)
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file, SHUTDOWN_GRACE_MS: '5000' })), [
    '/channels/0/webhook/timeoutMs: 4000 ms plus deadLetter.timeoutMs 1000 ms must be less than SHUTDOWN_GRACE_MS (5000 ms), so the drain can wait for an attempt in flight',
  ])
  assert.equal((await loadConfig({ CONFIG_FILE: file, SHUTDOWN_GRACE_MS: '5001' })).env.shutdownGraceMs, 5001)
})

test('check-config explains a webhook without its query or header values', async () => {
  const config = await validate(withHook({ url: 'https://app.example/hook?token=s3cret', headers: { authorization: 'Bearer s3cret' }, orderKey: '/user', deadLetter: { url: 'https://dlq.example/in?key=s3cret' } }))
  const text = explainConfig(config)
  assert.match(text, /webhook: POST https:\/\/app\.example\/hook \(cloudevents\), headers: authorization/)
  assert.match(text, /order per topic and \/user; 16 in flight; queue 10000 \(drop-newest\); dead letter: POST https:\/\/dlq\.example\/in/)
  assert.ok(!text.includes('s3cret'))
})

test('signing secrets: a literal is checked with the file, a file made absolute; the Standard Webhooks headers cannot be set by hand', async () => {
  const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`
  const config = await validate(withHook({ url: 'http://h/x', signingSecrets: [secret, { file: 'secrets/hook' }] }))
  assert.deepEqual(config.channels[0]?.webhook?.signingSecrets, [secret, { file: '/cfg/secrets/hook' }])
  assert.deepEqual(await problems(withHook({ url: 'http://h/x', signingSecrets: ['plain-password-of-some-length', { env: 'BACKCHANNEL_HOOK' }] })), [
    '/channels/0/webhook/signingSecrets/0: must start with "whsec_" followed by base64 (the Standard Webhooks form; raw secrets are not accepted)',
    '/channels/0/webhook/signingSecrets/1/env: BACKCHANNEL_* variables are reserved for the gateway\'s own settings; use another name',
  ])
  assert.deepEqual(await problems(withHook({ url: 'http://h/x', signingSecrets: [secret, secret, secret] })), ['/channels/0/webhook/signingSecrets: must NOT have more than 2 items'])
  assert.deepEqual(await problems(withHook({ url: 'http://h', headers: { 'Webhook-Signature': 'v1,x', 'webhook-id': 'y', 'webhook-timestamp': '1' } })), [
    '/channels/0/webhook/headers/Webhook-Signature: set by the webhook sink itself; remove it',
    '/channels/0/webhook/headers/webhook-id: set by the webhook sink itself; remove it',
    '/channels/0/webhook/headers/webhook-timestamp: set by the webhook sink itself; remove it',
  ])
})

test('signing secrets from variables and files must be there and well formed at start-up; problems never quote them', async (t) => {
  const dir = await tempDir(t)
  const shortSecret = `whsec_${Buffer.alloc(8, 2).toString('base64')}`
  const file = await writeTemp(dir, 'c.json', withHook({ url: 'http://h/x', signingSecrets: [{ env: 'HOOK_SECRET' }, { file: 'missing.secret' }] }) as object)
  const found = await problemsOf(() => loadConfig({ CONFIG_FILE: file, HOOK_SECRET: shortSecret }))
  assert.deepEqual(found, [
    '/channels/0/webhook/signingSecrets/0: environment variable HOOK_SECRET must hold 24 to 64 bytes once decoded (got 8)',
    `/channels/0/webhook/signingSecrets/1: cannot read file ${dir}/missing.secret: ENOENT`,
  ])
  assert.ok(!found.join('\n').includes(shortSecret.slice(6)), 'the value is not quoted')
  assert.deepEqual(await problemsOf(() => loadConfig({ CONFIG_FILE: file })), [
    '/channels/0/webhook/signingSecrets/0: environment variable HOOK_SECRET is not set',
    `/channels/0/webhook/signingSecrets/1: cannot read file ${dir}/missing.secret: ENOENT`,
  ])
})

test('check-config says whether and from where a webhook is signed, never with the secret', async () => {
  const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`
  const signed = explainConfig(await validate(withHook({ url: 'https://app.example/hook', signingSecrets: [secret, { env: 'HOOK_SECRET_OLD' }] })))
  assert.match(signed, /signed: Standard Webhooks, literal and env HOOK_SECRET_OLD/)
  assert.ok(!signed.includes(secret.slice(6)), 'the literal secret is not shown')
  const unsigned = explainConfig(await validate(withHook({ url: 'https://app.example/hook' })))
  assert.match(unsigned, /signed: no \(receivers cannot verify requests; set signingSecrets\)/)
})
