// Generated from config/backchannel.schema.json by scripts/gen-config-types.ts (npm run docs:config): do not edit.
// The config file as the validator leaves it: a field with a default is always present.

/** The upstream Phoenix sockets, the channels the gateway joins on them, and the HTTP limits. YAML or JSON. Unknown keys and wrong types stop start-up; nothing is coerced or dropped. */
export interface RawFile {
  /** The Phoenix sockets to connect to. At least one. */
  upstreams: RawUpstream[]
  /** The channels (topics) the gateway joins and serves over HTTP. */
  channels: RawChannel[]
  /** Topic patterns the app may join at run time, besides `channels`: `PUT /v1/channels/{topic}` joins a matching topic and `DELETE` leaves it; an SSE subscribe or a push to a matching topic that is not joined joins it on demand, and it is left once its last user has gone and `lingerMs` has passed. Any other topic is refused (see docs/subscriptions.md). A topic matching several entries uses the first. */
  dynamic: RawDynamic[]
  /** Server-sent event streams. */
  sse: {
    /** Interval of the keep-alive comment sent on idle streams, ms. */
    keepAliveMs: number
    /** Bytes an SSE reader's response may hold (its socket's buffer, at least Node's high-water mark of 64 KiB) before the gateway stops copying events into it; the reader keeps its place in its topic's held events and pulls from there as its socket drains. A reader holds at most this plus one event. */
    clientBufferBytes: number
    /** Bytes of recent events each topic holds at most (each counts its event name and payload plus 128 bytes; a topic read by more than one SSE stream also keeps each short event's SSE text beside it, up to about as much again): the `replay` for resume and what readers that lag behind still pull from. A reader whose next event is no longer held is cut off with `overflow`; the newest event is always held, whatever its size. The default holds a burst of 50,000 messages of 100 bytes for a reader that reads none of it until the burst is over. Applies to topics created after it changes (a restart for configured channels). */
    topicBufferBytes: number
    /** SSE streams open at once, at most; one more is refused with 503 `BC_ERR_SSE_LIMIT`. With `clientBufferBytes` it caps what readers hold: at most `maxClients` × (`clientBufferBytes` + one event), besides what topics hold (`topicBufferBytes` each). */
    maxClients: number
    /** Topics one stream over several topics (`GET /v1/events`) follows at most: more named or matched when it opens is refused with 400 `BC_ERR_TOO_MANY_TOPICS`; a topic matched later, past it, is not followed and the stream gets a `topic_skipped` event. */
    maxTopicsPerStream: number
    /** An SSE reader whose socket takes nothing for this long while events wait for it is cut off with `overflow`, ms. */
    stallTimeoutMs: number
    /** How long an ended SSE stream (cut off, shut down, channel closed) may take to hand its final event to the socket before the socket is destroyed, ms. A slow reader's final event waits behind what the kernel's buffers hold (megabytes on a fast link): the default lets a reader of 300 KB/s get it. */
    lingerMs: number
    /** Deprecated, ignored: readers are bounded in bytes (`clientBufferBytes`, `topicBufferBytes`). Still accepted so that existing files load. */
    clientQueue: number
    /** The `retry:` reconnect hint sent to clients, ms. */
    retryMs: number
    /** SSE streams one token subject (its `sub` claim; a token without one counts as a subject of its own) may hold open at once; one more is refused with 429 `BC_ERR_SSE_CLIENT_LIMIT` and `Retry-After`. Absent: no cap but `maxClients`. Streams opened with the API token are not counted. See docs/browsers.md. */
    maxClientsPerSubject?: number
    /** SSE streams one client address (the peer's IP address as the HTTP server sees it) may hold open at once; one more is refused with 429 `BC_ERR_SSE_CLIENT_LIMIT` and `Retry-After`. Absent: no cap but `maxClients`. Streams opened with the API token are not counted. Behind a proxy every client has the proxy's address: cap per subject there. See docs/browsers.md. */
    maxClientsPerAddress?: number
  }
  /** Tokens for browsers and other untrusted clients: JWTs whose claims list the topics they may subscribe to and push to (see docs/browsers.md). Absent: no token is accepted and the API works as without it (the API token, when set, still gates everything). Set exactly one key source: `secret` (HS256), `publicKeyFile` (RS256 or ES256) or `jwks` (RS256 and ES256 keys chosen by `kid`). Read at start; a change needs a restart. */
  tokens?: {
    /** HS256 shared secret, at least 32 bytes: a literal string, `{ env: NAME }` or `{ file: PATH }` (one trailing newline ignored). Never logged. */
    secret?: HeaderValue
    /** PEM file of the public key that signs tokens (`PUBLIC KEY`, or a `CERTIFICATE`): an RSA key verifies RS256, a P-256 key ES256. Relative paths are relative to the config file. */
    publicKeyFile?: string
    /** A JSON Web Key Set holding the keys that sign tokens (RS256 and ES256, chosen by the token's `kid`): `{ file: PATH }` or `{ url: https://… }`. Read at start, again when a token names a `kid` the set does not hold (at most once per `jwksCooldownMs`) and, for a URL, in the background once `jwksMaxAgeMs` has passed; a failed read keeps the last good set. */
    jwks?: { file: FilePath } | { url: string }
    /** Deadline of one fetch of a `jwks` URL, ms. */
    jwksTimeoutMs: number
    /** Least time between two reads of `jwks` for an unknown `kid` or after a failed read, ms. */
    jwksCooldownMs: number
    /** A `jwks` URL is fetched again, in the background, once the set is this old, ms. */
    jwksMaxAgeMs: number
    /** When set, a token's `iss` must be this. */
    issuer?: string
    /** When set, a token's `aud` must be or hold this. */
    audience?: string
    /** Clock skew allowed when checking `exp` and `nbf`, ms. An SSE stream ends with a `token_expired` event this long after its token's `exp`. */
    leewayMs: number
    /** Name of the cookie a token may come in, for EventSource, which cannot set headers. Read on the SSE routes only: a push must send `Authorization: Bearer`. */
    cookie: string
    /** Also take a token from the `access_token` query parameter of the SSE routes. Off by default: URLs end up in proxy logs and browser history (see docs/browsers.md). */
    queryParameter: boolean
  }
  /** Cross-origin requests from browsers: the origins allowed, answered with `Access-Control-Allow-Origin` and `Vary: Origin`, and their preflight (`OPTIONS`) requests. Absent: no CORS header is ever sent. Read at start; a change needs a restart. */
  cors?: {
    /** Origins allowed, exactly as a browser sends them: scheme, host and port when not the default (`https://app.example`, `http://localhost:3000`), no path. */
    origins: string[]
    /** Send `Access-Control-Allow-Credentials: true`, so that a page may send the token cookie (`new EventSource(url, { withCredentials: true })`, `fetch(url, { credentials: 'include' })`). */
    credentials: boolean
    /** How long a browser may keep a preflight answer (`Access-Control-Max-Age`), s. */
    maxAgeSeconds: number
  }
  /** History shared by the replicas of a deployment on Redis Streams (Redis 7.0+ or Valkey 7.2+, `maxmemory-policy noeviction`), so an SSE reader that resumes on another replica gets no gap and no duplicate (see docs/shared-history.md). Every replica offers each message it receives; the holder of a topic's writer lease appends it once; every replica reads the stream back and gives readers ids `<epoch>:<ms>-<n>`, the same on every replica. While Redis is unavailable a topic falls back to local history, with a `gap` event at each switch. Presence channels stay local. The replica id is `POD_NAME`, or the host name. Absent: each replica keeps its own history only. Read at start; a change needs a restart. */
  sharedHistory?: {
    /** `redis://host:port` or `rediss://host:port` (TLS). No credentials here: use `username` and `password`. */
    url: string
    /** ACL user. Absent: the `default` user. */
    username?: string
    /** AUTH password: a literal string, `{ env: NAME }` or `{ file: PATH }` (one trailing newline ignored), read again at every connect, so a rotated Secret file is used from the next reconnect on. Never logged. Absent: no AUTH. */
    password?: HeaderValue
    /** PEM file of the CA that signed Redis's certificate (`rediss://` only). Absent: the system's CAs. Relative paths are relative to the config file. */
    tlsCaFile?: FilePath
    /** Prepended to every key (one Redis shared by several deployments). */
    keyPrefix: string
    /** Time to live of a topic's writer lease, ms: a dead writer is replaced within it plus a third of it. */
    leaseTtlMs: number
    /** Entries each topic's stream keeps, about (`XADD MAXLEN ~`): how far back a reader can resume on any replica. */
    maxLen: number
    /** Deadline of every Redis call but a blocking read, ms. Must be under `leaseTtlMs` / 3, so a lease renewal can fail and be retried before the lease runs out. */
    commandTimeoutMs: number
    /** First reconnect delay after Redis is lost, ms; doubled (jittered) up to `reconnectMaxMs`. */
    reconnectMinMs: number
    /** Largest reconnect delay, ms. At least `reconnectMinMs`. */
    reconnectMaxMs: number
  }
  /** Largest HTTP push body accepted, bytes; a larger one is answered 413. */
  maxBodyBytes: number
  /** Reply deadline of an HTTP push whose request gives none, ms. */
  pushTimeoutMs: number
}

/** One Phoenix socket endpoint and how to connect to it. */
export interface RawUpstream {
  /** Unique name, used in metrics labels, logs and `channels[].upstream`. */
  name: string
  /** Socket endpoint as phoenix.js takes it (`wss://app.example/socket`): ws://, wss://, http:// or https://, no query (use `params`), no credentials (use `authToken`). */
  url: string
  /** Connect params, sent in the upgrade URL's query. Each value is a literal or a source (`{ env: NAME }`, `{ file: PATH }`), resolved again at every connect. */
  params: Record<string, ValueSource>
  /** Phoenix 1.8 auth token, sent in Sec-WebSocket-Protocol: a literal string, `{ env: NAME }` or `{ file: PATH }`, resolved again at every connect. Never logged. */
  authToken: string | { env: EnvName } | { file: FilePath } | null
  /** Extra headers on the upgrade request (User-Agent, Cookie, x-…). The WebSocket handshake's own headers are refused. */
  headers: Record<string, string>
  /** Sockets opened to this upstream; topics are spread over them by a stable hash. */
  poolSize: number
  /** Topics joined on one socket at most (Phoenix 1.8.9+ refuses the 101st by default). */
  maxChannelsPerSocket: number
  /** Heartbeat interval, ms (phoenix.js: 30000). */
  heartbeatIntervalMs: number
  /** Deadline of a heartbeat reply, ms; missing it closes the socket. Default: `heartbeatIntervalMs`. */
  heartbeatTimeoutMs?: number
  /** Deadline of a join reply, ms. */
  joinTimeoutMs: number
  /** Default deadline of a push reply on this upstream, ms. */
  pushTimeoutMs: number
  /** Deadline for TCP, TLS and the WebSocket upgrade together, ms. */
  connectTimeoutMs: number
  /** Pushes held per socket while their channel is not joined; more fail with BC_ERR_BUFFER_FULL. */
  maxBufferedPushes: number
  /** Delays before successive reconnect attempts, ms; the last repeats (phoenix.js's schedule). */
  reconnectBackoffMs: Schedule
  /** Delays before successive rejoin attempts, ms; the last repeats (phoenix.js's schedule). */
  rejoinBackoffMs: Schedule
  /** Random spread applied to both back-off schedules, as a ratio (0.2 = ±20 %), so a fleet does not reconnect in lockstep. */
  jitter: number
  /** Join refusals in a row after which a channel stops rejoining. */
  maxJoinRefusals: number
  /** PEM file of extra CA certificates to trust for wss:// and https:// (certificates are always verified). Relative paths are relative to the config file. */
  tlsCaFile: string | null
  /** Serializer version: `2.0.0` (arrays, binary frames) or `1.0.0` (objects). */
  vsn: '2.0.0' | '1.0.0'
}

/** One channel (topic) the gateway joins. */
export interface RawChannel {
  /** The Phoenix topic, e.g. `room:lobby`. Unique per upstream. */
  topic: string
  /** Unique name used in metrics labels and logs. Default: the topic. */
  name?: string
  /** Name of the upstream to join it on. Default: the only upstream; required when there are several. */
  upstream?: string
  /** Join payload, sent as is. */
  params: Record<string, unknown>
  /** Readiness (`/readyz`) requires this channel to be joined. */
  required: boolean
  /** Messages kept for `Last-Event-ID` resume; 0 turns resume off. */
  replay: number
  /** When set, a push whose request carries a valid W3C `traceparent` header gets it added to its payload under this key (object payloads only). Leave out to send payloads unchanged. */
  traceField?: string
  /** Keep this channel's merged presence (phoenix.js Presence semantics) and serve it at `GET /v1/channels/{topic}/presence`; its `presence_state` and `presence_diff` messages become `presence_join`, `presence_leave` and `presence_state` events with the diffs applied (see docs/presence.md). Default: false. */
  presence?: boolean
  /** Deliver this channel's messages to an HTTP endpoint, at least once, in order (see docs/webhooks.md). Leave out for no webhook. */
  webhook?: RawWebhook
}

/** One pattern of topics the gateway may join at run time, with the settings its topics get. */
export interface RawDynamic {
  /** The topics allowed: `*` stands for one or more characters other than `:`, every other character for itself. `room:*` allows `room:lobby`, but not `room:` or `room:a:b` (allow those with `room:*:*`). At least one character that is not `*`; no `**`. */
  pattern: string
  /** Unique name (among channels and dynamic entries) that every topic of this entry has in metrics labels and logs: labels never hold the topic itself. Default: the pattern. */
  name?: string
  /** Name of the upstream its topics are joined on. Default: the only upstream; required when there are several. */
  upstream?: string
  /** Join payload of its topics; the top-level keys of a PUT's `params` replace these. */
  params: Record<string, unknown>
  /** How long a topic joined on demand stays joined after its last SSE reader or push has gone, ms (a new reader in that time keeps it). Topics joined with PUT stay until DELETE. */
  lingerMs: number
  /** Topics of this entry held at once, at most; a join beyond it is refused with 503 `BC_ERR_TOPIC_LIMIT`, so memory stays bounded whatever clients ask for. */
  maxTopics: number
  /** Messages kept per topic for `Last-Event-ID` resume; 0 turns resume off. */
  replay: number
  /** Keep each topic's merged presence, as `channels[].presence` does. */
  presence: boolean
  /** As `channels[].traceField`: the payload key that receives a push's W3C `traceparent`. */
  traceField?: string
}

/** A literal (string, number or boolean), `{ env: NAME }` (an environment variable) or `{ file: PATH }` (a file's text without its trailing newline, re-read at every connect). */
export type ValueSource = string | number | boolean | { env: EnvName } | { file: FilePath }

/** Name of an environment variable. */
export type EnvName = string

/** Path of a file; relative paths are relative to the config file. */
export type FilePath = string

export type Schedule = number[]

/** A webhook sink: where a channel's messages are POSTed, how failures are retried, and where the messages that cannot be delivered go. */
export interface RawWebhook {
  /** Endpoint each message is POSTed to: http:// or https://, no credentials (put them in `headers`). A query is kept; it is never logged. */
  url: string
  /** Extra request headers (Authorization, x-…). Each value is a literal or a secret source (`{ env: NAME }`, `{ file: PATH }`), read once at start-up and never logged. The headers the sink sets itself are refused. */
  headers: Record<string, HeaderValue>
  /** Secrets the requests are signed with, by the Standard Webhooks spec (`webhook-id`, `webhook-timestamp` and `webhook-signature` headers; see docs/webhooks.md). Each is `whsec_` and the base64 of 24 to 64 random bytes, as a literal, `{ env: NAME }` or `{ file: PATH }`. Two while a secret is rotated: every request then carries a signature by each. Read at start-up and again on every reload, and a file when it changes (with `CONFIG_WATCH`). Empty: requests are not signed (a warning at start-up). */
  signingSecrets: HeaderValue[]
  /** Request body: `cloudevents` (a CloudEvents 1.0 structured JSON envelope, as Dapr sends; `data` is the payload) or `raw` (the payload alone, as JSON). */
  format: 'cloudevents' | 'raw'
  /** Deadline of one attempt (connect, send, response headers and body), ms; a missed deadline is retried. With the dead letter's `timeoutMs` it must be less than `SHUTDOWN_GRACE_MS`: the drain waits for attempts in flight. */
  timeoutMs: number
  /** Attempts per message, the first included; after the last one fails the message goes to the dead letter (reason `max_attempts`). */
  maxAttempts: number
  /** Oldest a message may get, from its arrival, before it goes to the dead letter (reason `max_age`) instead of being tried again; time waiting in the queue counts. */
  maxAgeMs: number
  /** Delay before each retry: exponential with full jitter, `random(0, min(maxMs, initialMs × multiplier^(retry − 1)))`, and never less than the response's `Retry-After`. */
  backoff: {
    /** Ceiling of the first retry's delay, ms. */
    initialMs: number
    /** Largest ceiling, ms (a `Retry-After` may ask for longer). */
    maxMs: number
    /** Growth of the ceiling from one retry to the next. */
    multiplier: number
  }
  /** Attempts in flight at once for this channel, across its ordering lanes (one lane unless `orderKey` is set). The cap is per channel: other channels sending to the same app have their own. */
  maxInFlight: number
  /** Messages held for this channel (queued, in flight or waiting for a retry) at most; past it `overflow` decides which one goes to the dead letter. */
  queueSize: number
  /** When the queue is full: `drop-newest` sends the arriving message to the dead letter; `drop-oldest` sends the oldest message not in flight there and queues the new one. Either way it is counted (reason `overflow`). */
  overflow: 'drop-newest' | 'drop-oldest'
  /** JSON Pointer (RFC 6901) into the payload, e.g. `/user_id`: messages are kept in order per value of that field (a lane each) and lanes are delivered in parallel. null: one lane, the whole topic in order. */
  orderKey: string | null
  /** Where messages that cannot be delivered go, with the reason: exactly one of `file` (JSON lines appended), `url` (one POST each) or `topic` (a push to a configured channel). null: they are logged and counted only. */
  deadLetter: {
    /** File the records are appended to, one JSON object a line. Relative paths are relative to the config file. */
    file?: string
    /** http:// or https:// endpoint each record is POSTed to once (application/json); a failure is logged and counted. */
    url?: string
    /** Extra headers of the `url` requests; values as in `webhook.headers`. */
    headers: Record<string, HeaderValue>
    /** A configured channel the record is pushed to (the gateway has joined it); not the webhook's own channel. */
    topic?: string
    /** Upstream of `topic`. Default: the webhook channel's upstream. */
    upstream?: string
    /** Event name of the push to `topic`. */
    event: string
    /** Deadline of one `url` request or `topic` push, ms. */
    timeoutMs: number
  } | null
}

/** A header value: a literal string, `{ env: NAME }` or `{ file: PATH }`. */
export type HeaderValue = string | { env: EnvName } | { file: FilePath }
