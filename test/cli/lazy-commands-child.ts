/**
 * A child for lazy-commands.test.ts: records every module the process
 * resolves and runs `backchannel serve` (the real CLI entry) with the
 * config file the environment names. On SIGTERM (sent once it serves) it
 * writes the URLs resolved so far as JSON to the file named by argv[2],
 * before serve's own drain runs.
 */
import { writeFileSync } from 'node:fs'
import { recordResolvedModules } from '../helpers/resolved-modules.ts'

const out = process.argv[2]
if (out === undefined) throw new Error('usage: lazy-commands-child.ts OUT_FILE')
const resolved = recordResolvedModules()
process.once('SIGTERM', () => { writeFileSync(out, JSON.stringify([...resolved])) })

process.argv = [process.argv[0] ?? 'node', 'backchannel', 'serve']
await import('../../src/cli/cli.ts')
