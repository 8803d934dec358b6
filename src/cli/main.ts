#!/usr/bin/env node
/**
 * The `backchannel` command's entry (the package's bin, and `node
 * dist/cli/main.js`). It checks the Node.js version against package.json's
 * `engines.node` before anything else is loaded: the CLI itself needs APIs
 * an older Node lacks, and would die with a SyntaxError about a missing
 * export instead of saying what is wrong. So this file uses only syntax and
 * APIs that any Node from 14 on parses and runs, imports nothing of ours
 * statically, and loads the real CLI (cli.ts) only when the version fits.
 */
import { readFileSync } from 'fs'

/** "24.11.0" → [24, 11, 0]; anything unparsable → null. */
function parseVersion (text: string): number[] | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim())
  if (match === null) return null
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

function atLeast (have: number[], want: number[]): boolean {
  for (let i = 0; i < 3; i++) {
    const a = have[i] ?? 0
    const b = want[i] ?? 0
    if (a !== b) return a > b
  }
  return true
}

/** package.json's `engines.node` when it is a plain ">=X.Y.Z"; null otherwise (nothing to check). */
function requiredVersion (): string | null {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines?: { node?: unknown } }
    const range = manifest.engines === undefined ? undefined : manifest.engines.node
    if (typeof range !== 'string') return null
    const match = /^\s*>=\s*(\d+\.\d+\.\d+)\s*$/.exec(range)
    return match === null ? null : (match[1] ?? null)
  } catch {
    return null
  }
}

const required = requiredVersion()
const have = parseVersion(process.versions.node)
const want = required === null ? null : parseVersion(required)
if (required !== null && have !== null && want !== null && !atLeast(have, want)) {
  process.stderr.write('backchannel needs Node.js >= ' + required + '; this is Node.js ' + process.versions.node + ' (' + process.execPath + ')\n')
  process.exitCode = 1
} else {
  import('./cli.ts').catch(function (err: unknown) {
    process.stderr.write('backchannel: ' + (err instanceof Error ? (err.stack === undefined ? err.message : err.stack) : String(err)) + '\n')
    process.exitCode = 1
  })
}
