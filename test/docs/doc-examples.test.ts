/**
 * Every code block marked `// example: NAME` in docs/*.md runs as written:
 * it is extracted to .tmp/ inside the repository (so `backchannel/testing`
 * resolves to this package) and run with node's test runner.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')

async function examples (): Promise<Array<{ name: string, code: string }>> {
  const found: Array<{ name: string, code: string }> = []
  const docs = join(root, 'docs')
  for (const file of (await readdir(docs)).filter((f) => f.endsWith('.md'))) {
    const text = await readFile(join(docs, file), 'utf8')
    for (const match of text.matchAll(/```ts\n(\/\/ example: ([\w-]+)\n[\s\S]*?)```/g)) {
      found.push({ name: match[2] ?? '', code: match[1] ?? '' })
    }
  }
  return found
}

test('the docs carry runnable examples', async () => {
  assert.ok((await examples()).length >= 1)
})

for (const example of await examples()) {
  test(`docs example "${example.name}" runs as written`, async () => {
    const dir = join(root, '.tmp', 'doc-examples')
    await mkdir(dir, { recursive: true })
    const file = join(dir, `${example.name}.test.ts`)
    await writeFile(file, example.code)
    // Without NODE_TEST_CONTEXT the child reports as a top-level run would.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'))
    const { stdout } = await run(process.execPath, ['--conditions=backchannel-source', '--test', '--test-reporter=spec', file], { cwd: root, env, timeout: 30_000 })
    assert.match(stdout, /ℹ pass [1-9]/)
    assert.match(stdout, /ℹ fail 0/)
  })
}
