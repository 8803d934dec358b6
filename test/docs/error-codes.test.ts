/**
 * docs/errors.md lists every error code the sources raise, and no code
 * that they do not.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

async function sourceCodes (): Promise<Set<string>> {
  const codes = new Set<string>()
  const files = (await readdir(join(root, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'))
  for (const file of files) {
    const text = await readFile(join(root, 'src', file), 'utf8')
    for (const m of text.matchAll(/'(BC_ERR_[A-Z_]+)'/g)) codes.add(m[1] ?? '')
  }
  return codes
}

test('docs/errors.md documents exactly the error codes the sources raise', async () => {
  const documented = new Set([...(await readFile(join(root, 'docs', 'errors.md'), 'utf8')).matchAll(/^\| `(BC_ERR_[A-Z_]+)`/gm)].map((m) => m[1] ?? ''))
  const raised = await sourceCodes()
  assert.ok(raised.size > 10)
  assert.deepEqual([...raised].sort(), [...documented].sort())
})
