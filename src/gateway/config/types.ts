/**
 * The gateway's configuration as one typed value: environment variables
 * (env.ts) merged with the config file (file.ts), validated once at start-up.
 * Every field here is resolved: defaults applied, secrets' sources kept as
 * sources (they are read at each connect, never logged).
 */

/** Where a param value comes from: a literal, an environment variable, or a file re-read at each connect. */
export type ValueSource = string | number | boolean | { env: string } | { file: string }

/** Where a secret comes from: a literal string, an environment variable, or a file re-read at each connect. */
export type SecretSource = string | { env: string } | { file: string }

export interface UpstreamConfig {
  /** Name used in metrics labels and logs. */
  name: string
  /** Socket endpoint as phoenix.js takes it: `wss://app/socket`. */
  url: string
  /** Connect params; each value a literal or a source. */
  params: Record<string, ValueSource>
  authToken: SecretSource | null
  headers: Record<string, string>
  poolSize: number
  maxChannelsPerSocket: number
  heartbeatIntervalMs: number
  heartbeatTimeoutMs: number
  joinTimeoutMs: number
  pushTimeoutMs: number
  connectTimeoutMs: number
  maxBufferedPushes: number
  /** Reconnect delays (ms); the last repeats. Default: phoenix.js's schedule. */
  reconnectBackoffMs: number[]
  /** Rejoin delays (ms); the last repeats. Default: phoenix.js's schedule. */
  rejoinBackoffMs: number[]
  /** Jitter ratio applied to both schedules, 0..1. Default 0.2. */
  jitter: number
  maxJoinRefusals: number
  /** PEM file of extra CAs to trust (an absolute path). */
  tlsCaFile: string | null
  vsn: '1.0.0' | '2.0.0'
}

export interface ChannelConfig {
  /** Name used in metrics labels; defaults to the topic. */
  name: string
  topic: string
  upstream: string
  params: Record<string, unknown>
  /** Readiness requires this channel to be joined. */
  required: boolean
  /** Messages kept for Last-Event-ID resume. */
  replay: number
  /** Payload key that receives a push's W3C traceparent; absent: payloads are sent unchanged. */
  traceField?: string
  /** Where this channel's messages are also delivered over HTTP; absent for none. */
  webhook?: WebhookConfig
  /**
   * Keep the channel's merged presence (GET /v1/channels/{topic}/presence) and send presence_join,
   * presence_leave and presence_state SSE events instead of the raw presence messages. Absent: false.
   */
  presence?: boolean
}

/** Where undeliverable webhook messages go: a file (JSON lines), a URL (one POST each) or a configured channel (a push). */
export type DeadLetterConfig =
  | { kind: 'file', file: string }
  | { kind: 'url', url: string, headers: Record<string, SecretSource>, timeoutMs: number }
  | { kind: 'topic', topic: string, upstream: string, event: string, timeoutMs: number }

export interface WebhookConfig {
  /** http:// or https:// endpoint. */
  url: string
  /** Extra request headers; values read once at start-up. */
  headers: Record<string, SecretSource>
  format: 'cloudevents' | 'raw'
  /** Deadline of one attempt, ms. */
  timeoutMs: number
  maxAttempts: number
  maxAgeMs: number
  /** Retry delays: exponential with full jitter. */
  backoff: { initialMs: number, maxMs: number, multiplier: number }
  /** Attempts in flight at once for this channel. */
  maxInFlight: number
  /** Messages held (queued, in flight, waiting for a retry) at most. */
  queueSize: number
  overflow: 'drop-newest' | 'drop-oldest'
  /** JSON Pointer into the payload naming the ordering key; null: one lane per topic. */
  orderKey: string | null
  deadLetter: DeadLetterConfig | null
}

/** A pattern of topics the app may join at run time (PUT, or on demand from SSE and push). */
export interface DynamicConfig {
  /** Metrics label and log name of every topic of this entry; defaults to the pattern. */
  name: string
  /** `*` stands for one or more characters other than `:`. */
  pattern: string
  upstream: string
  /** Join payload; a PUT's params replace its top-level keys. */
  params: Record<string, unknown>
  /** How long an on-demand topic stays joined after its last user left, ms. */
  lingerMs: number
  /** Topics of this entry held at once, at most. */
  maxTopics: number
  replay: number
  presence: boolean
  traceField?: string
}

export interface SseConfig {
  keepAliveMs: number
  /** Bytes a reader's response may hold before it is left to catch up from its topic's held events. */
  clientBufferBytes: number
  /** Bytes of recent events each topic holds at most (replay, and readers catching up). */
  topicBufferBytes: number
  /** SSE streams open at once, at most (503 BC_ERR_SSE_LIMIT beyond). */
  maxClients: number
  /** A reader that takes nothing for this long while events wait for it is cut off, ms. */
  stallTimeoutMs: number
  /** How long an ended stream may take to flush its final event before its socket is destroyed, ms. */
  lingerMs: number
  /** Deprecated and ignored (readers are bounded in bytes); accepted so that existing files load. */
  clientQueue: number
  /** The `retry:` hint sent to clients, ms. */
  retryMs: number
}

export interface FileConfig {
  upstreams: UpstreamConfig[]
  channels: ChannelConfig[]
  /** Topic patterns joined at run time. */
  dynamic: DynamicConfig[]
  sse: SseConfig
  /** Largest push body, bytes. */
  maxBodyBytes: number
  /** Default push reply deadline over HTTP when the request gives none, ms. */
  pushTimeoutMs: number
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
