/**
 * Every code block in examples/README.md and examples/<name>/README.md is
 * checked as examples/README.md says ("How the examples are checked"):
 *
 *  - ```sh          run by bash as written (set -euo pipefail), on its own,
 *                   in the repository root, with the demo's URLs; exit 0
 *  - ```sh server   started in the background: the demo the others use
 *  - ```text        right after one of those: its output, line for line
 *                   (`…` is any text in a line; a line of `…`, any lines)
 *  - ```LANG file=NAME  an excerpt of NAME, next to the README, verbatim
 *
 * Any other block fails. The demo is started from the index's `sh server`
 * block, as a reader would start it, and stopped at the end.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { childEnv, killGroup, root, run } from './helpers.ts'

const EXAMPLES = join(root, 'examples')
/** How long the demo may take to start (npx, then Node compiling the sources). */
const START_DEADLINE_MS = 30_000
/** The language an excerpt's file extension calls for. */
const EXCERPT_LANG: Record<string, string> = { sh: 'sh', py: 'python', ts: 'ts', html: 'html' }

type Kind = 'run' | 'server' | 'output' | 'excerpt'
interface Block { kind: Kind, info: string, code: string, line: number, file?: string }

/** The fenced blocks of a README, each classified; an unknown kind throws with its line. */
function parseBlocks (markdown: string, where: string): Block[] {
  const blocks: Block[] = []
  const fence = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm
  for (const m of markdown.matchAll(fence)) {
    const info = m[1]!.trim()
    const code = m[2]!
    const line = markdown.slice(0, m.index).split('\n').length
    const file = /^(\w+) file=(\S+)$/.exec(info)
    let kind: Kind
    if (info === 'sh') kind = 'run'
    else if (info === 'sh server') kind = 'server'
    else if (info === 'text') kind = 'output'
    else if (file !== null) kind = 'excerpt'
    else throw new Error(`${where}:${line}: a block \`\`\`${info} is none of sh, sh server, text, LANG file=NAME`)
    const previous = blocks.at(-1)
    if (kind === 'output' && previous?.kind !== 'run' && previous?.kind !== 'server') throw new Error(`${where}:${line}: a text block must follow a sh block`)
    if (kind === 'server' && !markdown.slice(m.index + m[0].length).trimStart().startsWith('```text')) throw new Error(`${where}:${line}: a sh server block needs its text block`)
    blocks.push(file === null ? { kind, info, code, line } : { kind, info, code, line, file: file[2]! })
  }
  const fences = markdown.match(/^```/gm)?.length ?? 0
  if (fences !== blocks.length * 2) throw new Error(`${where}: ${fences} fences for ${blocks.length} blocks (one not closed?)`)
  return blocks
}

/** A text block as a pattern over the whole output: `…` is any text within a line, a line of `…` any number of lines. */
function outputPattern (text: string): RegExp {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const source = text.replace(/\n$/, '').split('\n')
    .map((line) => line === '…' ? '(?:[^\\n]*\\n)*?' : `${line.split('…').map(escape).join('[^\\n]*')}\\n`)
    .join('')
  return new RegExp(`^${source}$`, 'u')
}

/** Output as the pattern sees it: ending with one newline. */
function normalised (output: string): string {
  return output.endsWith('\n') ? output : `${output}\n`
}

/** examples/README.md first, then each example's README, by folder. */
async function readmes (): Promise<string[]> {
  const entries = await readdir(EXAMPLES, { withFileTypes: true })
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()
  return ['README.md', ...folders.map((f) => join(f, 'README.md'))]
}

const files = await readmes()

test('the block rules hold the parser to them: unknown kinds, stray output and unclosed fences fail', () => {
  assert.throws(() => parseBlocks('```js\nx\n```\n', 'x.md'), /x\.md:1: a block ```js is none of/)
  assert.throws(() => parseBlocks('```text\nout\n```\n', 'x.md'), /must follow a sh block/)
  assert.throws(() => parseBlocks('```sh\nls\n```\n```sh\n', 'x.md'), /one not closed/)
  assert.throws(() => parseBlocks('```sh server\nrun\n```\n', 'x.md'), /needs its text block/)
  assert.deepEqual(parseBlocks('```sh\nls\n```\n\n```text\na\n```\n\n```ts file=a.ts\nx\n```\n', 'x.md').map((b) => [b.kind, b.file]), [['run', undefined], ['output', undefined], ['excerpt', 'a.ts']])
  assert.match('a 1 b\nmore\nlines\nend\n', outputPattern('a … b\n…\nend\n'))
  assert.doesNotMatch('a 1 b\nextra\n', outputPattern('a … b\n'), 'every line is matched, none left over')
  assert.doesNotMatch('a 1\nb\n', outputPattern('a …b\n'), '… stays within its line')
})

test('every example folder has a README, linked from the index', async () => {
  const index = await readFile(join(EXAMPLES, 'README.md'), 'utf8')
  for (const file of files.slice(1)) {
    await readFile(join(EXAMPLES, file), 'utf8')
    assert.ok(index.includes(`](${file})`), `examples/README.md links to ${file}`)
  }
  assert.ok(files.length >= 6, 'the five examples and the index')
})

let demoEnv: Record<string, string> | undefined
let stopDemo: (() => Promise<void>) | undefined

/** Starts the index's `sh server` block and waits until it printed its text block. */
before(async () => {
  const blocks = parseBlocks(await readFile(join(EXAMPLES, 'README.md'), 'utf8'), 'examples/README.md')
  const at = blocks.findIndex((b) => b.kind === 'server')
  assert.ok(at >= 0, 'examples/README.md starts the demo in a sh server block')
  const expected = outputPattern(blocks[at + 1]!.code)
  const child = spawn('bash', ['-c', blocks[at]!.code], { cwd: root, env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  const exited = once(child, 'exit')
  stopDemo = async () => {
    killGroup(child.pid, 'SIGTERM')
    const timer = setTimeout(() => { killGroup(child.pid) }, 10_000)
    await exited
    clearTimeout(timer)
  }
  let out = ''
  child.stdout.setEncoding('utf8')
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { resolve(false) }, START_DEADLINE_MS)
    child.stdout.on('data', (chunk: string) => {
      out += chunk
      if (expected.test(out)) { clearTimeout(timer); resolve(true) }
    })
    exited.then(() => { clearTimeout(timer); resolve(false) }, () => {})
  })
  assert.ok(started, `the demo printed what examples/README.md shows within ${START_DEADLINE_MS} ms; it printed:\n${out}`)
  const url = (name: string): string => {
    const found = new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(out)?.[1]
    assert.ok(found !== undefined, `the demo printed ${name}`)
    return found
  }
  demoEnv = childEnv({ BACKCHANNEL_URL: url('BACKCHANNEL_URL'), PHOENIX_URL: url('PHOENIX_URL') })
})

after(async () => { await stopDemo?.() })

for (const file of files) {
  test(`examples/${file}: every block runs, or is an excerpt, as written`, async () => {
    const where = `examples/${file}`
    const blocks = parseBlocks(await readFile(join(EXAMPLES, file), 'utf8'), where)
    const folder = join(EXAMPLES, file, '..')
    let ran = 0
    for (const [i, block] of blocks.entries()) {
      const at = `${where}:${block.line}`
      if (block.kind === 'excerpt') {
        const ext = block.file!.slice(block.file!.lastIndexOf('.') + 1)
        assert.equal(block.info.split(' ')[0], EXCERPT_LANG[ext], `${at}: the language of a .${ext} excerpt`)
        const source = await readFile(join(folder, block.file!), 'utf8')
        assert.ok(source.includes(block.code), `${at}: the excerpt is in ${block.file!} as written`)
      }
      if (block.kind !== 'run') continue
      if (demoEnv === undefined) throw new Error('the demo did not start')
      const result = await run('bash', ['-c', `set -euo pipefail\n${block.code}`], demoEnv)
      const shown = `--- stdout\n${result.stdout}--- stderr\n${result.stderr}`
      assert.equal(result.code, 0, `${at}: exit status\n${shown}`)
      const next = blocks[i + 1]
      if (next?.kind === 'output') assert.match(normalised(result.stdout), outputPattern(next.code), `${at}: the output the README shows\n${shown}`)
      ran++
    }
    if (file !== 'README.md') assert.ok(ran >= 1, `${where} runs its example`)
  })
}
