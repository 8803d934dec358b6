/**
 * wss:// upstreams: certificates are verified, a custom CA is an option, and
 * a certificate that does not verify is a ConnectError naming the reason.
 */
import { test } from 'node:test'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import assert from 'node:assert/strict'
import { Client } from '../../src/client/client.ts'
import { ConnectError } from '../../src/connection/errors.ts'
import { startFakePhoenix } from '../../src/testing/index.ts'
import { makeCertificates } from '../helpers/tls.ts'

const certificates = await makeCertificates()

test('a wss:// upstream with a custom CA connects, joins and pushes', async (t) => {
  const phoenix = await startFakePhoenix({ tls: { key: certificates.key, cert: certificates.cert } })
  t.after(() => phoenix.close())
  assert.match(phoenix.endpoint, /^wss:\/\//)
  const client = new Client({ url: phoenix.endpoint, ca: certificates.ca, connectTimeoutMs: 5000 })
  t.after(() => client.close())
  await client.connect()
  await client.join('echo:tls')
  assert.deepEqual(await client.push('echo:tls', 'hi', { over: 'tls' }), { over: 'tls' })
})

test('without the CA the certificate is refused: ConnectError with the TLS reason, no connection', async (t) => {
  const phoenix = await startFakePhoenix({ tls: { key: certificates.key, cert: certificates.cert } })
  t.after(() => phoenix.close())
  const client = new Client({ url: phoenix.endpoint, connectTimeoutMs: 5000 })
  t.after(() => client.close())
  await assert.rejects(client.connect(), (err: unknown) => {
    assert.ok(err instanceof ConnectError)
    assert.match(err.reason, /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/)
    return true
  })
  assert.equal(phoenix.connections().length, 0)
})

test('a configured CA is trusted besides the default store, not instead of it', async (t) => {
  // The server's CA joins Node's default store (as a public CA would be there); the client is given another CA.
  const other = await makeCertificates()
  const defaults = getCACertificates('default')
  setDefaultCACertificates([...defaults, certificates.ca])
  t.after(() => { setDefaultCACertificates(defaults) })
  const phoenix = await startFakePhoenix({ tls: { key: certificates.key, cert: certificates.cert } })
  t.after(() => phoenix.close())
  const client = new Client({ url: phoenix.endpoint, ca: other.ca, connectTimeoutMs: 5000 })
  t.after(() => client.close())
  await client.connect()
  await client.join('echo:tls')
  assert.deepEqual(await client.push('echo:tls', 'hi', { trusted: 'by default' }), { trusted: 'by default' })
})
