/**
 * The gateway's configuration as one typed value: environment variables
 * (env.ts) merged with the config file (file.ts), validated once at start-up.
 * Every field here is resolved: defaults applied, secrets' sources kept as
 * sources (they are read at each connect, never logged).
 *
 * The file's part is derived from config/backchannel.schema.json: its fields
 * are declared (and described) there, and file-types.generated.ts holds them
 * as the validator leaves them. The types below only say what completing the
 * file changes: the defaults that depend on other fields (a name from the
 * topic, the only upstream, the heartbeat timeout) and the dead letter's kind.
 */
import type { HeaderValue, RawChannel, RawDynamic, RawFile, RawUpstream, RawWebhook, ValueSource } from './file-types.generated.ts'

/** Where a param value comes from: a literal, an environment variable, or a file re-read at each connect. */
export type { ValueSource }

/** Where a secret comes from: a literal string, an environment variable, or a file re-read at each connect. */
export type SecretSource = HeaderValue

export interface UpstreamConfig extends Omit<RawUpstream, 'heartbeatTimeoutMs'> {
  /** Defaults to heartbeatIntervalMs. */
  heartbeatTimeoutMs: number
}

export interface ChannelConfig extends Omit<RawChannel, 'name' | 'upstream' | 'webhook'> {
  /** Name used in metrics labels; defaults to the topic. */
  name: string
  /** Defaults to the only upstream. */
  upstream: string
  /** Where this channel's messages are also delivered over HTTP; absent for none. */
  webhook?: WebhookConfig
}

type RawDeadLetter = NonNullable<RawWebhook['deadLetter']>

/** Where undeliverable webhook messages go: a file (JSON lines), a URL (one POST each) or a configured channel (a push). */
export type DeadLetterConfig =
  | { kind: 'file' } & Required<Pick<RawDeadLetter, 'file'>>
  | { kind: 'url' } & Required<Pick<RawDeadLetter, 'url' | 'headers' | 'timeoutMs'>>
  | { kind: 'topic' } & Required<Pick<RawDeadLetter, 'topic' | 'upstream' | 'event' | 'timeoutMs'>>

export interface WebhookConfig extends Omit<RawWebhook, 'deadLetter'> {
  deadLetter: DeadLetterConfig | null
}

/** A pattern of topics the app may join at run time (PUT, or on demand from SSE and push). */
export interface DynamicConfig extends Omit<RawDynamic, 'name' | 'upstream'> {
  /** Metrics label and log name of every topic of this entry; defaults to the pattern. */
  name: string
  /** Defaults to the only upstream. */
  upstream: string
}

export type SseConfig = RawFile['sse']

/** Tokens for browsers (JWTs with topic claims): absent, none are accepted. File paths are absolute. */
export type TokensConfig = NonNullable<RawFile['tokens']>

/** Cross-origin requests from browsers: absent, no CORS header is sent. */
export type CorsConfig = NonNullable<RawFile['cors']>

/** History shared by the replicas on Redis (docs/shared-history.md): absent, each replica keeps its own. File paths are absolute. */
export type SharedHistorySettings = NonNullable<RawFile['sharedHistory']>

export interface FileConfig extends Omit<RawFile, 'upstreams' | 'channels' | 'dynamic'> {
  upstreams: UpstreamConfig[]
  channels: ChannelConfig[]
  dynamic: DynamicConfig[]
}

export interface EnvConfig {
  port: number
  host: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  configFile: string | null
  /** The bearer token for the API (from API_TOKEN or API_TOKEN_FILE), or null. */
  apiToken: string | null
  /** Readiness tolerates a required channel being down this long. */
  readyGraceMs: number
  /** SIGTERM drain budget. */
  shutdownGraceMs: number
  /** Watch the config file's folder and reload on a change (SIGHUP reloads either way). loadEnv sets it; absent: true. */
  configWatch?: boolean
  /** Quiet time after the last change event before the file is read, ms. loadEnv sets it; absent: 500. */
  configWatchDebounceMs?: number
  /** How long a connection may take to send a request's headers, ms. loadEnv sets it; absent: HTTP_LIMIT_DEFAULTS. */
  httpHeadersTimeoutMs?: number
  /** How long a connection may take to send a whole request (headers and body), ms; SSE streams are not affected once their GET is in. */
  httpRequestTimeoutMs?: number
  /** How long an idle keep-alive connection stays open between requests, ms. */
  httpKeepAliveTimeoutMs?: number
  /** Open connections at most, SSE streams included; more are refused. */
  httpMaxConnections?: number
  /** The durable store's folder (STATE_DIR); null or absent: everything is in memory only. */
  stateDir?: string | null
  /** The store's database file at most, bytes. loadEnv sets it; absent: 256 MiB. */
  stateMaxBytes?: number
  /** The store's sync policy (see env.ts STATE_SYNC). loadEnv sets it; absent: normal. */
  stateSync?: 'normal' | 'full'
  /** This replica's id in shared history (POD_NAME); absent: the host name. */
  replicaId?: string
}

/** The HTTP server's limits, every one set. */
export interface HttpLimits {
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  maxConnections: number
}

export interface Config extends FileConfig {
  env: EnvConfig
}
