/**
 * Every relative link in README.md, docs/*.md and examples/**\/README.md
 * points at a file or folder of the repository, and a `#fragment` at a
 * heading of the page it names (GitHub's anchors: lower case, punctuation
 * dropped, spaces to hyphens).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

function markdownFiles (): string[] {
  const examples = readdirSync(join(root, 'examples'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join('examples', e.name, 'README.md'))
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))
  return ['README.md', 'examples/README.md', ...docs, ...examples].filter((f) => existsSync(join(root, f)))
}

/** The text outside fenced code blocks. */
function prose (markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '')
}

/** GitHub's anchor for a heading. */
export function anchor (heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')
}

function anchorsOf (file: string): Set<string> {
  const headings = [...prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] ?? ''))
  return new Set(headings)
}

test('the anchor rule matches GitHub\'s for the headings used here', () => {
  assert.equal(anchor('Scaling: what lives in a pod'), 'scaling-what-lives-in-a-pod')
  assert.equal(anchor('`GET /v1/channels`'), 'get-v1channels')
  assert.equal(anchor('Proxies and Server-Sent Events'), 'proxies-and-server-sent-events')
})

for (const file of markdownFiles()) {
  test(`${file}: every relative link resolves`, () => {
    const text = prose(readFileSync(join(root, file), 'utf8')).replace(/`[^`\n]*`/g, '')
    const broken: string[] = []
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? ''
      if (/^[a-z]+:/i.test(target)) continue
      const [path = '', fragment] = target.split('#')
      const resolved = path === '' ? join(root, file) : join(root, dirname(file), path)
      if (!existsSync(resolved)) {
        broken.push(`${target}: no ${relative(root, resolved)}`)
        continue
      }
      if (fragment !== undefined && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchorsOf(resolved).has(fragment)) {
        broken.push(`${target}: no heading #${fragment} in ${relative(root, resolved)}`)
      }
    }
    assert.deepEqual(broken, [])
  })
}
