/**
 * The shape of shared history's configuration and its defaults: the
 * `sharedHistory` section of the config file has exactly these fields (its
 * schema in config/backchannel.schema.json, checked at load by
 * config/shared-history.ts; docs/shared-history.md has the YAML).
 *
 * The password (a literal, or better a file — a Kubernetes Secret mounted
 * as a file — or a variable) is read again at every connect, so a rotated
 * Secret is used from the next reconnect on.
 */
import { readFile } from 'node:fs/promises'
import type { SecretSource } from '../config/types.ts'
import { resolveSecret } from '../config/sources.ts'
import { ConfigError } from '../config/errors.ts'

export interface SharedHistoryConfig {
  /** `redis://host:port` or `rediss://host:port` (TLS); no credentials in the URL. */
  readonly url: string
  /** ACL user; absent: the `default` user. */
  readonly username?: string
  /** `{ file: PATH }` or `{ env: NAME }`; absent: no AUTH. */
  readonly password?: SecretSource
  /** PEM file of the CA that signed Redis's certificate (rediss:// only); absent: the system's CAs. */
  readonly tlsCaFile?: string
  /** Prepended to every key, e.g. `bc:` (one Redis shared by several deployments). */
  readonly keyPrefix: string
  /** The writer lease's time to live: a dead writer is replaced within it (plus one retry, ttl/3). */
  readonly leaseTtlMs: number
  /** Each stream keeps about this many entries (XADD MAXLEN ~). */
  readonly maxLen: number
  /** The deadline of every Redis call but a blocking read. */
  readonly commandTimeoutMs: number
  /** Reconnect back-off: first and largest delay, jittered. */
  readonly reconnectMinMs: number
  readonly reconnectMaxMs: number
}

export const SHARED_HISTORY_DEFAULTS = {
  keyPrefix: 'bc:',
  leaseTtlMs: 3000,
  maxLen: 10_000,
  commandTimeoutMs: 500,
  reconnectMinMs: 100,
  reconnectMaxMs: 5000,
} as const satisfies Partial<SharedHistoryConfig>

/** What a Redis client needs, with secrets read as late as possible. */
export interface RedisConnectOptions {
  readonly url: string
  readonly tls: boolean
  /** The CA's PEM text, read once at start (a CA rotation is a restart). */
  readonly ca?: string
  /** Called at every connect: the username and the password as read now. */
  readonly credentials: () => Promise<{ username?: string, password?: string }>
}

/** Checks the URL and reads the CA file; the password is only read when connecting. */
export async function resolveConnectOptions (config: SharedHistoryConfig, env: Readonly<Record<string, string | undefined>> = process.env): Promise<RedisConnectOptions> {
  let url: URL
  try {
    url = new URL(config.url)
  } catch {
    throw new ConfigError(['/sharedHistory/url: not a URL (expected redis://host:port or rediss://host:port)'])
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError([`/sharedHistory/url: scheme ${url.protocol} is neither redis: nor rediss:`])
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(['/sharedHistory/url: holds credentials; set username and password (from a file) instead'])
  }
  if (config.commandTimeoutMs >= config.leaseTtlMs / 3) {
    // A renewal must be able to fail and be retried before the lease runs out.
    throw new ConfigError([`/sharedHistory/commandTimeoutMs: must be under leaseTtlMs / 3 (${Math.floor(config.leaseTtlMs / 3)})`])
  }
  const tls = url.protocol === 'rediss:'
  if (!tls && config.tlsCaFile !== undefined) throw new ConfigError(['/sharedHistory/tlsCaFile: set, but the URL is not rediss://'])
  let ca: string | undefined
  if (config.tlsCaFile !== undefined) {
    try {
      ca = await readFile(config.tlsCaFile, 'utf8')
    } catch (err) {
      throw new ConfigError([`/sharedHistory/tlsCaFile: cannot read file ${config.tlsCaFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`], { cause: err })
    }
  }
  const { username, password } = config
  const credentials = async (): Promise<{ username?: string, password?: string }> => ({
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password: await resolveSecret(password, env, '/sharedHistory/password') }),
  })
  return { url: config.url, tls, ...(ca === undefined ? {} : { ca }), credentials }
}
