/**
 * examples/test-kit: the app's own tests, run as the README says (node's
 * test runner, `backchannel/testing` resolved to this repository's
 * sources), all pass against the fake Phoenix server they start.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { childEnv, root, run, succeeded } from './helpers.ts'

const FILE = 'examples/test-kit/inventory.test.ts'

test('the test-kit example\'s tests run and every one passes', async () => {
  const source = await readFile(join(root, FILE), 'utf8')
  const names = [...source.matchAll(/^test\('((?:[^'\\]|\\.)*)'/gm)].map((m) => m[1]!.replaceAll('\\\'', '\''))
  assert.ok(names.length >= 5, 'the example has its tests')
  const out = succeeded(await run(process.execPath, ['--conditions=backchannel-source', '--test', '--test-reporter=spec', FILE], childEnv()))
  for (const name of names) assert.ok(out.includes(`✔ ${name} (`), `passed: ${name}\n${out}`)
  assert.match(out, new RegExp(`^ℹ tests ${names.length}$`, 'm'))
  assert.match(out, new RegExp(`^ℹ pass ${names.length}$`, 'm'))
  assert.match(out, /^ℹ fail 0$/m)
})
