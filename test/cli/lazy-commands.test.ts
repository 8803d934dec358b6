/**
 * `backchannel serve` loads the serve command's modules only: not the fake
 * Phoenix server, the demo, or the client commands (push, listen), which an
 * idle sidecar would otherwise hold for nothing (about 3 MB of RSS). A real
 * child process runs the CLI and records every module it resolves.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const CHILD = join(import.meta.dirname, 'lazy-commands-child.ts')

test('serve loads neither the test kit, the demo nor the client commands', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bc-lazy-'))
  const config = join(dir, 'config.yaml')
  // Nothing listens on port 1: the upstream is never reached, which a start does not wait for.
  writeFileSync(config, 'upstreams:\n  - name: main\n    url: ws://127.0.0.1:1/socket\nchannels:\n  - topic: room:a\n')
  const out = join(dir, 'resolved.json')
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0', HOST: '127.0.0.1', CONFIG_FILE: config, LOG_LEVEL: 'info' }
  delete env['API_TOKEN']
  delete env['API_TOKEN_FILE']
  const child = spawn(process.execPath, [CHILD, out], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { child.kill('SIGKILL') })
  const exited = once(child, 'exit')
  // Once it serves (its log line), SIGTERM: the child writes what it has loaded, then serve drains and exits.
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.includes('"backchannel serving"')) break
  }
  child.kill('SIGTERM')
  const [code] = await exited as [number | null, NodeJS.Signals | null]
  assert.equal(code, 0, 'serve drained and exited 0')
  const urls = JSON.parse(readFileSync(out, 'utf8')) as string[]
  const loads = (part: string): boolean => urls.some((u) => u.includes(part))
  assert.ok(loads('/src/cli/commands/serve.ts') && loads('/src/gateway/daemon.ts'), 'the recorder sees serve load')
  for (const part of ['/src/testing/', '/src/cli/commands/demo.ts', '/src/cli/commands/fake-phoenix.ts', '/src/cli/commands/push.ts', '/src/cli/commands/listen.ts', '/src/cli/commands/check-config.ts']) {
    assert.equal(loads(part), false, `${part} loaded`)
  }
})
