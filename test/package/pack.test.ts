/**
 * What `npm pack` ships, from a tree with no dist/ (as a clean clone has):
 * the prepack script builds, so the bin and the exports are in the tarball,
 * and no source map points at sources the package does not ship.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')

interface Manifest { bin: Record<string, string>, exports: Record<string, string | Record<string, string>>, files: string[] }
interface Packed { files: Array<{ path: string }> }

test('npm pack in a tree without dist builds it first, ships the bin and the exports, and no source maps', { timeout: 240_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bc-pack-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  // The files a clone has that the build and the pack read; dist/ is left out on purpose.
  for (const name of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'config', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    await cp(join(root, name), join(dir, name), { recursive: true })
  }
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  // Outside any npm script's settings (npm_config_*, npm_lifecycle_*), as a person would run it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')))
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: dir, env, timeout: 220_000, maxBuffer: 16 * 1024 * 1024 })
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Packed[]
  assert.ok(packed !== undefined)
  const paths = new Set(packed.files.map((f) => f.path))

  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Manifest
  const wanted = [...Object.values(manifest.bin), 'dist/cli/cli.js']
  for (const entry of Object.values(manifest.exports)) {
    if (typeof entry === 'string') wanted.push(entry)
    else for (const [condition, target] of Object.entries(entry)) if (condition !== 'backchannel-source') wanted.push(target)
  }
  for (const file of wanted) assert.ok(paths.has(file.replace(/^\.\//, '')), `${file} is packed`)

  assert.deepEqual([...paths].filter((p) => p.endsWith('.map')), [], 'no source maps')
  assert.deepEqual([...paths].filter((p) => p.startsWith('src/')), [], 'no sources')
  const dangling: string[] = []
  for (const path of paths) {
    if (path.endsWith('.js') && (await readFile(join(dir, path), 'utf8')).includes('//# sourceMappingURL=')) dangling.push(path)
  }
  assert.deepEqual(dangling, [], 'no built file names a source map')
})
