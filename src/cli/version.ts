import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The package version, read from package.json next to src/ or dist/. */
export async function packageVersion (): Promise<string> {
  const text = await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')
  return (JSON.parse(text) as { version?: string }).version ?? '0.0.0'
}
