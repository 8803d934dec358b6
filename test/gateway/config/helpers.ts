/**
 * Shared helpers for the configuration tests: a temporary folder removed when
 * the test ends, and a way to get the problems of an expected ConfigError.
 */
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '../../../src/gateway/config/index.ts'
import { tempDir as tempFolder } from '../../helpers/temp-dir.ts'

export const root = join(import.meta.dirname, '..', '..', '..')

/** A fresh folder under the system temp dir, removed after the test. */
export async function tempDir (t: TestContext): Promise<string> {
  return tempFolder(t, 'backchannel-config-')
}

/** Writes `content` (an object is written as JSON) to dir/name and returns the path. */
export async function writeTemp (dir: string, name: string, content: string | object): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return path
}

/** The problems of the ConfigError `fn` must throw (or reject with). */
export async function problemsOf (fn: () => unknown): Promise<readonly string[]> {
  try {
    await fn()
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`)
    assert.equal(err.code, 'BC_ERR_CONFIG')
    assert.equal(err.statusCode, 500)
    for (const problem of err.problems) assert.ok(err.message.includes(problem), 'the message lists every problem')
    return err.problems
  }
  assert.fail('expected a ConfigError, but nothing was thrown')
}

/** The smallest valid file: one upstream. */
export const minimal = { upstreams: [{ name: 'app', url: 'ws://127.0.0.1:4000/socket' }] }
