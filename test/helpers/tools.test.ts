/**
 * The missing-program skip (test/helpers/tools.ts) and its summary line
 * (test/helpers/skip-summary.ts), run for real: a child `node --test` runs a
 * file whose tests need programs absent from its PATH, with the summary
 * reporter; with BC_TEST_REQUIRE_TOOLS=1 the same tests fail instead.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { childEnv, run } from '../examples/helpers.ts'
import { summaryLine } from './skip-summary.ts'
import { findOnPath, SKIP_REASON, skipReason } from './tools.ts'
import { tempDir } from './temp-dir.ts'

test('findOnPath finds an executable file on PATH, and neither a plain file nor a folder', async (t) => {
  const dir = await tempDir(t, 'backchannel-tools-')
  await writeFile(join(dir, 'runnable'), '#!/bin/sh\n')
  await chmod(join(dir, 'runnable'), 0o755)
  await writeFile(join(dir, 'plain'), '')
  assert.equal(findOnPath('runnable', `/nonexistent:${dir}`), join(dir, 'runnable'))
  assert.equal(findOnPath('plain', dir), undefined)
  assert.equal(findOnPath('backchannel-tools-none', dir), undefined)
  assert.equal(findOnPath('tmp', '/'), undefined, 'a folder is not a program')
})

test('the skip reason names the program and its package, and the summary reads it back', () => {
  assert.deepEqual(SKIP_REASON.exec(skipReason('promtool'))?.slice(1), ['promtool', 'prometheus'])
  assert.equal(summaryLine(new Map(), new Map()), undefined, 'nothing skipped, no line')
  assert.equal(summaryLine(new Map([['yamllint', 2], ['promtool', 1], ['prometheus', 1]]), new Map([['yamllint', 'yamllint'], ['promtool', 'prometheus'], ['prometheus', 'prometheus']])),
    '⚠ 4 tests skipped, needing programs not installed: prometheus (1), promtool (1), yamllint (2). To run them: apt-get install -y prometheus yamllint')
})

const FIXTURE = (tools: string): string => `
import { test } from 'node:test'
import { tool } from ${JSON.stringify(pathToFileURL(tools).href)}
test('needs yamllint', (t) => { if (tool(t, 'yamllint') === undefined) return; throw new Error('ran') })
test('needs promtool', (t) => { if (tool(t, 'promtool') === undefined) return; throw new Error('ran') })
test('needs nothing', () => {})
`

async function runFixture (t: TestContext, extra: Record<string, string>): Promise<{ code: number | null, stdout: string }> {
  const dir = await tempDir(t, 'backchannel-tools-')
  const file = join(dir, 'fixture.test.mjs')
  await writeFile(file, FIXTURE(join(import.meta.dirname, 'tools.ts')))
  const reporter = join(import.meta.dirname, 'skip-summary.ts')
  const env = childEnv({ PATH: dir })
  delete env['BC_TEST_REQUIRE_TOOLS']
  const ran = await run(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', file], { ...env, ...extra })
  return { code: ran.code, stdout: ran.stdout }
}

test('a test whose program is missing is skipped, and the run ends with one line naming it and the install command', async (t) => {
  const { code, stdout } = await runFixture(t, {})
  assert.equal(code, 0, stdout)
  assert.match(stdout, /ℹ skipped 2\n/)
  assert.match(stdout, /needs yamllint \(.*\) # needs yamllint, not installed \(apt-get install -y yamllint\)/)
  assert.equal(stdout.trimEnd().split('\n').at(-1), '⚠ 2 tests skipped, needing programs not installed: promtool (1), yamllint (1). To run them: apt-get install -y prometheus yamllint')
})

test('with BC_TEST_REQUIRE_TOOLS=1 a missing program fails the test, and nothing is skipped', async (t) => {
  const { code, stdout } = await runFixture(t, { BC_TEST_REQUIRE_TOOLS: '1' })
  assert.equal(code, 1, stdout)
  assert.match(stdout, /ℹ fail 2\n/)
  assert.match(stdout, /ℹ skipped 0\n/)
  assert.match(stdout, /yamllint is not installed and BC_TEST_REQUIRE_TOOLS=1 forbids skipping: apt-get install -y yamllint/)
  assert.doesNotMatch(stdout, /⚠/)
})
