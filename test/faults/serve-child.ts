/**
 * A real `backchannel serve` child process for the restart fault tests:
 * started on a config file with a STATE_DIR, its JSON log lines kept, and
 * killed with SIGKILL (kill -9) as an OOM kill or an eviction would.
 */
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { FakePhoenix } from '../../src/testing/index.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { Wakeups } from '../helpers/wakeups.ts'

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts')

export interface Serve {
  child: ChildProcess
  address: string
  lines: Array<Record<string, unknown>>
  /** Resolves with the first log line (from the start) that `match` accepts; fails after `ms`. */
  logged: (what: string, match: (line: Record<string, unknown>) => boolean, ms?: number) => Promise<Record<string, unknown>>
}

/**
 * Starts `serve` with `file` and STATE_DIR `stateDir` (null: none) and the variables `env`; resolves once it serves
 * and every one of `topics` is joined (its log says so: the hub has been told).
 */
export async function serve (t: TestContext, phoenix: FakePhoenix, file: string, stateDir: string | null, topics: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Serve> {
  const joined = Promise.all(topics.map(async (topic) => phoenix.waitFor('join', (j) => j.topic === topic && j.status === 'ok', 10_000)))
  const child = spawn(process.execPath, [cli, 'serve', '--config', file], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'info', ...(stateDir === null ? {} : { STATE_DIR: stateDir }), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => child.kill('SIGKILL'))
  const lines: Array<Record<string, unknown>> = []
  const wakeups = new Wakeups()
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => { lines.push(JSON.parse(text) as Record<string, unknown>); wakeups.wake() })
  const address = await wakeups.until('serving', () => lines.find((l) => l['msg'] === 'backchannel serving')?.['address'] as string | undefined, 10_000)
  await joined.catch((err: unknown) => { throw new Error(`${String(err)}: ${JSON.stringify(lines.slice(-5))}`) })
  const logged = (topic: string): boolean => lines.some((l) => l['msg'] === 'channel joined' && l['topic'] === topic)
  await wakeups.until('the joins logged', () => topics.every(logged) ? true : undefined, 10_000)
  return {
    child,
    address,
    lines,
    logged: async (what, match, ms = 10_000) => wakeups.until(what, () => lines.find(match), ms),
  }
}

/** kill -9, and waits for the exit. */
export async function kill9 (child: ChildProcess): Promise<void> {
  const exit = once(child, 'exit', { signal: AbortSignal.timeout(10_000) })
  child.kill('SIGKILL')
  const [code, signal] = await exit as [number | null, string | null]
  assert.deepEqual([code, signal], [null, 'SIGKILL'])
}

/**
 * Writes the config file of a `serve` child in a fresh temporary folder: one upstream `main` on `phoenix` with quick
 * back-offs, then `sections` (the channels, and any other section). Returns the file and its folder.
 */
export async function serveConfig (t: TestContext, phoenix: FakePhoenix, sections: Readonly<Record<string, unknown>>, prefix = 'bc-serve-'): Promise<{ file: string, dir: string }> {
  const dir = await tempDir(t, prefix)
  const file = join(dir, 'config.json')
  await writeFile(file, JSON.stringify({
    upstreams: [{ name: 'main', url: phoenix.endpoint, reconnectBackoffMs: [5], rejoinBackoffMs: [5] }],
    ...sections,
  }))
  return { file, dir }
}
