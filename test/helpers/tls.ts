/**
 * A throwaway certificate authority and a server certificate for
 * 127.0.0.1, made with openssl at test time (nothing secret is committed).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TestCertificates { ca: string, key: string, cert: string }

export async function makeCertificates (): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'bc-tls-'))
  const path = (name: string): string => join(dir, name)
  try {
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Backchannel test CA', '-keyout', path('ca.key'), '-out', path('ca.pem')])
    await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', path('server.key'), '-out', path('server.csr')])
    await writeFile(path('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
    await run('openssl', ['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', path('ext.cnf'), '-out', path('server.pem')])
    return { ca: await readFile(path('ca.pem'), 'utf8'), key: await readFile(path('server.key'), 'utf8'), cert: await readFile(path('server.pem'), 'utf8') }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
