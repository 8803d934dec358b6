/**
 * The `sharedHistory` section: its URL and timings checked as a whole
 * (what the schema cannot say), file paths made absolute against the
 * config file's folder. Each problem names the field; none throws.
 */
import { isAbsolute, resolve } from 'node:path'
import type { RawFile } from './file-types.generated.ts'
import { checkSource } from './checks.ts'

export type SharedHistorySection = NonNullable<RawFile['sharedHistory']>

function absolute (path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

/** The complete section, or undefined when it is absent. */
export function completeSharedHistory (raw: RawFile['sharedHistory'], baseDir: string, problems: string[]): SharedHistorySection | undefined {
  if (raw === undefined) return undefined
  const at = '/sharedHistory'
  let tls = false
  try {
    const url = new URL(raw.url)
    tls = url.protocol === 'rediss:'
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') problems.push(`${at}/url: must start with redis:// or rediss://, got ${url.protocol}//`)
    if (url.username !== '' || url.password !== '') problems.push(`${at}/url: must not hold credentials; set username and password (from a file) instead`)
  } catch {
    problems.push(`${at}/url: not a URL (expected redis://host:port or rediss://host:port)`)
  }
  if (raw.commandTimeoutMs >= raw.leaseTtlMs / 3) {
    // A renewal must be able to fail and be retried before the lease runs out.
    problems.push(`${at}/commandTimeoutMs: ${raw.commandTimeoutMs} ms must be under leaseTtlMs / 3 (${Math.floor(raw.leaseTtlMs / 3)} ms), so a lease renewal can fail and be retried before the lease runs out`)
  }
  if (raw.reconnectMinMs > raw.reconnectMaxMs) problems.push(`${at}/reconnectMinMs: ${raw.reconnectMinMs} ms must be at most reconnectMaxMs (${raw.reconnectMaxMs} ms)`)
  if (raw.tlsCaFile !== undefined && !tls) problems.push(`${at}/tlsCaFile: set, but the URL is not rediss://`)
  const section: SharedHistorySection = { ...raw }
  if (raw.password !== undefined) {
    checkSource(raw.password, `${at}/password`, problems)
    if (typeof raw.password === 'object' && 'file' in raw.password) section.password = { file: absolute(raw.password.file, baseDir) }
  }
  if (raw.tlsCaFile !== undefined) section.tlsCaFile = absolute(raw.tlsCaFile, baseDir)
  return section
}
