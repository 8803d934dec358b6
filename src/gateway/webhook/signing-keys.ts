/**
 * One webhook's signing secrets: read from their sources (a literal, an
 * environment variable, a file) into HMAC keys, and the file sources
 * watched the way the config file is (its folder, so a Kubernetes Secret
 * volume's symlink swap is seen; a change of content only), so that a
 * rotated secret file is signed with from then on. A read that fails
 * leaves the keys in use as they were. Errors name the setting and the
 * source, never a secret.
 */
import type { KeyObject } from 'node:crypto'
import { ConfigError } from '../config/errors.ts'
import { describeSource } from '../config/sources.ts'
import type { SecretSource } from '../config/types.ts'
import { watchConfigFile, type ConfigWatcher } from '../reload/watch.ts'
import type { ResolveSource } from '../upstream-client.ts'
import { signingKey } from './signature.ts'

export interface SecretWatchOptions {
  debounceMs: number
  /** A secret file's content changed. */
  onChange: () => void
  /** A watch stopped (its folder went away…). */
  onError: (err: Error) => void
}

/** The keys of `sources`, in order; throws ConfigError naming every source that is missing or malformed. `label`: the channel's name. */
export async function readSigningKeys (sources: readonly SecretSource[], resolve: ResolveSource, label: string): Promise<KeyObject[]> {
  const problems: string[] = []
  const keys: KeyObject[] = []
  for (const [i, source] of sources.entries()) {
    const at = `channel ${label}: webhook signingSecrets[${i}] (${describeSource(source)})`
    let text: string
    try {
      text = await resolve(source)
    } catch (err) {
      const reason = err instanceof ConfigError ? err.problems.join('; ') : err instanceof Error ? err.message : String(err)
      problems.push(`${at}: ${reason}`)
      continue
    }
    const key = signingKey(text)
    if (typeof key === 'string') problems.push(`${at}: ${key}`)
    else keys.push(key)
  }
  if (problems.length > 0) throw new ConfigError(problems, { heading: 'webhook signing secret not usable' })
  return keys
}

/** Watches each file source's folder; returns the watchers (close them when the webhook goes). */
export async function watchSecretFiles (sources: readonly SecretSource[], options: SecretWatchOptions): Promise<ConfigWatcher[]> {
  const files = [...new Set(sources.flatMap((s) => typeof s === 'object' && 'file' in s ? [s.file] : []))]
  const watchers: ConfigWatcher[] = []
  try {
    for (const file of files) watchers.push(await watchConfigFile(file, options))
  } catch (err) {
    for (const w of watchers) w.close()
    throw err
  }
  return watchers
}
