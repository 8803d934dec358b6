/**
 * The built `backchannel` entry (dist/cli/main.js, the package's bin): it
 * checks the Node.js version before it loads anything else, prints the
 * version, and every command answers --help with its usage.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { accessSync, constants, realpathSync } from 'node:fs'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { tempDir } from '../helpers/temp-dir.ts'

const execFileP = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const bin = join(root, 'dist', 'cli', 'main.js')
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string, engines: { node: string }, bin: Record<string, string> }

interface Ran { code: number, stdout: string, stderr: string }

async function run (node: string, args: string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await execFileP(node, args, { timeout: 20_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** A Node.js on this machine older than the one running the tests (npm puts Node 24 first on PATH; the system's own is older). */
async function olderNode (): Promise<{ path: string, version: string } | null> {
  const candidates = new Set([...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'node')), '/usr/bin/node', '/usr/local/bin/node', '/bin/node'])
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK)
    } catch {
      continue
    }
    const { stdout } = await execFileP(path, ['-p', 'process.versions.node'], { timeout: 10_000 })
    const version = stdout.trim()
    // The path as the process reports it (process.execPath): a link on PATH resolved to its target.
    if (Number(version.split('.')[0]) < 24) return { path: realpathSync(path), version }
  }
  return null
}

test('the bin is dist/cli/main.js, and engines.node is a plain ">=" the entry can check', () => {
  assert.equal(manifest.bin['backchannel'], 'dist/cli/main.js')
  assert.match(manifest.engines.node, /^>=\d+\.\d+\.\d+$/)
})

test('an older Node.js gets one line naming the version needed and the one found, and exit 1', async (t) => {
  const old = await olderNode()
  if (old === null) {
    t.skip('no Node.js older than 24 on this machine; the next test covers the check with a raised engines.node')
    return
  }
  const ran = await run(old.path, [bin, 'serve'])
  assert.equal(ran.code, 1)
  assert.equal(ran.stdout, '')
  assert.equal(ran.stderr, `backchannel needs Node.js >= ${manifest.engines.node.slice(2)}; this is Node.js ${old.version} (${old.path})\n`)
})

test('the check reads engines.node and stops before loading the CLI', async (t) => {
  // A copy of the entry alone, under a package.json asking for a Node.js from the future: had it
  // loaded cli.js (absent here), the error would be a missing module instead of this line.
  const dir = await tempDir(t, 'bc-entry-')
  await mkdir(join(dir, 'dist', 'cli'), { recursive: true })
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', engines: { node: '>=99.0.0' } }))
  await copyFile(bin, join(dir, 'dist', 'cli', 'main.js'))
  const ran = await run(process.execPath, [join(dir, 'dist', 'cli', 'main.js'), 'help'])
  assert.equal(ran.code, 1)
  assert.equal(ran.stderr, `backchannel needs Node.js >= 99.0.0; this is Node.js ${process.versions.node} (${process.execPath})\n`)
})

test('version, --version and -v print the package version and exit 0', async () => {
  for (const arg of ['version', '--version', '-v']) {
    const ran = await run(process.execPath, [bin, arg])
    assert.deepEqual(ran, { code: 0, stdout: `${manifest.version}\n`, stderr: '' }, arg)
  }
})

test('every command answers --help and -h with its usage on stdout and exit 0', async () => {
  const help = await run(process.execPath, [bin, 'help'])
  const names = [...help.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1] ?? '').filter((name) => name !== 'help' && name !== 'version')
  assert.deepEqual(names, ['serve', 'push', 'listen', 'fake-phoenix', 'demo', 'check-config', 'healthcheck'])
  for (const name of names) {
    for (const flag of ['--help', '-h']) {
      const ran = await run(process.execPath, [bin, name, flag])
      assert.equal(ran.code, 0, `${name} ${flag}: ${ran.stderr}`)
      assert.match(ran.stdout, new RegExp(`^usage: backchannel ${name}\\b`), `${name} ${flag}`)
      assert.equal(ran.stderr, '', `${name} ${flag}`)
    }
  }
})
