/**
 * `backchannel healthcheck`, the image's HEALTHCHECK: exit 0 only when the
 * sidecar's /livez answers 200, against a real gateway and real HTTP servers
 * that answer badly, late, or not at all.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { healthUrl } from '../../src/cli/commands/healthcheck.ts'
import { channelConfig, startGateway, stopGateway } from '../gateway/helpers.ts'

const run = promisify(execFile)
const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts')

async function healthcheck (env: Record<string, string>, args: string[] = []): Promise<{ code: number, stdout: string, stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'healthcheck', ...args], { timeout: 20_000, env: { PATH: process.env['PATH'] ?? '', ...env } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function listen (handler: RequestListener): Promise<{ server: Server, port: string }> {
  const server = createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, port: String((server.address() as AddressInfo).port) }
}

test('exits 0 when a running gateway answers /livez, with HOST 0.0.0.0 asked on loopback', async (t) => {
  const running = await startGateway([channelConfig('room:a')])
  t.after(() => stopGateway(running))
  const port = new URL(running.base).port
  const direct = await healthcheck({ HOST: '127.0.0.1', PORT: port })
  assert.equal(direct.code, 0, direct.stderr)
  assert.equal(direct.stdout, `http://127.0.0.1:${port}/livez: 200\n`)
  const wildcard = await healthcheck({ HOST: '0.0.0.0', PORT: port })
  assert.equal(wildcard.code, 0, wildcard.stderr)
  assert.equal(wildcard.stdout, `http://127.0.0.1:${port}/livez: 200\n`)
})

test('exits 1 on an error status, naming the URL and the status', async (t) => {
  const { server, port } = await listen((req, res) => {
    res.statusCode = req.url === '/livez' ? 503 : 200
    res.end()
  })
  t.after(() => server.close())
  const result = await healthcheck({ PORT: port })
  assert.equal(result.code, 1)
  assert.equal(result.stderr, `backchannel healthcheck: http://127.0.0.1:${port}/livez: status 503\n`)
  // The same server answers 200 elsewhere: --path is what is asked.
  assert.equal((await healthcheck({ PORT: port }, ['--path', '/other'])).code, 0)
})

test('exits 1 when nothing listens on the port', async () => {
  const { server, port } = await listen((_req, res) => { res.end() })
  server.close()
  await once(server, 'close')
  const result = await healthcheck({ PORT: port })
  assert.equal(result.code, 1)
  assert.match(result.stderr, /livez: ECONNREFUSED\n$/)
})

test('exits 1 within --timeout-ms when the server never answers', async (t) => {
  const held: Array<() => void> = []
  const { server, port } = await listen((_req, res) => { held.push(() => res.end()) })
  t.after(() => {
    for (const release of held) release()
    server.close()
  })
  const started = performance.now()
  const result = await healthcheck({ PORT: port }, ['--timeout-ms', '200'])
  assert.equal(result.code, 1)
  assert.match(result.stderr, /livez: no answer in time\n$/)
  assert.equal(held.length, 1)
  assert.ok(performance.now() - started < 10_000)
})

test('a bad PORT or option exits 2 with the reason', async () => {
  const zero = await healthcheck({ PORT: '0' })
  assert.equal(zero.code, 2)
  assert.match(zero.stderr, /PORT must be the port the sidecar listens on \(1 to 65535\), got "0"/)
  const timeout = await healthcheck({ PORT: '8080' }, ['--timeout-ms', '2s'])
  assert.equal(timeout.code, 2)
  assert.match(timeout.stderr, /--timeout-ms takes a whole number/)
})

test('healthUrl: the gateway defaults, wildcards on loopback, IPv6 in brackets, names as given', () => {
  assert.equal(healthUrl({}, '/livez'), 'http://127.0.0.1:8080/livez')
  assert.equal(healthUrl({ HOST: '::', PORT: '9000' }, '/readyz'), 'http://[::1]:9000/readyz')
  assert.equal(healthUrl({ HOST: 'fd00::5' }, '/livez'), 'http://[fd00::5]:8080/livez')
  assert.equal(healthUrl({ HOST: 'localhost', PORT: '65535' }, '/livez'), 'http://localhost:65535/livez')
  assert.throws(() => healthUrl({ PORT: '65536' }, '/livez'), /got "65536"/)
})
