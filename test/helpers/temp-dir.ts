/**
 * A fresh folder under the system temp dir for one test, removed (with all
 * it holds) when the test ends.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'

/** A new folder named `prefix…`, removed after the test. */
export async function tempDir (t: TestContext, prefix = 'backchannel-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}
