/**
 * The fenced code blocks of a README, each classified by its info string as
 * examples/README.md ("How the examples are checked") describes; a block
 * of any other kind, a stray output block or an unclosed fence throws with
 * its line. Also: a text block as a pattern over a whole output.
 */

export type Kind = 'run' | 'server' | 'output' | 'server-output' | 'excerpt' | 'cluster' | 'fresh'

export interface Block {
  kind: Kind
  info: string
  code: string
  /** Line of the opening fence, from 1. */
  line: number
  /** The file an excerpt is from. */
  file?: string
  /** The server a `sh server=NAME` block starts, or a `text server=NAME` block watches. */
  server?: string
}

const FIXED: Readonly<Record<string, Kind>> = { sh: 'run', 'sh server': 'server', text: 'output', 'sh cluster': 'cluster', 'sh fresh': 'fresh' }
/** The kinds whose output a text block right after them shows. */
const PRODUCERS: ReadonlySet<Kind> = new Set(['run', 'server', 'fresh'])

function classify (info: string): Omit<Block, 'code' | 'line'> | undefined {
  const fixed = FIXED[info]
  if (fixed !== undefined) return { kind: fixed, info }
  const named = /^(sh|text) server=([\w-]+)$/.exec(info)
  if (named !== null) return { kind: named[1] === 'sh' ? 'server' : 'server-output', info, server: named[2] ?? '' }
  const file = /^(\w+) file=(\S+)$/.exec(info)
  if (file !== null) return { kind: 'excerpt', info, file: file[2] ?? '' }
  return undefined
}

/** The fenced blocks of `markdown`, classified; `where` names it in errors. */
export function parseBlocks (markdown: string, where: string): Block[] {
  const blocks: Block[] = []
  const servers = new Set<string>()
  const fence = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm
  for (const m of markdown.matchAll(fence)) {
    const info = (m[1] ?? '').trim()
    const line = markdown.slice(0, m.index).split('\n').length
    const kind = classify(info)
    if (kind === undefined) throw new Error(`${where}:${line}: a block \`\`\`${info} is none of sh, sh server, sh cluster, sh fresh, text, text server=NAME, LANG file=NAME`)
    const block: Block = { ...kind, code: m[2] ?? '', line }
    const previous = blocks.at(-1)
    if (block.kind === 'output' && (previous === undefined || !PRODUCERS.has(previous.kind))) throw new Error(`${where}:${line}: a text block must follow a sh block`)
    if (block.kind === 'server' && !markdown.slice(m.index + m[0].length).trimStart().startsWith('```text\n')) throw new Error(`${where}:${line}: a sh server block needs its text block`)
    if (block.kind === 'server' && block.server !== undefined) servers.add(block.server)
    if (block.kind === 'server-output' && !servers.has(block.server ?? '')) throw new Error(`${where}:${line}: no sh server=${block.server ?? ''} block before this one`)
    blocks.push(block)
  }
  const fences = markdown.match(/^```/gm)?.length ?? 0
  if (fences !== blocks.length * 2) throw new Error(`${where}: ${fences} fences for ${blocks.length} blocks (one not closed?)`)
  return blocks
}

/** A text block as a pattern over the whole output: `…` is any text within a line, a line of `…` any number of lines. */
export function outputPattern (text: string): RegExp {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const source = text.replace(/\n$/, '').split('\n')
    .map((line) => line === '…' ? '(?:[^\\n]*\\n)*?' : `${line.split('…').map(escape).join('[^\\n]*')}\\n`)
    .join('')
  return new RegExp(`^${source}$`, 'u')
}

/** Output as the pattern sees it: ending with one newline. */
export function normalised (output: string): string {
  return output.endsWith('\n') ? output : `${output}\n`
}

/** `export NAME=VALUE` lines of a server's output, as variables. */
export function exportsOf (output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']))
}

/** The repository paths a `sh cluster` command names: the arguments of `-f`/`--filename`, and arguments starting with `./`. */
export function pathsOf (command: string): string[] {
  const args = command.trim().split(/\s+/)
  return args.filter((arg, i) => arg.startsWith('./') || args[i - 1] === '-f' || args[i - 1] === '--filename')
}
