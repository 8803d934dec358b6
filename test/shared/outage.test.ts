/**
 * Redis faults on a real redis-server: a restart (all data lost) gives
 * typed errors at once while it is down, a timeout while it stalls, and
 * recovery after, with a new epoch that readers of the old one see as a
 * gap; AUTH with the password read from a file at every connect (a rotated
 * Secret is used at the next reconnect); TLS with a CA file.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { resolveConnectOptions, SHARED_HISTORY_DEFAULTS } from '../../src/gateway/shared/config.ts'
import { SharedHistoryUnavailableError } from '../../src/gateway/shared/errors.ts'
import { readAfter, tail } from '../../src/gateway/shared/reader.ts'
import { makeCertificates } from '../helpers/tls.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { tool } from '../helpers/tools.ts'
import { deadline } from '../helpers/wait.ts'
import { startRedis } from './redis-server.ts'
import { holderChange, keysFor, linkState, makeWriter, openLink, plainConnect } from './helpers.ts'

const unavailable = (reason: string) => (err: unknown): boolean =>
  err instanceof SharedHistoryUnavailableError && err.code === 'BC_ERR_SHARED_HISTORY_UNAVAILABLE' && err.reason === reason

test('a Redis restart: typed errors at once while down, a timeout while stalled, then recovery with a new epoch and a gap', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program)
  const link = openLink(t, plainConnect(redis.url))
  await linkState(link, 'ready')
  const keys = keysFor('room:9')
  const writer = makeWriter(t, link, 'room:9', 'replica-0', { pendingWindowMs: 10_000, dedupeWindowMs: 20_000 })
  const holds = holderChange(writer, true)
  writer.start()
  await holds
  const before = await writer.offer({ event: 'm', payload: '1' })
  assert.equal(before.kind, 'appended')
  const oldId = 'eventId' in before ? before.eventId : assert.fail()

  // Stalled: the server holds the connection and answers nothing; every call ends at its deadline.
  redis.pause()
  await assert.rejects(deadline(readAfter(link, keys, oldId, 10), 'read while stalled'), unavailable('timeout'))
  redis.resume()
  await linkState(link, 'ready')

  const down = linkState(link, 'down')
  await redis.stop()
  await down
  await assert.rejects(deadline(readAfter(link, keys, oldId, 10), 'read while down'), unavailable('offline'))
  await assert.rejects(deadline(tail(link, [{ topic: 'room:9', keys, epoch: '', afterEntryId: '0-0' }], 1000, 10), 'tail while down'), unavailable('offline'))
  const during = await deadline(writer.offer({ event: 'm', payload: '2' }), 'offer while down')
  assert.ok(during.kind === 'unavailable' || during.kind === 'held', `kept pending (${during.kind})`)

  // Back, empty: the lease is taken again and the pending message appended, in a new epoch.
  const again = holderChange(writer, true)
  await redis.start()
  await linkState(link, 'ready')
  await again
  const after = await writer.offer({ event: 'm', payload: '3' })
  assert.equal(after.kind, 'appended')
  const resumed = await readAfter(link, keys, oldId, 10)
  assert.equal(resumed.gap, true, 'the old epoch is gone: a gap, never a wrong place')
  assert.notEqual(resumed.epoch, oldId.split(':')[0])
  assert.deepEqual(resumed.entries.map((e) => e.payload), ['2', '3'], 'the message received while Redis was down was appended on recovery')
})

test('AUTH with the password from a file, read again at each connect', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  const redis = await startRedis(t, program, { args: ['--requirepass', 'first-secret'] })
  const dir = await tempDir(t)
  const file = join(dir, 'password')
  await writeFile(file, 'wrong-secret\n')
  const connect = await resolveConnectOptions({ ...SHARED_HISTORY_DEFAULTS, url: redis.url, password: { file } })
  const link = openLink(t, connect)
  // A wrong password: the link never becomes ready, and calls fail at once instead of queueing.
  await assert.rejects(deadline(link.call('ping', ['PING']), 'ping with a wrong password'), (err: unknown) => err instanceof SharedHistoryUnavailableError)
  assert.notEqual(link.state, 'ready')
  // The Secret is rotated to the right value: the next reconnect reads it.
  await writeFile(file, 'first-secret\n')
  await linkState(link, 'ready')
  assert.equal(await link.call('ping', ['PING']), 'PONG')
})

test('the config refuses credentials in the URL, a command deadline of a third of the ttl or more, a CA without rediss://, and an unreadable CA file', async () => {
  const base = { ...SHARED_HISTORY_DEFAULTS }
  await assert.rejects(resolveConnectOptions({ ...base, url: 'redis://user:pw@127.0.0.1:6379' }), /holds credentials/)
  await assert.rejects(resolveConnectOptions({ ...base, url: 'http://127.0.0.1:6379' }), /neither redis: nor rediss:/)
  await assert.rejects(resolveConnectOptions({ ...base, url: 'redis://127.0.0.1:6379', commandTimeoutMs: 1000 }), /commandTimeoutMs: must be under leaseTtlMs \/ 3 \(1000\)/)
  await assert.rejects(resolveConnectOptions({ ...base, url: 'redis://127.0.0.1:6379', tlsCaFile: '/nonexistent' }), /not rediss/)
  await assert.rejects(resolveConnectOptions({ ...base, url: 'rediss://127.0.0.1:6379', tlsCaFile: '/nonexistent/ca.pem' }), /cannot read file \/nonexistent\/ca.pem: ENOENT/)
})

test('TLS (rediss://) with the CA from a file', async (t) => {
  const program = tool(t, 'redis-server')
  if (program === undefined) return
  if (tool(t, 'openssl') === undefined) return
  const dir = await tempDir(t)
  const certs = await makeCertificates()
  const path = (name: string): string => join(dir, name)
  await writeFile(path('ca.pem'), certs.ca)
  await writeFile(path('server.pem'), certs.cert)
  await writeFile(path('server.key'), certs.key)
  const redis = await startRedis(t, program, { tls: true, args: ['--tls-cert-file', path('server.pem'), '--tls-key-file', path('server.key'), '--tls-ca-cert-file', path('ca.pem'), '--tls-auth-clients', 'no'] })
  const connect = await resolveConnectOptions({ ...SHARED_HISTORY_DEFAULTS, url: redis.url, tlsCaFile: path('ca.pem') })
  const link = openLink(t, connect)
  await linkState(link, 'ready')
  assert.equal(await link.call('ping', ['PING']), 'PONG')
  // Without the CA the server's certificate is not trusted: never ready, calls fail at once.
  const untrusted = openLink(t, await resolveConnectOptions({ ...SHARED_HISTORY_DEFAULTS, url: redis.url }))
  await assert.rejects(deadline(untrusted.call('ping', ['PING']), 'ping untrusted'), (err: unknown) => err instanceof SharedHistoryUnavailableError)
})
