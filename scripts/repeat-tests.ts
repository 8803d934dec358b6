/**
 * Finds tests that pass only sometimes: runs each test file alone (one file
 * at a time, each in its own process, as `node --test` does), several rounds
 * over all of them, and reports every test that did not pass in every round.
 * Exits 1 when there is one, 0 when every test passed every time.
 *
 *   npm run test:repeat                        the default suites, 5 rounds
 *   npm run test:repeat -- --runs 10 test/gateway/sse/resume.test.ts
 *
 * The default suites are the timing-sensitive ones: SSE (test/gateway/sse),
 * faults (test/faults, test/testing/faults) and processes (test/cli,
 * test/gateway/shutdown*). A folder stands for the *.test.ts files under it.
 * A test skipped for a missing program (test/helpers/tools.ts) counts as
 * neither a pass nor a failure, and is listed apart.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { run } from 'node:test'
import { parseArgs } from 'node:util'

const root = join(import.meta.dirname, '..')
export const DEFAULT_SUITES = ['test/gateway/sse', 'test/faults', 'test/testing/faults', 'test/cli', 'test/gateway/shutdown*']
const TIMEOUT_MS = 60_000

/** The test files a path stands for: itself, the *.test.ts files under a folder, or, ending in *, those whose name starts so. */
export function testFiles (path: string): string[] {
  if (path.endsWith('*')) {
    const dir = join(root, path, '..')
    const prefix = path.slice(path.lastIndexOf('/') + 1, -1)
    if (!existsSync(dir)) return []
    return readdirSync(dir).filter((n) => n.startsWith(prefix)).flatMap((n) => testFiles(relative(root, join(dir, n))))
  }
  const full = join(root, path)
  if (!existsSync(full)) return []
  if (!statSync(full).isDirectory()) return full.endsWith('.test.ts') ? [relative(root, full)] : []
  return readdirSync(full).sort().flatMap((n) => testFiles(relative(root, join(full, n))))
}

/** Each test's outcomes over the rounds, by `file › name` (subtests: `file › parent › name`). */
type Outcome = 'pass' | 'fail' | 'skip'
type Tally = Map<string, Outcome[]>
/** The first failure's message of each test that failed, by the same key. */
type Failures = Map<string, string>

interface TestData { name: string, nesting: number, skip?: string | boolean, todo?: string | boolean, details?: { error?: unknown } }
interface Event { type: string, data: TestData }

/** Runs `file` once, alone; records each test's outcome under its full name. */
async function runOnce (file: string, tally: Tally, failures: Failures, round: number): Promise<boolean> {
  const names: string[] = []
  let passed = true
  const stream = run({ files: [join(root, file)], isolation: 'process', concurrency: false, timeout: TIMEOUT_MS, cwd: root })
  for await (const event of stream as AsyncIterable<Event>) {
    if (event.type === 'test:start') names[event.data.nesting] = event.data.name
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { name, nesting, skip, todo } = event.data
    names[nesting] = name
    const key = [file, ...names.slice(0, nesting + 1)].join(' › ')
    const outcome: Outcome = event.type === 'test:fail' ? 'fail' : (skip !== undefined || todo !== undefined) ? 'skip' : 'pass'
    if (outcome === 'fail') {
      passed = false
      if (!failures.has(key)) failures.set(key, firstLine(event.data.details?.error))
    }
    const seen = tally.get(key) ?? Array<Outcome>(round).fill('fail')
    seen[round] = outcome
    tally.set(key, seen)
  }
  return passed
}

/** The gist of a failure: the innermost cause's message, on one line. */
function firstLine (error: unknown): string {
  let inner = error
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause
  const message = inner instanceof Error ? inner.message : String(inner)
  return message.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 300) ?? ''
}

/** The report's lines: each test that did not pass in every one of `runs` rounds, and the skipped ones. */
export function report (tally: Tally, failures: Failures, runs: number): { unreliable: string[], skipped: string[] } {
  const unreliable: string[] = []
  const skipped: string[] = []
  for (const [key, outcomes] of [...tally].sort(([a], [b]) => a.localeCompare(b))) {
    const passes = outcomes.filter((o) => o === 'pass').length
    if (outcomes.every((o) => o === 'skip')) {
      skipped.push(`  ${key}`)
    } else if (passes < runs) {
      const failed = outcomes.flatMap((o, i) => (o === 'pass' ? [] : [i + 1]))
      const why = failures.get(key)
      unreliable.push(`  ${key}: passed ${passes} of ${runs} (not in round ${failed.join(', ')})${why === undefined ? '' : `\n      first failure: ${why}`}`)
    }
  }
  return { unreliable, skipped }
}

async function main (): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } })
  const runs = Number(values.runs)
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`)
  const paths = positionals.length > 0 ? positionals : DEFAULT_SUITES
  const missing = positionals.filter((p) => testFiles(p).length === 0)
  if (missing.length > 0) throw new Error(`no test file at ${missing.join(', ')}`)
  const files = [...new Set(paths.flatMap(testFiles))]
  process.stdout.write(`repeat-tests: ${files.length} files, each alone, ${runs} rounds\n`)
  const tally: Tally = new Map()
  const failures: Failures = new Map()
  for (let round = 0; round < runs; round++) {
    for (const file of files) {
      const started = performance.now()
      const ok = await runOnce(file, tally, failures, round)
      process.stdout.write(`${ok ? '✔' : '✖'} round ${round + 1}/${runs} ${file} (${Math.round(performance.now() - started)} ms)\n`)
    }
  }
  // A test missing from a round (its file died before reaching it) did not pass in it.
  for (const outcomes of tally.values()) for (let i = 0; i < runs; i++) outcomes[i] ??= 'fail'
  const { unreliable, skipped } = report(tally, failures, runs)
  if (skipped.length > 0) process.stdout.write(`skipped in every round (a program is missing):\n${skipped.join('\n')}\n`)
  if (unreliable.length > 0) {
    process.stdout.write(`✖ ${unreliable.length} of ${tally.size} tests did not pass every time:\n${unreliable.join('\n')}\n`)
    return 1
  }
  process.stdout.write(`✔ all ${tally.size} tests in ${files.length} files passed ${runs} of ${runs} times\n`)
  return 0
}

if (import.meta.main) process.exitCode = await main()
