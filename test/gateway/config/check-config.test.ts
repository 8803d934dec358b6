/**
 * `backchannel check-config FILE` as a process: exit 0 with the explanation,
 * exit 1 with every problem on its own line, exit 2 for bad usage.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { root, tempDir, writeTemp } from './helpers.ts'

const run = promisify(execFile)
const cli = join(root, 'src', 'cli', 'main.ts')

interface Outcome { code: number, stdout: string, stderr: string }

async function checkConfig (args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'check-config', ...args], { timeout: 20_000, env: { PATH: process.env['PATH'] ?? '', ...env } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as Outcome
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

test('a valid file exits 0 and explains it', async () => {
  const file = join(root, 'config', 'demo.json')
  const { code, stdout, stderr } = await checkConfig([file])
  assert.equal(code, 0, stderr)
  assert.ok(stdout.startsWith(`${file}: valid\n\nUpstreams (1):\n  demo: ws://127.0.0.1:4000/socket (vsn 2.0.0)\n`))
  assert.match(stdout, /Channels \(3; 1 required for readiness\):\n {2}echo:demo on demo: replay 1000\n {2}room:demo on demo: replay 1000, required\n {2}presence:demo on demo: replay 1000\n/)
  assert.equal(stderr, '')
})

test('an upstream url ending in /websocket is valid but warned about, with the mount to give instead', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.json', { upstreams: [{ name: 'a', url: 'wss://app.example/socket/websocket' }, { name: 'b', url: 'ws://127.0.0.1:4000/socket' }] })
  const { code, stdout, stderr } = await checkConfig([file])
  assert.equal(code, 0, stderr)
  assert.ok(stdout.startsWith(`${file}: valid\n`))
  assert.equal(stderr, 'warning: /upstreams/0/url: ends in /websocket, which the client appends itself (it would connect to /socket/websocket/websocket); give the socket\'s mount instead, e.g. wss://app.example/socket\n')
})

test('an invalid file exits 1 with every problem on its own line, and nothing on stdout', async (t) => {
  const file = await writeTemp(await tempDir(t), 'bad.yaml', [
    'upstreams:',
    '  - name: app',
    '    url: wss://app.example/socket',
    '    hearbeatIntervalMs: 5000',
    '    poolSize: "2"',
    'channels:',
    '  - topic: "room:1"',
    '    replay: lots',
  ].join('\n'))
  const { code, stdout, stderr } = await checkConfig([file])
  assert.equal(code, 1)
  assert.equal(stdout, '')
  assert.equal(stderr, [
    `${file}: 3 problems`,
    '/upstreams/0: unknown key "hearbeatIntervalMs" (did you mean "heartbeatIntervalMs"?)',
    '/upstreams/0/poolSize: must be integer',
    '/channels/0/replay: must be integer',
    '',
  ].join('\n'))
})

test('a missing file exits 1 naming it', async (t) => {
  const missing = join(await tempDir(t), 'nope.yaml')
  const { code, stderr } = await checkConfig([missing])
  assert.equal(code, 1)
  assert.equal(stderr, `${missing}: 1 problem\ncannot read ${missing}: ENOENT\n`)
})

test('--env also checks the environment and the variables the file names', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.json', { upstreams: [{ name: 'a', url: 'ws://h/s', authToken: { env: 'APP_TOKEN' } }] })
  const bad = await checkConfig([file, '--env'], { HOST: '0.0.0.0', BACKCHANNEL_LOG_LEVEL: 'debug' })
  assert.equal(bad.code, 1)
  assert.equal(bad.stderr, [
    `${file}: 2 problems`,
    'BACKCHANNEL_LOG_LEVEL: unknown variable (did you mean LOG_LEVEL?)',
    '/upstreams/0/authToken: environment variable APP_TOKEN is not set',
    '',
  ].join('\n'))
  const good = await checkConfig([file, '--env'], { APP_TOKEN: 'sekrit', PORT: '9999' })
  assert.equal(good.code, 0, good.stderr)
  assert.match(good.stdout, /API on 127\.0\.0\.1:9999, bearer token off/)
  assert.doesNotMatch(good.stdout, /sekrit/)
})

test('no file, two files or an unknown option exit 2', async () => {
  for (const args of [[], ['a.yaml', 'b.yaml'], ['--nope', 'a.yaml']]) {
    const { code, stderr } = await checkConfig(args)
    assert.equal(code, 2, args.join(' '))
    assert.match(stderr, /^backchannel: /)
  }
})

test('--help describes the command and exits 0', async () => {
  const { code, stdout } = await checkConfig(['--help'])
  assert.equal(code, 0)
  assert.match(stdout, /usage: backchannel check-config FILE/)
})
