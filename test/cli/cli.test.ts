/**
 * The `backchannel` command as a process: the built binary and the sources.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { RawClient } from '../helpers/raw-client.ts'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const cli = join(root, 'src', 'cli', 'main.ts')

async function exitCode (args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { timeout: 20_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

test('help prints the commands and exits 0; an unknown command exits 2', async () => {
  const help = await exitCode(['help'])
  assert.equal(help.code, 0)
  assert.match(help.stdout, /fake-phoenix/)
  const unknown = await exitCode(['nope'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /unknown command "nope"/)
  // A name the command table inherits from Object is not a command either.
  for (const name of ['toString', 'constructor', '__proto__']) {
    const inherited = await exitCode([name])
    assert.equal(inherited.code, 2, name)
    assert.match(inherited.stderr, new RegExp(`unknown command "${name}"`))
  }
})

test('a bad option exits 2 with a one-line reason', async () => {
  const bad = await exitCode(['fake-phoenix', '--port', 'x'])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--port takes a whole number/)
})

test('a config error exits 1 and names each problem once', async () => {
  const env: Record<string, string | undefined> = { ...process.env, HOST: '0.0.0.0', CONFIG_FILE: join(root, 'config', 'demo.json') }
  delete env['API_TOKEN']
  delete env['API_TOKEN_FILE']
  const failed = await run(process.execPath, [cli, 'serve'], { timeout: 20_000, env }).then(() => null, (err: unknown) => err as { code: number, stderr: string })
  assert.ok(failed !== null, 'serve refused to start')
  assert.equal(failed.code, 1)
  assert.match(failed.stderr, /^backchannel: BC_ERR_CONFIG: invalid configuration/)
  assert.equal(failed.stderr.split('is not a loopback address').length - 1, 1, failed.stderr)
})

test('fake-phoenix serves Phoenix clients and exits 0 on SIGTERM', async (t) => {
  const child = spawn(process.execPath, [cli, 'fake-phoenix', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => child.kill('SIGKILL'))
  const lines = createInterface({ input: child.stdout })
  const [first] = await once(lines, 'line', { signal: AbortSignal.timeout(10_000) }) as [string]
  const { url } = JSON.parse(first) as { url: string }
  const client = await RawClient.connect(url)
  const ref = client.join('echo:cli')
  assert.deepEqual((await client.reply(ref)).payload, { response: {}, status: 'ok' })
  client.close()
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(10_000) }) as [number]
  assert.equal(code, 0)
})

test('the demo (the README\'s main command) walks through every step and exits 0', async () => {
  const { code, stdout } = await exitCode(['demo'])
  assert.equal(code, 0)
  assert.match(stdout, /2\. push with its reply: HTTP 200 \{"status":"ok","response":\{"body":"hi"\}\}/)
  assert.match(stdout, /event: gap .*"reason":"upstream_disconnected"/)
  assert.match(stdout, /event: rejoined/)
  assert.match(stdout, /resume: .*Last-Event-ID/)
  assert.match(stdout, /event: news .*\{"n":3\}/)
  assert.match(stdout, /6\. a topic the allow-list .* HTTP 201 joined/)
  assert.match(stdout, /a topic it does not allow: HTTP 403 BC_ERR_TOPIC_NOT_ALLOWED/)
  assert.match(stdout, /left again: HTTP 204/)
  assert.match(stdout, /demo complete/)
})

test('the built binary runs (npm run build emits dist/)', async () => {
  const { stdout } = await run(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'help'], { timeout: 10_000 })
  assert.match(stdout, /usage: backchannel/)
})
