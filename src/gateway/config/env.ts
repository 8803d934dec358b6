/**
 * The gateway's environment variables, read through env-schema from the
 * record it is given (never process.env itself), with a strict Ajv: values
 * stay strings and are checked by pattern, so `PORT=0x10` or `PORT=" 8"` is an
 * error rather than a number Ajv's coercion would have guessed. Unknown
 * BACKCHANNEL_* variables are errors (a misspelt name must not be ignored),
 * each with the closest variable or the list of them; the client side's
 * BACKCHANNEL_URL and BACKCHANNEL_AUTH_TOKEN, often exported in the same
 * shell, are left alone, as is every other variable.
 */
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { envSchema } from 'env-schema'
import type { ErrorObject } from 'ajv'
import { ConfigError } from './errors.ts'
import { strictAjv } from './schema.ts'
import type { EnvConfig, HttpLimits } from './types.ts'

const MS = { type: 'string', pattern: '^(0|[1-9][0-9]{0,9})$' } as const

/** The variables, their defaults and descriptions (docs/configuration.md is generated from this). */
export const ENV_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    PORT: { type: 'string', pattern: '^(0|[1-9][0-9]{0,4})$', default: '8080', description: 'TCP port of the HTTP API (0 picks a free one).' },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1', description: 'Address the HTTP API binds to. Any address other than loopback requires `API_TOKEN` or `API_TOKEN_FILE`.' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'pino log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.' },
    CONFIG_FILE: { type: 'string', minLength: 1, description: 'Path of the config file (YAML or JSON, see below).' },
    API_TOKEN: { type: 'string', pattern: '^[\\x21-\\x7e]+$', description: 'Bearer token the HTTP API requires (`Authorization: Bearer …`). Printable ASCII, no spaces.' },
    API_TOKEN_FILE: { type: 'string', minLength: 1, description: 'File holding the bearer token (one trailing newline is ignored). Not together with `API_TOKEN`.' },
    READY_GRACE_MS: { ...MS, default: '3000', description: 'How long readiness tolerates a required channel being down, ms.' },
    SHUTDOWN_GRACE_MS: { ...MS, default: '25000', description: 'Budget for draining on SIGTERM before the process gives up, ms.' },
    CONFIG_WATCH: { type: 'string', enum: ['true', 'false'], default: 'true', description: 'Watch the config file\'s folder and apply the file when its content changes (a Kubernetes ConfigMap update included), as on SIGHUP. `false`: only SIGHUP reloads.' },
    CONFIG_WATCH_DEBOUNCE_MS: { ...MS, default: '500', description: 'Quiet time after the last change in the config file\'s folder before the file is read, ms.' },
    HTTP_HEADERS_TIMEOUT_MS: { ...MS, default: '10000', description: 'How long a client may take to send a request\'s headers, ms; then it gets 408 `BC_ERR_REQUEST_TIMEOUT` and the connection is closed. At least 1, at most `HTTP_REQUEST_TIMEOUT_MS`.' },
    HTTP_REQUEST_TIMEOUT_MS: { ...MS, default: '30000', description: 'How long a client may take to send a whole request, headers and body, ms; then it gets 408 `BC_ERR_REQUEST_TIMEOUT` and the connection is closed. An SSE stream is not affected once its request is in. At least 1.' },
    HTTP_KEEP_ALIVE_TIMEOUT_MS: { ...MS, default: '72000', description: 'How long an idle keep-alive connection stays open between requests, ms. Keep it above the idle timeout of a proxy or load balancer in front. At least 1.' },
    HTTP_MAX_CONNECTIONS: { type: 'string', pattern: '^[1-9][0-9]{0,6}$', default: '10000', description: 'Open HTTP connections at most, SSE streams included; a connection beyond it is closed at once, unanswered. From 1 to 9999999.' },
    STATE_DIR: { type: 'string', minLength: 1, description: 'Folder of the durable store (`backchannel.db`, SQLite in WAL mode): the webhook outbox survives a restart, kill -9 included (docs/operations.md). Unset: everything is held in memory only, and a restart loses it. With it the replay rings and the epoch are kept too: a restarted sidecar resumes a reader from an id it still holds exactly, then a `gap upstream_disconnected` for its downtime.' },
    STATE_MAX_BYTES: { type: 'string', pattern: '^[1-9][0-9]{0,14}$', default: '268435456', description: 'Size of the store\'s database file at most, bytes (its write-ahead log comes on top, up to 64 MiB). A write that does not fit fails: the message is kept in memory only, with an error log and `backchannel_store_errors_total`.' },
    POD_NAME: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[\\x21-\\x7e]+$', description: 'This replica\'s id in shared history (`sharedHistory` in the config file): who holds a topic\'s writer lease, shown in Redis\'s CLIENT LIST. Set it from the pod\'s name (`fieldRef: metadata.name`). Unset: the host name, which in Kubernetes is the pod\'s name too.' },
    STATE_SYNC: { type: 'string', enum: ['normal', 'full'], default: 'normal', description: 'When the store syncs to disk. `normal`: each event-loop turn\'s writes are committed at its end and reach the disk at checkpoints; a kill -9 loses nothing committed, a power loss or kernel crash may lose the last commits. `full`: every commit is synced (fsync) before the next; a power loss loses nothing committed, at a cost per commit (bench/README.md).' },
  },
} as const

type EnvName = keyof typeof ENV_SCHEMA.properties
type RawEnv = Partial<Record<EnvName, string>>

const NAMES = Object.keys(ENV_SCHEMA.properties) as EnvName[]
const SECRET: ReadonlySet<string> = new Set(['API_TOKEN'])
const EXPECTED: Partial<Record<EnvName, string>> = {
  PORT: 'a whole number from 0 to 65535',
  READY_GRACE_MS: 'a whole number of milliseconds',
  CONFIG_WATCH_DEBOUNCE_MS: 'a whole number of milliseconds',
  SHUTDOWN_GRACE_MS: 'a whole number of milliseconds',
  HTTP_HEADERS_TIMEOUT_MS: 'a whole number of milliseconds',
  HTTP_REQUEST_TIMEOUT_MS: 'a whole number of milliseconds',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 'a whole number of milliseconds',
  HTTP_MAX_CONNECTIONS: 'a whole number from 1 to 9999999',
  STATE_MAX_BYTES: 'a whole number of bytes, at least 1',
  POD_NAME: 'printable ASCII without spaces, at most 253 characters',
  API_TOKEN: 'printable ASCII without spaces',
}
const MAX_TIMER_MS = 2_147_483_647
/** The store needs room for its schema and a few pages of each table. */
const MIN_STATE_BYTES = 1_048_576
const PREFIX = 'BACKCHANNEL_'
/** Read by the apps (the examples: the gateway's address) and by `push`/`listen`, never by the gateway. */
const CLIENT_SIDE: ReadonlySet<string> = new Set(['BACKCHANNEL_URL', 'BACKCHANNEL_AUTH_TOKEN'])
// Kubernetes injects service links for every Service in the namespace: a Service named "backchannel"
// or "backchannel-api" gives BACKCHANNEL_PORT=tcp://…, BACKCHANNEL_API_SERVICE_HOST, BACKCHANNEL_API_PORT_8080_TCP…
// The service-name part is matched lazily, so BACKCHANNEL_SERVICE_PORT is the link SERVICE_PORT, not a service "SERVICE".
const SERVICE_LINK = /^BACKCHANNEL_(?:[A-Z0-9_]+?_)??(?<suffix>SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?|PORT_[0-9]+_(?:TCP|UDP|SCTP)(?:_PROTO|_PORT|_ADDR)?|PORT)$/

function isServiceLink (name: string, value: string): boolean {
  const suffix = SERVICE_LINK.exec(name)?.groups?.['suffix']
  if (suffix === undefined) return false
  // A bare …_PORT is a link only when it holds a URL; BACKCHANNEL_PORT=9000 is a misspelt PORT.
  return suffix !== 'PORT' || /^(tcp|udp|sctp):\/\//.test(value)
}

/** True for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopback (host: string): boolean {
  if (host === 'localhost' || host === '::1') return true
  return isIP(host) === 4 && host.startsWith('127.')
}

function isHost (host: string): boolean {
  if (isIP(host) !== 0) return true
  return host.length <= 253 && /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/.test(host)
}

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function distance (a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    row = next
  }
  return row[b.length] ?? 0
}

/** The hint for an unknown BACKCHANNEL_* name: the closest variable (a third of its letters off at most), or all of them. */
function unknownVariableHint (name: string): string {
  const bare = name.slice(PREFIX.length)
  let best: { name: string, off: number } | null = null
  for (const known of NAMES) {
    const off = distance(bare, known)
    if (off <= Math.floor(known.length / 3) && (best === null || off < best.off)) best = { name: known, off }
  }
  if (best !== null) return `did you mean ${best.name}?`
  return `the gateway's variables have no prefix: ${NAMES.join(', ')}`
}

function formatEnvError (error: ErrorObject, data: RawEnv): string {
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'additionalProperties') {
    const name = String(params['additionalProperty'])
    return `${name}: unknown variable (${unknownVariableHint(name)})`
  }
  const name = error.instancePath.slice(1) as EnvName
  const expected = EXPECTED[name]
  const got = SECRET.has(name) ? '' : `, got ${JSON.stringify(data[name])}`
  if (error.keyword === 'enum') {
    return `${name}: must be one of ${((params['allowedValues'] as unknown[] | undefined) ?? []).map(String).join(', ')}${got}`
  }
  if (error.keyword === 'minLength') return `${name}: must not be empty`
  return `${name}: must be ${expected ?? error.message ?? 'valid'}${got}`
}

function readTokenFile (path: string, problems: string[]): string | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    problems.push(`API_TOKEN_FILE: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
    return null
  }
  const token = text.replace(/\r?\n$/, '')
  if (token === '') problems.push(`API_TOKEN_FILE: ${path} is empty`)
  else if (!/^[\x21-\x7e]+$/.test(token)) problems.push(`API_TOKEN_FILE: the token in ${path} must be ${EXPECTED.API_TOKEN ?? ''} (only one trailing newline is ignored)`)
  else return token
  return null
}

function milliseconds (name: EnvName, value: string, problems: string[]): number {
  const n = Number(value)
  if (n > MAX_TIMER_MS) problems.push(`${name}: must be at most ${MAX_TIMER_MS} ms, got "${value}"`)
  return n
}

/** The gateway's variables from `data` (process.env in `serve`, a literal in tests). Throws ConfigError with every problem. */
export function loadEnv (data: Record<string, string | undefined>): EnvConfig {
  const raw: Record<string, string> = {}
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined) continue
    if ((NAMES as string[]).includes(name) || (name.startsWith(PREFIX) && !CLIENT_SIDE.has(name) && !isServiceLink(name, value))) raw[name] = value
  }
  let env: RawEnv
  try {
    env = envSchema<RawEnv>({ schema: structuredClone(ENV_SCHEMA), data: raw, env: false, dotenv: false, ajv: strictAjv() })
  } catch (err) {
    const errors = (err as { errors?: ErrorObject[] }).errors
    if (errors === undefined) throw err
    throw new ConfigError(errors.map((e) => formatEnvError(e, raw)), { heading: 'invalid environment' })
  }
  const problems: string[] = []
  const host = env.HOST ?? '127.0.0.1'
  const validHost = isHost(host)
  if (!validHost) problems.push(`HOST: must be an IP address or a host name, got ${JSON.stringify(host)}`)
  let apiToken: string | null = env.API_TOKEN ?? null
  if (env.API_TOKEN !== undefined && env.API_TOKEN_FILE !== undefined) {
    problems.push('API_TOKEN_FILE: set together with API_TOKEN; set one of them')
  } else if (env.API_TOKEN_FILE !== undefined) {
    apiToken = readTokenFile(env.API_TOKEN_FILE, problems)
  }
  if (validHost && apiToken === null && env.API_TOKEN_FILE === undefined && !isLoopback(host)) {
    problems.push(`HOST: ${host} is not a loopback address, so the API needs a bearer token: set API_TOKEN or API_TOKEN_FILE`)
  }
  const port = Number(env.PORT)
  if (port > 65535) problems.push(`PORT: must be ${EXPECTED.PORT ?? ''}, got ${JSON.stringify(env.PORT)}`)
  const readyGraceMs = milliseconds('READY_GRACE_MS', env.READY_GRACE_MS ?? '', problems)
  const shutdownGraceMs = milliseconds('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS ?? '', problems)
  const configWatchDebounceMs = milliseconds('CONFIG_WATCH_DEBOUNCE_MS', env.CONFIG_WATCH_DEBOUNCE_MS ?? '', problems)
  const http = httpLimitsOf(env, problems)
  const stateMaxBytes = Number(env.STATE_MAX_BYTES)
  if (stateMaxBytes < MIN_STATE_BYTES) problems.push(`STATE_MAX_BYTES: must be at least ${MIN_STATE_BYTES} bytes (1 MiB), got "${env.STATE_MAX_BYTES ?? ''}"`)
  if (problems.length > 0) throw new ConfigError(problems, { heading: 'invalid environment' })
  return {
    port,
    host,
    logLevel: (env.LOG_LEVEL ?? 'info') as EnvConfig['logLevel'],
    configFile: env.CONFIG_FILE ?? null,
    apiToken,
    readyGraceMs,
    shutdownGraceMs,
    configWatch: env.CONFIG_WATCH !== 'false',
    configWatchDebounceMs,
    httpHeadersTimeoutMs: http.headersTimeoutMs,
    httpRequestTimeoutMs: http.requestTimeoutMs,
    httpKeepAliveTimeoutMs: http.keepAliveTimeoutMs,
    httpMaxConnections: http.maxConnections,
    stateDir: env.STATE_DIR ?? null,
    stateMaxBytes,
    stateSync: (env.STATE_SYNC ?? 'normal') as 'normal' | 'full',
    ...(env.POD_NAME === undefined ? {} : { replicaId: env.POD_NAME }),
  }
}

/** The HTTP limits when the environment does not set them (a config built in code). */
export const HTTP_LIMIT_DEFAULTS: HttpLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000, maxConnections: 10_000 }

/** The HTTP server's limits of `env`, defaults filled in. */
export function httpLimits (env: EnvConfig): HttpLimits {
  return {
    headersTimeoutMs: env.httpHeadersTimeoutMs ?? HTTP_LIMIT_DEFAULTS.headersTimeoutMs,
    requestTimeoutMs: env.httpRequestTimeoutMs ?? HTTP_LIMIT_DEFAULTS.requestTimeoutMs,
    keepAliveTimeoutMs: env.httpKeepAliveTimeoutMs ?? HTTP_LIMIT_DEFAULTS.keepAliveTimeoutMs,
    maxConnections: env.httpMaxConnections ?? HTTP_LIMIT_DEFAULTS.maxConnections,
  }
}

function httpLimitsOf (env: RawEnv, problems: string[]): HttpLimits {
  const positive = (name: EnvName): number => {
    const n = milliseconds(name, env[name] ?? '', problems)
    if (n === 0) problems.push(`${name}: must be at least 1 ms (0 would let a connection hold on forever), got "0"`)
    return n
  }
  const limits = {
    headersTimeoutMs: positive('HTTP_HEADERS_TIMEOUT_MS'),
    requestTimeoutMs: positive('HTTP_REQUEST_TIMEOUT_MS'),
    keepAliveTimeoutMs: positive('HTTP_KEEP_ALIVE_TIMEOUT_MS'),
    maxConnections: Number(env.HTTP_MAX_CONNECTIONS),
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs} ms), got "${env.HTTP_HEADERS_TIMEOUT_MS ?? ''}"`)
  }
  return limits
}
