/**
 * What a reload changes, pure: two configurations in, the difference out.
 * Upstreams are matched by name, channels by (upstream, topic) — a channel
 * moved to another upstream is one removed and one added — and dynamic
 * entries by name. Settings the running process cannot take (the
 * environment's, and the HTTP body limit fastify fixes at start) are listed
 * apart: they are kept as they were until a restart.
 */
import { isDeepStrictEqual } from 'node:util'
import type { ChannelConfig, Config, DynamicConfig, EnvConfig, UpstreamConfig } from '../config/types.ts'

/** A channel setting a reload may change, and how it is applied. */
export type ChannelField = 'params' | 'presence' | 'replay' | 'webhook' | 'name' | 'required' | 'traceField'

const CHANNEL_FIELDS: readonly ChannelField[] = ['params', 'presence', 'replay', 'webhook', 'name', 'required', 'traceField']

/** Fields whose change needs the channel left and joined again. */
export const REJOIN_FIELDS: ReadonlySet<ChannelField> = new Set(['params', 'presence'])

export interface ChannelChange { before: ChannelConfig, after: ChannelConfig, fields: ChannelField[] }

export interface ConfigDiff {
  upstreams: { added: UpstreamConfig[], removed: UpstreamConfig[], changed: UpstreamConfig[] }
  channels: { added: ChannelConfig[], removed: ChannelConfig[], changed: ChannelChange[] }
  dynamic: { added: DynamicConfig[], removed: DynamicConfig[], changed: DynamicConfig[] }
  /** File settings applied as they are: `sse.keepAliveMs`, `pushTimeoutMs`… */
  settings: string[]
  /** Settings that differ but need a restart: environment variables, `maxBodyBytes`, `tokens`, `cors`, `sharedHistory`. */
  needRestart: string[]
}

const ENV_NAMES: Record<keyof EnvConfig, string> = {
  port: 'PORT',
  host: 'HOST',
  logLevel: 'LOG_LEVEL',
  configFile: 'CONFIG_FILE',
  apiToken: 'API_TOKEN',
  readyGraceMs: 'READY_GRACE_MS',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  configWatch: 'CONFIG_WATCH',
  configWatchDebounceMs: 'CONFIG_WATCH_DEBOUNCE_MS',
  httpHeadersTimeoutMs: 'HTTP_HEADERS_TIMEOUT_MS',
  httpRequestTimeoutMs: 'HTTP_REQUEST_TIMEOUT_MS',
  httpKeepAliveTimeoutMs: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  httpMaxConnections: 'HTTP_MAX_CONNECTIONS',
  stateDir: 'STATE_DIR',
  stateMaxBytes: 'STATE_MAX_BYTES',
  stateSync: 'STATE_SYNC',
  replicaId: 'POD_NAME',
}

export function channelKey (c: { upstream: string, topic: string }): string {
  return `${c.upstream}\u0000${c.topic}`
}

/** Items added, removed and changed between two lists, matched by `key`. */
function compare<T> (before: readonly T[], after: readonly T[], key: (item: T) => string): { added: T[], removed: T[], changed: Array<[T, T]> } {
  const old = new Map(before.map((item) => [key(item), item]))
  const now = new Map(after.map((item) => [key(item), item]))
  const changed: Array<[T, T]> = []
  for (const [k, item] of now) {
    const was = old.get(k)
    if (was !== undefined && !isDeepStrictEqual(was, item)) changed.push([was, item])
  }
  return {
    added: after.filter((item) => !old.has(key(item))),
    removed: before.filter((item) => !now.has(key(item))),
    changed,
  }
}

function channelFields (before: ChannelConfig, after: ChannelConfig): ChannelField[] {
  // presence: absent and false mean the same.
  const norm = (c: ChannelConfig): Record<ChannelField, unknown> => ({ ...c, traceField: c.traceField, webhook: c.webhook, presence: c.presence === true })
  const a = norm(before)
  const b = norm(after)
  return CHANNEL_FIELDS.filter((f) => !isDeepStrictEqual(a[f], b[f]))
}

export function diffConfig (before: Config, after: Config): ConfigDiff {
  const upstreams = compare(before.upstreams, after.upstreams, (u) => u.name)
  const channels = compare(before.channels, after.channels, channelKey)
  const dynamic = compare(before.dynamic, after.dynamic, (d) => d.name)
  const settings: string[] = []
  for (const key of ['keepAliveMs', 'clientBufferBytes', 'maxClients', 'maxTopicsPerStream', 'stallTimeoutMs', 'lingerMs', 'clientQueue', 'retryMs', 'maxClientsPerSubject', 'maxClientsPerAddress'] as const) if (before.sse[key] !== after.sse[key]) settings.push(`sse.${key}`)
  if (before.pushTimeoutMs !== after.pushTimeoutMs) settings.push('pushTimeoutMs')
  const needRestart = (Object.keys(ENV_NAMES) as Array<keyof EnvConfig>).filter((k) => !isDeepStrictEqual(before.env[k], after.env[k])).map((k) => ENV_NAMES[k])
  if (before.maxBodyBytes !== after.maxBodyBytes) needRestart.push('maxBodyBytes')
  if (before.sse.topicBufferBytes !== after.sse.topicBufferBytes) needRestart.push('sse.topicBufferBytes')
  // Browser tokens and CORS are set up once, at start (http/access.ts, http/cors.ts).
  if (!isDeepStrictEqual(before.tokens, after.tokens)) needRestart.push('tokens')
  if (!isDeepStrictEqual(before.cors, after.cors)) needRestart.push('cors')
  // The Redis link and the writers are made once, at start (daemon.ts).
  if (!isDeepStrictEqual(before.sharedHistory, after.sharedHistory)) needRestart.push('sharedHistory')
  return {
    upstreams: { added: upstreams.added, removed: upstreams.removed, changed: upstreams.changed.map(([, u]) => u) },
    channels: {
      added: channels.added,
      removed: channels.removed,
      changed: channels.changed.map(([b, a]) => ({ before: b, after: a, fields: channelFields(b, a) })).filter((c) => c.fields.length > 0),
    },
    dynamic: { added: dynamic.added, removed: dynamic.removed, changed: dynamic.changed.map(([, d]) => d) },
    settings,
    needRestart,
  }
}

/** True when the reload has nothing to apply (settings that need a restart aside). */
export function isEmpty (diff: ConfigDiff): boolean {
  const { upstreams: u, channels: c, dynamic: d } = diff
  return [u.added, u.removed, u.changed, c.added, c.removed, c.changed, d.added, d.removed, d.changed, diff.settings].every((list) => list.length === 0)
}

/** The diff as one log line's fields: names and `upstream/topic` keys, never params or secrets. */
export function describeDiff (diff: ConfigDiff): Record<string, unknown> {
  const channel = (c: ChannelConfig): string => `${c.upstream}/${c.topic}`
  return {
    added: [...diff.upstreams.added.map((u) => `upstream ${u.name}`), ...diff.channels.added.map((c) => `channel ${channel(c)}`), ...diff.dynamic.added.map((d) => `dynamic ${d.name}`)],
    removed: [...diff.upstreams.removed.map((u) => `upstream ${u.name}`), ...diff.channels.removed.map((c) => `channel ${channel(c)}`), ...diff.dynamic.removed.map((d) => `dynamic ${d.name}`)],
    changed: [
      ...diff.upstreams.changed.map((u) => `upstream ${u.name}`),
      ...diff.channels.changed.map((c) => `channel ${channel(c.after)} (${c.fields.join(', ')})`),
      ...diff.dynamic.changed.map((d) => `dynamic ${d.name}`),
      ...diff.settings,
    ],
    needRestart: diff.needRestart,
  }
}
