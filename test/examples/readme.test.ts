/**
 * Every code block in README.md, examples/README.md and
 * examples/<name>/README.md is checked as examples/README.md says ("How the
 * examples are checked"):
 *
 *  - ```sh             run by bash as written (set -euo pipefail), on its own,
 *                      in the repository root, with the demo's URLs; exit 0
 *  - ```sh server[=N]  started in the background (the index's: the demo the
 *                      others use); its `export` lines set variables for the
 *                      README's later blocks; stopped when the README is done
 *  - ```text           right after one of those: its output, line for line
 *                      (`…` is any text in a line; a line of `…`, any lines)
 *  - ```text server=N  what server N has printed by now, waited for
 *  - ```sh fresh       a fresh clone's command: `npm ci` and `npm test` are the
 *                      CI entry point's (.ci/run), the rest runs as written
 *  - ```sh cluster     needs a Kubernetes cluster: not run; kubectl or helm
 *                      only, and every file it names exists
 *  - ```LANG file=NAME  an excerpt of NAME, next to the README, verbatim
 *
 * Any other block fails.
 */
import { after, before, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { exportsOf, normalised, outputPattern, parseBlocks, pathsOf, type Block } from './blocks.ts'
import { background, childEnv, root, run, type Background } from './helpers.ts'
import { tool, type ToolName } from '../helpers/tools.ts'

const EXAMPLES = join(root, 'examples')
/** How long a server may take to print what its text block shows (npx, then Node compiling the sources). */
const START_DEADLINE_MS = 30_000
/** The language an excerpt's file extension calls for. */
const EXCERPT_LANG: Record<string, string> = { sh: 'sh', py: 'python', ts: 'ts', html: 'html', yaml: 'yaml' }
/** The CI entry point, whose commands `sh fresh` blocks defer to. */
const CI_RUN = join(root, '.ci', 'run')

/** README.md, then examples/README.md, then each example's README, by folder; paths from the repository root. */
async function readmes (): Promise<string[]> {
  const entries = await readdir(EXAMPLES, { withFileTypes: true })
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()
  return ['README.md', 'examples/README.md', ...folders.map((f) => `examples/${f}/README.md`)]
}

const files = await readmes()

test('the block rules hold the parser to them: unknown kinds, stray output, unnamed servers and unclosed fences fail', () => {
  assert.throws(() => parseBlocks('```js\nx\n```\n', 'x.md'), /x\.md:1: a block ```js is none of/)
  assert.throws(() => parseBlocks('```text\nout\n```\n', 'x.md'), /must follow a sh block/)
  assert.throws(() => parseBlocks('```sh cluster\nkubectl get pods\n```\n```text\nout\n```\n', 'x.md'), /must follow a sh block/)
  assert.throws(() => parseBlocks('```sh\nls\n```\n```sh\n', 'x.md'), /one not closed/)
  assert.throws(() => parseBlocks('```sh server\nrun\n```\n', 'x.md'), /needs its text block/)
  assert.throws(() => parseBlocks('```text server=a\nout\n```\n', 'x.md'), /no sh server=a block before/)
  const blocks = parseBlocks('```sh server=a\nrun\n```\n```text\nup\n```\n```sh\nls\n```\n\n```text server=a\n…\n```\n\n```ts file=a.ts\nx\n```\n', 'x.md')
  assert.deepEqual(blocks.map((b) => [b.kind, b.server ?? b.file]), [['server', 'a'], ['output', undefined], ['run', undefined], ['server-output', 'a'], ['excerpt', 'a.ts']])
  assert.match('a 1 b\nmore\nlines\nend\n', outputPattern('a … b\n…\nend\n'))
  assert.doesNotMatch('a 1 b\nextra\n', outputPattern('a … b\n'), 'every line is matched, none left over')
  assert.doesNotMatch('a 1\nb\n', outputPattern('a …b\n'), '… stays within its line')
  assert.deepEqual(exportsOf('export A_B=http://x:1\n# c\nexport low=1\n'), { A_B: 'http://x:1' })
  assert.deepEqual(pathsOf('kubectl apply -f a/b.yaml --filename c.yaml deployment/x'), ['a/b.yaml', 'c.yaml'])
  assert.deepEqual(pathsOf('helm install x ./helm/backchannel -f my-values.yaml'), ['./helm/backchannel', 'my-values.yaml'])
})

test('every example folder has a README, linked from the index', async () => {
  const index = await readFile(join(EXAMPLES, 'README.md'), 'utf8')
  for (const file of files.slice(2)) {
    await readFile(join(root, file), 'utf8')
    assert.ok(index.includes(`](${file.slice('examples/'.length)})`), `examples/README.md links to ${file}`)
  }
  assert.ok(files.length >= 10, 'the eight examples, the index and README.md')
})

/** A `sh server` block started, once its text block's output has appeared. */
async function startServer (block: Block, output: Block | undefined, env: Record<string, string>, at: string): Promise<Background> {
  if (output?.kind !== 'output') throw new Error(`${at}: a sh server block is followed by its text block`)
  const server = background('bash', ['-c', block.code], env)
  const expected = outputPattern(output.code)
  try {
    await server.until(`${at}: prints what the README shows`, (out) => expected.test(out), START_DEADLINE_MS)
  } catch (err) {
    await server.stop()
    throw err
  }
  return server
}

let demoEnv: Record<string, string> | undefined
let stopDemo: (() => Promise<void>) | undefined
/** The line of the index's demo block, started once for every README. */
let demoLine: number | undefined

before(async () => {
  const blocks = parseBlocks(await readFile(join(EXAMPLES, 'README.md'), 'utf8'), 'examples/README.md')
  const at = blocks.findIndex((b) => b.kind === 'server')
  assert.ok(at >= 0, 'examples/README.md starts the demo in a sh server block')
  demoLine = blocks[at]?.line
  const demo = await startServer(blocks[at]!, blocks[at + 1], childEnv(), 'examples/README.md')
  stopDemo = demo.stop
  const exported = exportsOf(demo.stdout())
  assert.ok(exported['BACKCHANNEL_URL'] !== undefined && exported['PHOENIX_URL'] !== undefined, 'the demo printed both URLs')
  demoEnv = childEnv(exported)
})

after(async () => { await stopDemo?.() })

/** The commands of a `sh fresh` block: `npm ci` and `npm test` must be CI's, the rest is run. */
async function freshCommands (block: Block, at: string): Promise<string[]> {
  const ci = await readFile(CI_RUN, 'utf8')
  const commands = block.code.trim().split(/\s*&&\s*/)
  assert.equal(commands[0], 'npm ci', `${at}: a fresh clone starts with npm ci`)
  const rest: string[] = []
  for (const command of commands) {
    if (command === 'npm ci' || command === 'npm test') assert.match(ci, new RegExp(`^${command}( |$)`, 'm'), `${at}: .ci/run runs ${command}`)
    else rest.push(command)
  }
  return rest
}

/** Programs a README's commands may run that npm does not provide. */
const PROGRAMS: readonly ToolName[] = ['curl', 'python3']

/** The programs of PROGRAMS that `blocks` run (as a command word in a block that is run). */
function programsRun (blocks: readonly Block[]): ToolName[] {
  const runnable = blocks.filter((b) => b.kind === 'run' || b.kind === 'server' || b.kind === 'fresh')
  return PROGRAMS.filter((p) => runnable.some((b) => new RegExp(`(^|[\\s|;&(])${p}(\\s|$)`, 'm').test(b.code)))
}

/**
 * Runs the blocks of one README in order, its servers stopped at the end of
 * the test; undefined when the test was skipped for a program not installed.
 */
async function checkReadme (t: TestContext, file: string): Promise<number | undefined> {
  const blocks = parseBlocks(await readFile(join(root, file), 'utf8'), file)
  for (const program of programsRun(blocks)) if (tool(t, program) === undefined) return undefined
  const folder = join(root, file, '..')
  const servers = new Map<string, Background>()
  t.after(async () => { for (const s of servers.values()) await s.stop() })
  if (demoEnv === undefined) throw new Error('the demo did not start')
  let env = demoEnv
  let ran = 0
  for (const [i, block] of blocks.entries()) {
    const at = `${file}:${block.line}`
    const next = blocks[i + 1]
    if (block.kind === 'excerpt') {
      const ext = block.file?.slice(block.file.lastIndexOf('.') + 1) ?? ''
      assert.equal(block.info.split(' ')[0], EXCERPT_LANG[ext], `${at}: the language of a .${ext} excerpt`)
      const source = await readFile(join(folder, block.file ?? ''), 'utf8')
      assert.ok(source.includes(block.code), `${at}: the excerpt is in ${block.file ?? ''} as written`)
    } else if (block.kind === 'cluster') {
      for (const command of block.code.split('\n').filter((l) => l.trim() !== '')) {
        assert.match(command, /^(kubectl|helm) /, `${at}: a cluster block runs kubectl or helm only`)
        for (const path of pathsOf(command).filter((p) => p.includes('/'))) assert.ok(existsSync(join(root, path)), `${at}: ${path} exists`)
      }
      ran++
    } else if (block.kind === 'server' && !(file === 'examples/README.md' && block.line === demoLine)) {
      const server = await startServer(block, next, env, at)
      servers.set(block.server ?? String(block.line), server)
      env = { ...env, ...exportsOf(server.stdout()) }
      ran++
    } else if (block.kind === 'server-output') {
      const expected = outputPattern(block.code)
      await servers.get(block.server ?? '')?.until(`${at}: shows what the README shows`, (out) => expected.test(out))
    } else if (block.kind === 'run' || block.kind === 'fresh') {
      const commands = block.kind === 'run' ? [block.code] : await freshCommands(block, at)
      for (const command of commands) {
        const result = await run('bash', ['-c', `set -euo pipefail\n${command}`], env)
        const shown = `--- stdout\n${result.stdout}--- stderr\n${result.stderr}`
        assert.equal(result.code, 0, `${at}: exit status\n${shown}`)
        if (next?.kind === 'output') assert.match(normalised(result.stdout), outputPattern(next.code), `${at}: the output the README shows\n${shown}`)
      }
      ran++
    }
  }
  return ran
}

for (const file of files) {
  test(`${file}: every block runs, or is checked as its kind says`, async (t) => {
    const ran = await checkReadme(t, file)
    if (ran === undefined) return
    if (file !== 'examples/README.md') assert.ok(ran >= 1, `${file} runs or checks a command`)
  })
}
