/**
 * Helpers for the reload tests: a gateway started in-process from a real
 * config file with the start-up loader (environment record and file), so
 * `daemon.reload()` reads the file again exactly as a SIGHUP would; its
 * log lines captured at info; the file rewritten by the test.
 */
import type { TestContext } from 'node:test'
import { mkdir, mkdtemp, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { loadConfig } from '../../../src/gateway/config/index.ts'
import { createDaemon, type Daemon } from '../../../src/gateway/daemon.ts'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import type { ResolveSource } from '../../../src/gateway/upstream-client.ts'
import { Wakeups } from '../../helpers/wakeups.ts'
import { literal } from '../helpers.ts'

export interface LogLine { level: number, msg?: string, component?: string, [key: string]: unknown }

/** The file a Kubernetes ConfigMap volume shows: `config.yaml -> ..data/config.yaml`, `..data -> ..<stamp>`. */
export async function configMapFolder (dir: string, content: string): Promise<string> {
  await mkdir(join(dir, '..2026_01_01_00_00_00.1'))
  await writeFile(join(dir, '..2026_01_01_00_00_00.1', 'config.yaml'), content)
  await symlink('..2026_01_01_00_00_00.1', join(dir, '..data'))
  await symlink(join('..data', 'config.yaml'), join(dir, 'config.yaml'))
  return join(dir, 'config.yaml')
}

let swaps = 1

/** A ConfigMap update as the kubelet writes it: a new timestamped folder, a new `..data` link renamed over the old one, the old folder removed. */
export async function configMapSwap (dir: string, content: string): Promise<void> {
  const old = await readlink(join(dir, '..data'))
  const stamp = `..2026_01_01_00_00_00.${++swaps}`
  await mkdir(join(dir, stamp))
  await writeFile(join(dir, stamp, 'config.yaml'), content)
  await symlink(stamp, join(dir, '..data_tmp'))
  await rename(join(dir, '..data_tmp'), join(dir, '..data'))
  await rm(join(dir, old), { recursive: true, force: true })
}

export interface Reloadable {
  phoenix: FakePhoenix
  daemon: Daemon
  base: string
  dir: string
  file: string
  /** Every log line (debug and above). */
  logs: LogLine[]
  /** Writes the config file (JSON). */
  write: (content: object | string) => Promise<void>
  /** The first log line (now or later) with this message. */
  logged: (msg: string | RegExp, from?: number) => Promise<LogLine>
}

/** An upstream as a file would name it, against `endpoint`, with fast back-off for tests. */
export function upstream (endpoint: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'main', url: endpoint, reconnectBackoffMs: [5], rejoinBackoffMs: [5], joinTimeoutMs: 2000, ...over }
}

export interface ReloadableOptions {
  phoenix?: FakePhoenixOptions
  /** Extra environment variables (CONFIG_WATCH is off unless given). */
  env?: Record<string, string>
  /** Lays the first content out in the folder (instead of writing config.json) and returns the file's path. */
  prepare?: (dir: string, content: string) => Promise<string>
  /** Reads param, token, header and secret sources; default: literals only. */
  resolve?: ResolveSource
}

export async function startReloadable (t: TestContext, content: (phoenix: FakePhoenix) => object, options: ReloadableOptions = {}): Promise<Reloadable> {
  const phoenix = await startFakePhoenix(options.phoenix)
  const dir = await mkdtemp(join(tmpdir(), 'bc-reload-'))
  const first = JSON.stringify(content(phoenix), null, 2)
  const file = options.prepare === undefined ? join(dir, 'config.json') : await options.prepare(dir, first)
  const write = async (c: object | string): Promise<void> => { await writeFile(file, typeof c === 'string' ? c : JSON.stringify(c, null, 2)) }
  if (options.prepare === undefined) await write(first)
  const env = { CONFIG_FILE: file, PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '5000', CONFIG_WATCH: 'false', ...options.env }
  const logs: LogLine[] = []
  const wakeups = new Wakeups()
  const logger = pino({ level: 'debug' }, { write (line: string) { logs.push(JSON.parse(line) as LogLine); wakeups.wake() } })
  const daemon = await createDaemon(await loadConfig(env), { logger, resolve: options.resolve ?? literal, load: async () => loadConfig(env) })
  t.after(async () => {
    await daemon.close()
    await phoenix.close()
    await rm(dir, { recursive: true, force: true })
  })
  const base = await daemon.start()
  const logged = async (msg: string | RegExp, from = 0): Promise<LogLine> => wakeups.until(`log "${String(msg)}"`, () => logs.slice(from).find((l) => typeof msg === 'string' ? l.msg === msg : msg.test(l.msg ?? '')), 5000)
  return { phoenix, daemon, base, dir, file, logs, write, logged }
}
