/**
 * `backchannel serve` refusing to start, as a child process: each refusal is
 * one line that names the cause and what to do, never a stack trace.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakePhoenix } from '../../src/testing/index.ts'

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts')

async function configFile (url: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'bc-serve-start-')), 'config.json')
  await writeFile(file, JSON.stringify({ upstreams: [{ name: 'main', url }], channels: [{ topic: 'room:r' }] }))
  return file
}

/** Runs serve until it exits by itself (within 10 s), or until it logs that it serves (then it is killed: code null). */
async function serve (env: Record<string, string>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [cli, 'serve'], { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (stdout.includes('"backchannel serving"')) child.kill('SIGKILL')
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  try {
    const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(10_000) }) as [number | null]
    return { code, stdout, stderr }
  } finally {
    child.kill('SIGKILL')
  }
}

test('a taken PORT is one line naming the address, with a hint, and exit 3', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const taken = createServer()
  taken.listen(0, '127.0.0.1')
  await once(taken, 'listening')
  t.after(() => taken.close())
  const { port } = taken.address() as AddressInfo
  const ran = await serve({ PORT: String(port), CONFIG_FILE: await configFile(phoenix.endpoint) })
  assert.equal(ran.code, 3)
  assert.equal(ran.stderr, `backchannel: cannot listen on 127.0.0.1:${port} (EADDRINUSE): the port is already in use; stop what listens there, or set PORT to another port (PORT=0 picks a free one)\n`)
})

test('the client-side BACKCHANNEL_URL and BACKCHANNEL_AUTH_TOKEN, exported for the examples and push/listen, do not stop serve', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const ran = await serve({ PORT: '0', CONFIG_FILE: await configFile(phoenix.endpoint), BACKCHANNEL_URL: 'http://127.0.0.1:8080', BACKCHANNEL_AUTH_TOKEN: 'secret' })
  assert.equal(ran.stderr, '')
  assert.match(ran.stdout, /"backchannel serving"/)
})

test('an unknown BACKCHANNEL_ variable stops serve with a hint naming the closest variable', async () => {
  const ran = await serve({ PORT: '0', CONFIG_FILE: '/nonexistent.json', BACKCHANNEL_LOG_LEVL: 'debug' })
  assert.equal(ran.code, 1)
  assert.match(ran.stderr, /BACKCHANNEL_LOG_LEVL: unknown variable \(did you mean LOG_LEVEL\?/)
})
