/**
 * wss:// upstreams: certificates are verified, a custom CA is an option, and
 * a certificate that does not verify is a ConnectError naming the reason.
 */
import { test, type TestContext } from 'node:test'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import assert from 'node:assert/strict'
import { Client } from '../../src/client/client.ts'
import { ConnectError } from '../../src/connection/errors.ts'
import { startFakePhoenix } from '../../src/testing/index.ts'
import { makeCertificates, type TestCertificates } from '../helpers/tls.ts'
import { tool } from '../helpers/tools.ts'

let shared: Promise<TestCertificates> | undefined

/** The file's certificates, made once with openssl; undefined (the test skipped) without it. */
async function certificatesFor (t: TestContext): Promise<TestCertificates | undefined> {
  if (tool(t, 'openssl') === undefined) return undefined
  shared ??= makeCertificates()
  return shared
}

test('a wss:// upstream with a custom CA connects, joins and pushes', async (t) => {
  const certificates = await certificatesFor(t)
  if (certificates === undefined) return
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
  const certificates = await certificatesFor(t)
  if (certificates === undefined) return
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
  const certificates = await certificatesFor(t)
  if (certificates === undefined) return
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
