/**
 * Another process's resources, read from outside it through Linux's /proc,
 * without disturbing it (no collection forced, no request served).
 */
import { readFile } from 'node:fs/promises'

/** VmRSS of process `pid`, bytes. */
export async function rssBytes (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]
  if (kb === undefined) throw new Error(`/proc/${pid}/status has no VmRSS`)
  return Number(kb) * 1024
}
