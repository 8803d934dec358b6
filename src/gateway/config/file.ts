/**
 * The config file: parsed (YAML, or JSON by its extension), validated against
 * config/backchannel.schema.json with a strict Ajv (which also fills in the
 * schema's defaults), then completed and cross-checked: the defaults that
 * depend on other fields, names that must be unique, references that must
 * exist. Every problem is collected and reported with its JSON path.
 */
import { readFile } from 'node:fs/promises'
import { dirname, extname, isAbsolute, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { topicProblem } from './topic.ts'
import { ConfigError } from './errors.ts'
import { fileValidator, formatAjvErrors } from './schema.ts'
import type { ChannelConfig, DynamicConfig, FileConfig, SecretSource, UpstreamConfig, ValueSource } from './types.ts'
import type { RawChannel, RawFile, RawUpstream } from './file-types.generated.ts'
import { completeWebhook } from './webhook.ts'
import { checkSource, checkUrl, resolveUpstream, type UrlRule } from './checks.ts'
import { completeDynamic } from './dynamic.ts'
import { completeCors, completeTokens } from './access.ts'
import { completeSharedHistory } from './shared-history.ts'

export type ConfigFormat = 'yaml' | 'json'

const HANDSHAKE_HEADERS = new Set(['host', 'connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol', 'content-length', 'transfer-encoding'])

function lineAndColumn (text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n')
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`
}

/**
 * The file's content as plain data. YAML 1.2 core schema: no YAML 1.1 tags,
 * duplicate keys and unknown tags are errors. JSON goes through the same
 * parser (so duplicate keys, which JSON.parse silently resolves to the last
 * one, are errors too) and must also be strict JSON.
 */
export function parseConfigText (text: string, format: ConfigFormat): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, resolveKnownTags: false, schema: 'core' })
  // Messages and positions only, never the source text: a line may hold a secret.
  let problems = [...doc.errors, ...doc.warnings].map((e) => `${lineAndColumn(text, e.pos[0])}: ${e.message}`)
  if (format === 'json') {
    try {
      JSON.parse(text)
    } catch (err) {
      // V8's message may quote the text; keep only the position (V8's, or failing that the YAML parser's).
      const position = /at position (\d+)/.exec((err as Error).message)?.[1] ?? doc.errors[0]?.pos[0]
      problems = [position === undefined ? 'not valid JSON (comments and unquoted strings are YAML: name the file .yaml)' : `${lineAndColumn(text, Number(position))}: not valid JSON`]
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown
  } catch (err) {
    throw new ConfigError([(err as Error).message])
  }
}

export function formatOf (path: string): ConfigFormat {
  const ext = extname(path).toLowerCase()
  if (ext === '.json') return 'json'
  if (ext === '.yaml' || ext === '.yml') return 'yaml'
  throw new ConfigError([`${path}: the config file must end in .yaml, .yml or .json`])
}

const UPSTREAM_URL: UrlRule = {
  schemes: ['ws:', 'wss:', 'http:', 'https:'],
  schemeMessage: 'must start with ws://, wss://, http:// or https://',
  query: false,
  fragmentMessage: 'must not have a query or fragment; put connect params in "params"',
  credentialsMessage: 'must not hold credentials; use "authToken" or "params"',
}

function absolute<T extends ValueSource> (source: T, baseDir: string): T {
  if (typeof source === 'object' && 'file' in source && !isAbsolute(source.file)) return { file: resolve(baseDir, source.file) } as T
  return source
}

function completeUpstream (raw: RawUpstream, index: number, baseDir: string, problems: string[]): UpstreamConfig {
  const at = `/upstreams/${index}`
  checkUrl(raw.url, `${at}/url`, UPSTREAM_URL, problems)
  const params: Record<string, ValueSource> = {}
  for (const [key, source] of Object.entries(raw.params)) {
    checkSource(source, `${at}/params/${key}`, problems)
    params[key] = absolute(source, baseDir)
  }
  let authToken: SecretSource | null = null
  if (raw.authToken !== null) {
    checkSource(raw.authToken, `${at}/authToken`, problems)
    authToken = absolute(raw.authToken, baseDir)
  }
  for (const name of Object.keys(raw.headers)) {
    if (HANDSHAKE_HEADERS.has(name.toLowerCase())) problems.push(`${at}/headers/${name}: set by the WebSocket handshake itself; remove it`)
  }
  let tlsCaFile = raw.tlsCaFile
  if (tlsCaFile !== null) {
    tlsCaFile = resolve(baseDir, tlsCaFile)
    if (/^(ws|http):/.test(raw.url)) problems.push(`${at}/tlsCaFile: only used with wss:// or https://, but the url is not TLS`)
  }
  return { ...raw, params, authToken, tlsCaFile, heartbeatTimeoutMs: raw.heartbeatTimeoutMs ?? raw.heartbeatIntervalMs }
}

function completeChannel (raw: RawChannel, index: number, upstreams: readonly UpstreamConfig[], problems: string[]): ChannelConfig {
  const at = `/channels/${index}`
  const upstream = resolveUpstream(raw.upstream, at, upstreams, problems)
  // The schema checked length and characters already; this is the same rule dynamic topics meet (config/topic.ts).
  const problem = topicProblem(raw.topic)
  if (problem !== null) problems.push(`${at}/topic: ${problem}`)
  const { webhook: _webhook, ...rest } = raw // completed once every channel is known
  return { ...rest, name: raw.name ?? raw.topic, upstream }
}

/** Problems for items whose key repeats; `key` returns [the key, how to show it]. */
function checkUnique<T> (items: readonly T[], key: (item: T) => [string, string], at: (index: number) => string, what: string, problems: string[]): void {
  const seen = new Map<string, number>()
  items.forEach((item, index) => {
    const [k, shown] = key(item)
    const first = seen.get(k)
    if (first === undefined) seen.set(k, index)
    else problems.push(`${at(index)}: duplicate ${what} ${shown} (also ${at(first)})`)
  })
}

/** A dynamic entry's name is a metrics label like a channel's: unique among both. */
function checkDynamicNames (channels: readonly ChannelConfig[], dynamic: readonly DynamicConfig[], problems: string[]): void {
  checkUnique(dynamic, (d) => [d.name, `"${d.name}" (a dynamic entry's name defaults to its pattern)`], (i) => `/dynamic/${i}/name`, 'dynamic entry name', problems)
  dynamic.forEach((d, i) => {
    const channel = channels.findIndex((c) => c.name === d.name)
    if (channel !== -1) problems.push(`/dynamic/${i}/name: "${d.name}" is also the name of /channels/${channel} (names are metrics labels: make them unique)`)
  })
}

function checkCapacity (upstreams: readonly UpstreamConfig[], channels: readonly ChannelConfig[], problems: string[]): void {
  upstreams.forEach((u, index) => {
    const count = channels.filter((c) => c.upstream === u.name).length
    const capacity = u.poolSize * u.maxChannelsPerSocket
    if (count > capacity) {
      problems.push(`/upstreams/${index}: ${count} channels do not fit in poolSize ${u.poolSize} × maxChannelsPerSocket ${u.maxChannelsPerSocket} = ${capacity}; raise poolSize`)
    }
  })
}

/**
 * Validates parsed file content and returns the complete file configuration.
 * Relative file paths (sources, tlsCaFile) are made absolute against baseDir,
 * the config file's folder. Throws ConfigError with every problem found.
 */
export async function validateFileConfig (data: unknown, baseDir: string): Promise<FileConfig> {
  const validate = await fileValidator()
  // The validator fills in defaults in place: work on a copy of the caller's data.
  const copy = structuredClone(data)
  if (!validate(copy)) throw new ConfigError(formatAjvErrors(validate.errors))
  const raw = copy as RawFile
  const problems: string[] = []
  const upstreams = raw.upstreams.map((u, i) => completeUpstream(u, i, baseDir, problems))
  checkUnique(upstreams, (u) => [u.name, `"${u.name}"`], (i) => `/upstreams/${i}/name`, 'upstream name', problems)
  const channels = raw.channels.map((c, i) => completeChannel(c, i, upstreams, problems))
  raw.channels.forEach((c, i) => {
    const webhook = c.webhook === undefined ? undefined : completeWebhook(c.webhook, i, channels, baseDir, problems)
    if (webhook !== undefined && channels[i] !== undefined) channels[i].webhook = webhook
  })
  checkUnique(channels, (c) => [c.name, `"${c.name}" (a channel's name defaults to its topic)`], (i) => `/channels/${i}/name`, 'channel name', problems)
  const dynamic = raw.dynamic.map((d, i) => completeDynamic(d, i, upstreams, problems))
  checkDynamicNames(channels, dynamic, problems)
  checkUnique(channels, (c) => [`${c.upstream}\u0000${c.topic}`, `"${c.topic}" on upstream "${c.upstream}"`], (i) => `/channels/${i}/topic`, 'topic', problems)
  checkCapacity(upstreams, channels, problems)
  const tokens = completeTokens(raw.tokens, baseDir, problems)
  const cors = completeCors(raw.cors, problems)
  const sharedHistory = completeSharedHistory(raw.sharedHistory, baseDir, problems)
  if (problems.length > 0) throw new ConfigError(problems)
  const { tokens: _tokens, cors: _cors, sharedHistory: _sharedHistory, ...rest } = raw
  return { ...rest, upstreams, channels, dynamic, ...(tokens === undefined ? {} : { tokens }), ...(cors === undefined ? {} : { cors }), ...(sharedHistory === undefined ? {} : { sharedHistory }) }
}

/** Reads, parses and validates a config file. ConfigError messages name the file; problems name JSON paths. */
export async function loadConfigFile (path: string): Promise<FileConfig> {
  const heading = `invalid config file ${path}`
  try {
    const format = formatOf(path)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      throw new ConfigError([`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`], { cause: err })
    }
    return await validateFileConfig(parseConfigText(text, format), dirname(resolve(path)))
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.problems, { heading, cause: err.cause })
    throw err
  }
}
