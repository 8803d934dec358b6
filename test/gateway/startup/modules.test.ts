/**
 * An idle sidecar loads only what its config uses: the Redis client and the
 * shared-history modules only with `sharedHistory`, SQLite and the store
 * only with STATE_DIR, the token verifier (jose) only with `tokens`. Each
 * costs an idle sidecar memory (bench/README.md: idle RSS over the floor).
 * A real child process records every module it resolves.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'

const CHILD = fileURLToPath(new URL('./modules-child.ts', import.meta.url))

async function resolvedBy (mode: 'plain' | 'shared' | 'state'): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD, mode], { timeout: 30_000 })
  return JSON.parse(stdout) as string[]
}

const loads = (urls: readonly string[], part: string): boolean => urls.some((u) => u.includes(part))

test('without sharedHistory, STATE_DIR or tokens, none of their modules is loaded', async () => {
  const urls = await resolvedBy('plain')
  assert.ok(loads(urls, '/src/gateway/daemon.ts'), 'the recorder sees the daemon load')
  for (const part of ['@redis/client', '/src/gateway/shared/', 'node:sqlite', '/src/gateway/store/sqlite-store.ts', 'jose']) {
    assert.equal(loads(urls, part), false, `${part} loaded`)
  }
})

test('with sharedHistory the Redis client is loaded; with STATE_DIR, SQLite', async () => {
  const shared = await resolvedBy('shared')
  assert.ok(loads(shared, '@redis/client') && loads(shared, '/src/gateway/shared/history.ts'))
  assert.equal(loads(shared, 'node:sqlite'), false)
  const state = await resolvedBy('state')
  assert.ok(loads(state, 'node:sqlite') && loads(state, '/src/gateway/store/sqlite-store.ts'))
  assert.equal(loads(state, '@redis/client'), false)
})
