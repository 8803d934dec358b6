/**
 * A node:test reporter (`--test-reporter=./test/helpers/skip-summary.ts`,
 * beside the spec reporter) that prints one line after the run when tests
 * were skipped for a missing program (test/helpers/tools.ts): how many,
 * which programs, and the command that installs them. It prints nothing
 * when no test was skipped that way.
 */
import { SKIP_REASON } from './tools.ts'

interface TestEvent { type: string, data?: { skip?: string | boolean } }

/** The summary line for `counts` (tests skipped per program) and `packages` (program to package), or undefined for none. */
export function summaryLine (counts: ReadonlyMap<string, number>, packages: ReadonlyMap<string, string>): string | undefined {
  if (counts.size === 0) return undefined
  const programs = [...counts.keys()].sort()
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const each = programs.map((p) => `${p} (${counts.get(p) ?? 0})`).join(', ')
  const install = [...new Set(programs.map((p) => packages.get(p) ?? p))].sort().join(' ')
  return `⚠ ${total} ${total === 1 ? 'test' : 'tests'} skipped, needing programs not installed: ${each}. To run them: apt-get install -y ${install}`
}

export default async function * skipSummary (source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const counts = new Map<string, number>()
  const packages = new Map<string, string>()
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const reason = event.data?.skip
    const match = typeof reason === 'string' ? SKIP_REASON.exec(reason) : null
    if (match === null) continue
    const [, program, pkg] = match as unknown as [string, string, string]
    counts.set(program, (counts.get(program) ?? 0) + 1)
    packages.set(program, pkg)
  }
  const line = summaryLine(counts, packages)
  if (line !== undefined) yield `${line}\n`
}
