// Generated from config/backchannel.schema.json by scripts/gen-config-validator.ts (npm run docs:config): do not edit.
// @ts-nocheck
import runtime0 from 'ajv/dist/runtime/ucs2length.js'
export const validate = validate10;
export default validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","title":"Backchannel configuration file","description":"The upstream Phoenix sockets, the channels the gateway joins on them, and the HTTP limits. YAML or JSON. Unknown keys and wrong types stop start-up; nothing is coerced or dropped.","type":"object","additionalProperties":false,"required":["upstreams"],"properties":{"upstreams":{"description":"The Phoenix sockets to connect to. At least one.","type":"array","minItems":1,"items":{"$ref":"#/definitions/upstream"}},"channels":{"description":"The channels (topics) the gateway joins and serves over HTTP.","type":"array","default":[],"items":{"$ref":"#/definitions/channel"}},"dynamic":{"description":"Topic patterns the app may join at run time, besides `channels`: `PUT /v1/channels/{topic}` joins a matching topic and `DELETE` leaves it; an SSE subscribe or a push to a matching topic that is not joined joins it on demand, and it is left once its last user has gone and `lingerMs` has passed. Any other topic is refused (see docs/subscriptions.md). A topic matching several entries uses the first.","type":"array","default":[],"maxItems":1000,"items":{"$ref":"#/definitions/dynamic"}},"sse":{"description":"Server-sent event streams.","type":"object","additionalProperties":false,"default":{},"properties":{"keepAliveMs":{"description":"Interval of the keep-alive comment sent on idle streams, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":15000},"clientBufferBytes":{"description":"Bytes an SSE reader's response may hold (its socket's buffer, at least Node's high-water mark of 64 KiB) before the gateway stops copying events into it; the reader keeps its place in its topic's held events and pulls from there as its socket drains. A reader holds at most this plus one event.","type":"integer","minimum":1024,"maximum":1073741824,"default":65536},"topicBufferBytes":{"description":"Bytes of recent events each topic holds at most (each counts its event name and payload plus 128 bytes; a topic read by more than one SSE stream also keeps each short event's SSE text beside it, up to about as much again): the `replay` for resume and what readers that lag behind still pull from. A reader whose next event is no longer held is cut off with `overflow`; the newest event is always held, whatever its size. The default holds a burst of 50,000 messages of 100 bytes for a reader that reads none of it until the burst is over. Applies to topics created after it changes (a restart for configured channels).","type":"integer","minimum":65536,"maximum":1073741824,"default":16777216},"maxClients":{"description":"SSE streams open at once, at most; one more is refused with 503 `BC_ERR_SSE_LIMIT`. With `clientBufferBytes` it caps what readers hold: at most `maxClients` × (`clientBufferBytes` + one event), besides what topics hold (`topicBufferBytes` each).","type":"integer","minimum":1,"maximum":1000000,"default":10000},"maxTopicsPerStream":{"description":"Topics one stream over several topics (`GET /v1/events`) follows at most: more named or matched when it opens is refused with 400 `BC_ERR_TOO_MANY_TOPICS`; a topic matched later, past it, is not followed and the stream gets a `topic_skipped` event.","type":"integer","minimum":1,"maximum":100000,"default":1000},"stallTimeoutMs":{"description":"An SSE reader whose socket takes nothing for this long while events wait for it is cut off with `overflow`, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":30000},"lingerMs":{"description":"How long an ended SSE stream (cut off, shut down, channel closed) may take to hand its final event to the socket before the socket is destroyed, ms. A slow reader's final event waits behind what the kernel's buffers hold (megabytes on a fast link): the default lets a reader of 300 KB/s get it.","type":"integer","minimum":0,"maximum":2147483647,"default":10000},"clientQueue":{"description":"Deprecated, ignored: readers are bounded in bytes (`clientBufferBytes`, `topicBufferBytes`). Still accepted so that existing files load.","type":"integer","minimum":1,"maximum":1000000,"default":1000},"retryMs":{"description":"The `retry:` reconnect hint sent to clients, ms.","type":"integer","minimum":0,"maximum":2147483647,"default":2000},"maxClientsPerSubject":{"description":"SSE streams one token subject (its `sub` claim; a token without one counts as a subject of its own) may hold open at once; one more is refused with 429 `BC_ERR_SSE_CLIENT_LIMIT` and `Retry-After`. Absent: no cap but `maxClients`. Streams opened with the API token are not counted. See docs/browsers.md.","type":"integer","minimum":1,"maximum":1000000},"maxClientsPerAddress":{"description":"SSE streams one client address (the peer's IP address as the HTTP server sees it) may hold open at once; one more is refused with 429 `BC_ERR_SSE_CLIENT_LIMIT` and `Retry-After`. Absent: no cap but `maxClients`. Streams opened with the API token are not counted. Behind a proxy every client has the proxy's address: cap per subject there. See docs/browsers.md.","type":"integer","minimum":1,"maximum":1000000}}},"tokens":{"description":"Tokens for browsers and other untrusted clients: JWTs whose claims list the topics they may subscribe to and push to (see docs/browsers.md). Absent: no token is accepted and the API works as without it (the API token, when set, still gates everything). Set exactly one key source: `secret` (HS256), `publicKeyFile` (RS256 or ES256) or `jwks` (RS256 and ES256 keys chosen by `kid`). Read at start; a change needs a restart.","type":"object","additionalProperties":false,"properties":{"secret":{"description":"HS256 shared secret, at least 32 bytes: a literal string, `{ env: NAME }` or `{ file: PATH }` (one trailing newline ignored). Never logged.","$ref":"#/definitions/headerValue"},"publicKeyFile":{"description":"PEM file of the public key that signs tokens (`PUBLIC KEY`, or a `CERTIFICATE`): an RSA key verifies RS256, a P-256 key ES256. Relative paths are relative to the config file.","type":"string","minLength":1},"jwks":{"description":"A JSON Web Key Set holding the keys that sign tokens (RS256 and ES256, chosen by the token's `kid`): `{ file: PATH }` or `{ url: https://… }`. Read at start, again when a token names a `kid` the set does not hold (at most once per `jwksCooldownMs`) and, for a URL, in the background once `jwksMaxAgeMs` has passed; a failed read keeps the last good set.","type":"object","additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"file":{"$ref":"#/definitions/filePath"},"url":{"description":"http:// or https:// URL of the key set.","type":"string","minLength":1,"maxLength":2048}}},"jwksTimeoutMs":{"description":"Deadline of one fetch of a `jwks` URL, ms.","type":"integer","minimum":1,"maximum":60000,"default":5000},"jwksCooldownMs":{"description":"Least time between two reads of `jwks` for an unknown `kid` or after a failed read, ms.","type":"integer","minimum":0,"maximum":86400000,"default":30000},"jwksMaxAgeMs":{"description":"A `jwks` URL is fetched again, in the background, once the set is this old, ms.","type":"integer","minimum":1000,"maximum":2147483647,"default":600000},"issuer":{"description":"When set, a token's `iss` must be this.","type":"string","minLength":1},"audience":{"description":"When set, a token's `aud` must be or hold this.","type":"string","minLength":1},"leewayMs":{"description":"Clock skew allowed when checking `exp` and `nbf`, ms. An SSE stream ends with a `token_expired` event this long after its token's `exp`.","type":"integer","minimum":0,"maximum":300000,"default":5000},"cookie":{"description":"Name of the cookie a token may come in, for EventSource, which cannot set headers. Read on the SSE routes only: a push must send `Authorization: Bearer`.","type":"string","pattern":"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$","default":"backchannel_token"},"queryParameter":{"description":"Also take a token from the `access_token` query parameter of the SSE routes. Off by default: URLs end up in proxy logs and browser history (see docs/browsers.md).","type":"boolean","default":false}}},"cors":{"description":"Cross-origin requests from browsers: the origins allowed, answered with `Access-Control-Allow-Origin` and `Vary: Origin`, and their preflight (`OPTIONS`) requests. Absent: no CORS header is ever sent. Read at start; a change needs a restart.","type":"object","additionalProperties":false,"required":["origins"],"properties":{"origins":{"description":"Origins allowed, exactly as a browser sends them: scheme, host and port when not the default (`https://app.example`, `http://localhost:3000`), no path.","type":"array","minItems":1,"maxItems":1000,"items":{"type":"string","minLength":1,"maxLength":2048}},"credentials":{"description":"Send `Access-Control-Allow-Credentials: true`, so that a page may send the token cookie (`new EventSource(url, { withCredentials: true })`, `fetch(url, { credentials: 'include' })`).","type":"boolean","default":false},"maxAgeSeconds":{"description":"How long a browser may keep a preflight answer (`Access-Control-Max-Age`), s.","type":"integer","minimum":0,"maximum":86400,"default":600}}},"sharedHistory":{"description":"History shared by the replicas of a deployment on Redis Streams (Redis 7.0+ or Valkey 7.2+, `maxmemory-policy noeviction`), so an SSE reader that resumes on another replica gets no gap and no duplicate (see docs/shared-history.md). Every replica offers each message it receives; the holder of a topic's writer lease appends it once; every replica reads the stream back and gives readers ids `<epoch>:<ms>-<n>`, the same on every replica. While Redis is unavailable a topic falls back to local history, with a `gap` event at each switch. Presence channels stay local. The replica id is `POD_NAME`, or the host name. Absent: each replica keeps its own history only. Read at start; a change needs a restart.","type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"description":"`redis://host:port` or `rediss://host:port` (TLS). No credentials here: use `username` and `password`.","type":"string","minLength":1,"maxLength":2048},"username":{"description":"ACL user. Absent: the `default` user.","type":"string","minLength":1,"maxLength":256},"password":{"description":"AUTH password: a literal string, `{ env: NAME }` or `{ file: PATH }` (one trailing newline ignored), read again at every connect, so a rotated Secret file is used from the next reconnect on. Never logged. Absent: no AUTH.","$ref":"#/definitions/headerValue"},"tlsCaFile":{"description":"PEM file of the CA that signed Redis's certificate (`rediss://` only). Absent: the system's CAs. Relative paths are relative to the config file.","$ref":"#/definitions/filePath"},"keyPrefix":{"description":"Prepended to every key (one Redis shared by several deployments).","type":"string","maxLength":128,"default":"bc:"},"leaseTtlMs":{"description":"Time to live of a topic's writer lease, ms: a dead writer is replaced within it plus a third of it.","type":"integer","minimum":30,"maximum":600000,"default":3000},"maxLen":{"description":"Entries each topic's stream keeps, about (`XADD MAXLEN ~`): how far back a reader can resume on any replica.","type":"integer","minimum":1,"maximum":100000000,"default":10000},"commandTimeoutMs":{"description":"Deadline of every Redis call but a blocking read, ms. Must be under `leaseTtlMs` / 3, so a lease renewal can fail and be retried before the lease runs out.","type":"integer","minimum":1,"maximum":60000,"default":500},"reconnectMinMs":{"description":"First reconnect delay after Redis is lost, ms; doubled (jittered) up to `reconnectMaxMs`.","type":"integer","minimum":1,"maximum":600000,"default":100},"reconnectMaxMs":{"description":"Largest reconnect delay, ms. At least `reconnectMinMs`.","type":"integer","minimum":1,"maximum":600000,"default":5000}}},"maxBodyBytes":{"description":"Largest HTTP push body accepted, bytes; a larger one is answered 413.","type":"integer","minimum":1,"maximum":1073741824,"default":1048576},"pushTimeoutMs":{"description":"Reply deadline of an HTTP push whose request gives none, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":10000}},"definitions":{"upstream":{"description":"One Phoenix socket endpoint and how to connect to it.","type":"object","additionalProperties":false,"required":["name","url"],"properties":{"name":{"description":"Unique name, used in metrics labels, logs and `channels[].upstream`.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9_.-]*$","maxLength":64},"url":{"description":"Socket endpoint as phoenix.js takes it (`wss://app.example/socket`): ws://, wss://, http:// or https://, no query (use `params`), no credentials (use `authToken`).","type":"string","minLength":1},"params":{"description":"Connect params, sent in the upgrade URL's query. Each value is a literal or a source (`{ env: NAME }`, `{ file: PATH }`), resolved again at every connect.","type":"object","default":{},"propertyNames":{"minLength":1},"additionalProperties":{"$ref":"#/definitions/valueSource"}},"authToken":{"description":"Phoenix 1.8 auth token, sent in Sec-WebSocket-Protocol: a literal string, `{ env: NAME }` or `{ file: PATH }`, resolved again at every connect. Never logged.","type":["string","object","null"],"minLength":1,"additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"env":{"$ref":"#/definitions/envName"},"file":{"$ref":"#/definitions/filePath"}},"default":null},"headers":{"description":"Extra headers on the upgrade request (User-Agent, Cookie, x-…). The WebSocket handshake's own headers are refused.","type":"object","default":{},"propertyNames":{"pattern":"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},"additionalProperties":{"type":"string","pattern":"^[^\\r\\n\\u0000]*$"}},"poolSize":{"description":"Sockets opened to this upstream; topics are spread over them by a stable hash.","type":"integer","minimum":1,"maximum":1000,"default":1},"maxChannelsPerSocket":{"description":"Topics joined on one socket at most (Phoenix 1.8.9+ refuses the 101st by default).","type":"integer","minimum":1,"maximum":1000000,"default":100},"heartbeatIntervalMs":{"description":"Heartbeat interval, ms (phoenix.js: 30000).","type":"integer","minimum":1,"maximum":2147483647,"default":30000},"heartbeatTimeoutMs":{"description":"Deadline of a heartbeat reply, ms; missing it closes the socket. Default: `heartbeatIntervalMs`.","type":"integer","minimum":1,"maximum":2147483647},"joinTimeoutMs":{"description":"Deadline of a join reply, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"pushTimeoutMs":{"description":"Default deadline of a push reply on this upstream, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"connectTimeoutMs":{"description":"Deadline for TCP, TLS and the WebSocket upgrade together, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"maxBufferedPushes":{"description":"Pushes held per socket while their channel is not joined; more fail with BC_ERR_BUFFER_FULL.","type":"integer","minimum":0,"maximum":10000000,"default":1000},"reconnectBackoffMs":{"description":"Delays before successive reconnect attempts, ms; the last repeats (phoenix.js's schedule).","$ref":"#/definitions/schedule","default":[10,50,100,150,200,250,500,1000,2000,5000]},"rejoinBackoffMs":{"description":"Delays before successive rejoin attempts, ms; the last repeats (phoenix.js's schedule).","$ref":"#/definitions/schedule","default":[1000,2000,5000,10000]},"jitter":{"description":"Random spread applied to both back-off schedules, as a ratio (0.2 = ±20 %), so a fleet does not reconnect in lockstep.","type":"number","minimum":0,"maximum":1,"default":0.2},"maxJoinRefusals":{"description":"Join refusals in a row after which a channel stops rejoining.","type":"integer","minimum":1,"maximum":1000000,"default":3},"tlsCaFile":{"description":"PEM file of extra CA certificates to trust for wss:// and https:// (certificates are always verified). Relative paths are relative to the config file.","type":["string","null"],"minLength":1,"default":null},"vsn":{"description":"Serializer version: `2.0.0` (arrays, binary frames) or `1.0.0` (objects).","type":"string","enum":["2.0.0","1.0.0"],"default":"2.0.0"}}},"channel":{"description":"One channel (topic) the gateway joins.","type":"object","additionalProperties":false,"required":["topic"],"properties":{"topic":{"description":"The Phoenix topic, e.g. `room:lobby`. Unique per upstream.","type":"string","minLength":1,"maxLength":1024,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"name":{"description":"Unique name used in metrics labels and logs. Default: the topic.","type":"string","minLength":1,"maxLength":1024,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"upstream":{"description":"Name of the upstream to join it on. Default: the only upstream; required when there are several.","type":"string","minLength":1},"params":{"description":"Join payload, sent as is.","type":"object","default":{}},"required":{"description":"Readiness (`/readyz`) requires this channel to be joined.","type":"boolean","default":false},"replay":{"description":"Messages kept for `Last-Event-ID` resume; 0 turns resume off.","type":"integer","minimum":0,"maximum":100000,"default":1000},"traceField":{"description":"When set, a push whose request carries a valid W3C `traceparent` header gets it added to its payload under this key (object payloads only). Leave out to send payloads unchanged.","type":"string","minLength":1,"maxLength":255},"presence":{"description":"Keep this channel's merged presence (phoenix.js Presence semantics) and serve it at `GET /v1/channels/{topic}/presence`; its `presence_state` and `presence_diff` messages become `presence_join`, `presence_leave` and `presence_state` events with the diffs applied (see docs/presence.md). Default: false.","type":"boolean"},"webhook":{"description":"Deliver this channel's messages to an HTTP endpoint, at least once, in order (see docs/webhooks.md). Leave out for no webhook.","$ref":"#/definitions/webhook"}}},"dynamic":{"description":"One pattern of topics the gateway may join at run time, with the settings its topics get.","type":"object","additionalProperties":false,"required":["pattern"],"properties":{"pattern":{"description":"The topics allowed: `*` stands for one or more characters other than `:`, every other character for itself. `room:*` allows `room:lobby`, but not `room:` or `room:a:b` (allow those with `room:*:*`). At least one character that is not `*`; no `**`.","type":"string","minLength":1,"maxLength":255,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"name":{"description":"Unique name (among channels and dynamic entries) that every topic of this entry has in metrics labels and logs: labels never hold the topic itself. Default: the pattern.","type":"string","minLength":1,"maxLength":1024,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"upstream":{"description":"Name of the upstream its topics are joined on. Default: the only upstream; required when there are several.","type":"string","minLength":1},"params":{"description":"Join payload of its topics; the top-level keys of a PUT's `params` replace these.","type":"object","default":{}},"lingerMs":{"description":"How long a topic joined on demand stays joined after its last SSE reader or push has gone, ms (a new reader in that time keeps it). Topics joined with PUT stay until DELETE.","type":"integer","minimum":0,"maximum":86400000,"default":30000},"maxTopics":{"description":"Topics of this entry held at once, at most; a join beyond it is refused with 503 `BC_ERR_TOPIC_LIMIT`, so memory stays bounded whatever clients ask for.","type":"integer","minimum":1,"maximum":100000,"default":100},"replay":{"description":"Messages kept per topic for `Last-Event-ID` resume; 0 turns resume off.","type":"integer","minimum":0,"maximum":100000,"default":100},"presence":{"description":"Keep each topic's merged presence, as `channels[].presence` does.","type":"boolean","default":false},"traceField":{"description":"As `channels[].traceField`: the payload key that receives a push's W3C `traceparent`.","type":"string","minLength":1,"maxLength":255}}},"valueSource":{"description":"A literal (string, number or boolean), `{ env: NAME }` (an environment variable) or `{ file: PATH }` (a file's text without its trailing newline, re-read at every connect).","type":["string","number","boolean","object"],"additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"env":{"$ref":"#/definitions/envName"},"file":{"$ref":"#/definitions/filePath"}}},"envName":{"description":"Name of an environment variable.","type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$"},"filePath":{"description":"Path of a file; relative paths are relative to the config file.","type":"string","minLength":1},"schedule":{"type":"array","minItems":1,"maxItems":100,"items":{"type":"integer","minimum":0,"maximum":2147483647}},"webhook":{"description":"A webhook sink: where a channel's messages are POSTed, how failures are retried, and where the messages that cannot be delivered go.","type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"description":"Endpoint each message is POSTed to: http:// or https://, no credentials (put them in `headers`). A query is kept; it is never logged.","type":"string","minLength":1},"headers":{"description":"Extra request headers (Authorization, x-…). Each value is a literal or a secret source (`{ env: NAME }`, `{ file: PATH }`), read once at start-up and never logged. The headers the sink sets itself are refused.","type":"object","default":{},"propertyNames":{"pattern":"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},"additionalProperties":{"$ref":"#/definitions/headerValue"}},"signingSecrets":{"description":"Secrets the requests are signed with, by the Standard Webhooks spec (`webhook-id`, `webhook-timestamp` and `webhook-signature` headers; see docs/webhooks.md). Each is `whsec_` and the base64 of 24 to 64 random bytes, as a literal, `{ env: NAME }` or `{ file: PATH }`. Two while a secret is rotated: every request then carries a signature by each. Read at start-up and again on every reload, and a file when it changes (with `CONFIG_WATCH`). Empty: requests are not signed (a warning at start-up).","type":"array","maxItems":2,"default":[],"items":{"$ref":"#/definitions/headerValue"}},"format":{"description":"Request body: `cloudevents` (a CloudEvents 1.0 structured JSON envelope, as Dapr sends; `data` is the payload) or `raw` (the payload alone, as JSON).","type":"string","enum":["cloudevents","raw"],"default":"cloudevents"},"timeoutMs":{"description":"Deadline of one attempt (connect, send, response headers and body), ms; a missed deadline is retried. With the dead letter's `timeoutMs` it must be less than `SHUTDOWN_GRACE_MS`: the drain waits for attempts in flight.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"maxAttempts":{"description":"Attempts per message, the first included; after the last one fails the message goes to the dead letter (reason `max_attempts`).","type":"integer","minimum":1,"maximum":1000000,"default":10},"maxAgeMs":{"description":"Oldest a message may get, from its arrival, before it goes to the dead letter (reason `max_age`) instead of being tried again; time waiting in the queue counts.","type":"integer","minimum":1,"maximum":2147483647,"default":600000},"backoff":{"description":"Delay before each retry: exponential with full jitter, `random(0, min(maxMs, initialMs × multiplier^(retry − 1)))`, and never less than the response's `Retry-After`.","type":"object","additionalProperties":false,"default":{},"properties":{"initialMs":{"description":"Ceiling of the first retry's delay, ms.","type":"integer","minimum":0,"maximum":2147483647,"default":500},"maxMs":{"description":"Largest ceiling, ms (a `Retry-After` may ask for longer).","type":"integer","minimum":0,"maximum":2147483647,"default":60000},"multiplier":{"description":"Growth of the ceiling from one retry to the next.","type":"number","minimum":1,"maximum":100,"default":2}}},"maxInFlight":{"description":"Attempts in flight at once for this channel, across its ordering lanes (one lane unless `orderKey` is set). The cap is per channel: other channels sending to the same app have their own.","type":"integer","minimum":1,"maximum":10000,"default":16},"queueSize":{"description":"Messages held for this channel (queued, in flight or waiting for a retry) at most; past it `overflow` decides which one goes to the dead letter.","type":"integer","minimum":1,"maximum":10000000,"default":10000},"overflow":{"description":"When the queue is full: `drop-newest` sends the arriving message to the dead letter; `drop-oldest` sends the oldest message not in flight there and queues the new one. Either way it is counted (reason `overflow`).","type":"string","enum":["drop-newest","drop-oldest"],"default":"drop-newest"},"orderKey":{"description":"JSON Pointer (RFC 6901) into the payload, e.g. `/user_id`: messages are kept in order per value of that field (a lane each) and lanes are delivered in parallel. null: one lane, the whole topic in order.","type":["string","null"],"pattern":"^(/([^~/]|~[01])*)+$","default":null},"deadLetter":{"description":"Where messages that cannot be delivered go, with the reason: exactly one of `file` (JSON lines appended), `url` (one POST each) or `topic` (a push to a configured channel). null: they are logged and counted only.","type":["object","null"],"additionalProperties":false,"default":null,"properties":{"file":{"description":"File the records are appended to, one JSON object a line. Relative paths are relative to the config file.","type":"string","minLength":1},"url":{"description":"http:// or https:// endpoint each record is POSTed to once (application/json); a failure is logged and counted.","type":"string","minLength":1},"headers":{"description":"Extra headers of the `url` requests; values as in `webhook.headers`.","type":"object","default":{},"propertyNames":{"pattern":"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},"additionalProperties":{"$ref":"#/definitions/headerValue"}},"topic":{"description":"A configured channel the record is pushed to (the gateway has joined it); not the webhook's own channel.","type":"string","minLength":1},"upstream":{"description":"Upstream of `topic`. Default: the webhook channel's upstream.","type":"string","minLength":1},"event":{"description":"Event name of the push to `topic`.","type":"string","minLength":1,"default":"dead_letter"},"timeoutMs":{"description":"Deadline of one `url` request or `topic` push, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":5000}}}}},"headerValue":{"description":"A header value: a literal string, `{ env: NAME }` or `{ file: PATH }`.","type":["string","object"],"pattern":"^[^\\r\\n\\u0000]*$","additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"env":{"$ref":"#/definitions/envName"},"file":{"$ref":"#/definitions/filePath"}}}}};
const schema25 = {"description":"One pattern of topics the gateway may join at run time, with the settings its topics get.","type":"object","additionalProperties":false,"required":["pattern"],"properties":{"pattern":{"description":"The topics allowed: `*` stands for one or more characters other than `:`, every other character for itself. `room:*` allows `room:lobby`, but not `room:` or `room:a:b` (allow those with `room:*:*`). At least one character that is not `*`; no `**`.","type":"string","minLength":1,"maxLength":255,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"name":{"description":"Unique name (among channels and dynamic entries) that every topic of this entry has in metrics labels and logs: labels never hold the topic itself. Default: the pattern.","type":"string","minLength":1,"maxLength":1024,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"upstream":{"description":"Name of the upstream its topics are joined on. Default: the only upstream; required when there are several.","type":"string","minLength":1},"params":{"description":"Join payload of its topics; the top-level keys of a PUT's `params` replace these.","type":"object","default":{}},"lingerMs":{"description":"How long a topic joined on demand stays joined after its last SSE reader or push has gone, ms (a new reader in that time keeps it). Topics joined with PUT stay until DELETE.","type":"integer","minimum":0,"maximum":86400000,"default":30000},"maxTopics":{"description":"Topics of this entry held at once, at most; a join beyond it is refused with 503 `BC_ERR_TOPIC_LIMIT`, so memory stays bounded whatever clients ask for.","type":"integer","minimum":1,"maximum":100000,"default":100},"replay":{"description":"Messages kept per topic for `Last-Event-ID` resume; 0 turns resume off.","type":"integer","minimum":0,"maximum":100000,"default":100},"presence":{"description":"Keep each topic's merged presence, as `channels[].presence` does.","type":"boolean","default":false},"traceField":{"description":"As `channels[].traceField`: the payload key that receives a push's W3C `traceparent`.","type":"string","minLength":1,"maxLength":255}}};
const schema15 = {"description":"Path of a file; relative paths are relative to the config file.","type":"string","minLength":1};
const func2 = Object.prototype.hasOwnProperty;
const func4 = runtime0.default;
const schema12 = {"description":"One Phoenix socket endpoint and how to connect to it.","type":"object","additionalProperties":false,"required":["name","url"],"properties":{"name":{"description":"Unique name, used in metrics labels, logs and `channels[].upstream`.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9_.-]*$","maxLength":64},"url":{"description":"Socket endpoint as phoenix.js takes it (`wss://app.example/socket`): ws://, wss://, http:// or https://, no query (use `params`), no credentials (use `authToken`).","type":"string","minLength":1},"params":{"description":"Connect params, sent in the upgrade URL's query. Each value is a literal or a source (`{ env: NAME }`, `{ file: PATH }`), resolved again at every connect.","type":"object","default":{},"propertyNames":{"minLength":1},"additionalProperties":{"$ref":"#/definitions/valueSource"}},"authToken":{"description":"Phoenix 1.8 auth token, sent in Sec-WebSocket-Protocol: a literal string, `{ env: NAME }` or `{ file: PATH }`, resolved again at every connect. Never logged.","type":["string","object","null"],"minLength":1,"additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"env":{"$ref":"#/definitions/envName"},"file":{"$ref":"#/definitions/filePath"}},"default":null},"headers":{"description":"Extra headers on the upgrade request (User-Agent, Cookie, x-…). The WebSocket handshake's own headers are refused.","type":"object","default":{},"propertyNames":{"pattern":"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},"additionalProperties":{"type":"string","pattern":"^[^\\r\\n\\u0000]*$"}},"poolSize":{"description":"Sockets opened to this upstream; topics are spread over them by a stable hash.","type":"integer","minimum":1,"maximum":1000,"default":1},"maxChannelsPerSocket":{"description":"Topics joined on one socket at most (Phoenix 1.8.9+ refuses the 101st by default).","type":"integer","minimum":1,"maximum":1000000,"default":100},"heartbeatIntervalMs":{"description":"Heartbeat interval, ms (phoenix.js: 30000).","type":"integer","minimum":1,"maximum":2147483647,"default":30000},"heartbeatTimeoutMs":{"description":"Deadline of a heartbeat reply, ms; missing it closes the socket. Default: `heartbeatIntervalMs`.","type":"integer","minimum":1,"maximum":2147483647},"joinTimeoutMs":{"description":"Deadline of a join reply, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"pushTimeoutMs":{"description":"Default deadline of a push reply on this upstream, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"connectTimeoutMs":{"description":"Deadline for TCP, TLS and the WebSocket upgrade together, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"maxBufferedPushes":{"description":"Pushes held per socket while their channel is not joined; more fail with BC_ERR_BUFFER_FULL.","type":"integer","minimum":0,"maximum":10000000,"default":1000},"reconnectBackoffMs":{"description":"Delays before successive reconnect attempts, ms; the last repeats (phoenix.js's schedule).","$ref":"#/definitions/schedule","default":[10,50,100,150,200,250,500,1000,2000,5000]},"rejoinBackoffMs":{"description":"Delays before successive rejoin attempts, ms; the last repeats (phoenix.js's schedule).","$ref":"#/definitions/schedule","default":[1000,2000,5000,10000]},"jitter":{"description":"Random spread applied to both back-off schedules, as a ratio (0.2 = ±20 %), so a fleet does not reconnect in lockstep.","type":"number","minimum":0,"maximum":1,"default":0.2},"maxJoinRefusals":{"description":"Join refusals in a row after which a channel stops rejoining.","type":"integer","minimum":1,"maximum":1000000,"default":3},"tlsCaFile":{"description":"PEM file of extra CA certificates to trust for wss:// and https:// (certificates are always verified). Relative paths are relative to the config file.","type":["string","null"],"minLength":1,"default":null},"vsn":{"description":"Serializer version: `2.0.0` (arrays, binary frames) or `1.0.0` (objects).","type":"string","enum":["2.0.0","1.0.0"],"default":"2.0.0"}}};
const schema14 = {"description":"Name of an environment variable.","type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$"};
const schema18 = {"type":"array","minItems":1,"maxItems":100,"items":{"type":"integer","minimum":0,"maximum":2147483647}};
const pattern0 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_.-]*$", "u");
const pattern1 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", "u");
const pattern3 = new RegExp("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", "u");
const pattern4 = new RegExp("^[^\\r\\n\\u0000]*$", "u");
const schema13 = {"description":"A literal (string, number or boolean), `{ env: NAME }` (an environment variable) or `{ file: PATH }` (a file's text without its trailing newline, re-read at every connect).","type":["string","number","boolean","object"],"additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"env":{"$ref":"#/definitions/envName"},"file":{"$ref":"#/definitions/filePath"}}};

function validate12(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if((((typeof data !== "string") && (!((typeof data == "number") && (isFinite(data))))) && (typeof data !== "boolean")) && (!(data && typeof data == "object" && !Array.isArray(data)))){
const err0 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: schema13.type},message:"must be string,number,boolean,object",schema:schema13.type,parentSchema:schema13,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(Object.keys(data).length > 1){
const err1 = {instancePath,schemaPath:"#/maxProperties",keyword:"maxProperties",params:{limit: 1},message:"must NOT have more than 1 properties",schema:1,parentSchema:schema13,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(Object.keys(data).length < 1){
const err2 = {instancePath,schemaPath:"#/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema13,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "env") || (key0 === "file"))){
const err3 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema13,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.env !== undefined){
let data0 = data.env;
if(typeof data0 === "string"){
if(!pattern1.test(data0)){
const err4 = {instancePath:instancePath+"/env",schemaPath:"#/definitions/envName/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema14,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/env",schemaPath:"#/definitions/envName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.type,parentSchema:schema14,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.file !== undefined){
let data1 = data.file;
if(typeof data1 === "string"){
if(func4(data1) < 1){
const err6 = {instancePath:instancePath+"/file",schemaPath:"#/definitions/filePath/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema15,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/file",schemaPath:"#/definitions/filePath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
validate12.errors = vErrors;
return errors === 0;
}


function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.params === undefined){
data.params = {};
}
if(data.authToken === undefined){
data.authToken = null;
}
if(data.headers === undefined){
data.headers = {};
}
if(data.poolSize === undefined){
data.poolSize = 1;
}
if(data.maxChannelsPerSocket === undefined){
data.maxChannelsPerSocket = 100;
}
if(data.heartbeatIntervalMs === undefined){
data.heartbeatIntervalMs = 30000;
}
if(data.joinTimeoutMs === undefined){
data.joinTimeoutMs = 10000;
}
if(data.pushTimeoutMs === undefined){
data.pushTimeoutMs = 10000;
}
if(data.connectTimeoutMs === undefined){
data.connectTimeoutMs = 10000;
}
if(data.maxBufferedPushes === undefined){
data.maxBufferedPushes = 1000;
}
if(data.reconnectBackoffMs === undefined){
data.reconnectBackoffMs = [10,50,100,150,200,250,500,1000,2000,5000];
}
if(data.rejoinBackoffMs === undefined){
data.rejoinBackoffMs = [1000,2000,5000,10000];
}
if(data.jitter === undefined){
data.jitter = 0.2;
}
if(data.maxJoinRefusals === undefined){
data.maxJoinRefusals = 3;
}
if(data.tlsCaFile === undefined){
data.tlsCaFile = null;
}
if(data.vsn === undefined){
data.vsn = "2.0.0";
}
if(data.name === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema12.required,parentSchema:schema12,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.url === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'",schema:schema12.required,parentSchema:schema12,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema12.properties, key0))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema12,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.name !== undefined){
let data0 = data.name;
if(typeof data0 === "string"){
if(func4(data0) > 64){
const err3 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema12.properties.name,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(!pattern0.test(data0)){
const err4 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_.-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_.-]*$",parentSchema:schema12.properties.name,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.name.type,parentSchema:schema12.properties.name,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.url !== undefined){
let data1 = data.url;
if(typeof data1 === "string"){
if(func4(data1) < 1){
const err6 = {instancePath:instancePath+"/url",schemaPath:"#/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.url,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/url",schemaPath:"#/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.url.type,parentSchema:schema12.properties.url,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
let data2 = data.params;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
for(const key1 in data2){
const _errs8 = errors;
if(typeof key1 === "string"){
if(func4(key1) < 1){
const err8 = {instancePath:instancePath+"/params",schemaPath:"#/properties/params/propertyNames/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.params.propertyNames,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
var valid1 = _errs8 === errors;
if(!valid1){
const err9 = {instancePath:instancePath+"/params",schemaPath:"#/properties/params/propertyNames",keyword:"propertyNames",params:{propertyName: key1},message:"property name must be valid",schema:schema12.properties.params.propertyNames,parentSchema:schema12.properties.params,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
for(const key2 in data2){
if(!(validate12(data2[key2], {instancePath:instancePath+"/params/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data2,parentDataProperty:key2,rootData}))){
vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);
errors = vErrors.length;
}
}
}
else {
const err10 = {instancePath:instancePath+"/params",schemaPath:"#/properties/params/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema12.properties.params.type,parentSchema:schema12.properties.params,data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
let data4 = data.authToken;
if(((typeof data4 !== "string") && (!(data4 && typeof data4 == "object" && !Array.isArray(data4)))) && (data4 !== null)){
const err11 = {instancePath:instancePath+"/authToken",schemaPath:"#/properties/authToken/type",keyword:"type",params:{type: schema12.properties.authToken.type},message:"must be string,object,null",schema:schema12.properties.authToken.type,parentSchema:schema12.properties.authToken,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(typeof data4 === "string"){
if(func4(data4) < 1){
const err12 = {instancePath:instancePath+"/authToken",schemaPath:"#/properties/authToken/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.authToken,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(Object.keys(data4).length > 1){
const err13 = {instancePath:instancePath+"/authToken",schemaPath:"#/properties/authToken/maxProperties",keyword:"maxProperties",params:{limit: 1},message:"must NOT have more than 1 properties",schema:1,parentSchema:schema12.properties.authToken,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(Object.keys(data4).length < 1){
const err14 = {instancePath:instancePath+"/authToken",schemaPath:"#/properties/authToken/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema12.properties.authToken,data:data4};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
for(const key3 in data4){
if(!((key3 === "env") || (key3 === "file"))){
const err15 = {instancePath:instancePath+"/authToken",schemaPath:"#/properties/authToken/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema12.properties.authToken,data:data4};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data4.env !== undefined){
let data5 = data4.env;
if(typeof data5 === "string"){
if(!pattern1.test(data5)){
const err16 = {instancePath:instancePath+"/authToken/env",schemaPath:"#/definitions/envName/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema14,data:data5};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
else {
const err17 = {instancePath:instancePath+"/authToken/env",schemaPath:"#/definitions/envName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.type,parentSchema:schema14,data:data5};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data4.file !== undefined){
let data6 = data4.file;
if(typeof data6 === "string"){
if(func4(data6) < 1){
const err18 = {instancePath:instancePath+"/authToken/file",schemaPath:"#/definitions/filePath/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema15,data:data6};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
else {
const err19 = {instancePath:instancePath+"/authToken/file",schemaPath:"#/definitions/filePath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data6};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
let data7 = data.headers;
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
for(const key4 in data7){
const _errs22 = errors;
if(typeof key4 === "string"){
if(!pattern3.test(key4)){
const err20 = {instancePath:instancePath+"/headers",schemaPath:"#/properties/headers/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},message:"must match pattern \""+"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"+"\"",schema:"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",parentSchema:schema12.properties.headers.propertyNames,data:key4,propertyName:key4};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
var valid6 = _errs22 === errors;
if(!valid6){
const err21 = {instancePath:instancePath+"/headers",schemaPath:"#/properties/headers/propertyNames",keyword:"propertyNames",params:{propertyName: key4},message:"property name must be valid",schema:schema12.properties.headers.propertyNames,parentSchema:schema12.properties.headers,data:data7};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
for(const key5 in data7){
let data8 = data7[key5];
if(typeof data8 === "string"){
if(!pattern4.test(data8)){
const err22 = {instancePath:instancePath+"/headers/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/headers/additionalProperties/pattern",keyword:"pattern",params:{pattern: "^[^\\r\\n\\u0000]*$"},message:"must match pattern \""+"^[^\\r\\n\\u0000]*$"+"\"",schema:"^[^\\r\\n\\u0000]*$",parentSchema:schema12.properties.headers.additionalProperties,data:data8};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
else {
const err23 = {instancePath:instancePath+"/headers/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/headers/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.headers.additionalProperties.type,parentSchema:schema12.properties.headers.additionalProperties,data:data8};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
}
else {
const err24 = {instancePath:instancePath+"/headers",schemaPath:"#/properties/headers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema12.properties.headers.type,parentSchema:schema12.properties.headers,data:data7};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
let data9 = data.poolSize;
if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){
const err25 = {instancePath:instancePath+"/poolSize",schemaPath:"#/properties/poolSize/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.poolSize.type,parentSchema:schema12.properties.poolSize,data:data9};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 > 1000 || isNaN(data9)){
const err26 = {instancePath:instancePath+"/poolSize",schemaPath:"#/properties/poolSize/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema12.properties.poolSize,data:data9};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data9 < 1 || isNaN(data9)){
const err27 = {instancePath:instancePath+"/poolSize",schemaPath:"#/properties/poolSize/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.poolSize,data:data9};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
let data10 = data.maxChannelsPerSocket;
if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){
const err28 = {instancePath:instancePath+"/maxChannelsPerSocket",schemaPath:"#/properties/maxChannelsPerSocket/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.maxChannelsPerSocket.type,parentSchema:schema12.properties.maxChannelsPerSocket,data:data10};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 > 1000000 || isNaN(data10)){
const err29 = {instancePath:instancePath+"/maxChannelsPerSocket",schemaPath:"#/properties/maxChannelsPerSocket/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema12.properties.maxChannelsPerSocket,data:data10};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
if(data10 < 1 || isNaN(data10)){
const err30 = {instancePath:instancePath+"/maxChannelsPerSocket",schemaPath:"#/properties/maxChannelsPerSocket/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.maxChannelsPerSocket,data:data10};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
let data11 = data.heartbeatIntervalMs;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
const err31 = {instancePath:instancePath+"/heartbeatIntervalMs",schemaPath:"#/properties/heartbeatIntervalMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.heartbeatIntervalMs.type,parentSchema:schema12.properties.heartbeatIntervalMs,data:data11};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 > 2147483647 || isNaN(data11)){
const err32 = {instancePath:instancePath+"/heartbeatIntervalMs",schemaPath:"#/properties/heartbeatIntervalMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema12.properties.heartbeatIntervalMs,data:data11};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
if(data11 < 1 || isNaN(data11)){
const err33 = {instancePath:instancePath+"/heartbeatIntervalMs",schemaPath:"#/properties/heartbeatIntervalMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.heartbeatIntervalMs,data:data11};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data.heartbeatTimeoutMs !== undefined){
let data12 = data.heartbeatTimeoutMs;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
const err34 = {instancePath:instancePath+"/heartbeatTimeoutMs",schemaPath:"#/properties/heartbeatTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.heartbeatTimeoutMs.type,parentSchema:schema12.properties.heartbeatTimeoutMs,data:data12};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
if((typeof data12 == "number") && (isFinite(data12))){
if(data12 > 2147483647 || isNaN(data12)){
const err35 = {instancePath:instancePath+"/heartbeatTimeoutMs",schemaPath:"#/properties/heartbeatTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema12.properties.heartbeatTimeoutMs,data:data12};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
if(data12 < 1 || isNaN(data12)){
const err36 = {instancePath:instancePath+"/heartbeatTimeoutMs",schemaPath:"#/properties/heartbeatTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.heartbeatTimeoutMs,data:data12};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
let data13 = data.joinTimeoutMs;
if(!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))){
const err37 = {instancePath:instancePath+"/joinTimeoutMs",schemaPath:"#/properties/joinTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.joinTimeoutMs.type,parentSchema:schema12.properties.joinTimeoutMs,data:data13};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if((typeof data13 == "number") && (isFinite(data13))){
if(data13 > 2147483647 || isNaN(data13)){
const err38 = {instancePath:instancePath+"/joinTimeoutMs",schemaPath:"#/properties/joinTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema12.properties.joinTimeoutMs,data:data13};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
if(data13 < 1 || isNaN(data13)){
const err39 = {instancePath:instancePath+"/joinTimeoutMs",schemaPath:"#/properties/joinTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.joinTimeoutMs,data:data13};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
let data14 = data.pushTimeoutMs;
if(!(((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14))) && (isFinite(data14)))){
const err40 = {instancePath:instancePath+"/pushTimeoutMs",schemaPath:"#/properties/pushTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.pushTimeoutMs.type,parentSchema:schema12.properties.pushTimeoutMs,data:data14};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
if((typeof data14 == "number") && (isFinite(data14))){
if(data14 > 2147483647 || isNaN(data14)){
const err41 = {instancePath:instancePath+"/pushTimeoutMs",schemaPath:"#/properties/pushTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema12.properties.pushTimeoutMs,data:data14};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
if(data14 < 1 || isNaN(data14)){
const err42 = {instancePath:instancePath+"/pushTimeoutMs",schemaPath:"#/properties/pushTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.pushTimeoutMs,data:data14};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
let data15 = data.connectTimeoutMs;
if(!(((typeof data15 == "number") && (!(data15 % 1) && !isNaN(data15))) && (isFinite(data15)))){
const err43 = {instancePath:instancePath+"/connectTimeoutMs",schemaPath:"#/properties/connectTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.connectTimeoutMs.type,parentSchema:schema12.properties.connectTimeoutMs,data:data15};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
if((typeof data15 == "number") && (isFinite(data15))){
if(data15 > 2147483647 || isNaN(data15)){
const err44 = {instancePath:instancePath+"/connectTimeoutMs",schemaPath:"#/properties/connectTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema12.properties.connectTimeoutMs,data:data15};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
if(data15 < 1 || isNaN(data15)){
const err45 = {instancePath:instancePath+"/connectTimeoutMs",schemaPath:"#/properties/connectTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.connectTimeoutMs,data:data15};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
let data16 = data.maxBufferedPushes;
if(!(((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16))) && (isFinite(data16)))){
const err46 = {instancePath:instancePath+"/maxBufferedPushes",schemaPath:"#/properties/maxBufferedPushes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.maxBufferedPushes.type,parentSchema:schema12.properties.maxBufferedPushes,data:data16};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
if((typeof data16 == "number") && (isFinite(data16))){
if(data16 > 10000000 || isNaN(data16)){
const err47 = {instancePath:instancePath+"/maxBufferedPushes",schemaPath:"#/properties/maxBufferedPushes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10000000},message:"must be <= 10000000",schema:10000000,parentSchema:schema12.properties.maxBufferedPushes,data:data16};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
if(data16 < 0 || isNaN(data16)){
const err48 = {instancePath:instancePath+"/maxBufferedPushes",schemaPath:"#/properties/maxBufferedPushes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema12.properties.maxBufferedPushes,data:data16};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
let data17 = data.reconnectBackoffMs;
if(Array.isArray(data17)){
if(data17.length > 100){
const err49 = {instancePath:instancePath+"/reconnectBackoffMs",schemaPath:"#/definitions/schedule/maxItems",keyword:"maxItems",params:{limit: 100},message:"must NOT have more than 100 items",schema:100,parentSchema:schema18,data:data17};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if(data17.length < 1){
const err50 = {instancePath:instancePath+"/reconnectBackoffMs",schemaPath:"#/definitions/schedule/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema18,data:data17};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
const len0 = data17.length;
for(let i0=0; i0<len0; i0++){
let data18 = data17[i0];
if(!(((typeof data18 == "number") && (!(data18 % 1) && !isNaN(data18))) && (isFinite(data18)))){
const err51 = {instancePath:instancePath+"/reconnectBackoffMs/" + i0,schemaPath:"#/definitions/schedule/items/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema18.items.type,parentSchema:schema18.items,data:data18};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if((typeof data18 == "number") && (isFinite(data18))){
if(data18 > 2147483647 || isNaN(data18)){
const err52 = {instancePath:instancePath+"/reconnectBackoffMs/" + i0,schemaPath:"#/definitions/schedule/items/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema18.items,data:data18};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
if(data18 < 0 || isNaN(data18)){
const err53 = {instancePath:instancePath+"/reconnectBackoffMs/" + i0,schemaPath:"#/definitions/schedule/items/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema18.items,data:data18};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
}
}
else {
const err54 = {instancePath:instancePath+"/reconnectBackoffMs",schemaPath:"#/definitions/schedule/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema18.type,parentSchema:schema18,data:data17};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
let data19 = data.rejoinBackoffMs;
if(Array.isArray(data19)){
if(data19.length > 100){
const err55 = {instancePath:instancePath+"/rejoinBackoffMs",schemaPath:"#/definitions/schedule/maxItems",keyword:"maxItems",params:{limit: 100},message:"must NOT have more than 100 items",schema:100,parentSchema:schema18,data:data19};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
if(data19.length < 1){
const err56 = {instancePath:instancePath+"/rejoinBackoffMs",schemaPath:"#/definitions/schedule/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema18,data:data19};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
const len1 = data19.length;
for(let i1=0; i1<len1; i1++){
let data20 = data19[i1];
if(!(((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20))) && (isFinite(data20)))){
const err57 = {instancePath:instancePath+"/rejoinBackoffMs/" + i1,schemaPath:"#/definitions/schedule/items/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema18.items.type,parentSchema:schema18.items,data:data20};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if((typeof data20 == "number") && (isFinite(data20))){
if(data20 > 2147483647 || isNaN(data20)){
const err58 = {instancePath:instancePath+"/rejoinBackoffMs/" + i1,schemaPath:"#/definitions/schedule/items/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema18.items,data:data20};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
if(data20 < 0 || isNaN(data20)){
const err59 = {instancePath:instancePath+"/rejoinBackoffMs/" + i1,schemaPath:"#/definitions/schedule/items/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema18.items,data:data20};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
}
}
else {
const err60 = {instancePath:instancePath+"/rejoinBackoffMs",schemaPath:"#/definitions/schedule/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema18.type,parentSchema:schema18,data:data19};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
let data21 = data.jitter;
if((typeof data21 == "number") && (isFinite(data21))){
if(data21 > 1 || isNaN(data21)){
const err61 = {instancePath:instancePath+"/jitter",schemaPath:"#/properties/jitter/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema12.properties.jitter,data:data21};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
if(data21 < 0 || isNaN(data21)){
const err62 = {instancePath:instancePath+"/jitter",schemaPath:"#/properties/jitter/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema12.properties.jitter,data:data21};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
else {
const err63 = {instancePath:instancePath+"/jitter",schemaPath:"#/properties/jitter/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema12.properties.jitter.type,parentSchema:schema12.properties.jitter,data:data21};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
let data22 = data.maxJoinRefusals;
if(!(((typeof data22 == "number") && (!(data22 % 1) && !isNaN(data22))) && (isFinite(data22)))){
const err64 = {instancePath:instancePath+"/maxJoinRefusals",schemaPath:"#/properties/maxJoinRefusals/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema12.properties.maxJoinRefusals.type,parentSchema:schema12.properties.maxJoinRefusals,data:data22};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
if((typeof data22 == "number") && (isFinite(data22))){
if(data22 > 1000000 || isNaN(data22)){
const err65 = {instancePath:instancePath+"/maxJoinRefusals",schemaPath:"#/properties/maxJoinRefusals/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema12.properties.maxJoinRefusals,data:data22};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
if(data22 < 1 || isNaN(data22)){
const err66 = {instancePath:instancePath+"/maxJoinRefusals",schemaPath:"#/properties/maxJoinRefusals/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema12.properties.maxJoinRefusals,data:data22};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
let data23 = data.tlsCaFile;
if((typeof data23 !== "string") && (data23 !== null)){
const err67 = {instancePath:instancePath+"/tlsCaFile",schemaPath:"#/properties/tlsCaFile/type",keyword:"type",params:{type: schema12.properties.tlsCaFile.type},message:"must be string,null",schema:schema12.properties.tlsCaFile.type,parentSchema:schema12.properties.tlsCaFile,data:data23};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
if(typeof data23 === "string"){
if(func4(data23) < 1){
const err68 = {instancePath:instancePath+"/tlsCaFile",schemaPath:"#/properties/tlsCaFile/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.tlsCaFile,data:data23};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
let data24 = data.vsn;
if(typeof data24 !== "string"){
const err69 = {instancePath:instancePath+"/vsn",schemaPath:"#/properties/vsn/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.vsn.type,parentSchema:schema12.properties.vsn,data:data24};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
if(!((data24 === "2.0.0") || (data24 === "1.0.0"))){
const err70 = {instancePath:instancePath+"/vsn",schemaPath:"#/properties/vsn/enum",keyword:"enum",params:{allowedValues: schema12.properties.vsn.enum},message:"must be equal to one of the allowed values",schema:schema12.properties.vsn.enum,parentSchema:schema12.properties.vsn,data:data24};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
else {
const err71 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema12.type,parentSchema:schema12,data};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
validate11.errors = vErrors;
return errors === 0;
}

const schema20 = {"description":"One channel (topic) the gateway joins.","type":"object","additionalProperties":false,"required":["topic"],"properties":{"topic":{"description":"The Phoenix topic, e.g. `room:lobby`. Unique per upstream.","type":"string","minLength":1,"maxLength":1024,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"name":{"description":"Unique name used in metrics labels and logs. Default: the topic.","type":"string","minLength":1,"maxLength":1024,"pattern":"^[^\\u0000-\\u001f\\u007f]+$"},"upstream":{"description":"Name of the upstream to join it on. Default: the only upstream; required when there are several.","type":"string","minLength":1},"params":{"description":"Join payload, sent as is.","type":"object","default":{}},"required":{"description":"Readiness (`/readyz`) requires this channel to be joined.","type":"boolean","default":false},"replay":{"description":"Messages kept for `Last-Event-ID` resume; 0 turns resume off.","type":"integer","minimum":0,"maximum":100000,"default":1000},"traceField":{"description":"When set, a push whose request carries a valid W3C `traceparent` header gets it added to its payload under this key (object payloads only). Leave out to send payloads unchanged.","type":"string","minLength":1,"maxLength":255},"presence":{"description":"Keep this channel's merged presence (phoenix.js Presence semantics) and serve it at `GET /v1/channels/{topic}/presence`; its `presence_state` and `presence_diff` messages become `presence_join`, `presence_leave` and `presence_state` events with the diffs applied (see docs/presence.md). Default: false.","type":"boolean"},"webhook":{"description":"Deliver this channel's messages to an HTTP endpoint, at least once, in order (see docs/webhooks.md). Leave out for no webhook.","$ref":"#/definitions/webhook"}}};
const pattern5 = new RegExp("^[^\\u0000-\\u001f\\u007f]+$", "u");
const schema21 = {"description":"A webhook sink: where a channel's messages are POSTed, how failures are retried, and where the messages that cannot be delivered go.","type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"description":"Endpoint each message is POSTed to: http:// or https://, no credentials (put them in `headers`). A query is kept; it is never logged.","type":"string","minLength":1},"headers":{"description":"Extra request headers (Authorization, x-…). Each value is a literal or a secret source (`{ env: NAME }`, `{ file: PATH }`), read once at start-up and never logged. The headers the sink sets itself are refused.","type":"object","default":{},"propertyNames":{"pattern":"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},"additionalProperties":{"$ref":"#/definitions/headerValue"}},"signingSecrets":{"description":"Secrets the requests are signed with, by the Standard Webhooks spec (`webhook-id`, `webhook-timestamp` and `webhook-signature` headers; see docs/webhooks.md). Each is `whsec_` and the base64 of 24 to 64 random bytes, as a literal, `{ env: NAME }` or `{ file: PATH }`. Two while a secret is rotated: every request then carries a signature by each. Read at start-up and again on every reload, and a file when it changes (with `CONFIG_WATCH`). Empty: requests are not signed (a warning at start-up).","type":"array","maxItems":2,"default":[],"items":{"$ref":"#/definitions/headerValue"}},"format":{"description":"Request body: `cloudevents` (a CloudEvents 1.0 structured JSON envelope, as Dapr sends; `data` is the payload) or `raw` (the payload alone, as JSON).","type":"string","enum":["cloudevents","raw"],"default":"cloudevents"},"timeoutMs":{"description":"Deadline of one attempt (connect, send, response headers and body), ms; a missed deadline is retried. With the dead letter's `timeoutMs` it must be less than `SHUTDOWN_GRACE_MS`: the drain waits for attempts in flight.","type":"integer","minimum":1,"maximum":2147483647,"default":10000},"maxAttempts":{"description":"Attempts per message, the first included; after the last one fails the message goes to the dead letter (reason `max_attempts`).","type":"integer","minimum":1,"maximum":1000000,"default":10},"maxAgeMs":{"description":"Oldest a message may get, from its arrival, before it goes to the dead letter (reason `max_age`) instead of being tried again; time waiting in the queue counts.","type":"integer","minimum":1,"maximum":2147483647,"default":600000},"backoff":{"description":"Delay before each retry: exponential with full jitter, `random(0, min(maxMs, initialMs × multiplier^(retry − 1)))`, and never less than the response's `Retry-After`.","type":"object","additionalProperties":false,"default":{},"properties":{"initialMs":{"description":"Ceiling of the first retry's delay, ms.","type":"integer","minimum":0,"maximum":2147483647,"default":500},"maxMs":{"description":"Largest ceiling, ms (a `Retry-After` may ask for longer).","type":"integer","minimum":0,"maximum":2147483647,"default":60000},"multiplier":{"description":"Growth of the ceiling from one retry to the next.","type":"number","minimum":1,"maximum":100,"default":2}}},"maxInFlight":{"description":"Attempts in flight at once for this channel, across its ordering lanes (one lane unless `orderKey` is set). The cap is per channel: other channels sending to the same app have their own.","type":"integer","minimum":1,"maximum":10000,"default":16},"queueSize":{"description":"Messages held for this channel (queued, in flight or waiting for a retry) at most; past it `overflow` decides which one goes to the dead letter.","type":"integer","minimum":1,"maximum":10000000,"default":10000},"overflow":{"description":"When the queue is full: `drop-newest` sends the arriving message to the dead letter; `drop-oldest` sends the oldest message not in flight there and queues the new one. Either way it is counted (reason `overflow`).","type":"string","enum":["drop-newest","drop-oldest"],"default":"drop-newest"},"orderKey":{"description":"JSON Pointer (RFC 6901) into the payload, e.g. `/user_id`: messages are kept in order per value of that field (a lane each) and lanes are delivered in parallel. null: one lane, the whole topic in order.","type":["string","null"],"pattern":"^(/([^~/]|~[01])*)+$","default":null},"deadLetter":{"description":"Where messages that cannot be delivered go, with the reason: exactly one of `file` (JSON lines appended), `url` (one POST each) or `topic` (a push to a configured channel). null: they are logged and counted only.","type":["object","null"],"additionalProperties":false,"default":null,"properties":{"file":{"description":"File the records are appended to, one JSON object a line. Relative paths are relative to the config file.","type":"string","minLength":1},"url":{"description":"http:// or https:// endpoint each record is POSTed to once (application/json); a failure is logged and counted.","type":"string","minLength":1},"headers":{"description":"Extra headers of the `url` requests; values as in `webhook.headers`.","type":"object","default":{},"propertyNames":{"pattern":"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},"additionalProperties":{"$ref":"#/definitions/headerValue"}},"topic":{"description":"A configured channel the record is pushed to (the gateway has joined it); not the webhook's own channel.","type":"string","minLength":1},"upstream":{"description":"Upstream of `topic`. Default: the webhook channel's upstream.","type":"string","minLength":1},"event":{"description":"Event name of the push to `topic`.","type":"string","minLength":1,"default":"dead_letter"},"timeoutMs":{"description":"Deadline of one `url` request or `topic` push, ms.","type":"integer","minimum":1,"maximum":2147483647,"default":5000}}}}};
const pattern10 = new RegExp("^(/([^~/]|~[01])*)+$", "u");
const schema22 = {"description":"A header value: a literal string, `{ env: NAME }` or `{ file: PATH }`.","type":["string","object"],"pattern":"^[^\\r\\n\\u0000]*$","additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"env":{"$ref":"#/definitions/envName"},"file":{"$ref":"#/definitions/filePath"}}};

function validate17(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if((typeof data !== "string") && (!(data && typeof data == "object" && !Array.isArray(data)))){
const err0 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: schema22.type},message:"must be string,object",schema:schema22.type,parentSchema:schema22,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(typeof data === "string"){
if(!pattern4.test(data)){
const err1 = {instancePath,schemaPath:"#/pattern",keyword:"pattern",params:{pattern: "^[^\\r\\n\\u0000]*$"},message:"must match pattern \""+"^[^\\r\\n\\u0000]*$"+"\"",schema:"^[^\\r\\n\\u0000]*$",parentSchema:schema22,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(Object.keys(data).length > 1){
const err2 = {instancePath,schemaPath:"#/maxProperties",keyword:"maxProperties",params:{limit: 1},message:"must NOT have more than 1 properties",schema:1,parentSchema:schema22,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(Object.keys(data).length < 1){
const err3 = {instancePath,schemaPath:"#/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema22,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "env") || (key0 === "file"))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema22,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.env !== undefined){
let data0 = data.env;
if(typeof data0 === "string"){
if(!pattern1.test(data0)){
const err5 = {instancePath:instancePath+"/env",schemaPath:"#/definitions/envName/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema14,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/env",schemaPath:"#/definitions/envName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.type,parentSchema:schema14,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.file !== undefined){
let data1 = data.file;
if(typeof data1 === "string"){
if(func4(data1) < 1){
const err7 = {instancePath:instancePath+"/file",schemaPath:"#/definitions/filePath/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema15,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/file",schemaPath:"#/definitions/filePath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
validate17.errors = vErrors;
return errors === 0;
}


function validate16(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.headers === undefined){
data.headers = {};
}
if(data.signingSecrets === undefined){
data.signingSecrets = [];
}
if(data.format === undefined){
data.format = "cloudevents";
}
if(data.timeoutMs === undefined){
data.timeoutMs = 10000;
}
if(data.maxAttempts === undefined){
data.maxAttempts = 10;
}
if(data.maxAgeMs === undefined){
data.maxAgeMs = 600000;
}
if(data.backoff === undefined){
data.backoff = {};
}
if(data.maxInFlight === undefined){
data.maxInFlight = 16;
}
if(data.queueSize === undefined){
data.queueSize = 10000;
}
if(data.overflow === undefined){
data.overflow = "drop-newest";
}
if(data.orderKey === undefined){
data.orderKey = null;
}
if(data.deadLetter === undefined){
data.deadLetter = null;
}
if(data.url === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'",schema:schema21.required,parentSchema:schema21,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema21.properties, key0))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema21,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.url !== undefined){
let data0 = data.url;
if(typeof data0 === "string"){
if(func4(data0) < 1){
const err2 = {instancePath:instancePath+"/url",schemaPath:"#/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema21.properties.url,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/url",schemaPath:"#/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.url.type,parentSchema:schema21.properties.url,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
let data1 = data.headers;
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
for(const key1 in data1){
const _errs6 = errors;
if(typeof key1 === "string"){
if(!pattern3.test(key1)){
const err4 = {instancePath:instancePath+"/headers",schemaPath:"#/properties/headers/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},message:"must match pattern \""+"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"+"\"",schema:"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",parentSchema:schema21.properties.headers.propertyNames,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
var valid1 = _errs6 === errors;
if(!valid1){
const err5 = {instancePath:instancePath+"/headers",schemaPath:"#/properties/headers/propertyNames",keyword:"propertyNames",params:{propertyName: key1},message:"property name must be valid",schema:schema21.properties.headers.propertyNames,parentSchema:schema21.properties.headers,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
for(const key2 in data1){
if(!(validate17(data1[key2], {instancePath:instancePath+"/headers/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data1,parentDataProperty:key2,rootData}))){
vErrors = vErrors === null ? validate17.errors : vErrors.concat(validate17.errors);
errors = vErrors.length;
}
}
}
else {
const err6 = {instancePath:instancePath+"/headers",schemaPath:"#/properties/headers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema21.properties.headers.type,parentSchema:schema21.properties.headers,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
let data3 = data.signingSecrets;
if(Array.isArray(data3)){
if(data3.length > 2){
const err7 = {instancePath:instancePath+"/signingSecrets",schemaPath:"#/properties/signingSecrets/maxItems",keyword:"maxItems",params:{limit: 2},message:"must NOT have more than 2 items",schema:2,parentSchema:schema21.properties.signingSecrets,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
if(!(validate17(data3[i0], {instancePath:instancePath+"/signingSecrets/" + i0,parentData:data3,parentDataProperty:i0,rootData}))){
vErrors = vErrors === null ? validate17.errors : vErrors.concat(validate17.errors);
errors = vErrors.length;
}
}
}
else {
const err8 = {instancePath:instancePath+"/signingSecrets",schemaPath:"#/properties/signingSecrets/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema21.properties.signingSecrets.type,parentSchema:schema21.properties.signingSecrets,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
let data5 = data.format;
if(typeof data5 !== "string"){
const err9 = {instancePath:instancePath+"/format",schemaPath:"#/properties/format/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.format.type,parentSchema:schema21.properties.format,data:data5};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(!((data5 === "cloudevents") || (data5 === "raw"))){
const err10 = {instancePath:instancePath+"/format",schemaPath:"#/properties/format/enum",keyword:"enum",params:{allowedValues: schema21.properties.format.enum},message:"must be equal to one of the allowed values",schema:schema21.properties.format.enum,parentSchema:schema21.properties.format,data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
let data6 = data.timeoutMs;
if(!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))){
const err11 = {instancePath:instancePath+"/timeoutMs",schemaPath:"#/properties/timeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.timeoutMs.type,parentSchema:schema21.properties.timeoutMs,data:data6};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 > 2147483647 || isNaN(data6)){
const err12 = {instancePath:instancePath+"/timeoutMs",schemaPath:"#/properties/timeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema21.properties.timeoutMs,data:data6};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data6 < 1 || isNaN(data6)){
const err13 = {instancePath:instancePath+"/timeoutMs",schemaPath:"#/properties/timeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema21.properties.timeoutMs,data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
let data7 = data.maxAttempts;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
const err14 = {instancePath:instancePath+"/maxAttempts",schemaPath:"#/properties/maxAttempts/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.maxAttempts.type,parentSchema:schema21.properties.maxAttempts,data:data7};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 > 1000000 || isNaN(data7)){
const err15 = {instancePath:instancePath+"/maxAttempts",schemaPath:"#/properties/maxAttempts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema21.properties.maxAttempts,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data7 < 1 || isNaN(data7)){
const err16 = {instancePath:instancePath+"/maxAttempts",schemaPath:"#/properties/maxAttempts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema21.properties.maxAttempts,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
let data8 = data.maxAgeMs;
if(!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))){
const err17 = {instancePath:instancePath+"/maxAgeMs",schemaPath:"#/properties/maxAgeMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.maxAgeMs.type,parentSchema:schema21.properties.maxAgeMs,data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if((typeof data8 == "number") && (isFinite(data8))){
if(data8 > 2147483647 || isNaN(data8)){
const err18 = {instancePath:instancePath+"/maxAgeMs",schemaPath:"#/properties/maxAgeMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema21.properties.maxAgeMs,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data8 < 1 || isNaN(data8)){
const err19 = {instancePath:instancePath+"/maxAgeMs",schemaPath:"#/properties/maxAgeMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema21.properties.maxAgeMs,data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
let data9 = data.backoff;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.initialMs === undefined){
data9.initialMs = 500;
}
if(data9.maxMs === undefined){
data9.maxMs = 60000;
}
if(data9.multiplier === undefined){
data9.multiplier = 2;
}
for(const key3 in data9){
if(!(((key3 === "initialMs") || (key3 === "maxMs")) || (key3 === "multiplier"))){
const err20 = {instancePath:instancePath+"/backoff",schemaPath:"#/properties/backoff/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema21.properties.backoff,data:data9};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
let data10 = data9.initialMs;
if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){
const err21 = {instancePath:instancePath+"/backoff/initialMs",schemaPath:"#/properties/backoff/properties/initialMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.backoff.properties.initialMs.type,parentSchema:schema21.properties.backoff.properties.initialMs,data:data10};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 > 2147483647 || isNaN(data10)){
const err22 = {instancePath:instancePath+"/backoff/initialMs",schemaPath:"#/properties/backoff/properties/initialMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema21.properties.backoff.properties.initialMs,data:data10};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
if(data10 < 0 || isNaN(data10)){
const err23 = {instancePath:instancePath+"/backoff/initialMs",schemaPath:"#/properties/backoff/properties/initialMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema21.properties.backoff.properties.initialMs,data:data10};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
let data11 = data9.maxMs;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
const err24 = {instancePath:instancePath+"/backoff/maxMs",schemaPath:"#/properties/backoff/properties/maxMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.backoff.properties.maxMs.type,parentSchema:schema21.properties.backoff.properties.maxMs,data:data11};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 > 2147483647 || isNaN(data11)){
const err25 = {instancePath:instancePath+"/backoff/maxMs",schemaPath:"#/properties/backoff/properties/maxMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema21.properties.backoff.properties.maxMs,data:data11};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if(data11 < 0 || isNaN(data11)){
const err26 = {instancePath:instancePath+"/backoff/maxMs",schemaPath:"#/properties/backoff/properties/maxMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema21.properties.backoff.properties.maxMs,data:data11};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
let data12 = data9.multiplier;
if((typeof data12 == "number") && (isFinite(data12))){
if(data12 > 100 || isNaN(data12)){
const err27 = {instancePath:instancePath+"/backoff/multiplier",schemaPath:"#/properties/backoff/properties/multiplier/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema21.properties.backoff.properties.multiplier,data:data12};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(data12 < 1 || isNaN(data12)){
const err28 = {instancePath:instancePath+"/backoff/multiplier",schemaPath:"#/properties/backoff/properties/multiplier/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema21.properties.backoff.properties.multiplier,data:data12};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
else {
const err29 = {instancePath:instancePath+"/backoff/multiplier",schemaPath:"#/properties/backoff/properties/multiplier/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema21.properties.backoff.properties.multiplier.type,parentSchema:schema21.properties.backoff.properties.multiplier,data:data12};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/backoff",schemaPath:"#/properties/backoff/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema21.properties.backoff.type,parentSchema:schema21.properties.backoff,data:data9};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
let data13 = data.maxInFlight;
if(!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))){
const err31 = {instancePath:instancePath+"/maxInFlight",schemaPath:"#/properties/maxInFlight/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.maxInFlight.type,parentSchema:schema21.properties.maxInFlight,data:data13};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
if((typeof data13 == "number") && (isFinite(data13))){
if(data13 > 10000 || isNaN(data13)){
const err32 = {instancePath:instancePath+"/maxInFlight",schemaPath:"#/properties/maxInFlight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10000},message:"must be <= 10000",schema:10000,parentSchema:schema21.properties.maxInFlight,data:data13};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
if(data13 < 1 || isNaN(data13)){
const err33 = {instancePath:instancePath+"/maxInFlight",schemaPath:"#/properties/maxInFlight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema21.properties.maxInFlight,data:data13};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
let data14 = data.queueSize;
if(!(((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14))) && (isFinite(data14)))){
const err34 = {instancePath:instancePath+"/queueSize",schemaPath:"#/properties/queueSize/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.queueSize.type,parentSchema:schema21.properties.queueSize,data:data14};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
if((typeof data14 == "number") && (isFinite(data14))){
if(data14 > 10000000 || isNaN(data14)){
const err35 = {instancePath:instancePath+"/queueSize",schemaPath:"#/properties/queueSize/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10000000},message:"must be <= 10000000",schema:10000000,parentSchema:schema21.properties.queueSize,data:data14};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
if(data14 < 1 || isNaN(data14)){
const err36 = {instancePath:instancePath+"/queueSize",schemaPath:"#/properties/queueSize/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema21.properties.queueSize,data:data14};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
let data15 = data.overflow;
if(typeof data15 !== "string"){
const err37 = {instancePath:instancePath+"/overflow",schemaPath:"#/properties/overflow/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.overflow.type,parentSchema:schema21.properties.overflow,data:data15};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(!((data15 === "drop-newest") || (data15 === "drop-oldest"))){
const err38 = {instancePath:instancePath+"/overflow",schemaPath:"#/properties/overflow/enum",keyword:"enum",params:{allowedValues: schema21.properties.overflow.enum},message:"must be equal to one of the allowed values",schema:schema21.properties.overflow.enum,parentSchema:schema21.properties.overflow,data:data15};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
let data16 = data.orderKey;
if((typeof data16 !== "string") && (data16 !== null)){
const err39 = {instancePath:instancePath+"/orderKey",schemaPath:"#/properties/orderKey/type",keyword:"type",params:{type: schema21.properties.orderKey.type},message:"must be string,null",schema:schema21.properties.orderKey.type,parentSchema:schema21.properties.orderKey,data:data16};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
if(typeof data16 === "string"){
if(!pattern10.test(data16)){
const err40 = {instancePath:instancePath+"/orderKey",schemaPath:"#/properties/orderKey/pattern",keyword:"pattern",params:{pattern: "^(/([^~/]|~[01])*)+$"},message:"must match pattern \""+"^(/([^~/]|~[01])*)+$"+"\"",schema:"^(/([^~/]|~[01])*)+$",parentSchema:schema21.properties.orderKey,data:data16};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
let data17 = data.deadLetter;
if((!(data17 && typeof data17 == "object" && !Array.isArray(data17))) && (data17 !== null)){
const err41 = {instancePath:instancePath+"/deadLetter",schemaPath:"#/properties/deadLetter/type",keyword:"type",params:{type: schema21.properties.deadLetter.type},message:"must be object,null",schema:schema21.properties.deadLetter.type,parentSchema:schema21.properties.deadLetter,data:data17};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
if(data17.headers === undefined){
data17.headers = {};
}
if(data17.event === undefined){
data17.event = "dead_letter";
}
if(data17.timeoutMs === undefined){
data17.timeoutMs = 5000;
}
for(const key4 in data17){
if(!(((((((key4 === "file") || (key4 === "url")) || (key4 === "headers")) || (key4 === "topic")) || (key4 === "upstream")) || (key4 === "event")) || (key4 === "timeoutMs"))){
const err42 = {instancePath:instancePath+"/deadLetter",schemaPath:"#/properties/deadLetter/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema21.properties.deadLetter,data:data17};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data17.file !== undefined){
let data18 = data17.file;
if(typeof data18 === "string"){
if(func4(data18) < 1){
const err43 = {instancePath:instancePath+"/deadLetter/file",schemaPath:"#/properties/deadLetter/properties/file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema21.properties.deadLetter.properties.file,data:data18};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
else {
const err44 = {instancePath:instancePath+"/deadLetter/file",schemaPath:"#/properties/deadLetter/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.deadLetter.properties.file.type,parentSchema:schema21.properties.deadLetter.properties.file,data:data18};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data17.url !== undefined){
let data19 = data17.url;
if(typeof data19 === "string"){
if(func4(data19) < 1){
const err45 = {instancePath:instancePath+"/deadLetter/url",schemaPath:"#/properties/deadLetter/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema21.properties.deadLetter.properties.url,data:data19};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
else {
const err46 = {instancePath:instancePath+"/deadLetter/url",schemaPath:"#/properties/deadLetter/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.deadLetter.properties.url.type,parentSchema:schema21.properties.deadLetter.properties.url,data:data19};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
let data20 = data17.headers;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
for(const key5 in data20){
const _errs46 = errors;
if(typeof key5 === "string"){
if(!pattern3.test(key5)){
const err47 = {instancePath:instancePath+"/deadLetter/headers",schemaPath:"#/properties/deadLetter/properties/headers/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},message:"must match pattern \""+"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"+"\"",schema:"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",parentSchema:schema21.properties.deadLetter.properties.headers.propertyNames,data:key5,propertyName:key5};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
var valid7 = _errs46 === errors;
if(!valid7){
const err48 = {instancePath:instancePath+"/deadLetter/headers",schemaPath:"#/properties/deadLetter/properties/headers/propertyNames",keyword:"propertyNames",params:{propertyName: key5},message:"property name must be valid",schema:schema21.properties.deadLetter.properties.headers.propertyNames,parentSchema:schema21.properties.deadLetter.properties.headers,data:data20};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
for(const key6 in data20){
if(!(validate17(data20[key6], {instancePath:instancePath+"/deadLetter/headers/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data20,parentDataProperty:key6,rootData}))){
vErrors = vErrors === null ? validate17.errors : vErrors.concat(validate17.errors);
errors = vErrors.length;
}
}
}
else {
const err49 = {instancePath:instancePath+"/deadLetter/headers",schemaPath:"#/properties/deadLetter/properties/headers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema21.properties.deadLetter.properties.headers.type,parentSchema:schema21.properties.deadLetter.properties.headers,data:data20};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if(data17.topic !== undefined){
let data22 = data17.topic;
if(typeof data22 === "string"){
if(func4(data22) < 1){
const err50 = {instancePath:instancePath+"/deadLetter/topic",schemaPath:"#/properties/deadLetter/properties/topic/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema21.properties.deadLetter.properties.topic,data:data22};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
else {
const err51 = {instancePath:instancePath+"/deadLetter/topic",schemaPath:"#/properties/deadLetter/properties/topic/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.deadLetter.properties.topic.type,parentSchema:schema21.properties.deadLetter.properties.topic,data:data22};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data17.upstream !== undefined){
let data23 = data17.upstream;
if(typeof data23 === "string"){
if(func4(data23) < 1){
const err52 = {instancePath:instancePath+"/deadLetter/upstream",schemaPath:"#/properties/deadLetter/properties/upstream/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema21.properties.deadLetter.properties.upstream,data:data23};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
else {
const err53 = {instancePath:instancePath+"/deadLetter/upstream",schemaPath:"#/properties/deadLetter/properties/upstream/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.deadLetter.properties.upstream.type,parentSchema:schema21.properties.deadLetter.properties.upstream,data:data23};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
let data24 = data17.event;
if(typeof data24 === "string"){
if(func4(data24) < 1){
const err54 = {instancePath:instancePath+"/deadLetter/event",schemaPath:"#/properties/deadLetter/properties/event/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema21.properties.deadLetter.properties.event,data:data24};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
else {
const err55 = {instancePath:instancePath+"/deadLetter/event",schemaPath:"#/properties/deadLetter/properties/event/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema21.properties.deadLetter.properties.event.type,parentSchema:schema21.properties.deadLetter.properties.event,data:data24};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
let data25 = data17.timeoutMs;
if(!(((typeof data25 == "number") && (!(data25 % 1) && !isNaN(data25))) && (isFinite(data25)))){
const err56 = {instancePath:instancePath+"/deadLetter/timeoutMs",schemaPath:"#/properties/deadLetter/properties/timeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema21.properties.deadLetter.properties.timeoutMs.type,parentSchema:schema21.properties.deadLetter.properties.timeoutMs,data:data25};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
if((typeof data25 == "number") && (isFinite(data25))){
if(data25 > 2147483647 || isNaN(data25)){
const err57 = {instancePath:instancePath+"/deadLetter/timeoutMs",schemaPath:"#/properties/deadLetter/properties/timeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema21.properties.deadLetter.properties.timeoutMs,data:data25};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if(data25 < 1 || isNaN(data25)){
const err58 = {instancePath:instancePath+"/deadLetter/timeoutMs",schemaPath:"#/properties/deadLetter/properties/timeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema21.properties.deadLetter.properties.timeoutMs,data:data25};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
}
}
else {
const err59 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema21.type,parentSchema:schema21,data};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
validate16.errors = vErrors;
return errors === 0;
}


function validate15(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.params === undefined){
data.params = {};
}
if(data.required === undefined){
data.required = false;
}
if(data.replay === undefined){
data.replay = 1000;
}
if(data.topic === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "topic"},message:"must have required property '"+"topic"+"'",schema:schema20.required,parentSchema:schema20,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema20.properties, key0))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema20,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.topic !== undefined){
let data0 = data.topic;
if(typeof data0 === "string"){
if(func4(data0) > 1024){
const err2 = {instancePath:instancePath+"/topic",schemaPath:"#/properties/topic/maxLength",keyword:"maxLength",params:{limit: 1024},message:"must NOT have more than 1024 characters",schema:1024,parentSchema:schema20.properties.topic,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(func4(data0) < 1){
const err3 = {instancePath:instancePath+"/topic",schemaPath:"#/properties/topic/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema20.properties.topic,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(!pattern5.test(data0)){
const err4 = {instancePath:instancePath+"/topic",schemaPath:"#/properties/topic/pattern",keyword:"pattern",params:{pattern: "^[^\\u0000-\\u001f\\u007f]+$"},message:"must match pattern \""+"^[^\\u0000-\\u001f\\u007f]+$"+"\"",schema:"^[^\\u0000-\\u001f\\u007f]+$",parentSchema:schema20.properties.topic,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/topic",schemaPath:"#/properties/topic/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema20.properties.topic.type,parentSchema:schema20.properties.topic,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.name !== undefined){
let data1 = data.name;
if(typeof data1 === "string"){
if(func4(data1) > 1024){
const err6 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/maxLength",keyword:"maxLength",params:{limit: 1024},message:"must NOT have more than 1024 characters",schema:1024,parentSchema:schema20.properties.name,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(func4(data1) < 1){
const err7 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema20.properties.name,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(!pattern5.test(data1)){
const err8 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/pattern",keyword:"pattern",params:{pattern: "^[^\\u0000-\\u001f\\u007f]+$"},message:"must match pattern \""+"^[^\\u0000-\\u001f\\u007f]+$"+"\"",schema:"^[^\\u0000-\\u001f\\u007f]+$",parentSchema:schema20.properties.name,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema20.properties.name.type,parentSchema:schema20.properties.name,data:data1};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.upstream !== undefined){
let data2 = data.upstream;
if(typeof data2 === "string"){
if(func4(data2) < 1){
const err10 = {instancePath:instancePath+"/upstream",schemaPath:"#/properties/upstream/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema20.properties.upstream,data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/upstream",schemaPath:"#/properties/upstream/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema20.properties.upstream.type,parentSchema:schema20.properties.upstream,data:data2};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
let data3 = data.params;
if(!(data3 && typeof data3 == "object" && !Array.isArray(data3))){
const err12 = {instancePath:instancePath+"/params",schemaPath:"#/properties/params/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema20.properties.params.type,parentSchema:schema20.properties.params,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
let data4 = data.required;
if(typeof data4 !== "boolean"){
const err13 = {instancePath:instancePath+"/required",schemaPath:"#/properties/required/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema20.properties.required.type,parentSchema:schema20.properties.required,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
let data5 = data.replay;
if(!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))){
const err14 = {instancePath:instancePath+"/replay",schemaPath:"#/properties/replay/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema20.properties.replay.type,parentSchema:schema20.properties.replay,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 100000 || isNaN(data5)){
const err15 = {instancePath:instancePath+"/replay",schemaPath:"#/properties/replay/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000},message:"must be <= 100000",schema:100000,parentSchema:schema20.properties.replay,data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data5 < 0 || isNaN(data5)){
const err16 = {instancePath:instancePath+"/replay",schemaPath:"#/properties/replay/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema20.properties.replay,data:data5};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.traceField !== undefined){
let data6 = data.traceField;
if(typeof data6 === "string"){
if(func4(data6) > 255){
const err17 = {instancePath:instancePath+"/traceField",schemaPath:"#/properties/traceField/maxLength",keyword:"maxLength",params:{limit: 255},message:"must NOT have more than 255 characters",schema:255,parentSchema:schema20.properties.traceField,data:data6};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(func4(data6) < 1){
const err18 = {instancePath:instancePath+"/traceField",schemaPath:"#/properties/traceField/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema20.properties.traceField,data:data6};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
else {
const err19 = {instancePath:instancePath+"/traceField",schemaPath:"#/properties/traceField/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema20.properties.traceField.type,parentSchema:schema20.properties.traceField,data:data6};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.presence !== undefined){
let data7 = data.presence;
if(typeof data7 !== "boolean"){
const err20 = {instancePath:instancePath+"/presence",schemaPath:"#/properties/presence/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema20.properties.presence.type,parentSchema:schema20.properties.presence,data:data7};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.webhook !== undefined){
if(!(validate16(data.webhook, {instancePath:instancePath+"/webhook",parentData:data,parentDataProperty:"webhook",rootData}))){
vErrors = vErrors === null ? validate16.errors : vErrors.concat(validate16.errors);
errors = vErrors.length;
}
}
}
else {
const err21 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema20.type,parentSchema:schema20,data};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
validate15.errors = vErrors;
return errors === 0;
}

const pattern14 = new RegExp("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.channels === undefined){
data.channels = [];
}
if(data.dynamic === undefined){
data.dynamic = [];
}
if(data.sse === undefined){
data.sse = {};
}
if(data.maxBodyBytes === undefined){
data.maxBodyBytes = 1048576;
}
if(data.pushTimeoutMs === undefined){
data.pushTimeoutMs = 10000;
}
if(data.upstreams === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "upstreams"},message:"must have required property '"+"upstreams"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.upstreams !== undefined){
let data0 = data.upstreams;
if(Array.isArray(data0)){
if(data0.length < 1){
const err2 = {instancePath:instancePath+"/upstreams",schemaPath:"#/properties/upstreams/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema11.properties.upstreams,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
if(!(validate11(data0[i0], {instancePath:instancePath+"/upstreams/" + i0,parentData:data0,parentDataProperty:i0,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err3 = {instancePath:instancePath+"/upstreams",schemaPath:"#/properties/upstreams/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.upstreams.type,parentSchema:schema11.properties.upstreams,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
let data2 = data.channels;
if(Array.isArray(data2)){
const len1 = data2.length;
for(let i1=0; i1<len1; i1++){
if(!(validate15(data2[i1], {instancePath:instancePath+"/channels/" + i1,parentData:data2,parentDataProperty:i1,rootData}))){
vErrors = vErrors === null ? validate15.errors : vErrors.concat(validate15.errors);
errors = vErrors.length;
}
}
}
else {
const err4 = {instancePath:instancePath+"/channels",schemaPath:"#/properties/channels/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.channels.type,parentSchema:schema11.properties.channels,data:data2};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
let data4 = data.dynamic;
if(Array.isArray(data4)){
if(data4.length > 1000){
const err5 = {instancePath:instancePath+"/dynamic",schemaPath:"#/properties/dynamic/maxItems",keyword:"maxItems",params:{limit: 1000},message:"must NOT have more than 1000 items",schema:1000,parentSchema:schema11.properties.dynamic,data:data4};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
const len2 = data4.length;
for(let i2=0; i2<len2; i2++){
let data5 = data4[i2];
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.params === undefined){
data5.params = {};
}
if(data5.lingerMs === undefined){
data5.lingerMs = 30000;
}
if(data5.maxTopics === undefined){
data5.maxTopics = 100;
}
if(data5.replay === undefined){
data5.replay = 100;
}
if(data5.presence === undefined){
data5.presence = false;
}
if(data5.pattern === undefined){
const err6 = {instancePath:instancePath+"/dynamic/" + i2,schemaPath:"#/definitions/dynamic/required",keyword:"required",params:{missingProperty: "pattern"},message:"must have required property '"+"pattern"+"'",schema:schema25.required,parentSchema:schema25,data:data5};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
for(const key1 in data5){
if(!(func2.call(schema25.properties, key1))){
const err7 = {instancePath:instancePath+"/dynamic/" + i2,schemaPath:"#/definitions/dynamic/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema25,data:data5};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data5.pattern !== undefined){
let data6 = data5.pattern;
if(typeof data6 === "string"){
if(func4(data6) > 255){
const err8 = {instancePath:instancePath+"/dynamic/" + i2+"/pattern",schemaPath:"#/definitions/dynamic/properties/pattern/maxLength",keyword:"maxLength",params:{limit: 255},message:"must NOT have more than 255 characters",schema:255,parentSchema:schema25.properties.pattern,data:data6};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(func4(data6) < 1){
const err9 = {instancePath:instancePath+"/dynamic/" + i2+"/pattern",schemaPath:"#/definitions/dynamic/properties/pattern/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema25.properties.pattern,data:data6};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(!pattern5.test(data6)){
const err10 = {instancePath:instancePath+"/dynamic/" + i2+"/pattern",schemaPath:"#/definitions/dynamic/properties/pattern/pattern",keyword:"pattern",params:{pattern: "^[^\\u0000-\\u001f\\u007f]+$"},message:"must match pattern \""+"^[^\\u0000-\\u001f\\u007f]+$"+"\"",schema:"^[^\\u0000-\\u001f\\u007f]+$",parentSchema:schema25.properties.pattern,data:data6};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/dynamic/" + i2+"/pattern",schemaPath:"#/definitions/dynamic/properties/pattern/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema25.properties.pattern.type,parentSchema:schema25.properties.pattern,data:data6};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data5.name !== undefined){
let data7 = data5.name;
if(typeof data7 === "string"){
if(func4(data7) > 1024){
const err12 = {instancePath:instancePath+"/dynamic/" + i2+"/name",schemaPath:"#/definitions/dynamic/properties/name/maxLength",keyword:"maxLength",params:{limit: 1024},message:"must NOT have more than 1024 characters",schema:1024,parentSchema:schema25.properties.name,data:data7};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(func4(data7) < 1){
const err13 = {instancePath:instancePath+"/dynamic/" + i2+"/name",schemaPath:"#/definitions/dynamic/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema25.properties.name,data:data7};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(!pattern5.test(data7)){
const err14 = {instancePath:instancePath+"/dynamic/" + i2+"/name",schemaPath:"#/definitions/dynamic/properties/name/pattern",keyword:"pattern",params:{pattern: "^[^\\u0000-\\u001f\\u007f]+$"},message:"must match pattern \""+"^[^\\u0000-\\u001f\\u007f]+$"+"\"",schema:"^[^\\u0000-\\u001f\\u007f]+$",parentSchema:schema25.properties.name,data:data7};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
else {
const err15 = {instancePath:instancePath+"/dynamic/" + i2+"/name",schemaPath:"#/definitions/dynamic/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema25.properties.name.type,parentSchema:schema25.properties.name,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data5.upstream !== undefined){
let data8 = data5.upstream;
if(typeof data8 === "string"){
if(func4(data8) < 1){
const err16 = {instancePath:instancePath+"/dynamic/" + i2+"/upstream",schemaPath:"#/definitions/dynamic/properties/upstream/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema25.properties.upstream,data:data8};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
else {
const err17 = {instancePath:instancePath+"/dynamic/" + i2+"/upstream",schemaPath:"#/definitions/dynamic/properties/upstream/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema25.properties.upstream.type,parentSchema:schema25.properties.upstream,data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
let data9 = data5.params;
if(!(data9 && typeof data9 == "object" && !Array.isArray(data9))){
const err18 = {instancePath:instancePath+"/dynamic/" + i2+"/params",schemaPath:"#/definitions/dynamic/properties/params/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema25.properties.params.type,parentSchema:schema25.properties.params,data:data9};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
let data10 = data5.lingerMs;
if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){
const err19 = {instancePath:instancePath+"/dynamic/" + i2+"/lingerMs",schemaPath:"#/definitions/dynamic/properties/lingerMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema25.properties.lingerMs.type,parentSchema:schema25.properties.lingerMs,data:data10};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 > 86400000 || isNaN(data10)){
const err20 = {instancePath:instancePath+"/dynamic/" + i2+"/lingerMs",schemaPath:"#/definitions/dynamic/properties/lingerMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 86400000},message:"must be <= 86400000",schema:86400000,parentSchema:schema25.properties.lingerMs,data:data10};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(data10 < 0 || isNaN(data10)){
const err21 = {instancePath:instancePath+"/dynamic/" + i2+"/lingerMs",schemaPath:"#/definitions/dynamic/properties/lingerMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema25.properties.lingerMs,data:data10};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
let data11 = data5.maxTopics;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
const err22 = {instancePath:instancePath+"/dynamic/" + i2+"/maxTopics",schemaPath:"#/definitions/dynamic/properties/maxTopics/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema25.properties.maxTopics.type,parentSchema:schema25.properties.maxTopics,data:data11};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 > 100000 || isNaN(data11)){
const err23 = {instancePath:instancePath+"/dynamic/" + i2+"/maxTopics",schemaPath:"#/definitions/dynamic/properties/maxTopics/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000},message:"must be <= 100000",schema:100000,parentSchema:schema25.properties.maxTopics,data:data11};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if(data11 < 1 || isNaN(data11)){
const err24 = {instancePath:instancePath+"/dynamic/" + i2+"/maxTopics",schemaPath:"#/definitions/dynamic/properties/maxTopics/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema25.properties.maxTopics,data:data11};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
let data12 = data5.replay;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
const err25 = {instancePath:instancePath+"/dynamic/" + i2+"/replay",schemaPath:"#/definitions/dynamic/properties/replay/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema25.properties.replay.type,parentSchema:schema25.properties.replay,data:data12};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if((typeof data12 == "number") && (isFinite(data12))){
if(data12 > 100000 || isNaN(data12)){
const err26 = {instancePath:instancePath+"/dynamic/" + i2+"/replay",schemaPath:"#/definitions/dynamic/properties/replay/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000},message:"must be <= 100000",schema:100000,parentSchema:schema25.properties.replay,data:data12};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data12 < 0 || isNaN(data12)){
const err27 = {instancePath:instancePath+"/dynamic/" + i2+"/replay",schemaPath:"#/definitions/dynamic/properties/replay/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema25.properties.replay,data:data12};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
let data13 = data5.presence;
if(typeof data13 !== "boolean"){
const err28 = {instancePath:instancePath+"/dynamic/" + i2+"/presence",schemaPath:"#/definitions/dynamic/properties/presence/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema25.properties.presence.type,parentSchema:schema25.properties.presence,data:data13};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
if(data5.traceField !== undefined){
let data14 = data5.traceField;
if(typeof data14 === "string"){
if(func4(data14) > 255){
const err29 = {instancePath:instancePath+"/dynamic/" + i2+"/traceField",schemaPath:"#/definitions/dynamic/properties/traceField/maxLength",keyword:"maxLength",params:{limit: 255},message:"must NOT have more than 255 characters",schema:255,parentSchema:schema25.properties.traceField,data:data14};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
if(func4(data14) < 1){
const err30 = {instancePath:instancePath+"/dynamic/" + i2+"/traceField",schemaPath:"#/definitions/dynamic/properties/traceField/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema25.properties.traceField,data:data14};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
else {
const err31 = {instancePath:instancePath+"/dynamic/" + i2+"/traceField",schemaPath:"#/definitions/dynamic/properties/traceField/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema25.properties.traceField.type,parentSchema:schema25.properties.traceField,data:data14};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
}
else {
const err32 = {instancePath:instancePath+"/dynamic/" + i2,schemaPath:"#/definitions/dynamic/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema25.type,parentSchema:schema25,data:data5};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
}
else {
const err33 = {instancePath:instancePath+"/dynamic",schemaPath:"#/properties/dynamic/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.dynamic.type,parentSchema:schema11.properties.dynamic,data:data4};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
let data15 = data.sse;
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
if(data15.keepAliveMs === undefined){
data15.keepAliveMs = 15000;
}
if(data15.clientBufferBytes === undefined){
data15.clientBufferBytes = 65536;
}
if(data15.topicBufferBytes === undefined){
data15.topicBufferBytes = 16777216;
}
if(data15.maxClients === undefined){
data15.maxClients = 10000;
}
if(data15.maxTopicsPerStream === undefined){
data15.maxTopicsPerStream = 1000;
}
if(data15.stallTimeoutMs === undefined){
data15.stallTimeoutMs = 30000;
}
if(data15.lingerMs === undefined){
data15.lingerMs = 10000;
}
if(data15.clientQueue === undefined){
data15.clientQueue = 1000;
}
if(data15.retryMs === undefined){
data15.retryMs = 2000;
}
for(const key2 in data15){
if(!(func2.call(schema11.properties.sse.properties, key2))){
const err34 = {instancePath:instancePath+"/sse",schemaPath:"#/properties/sse/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.sse,data:data15};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
let data16 = data15.keepAliveMs;
if(!(((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16))) && (isFinite(data16)))){
const err35 = {instancePath:instancePath+"/sse/keepAliveMs",schemaPath:"#/properties/sse/properties/keepAliveMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.keepAliveMs.type,parentSchema:schema11.properties.sse.properties.keepAliveMs,data:data16};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
if((typeof data16 == "number") && (isFinite(data16))){
if(data16 > 2147483647 || isNaN(data16)){
const err36 = {instancePath:instancePath+"/sse/keepAliveMs",schemaPath:"#/properties/sse/properties/keepAliveMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema11.properties.sse.properties.keepAliveMs,data:data16};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
if(data16 < 1 || isNaN(data16)){
const err37 = {instancePath:instancePath+"/sse/keepAliveMs",schemaPath:"#/properties/sse/properties/keepAliveMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sse.properties.keepAliveMs,data:data16};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
let data17 = data15.clientBufferBytes;
if(!(((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17))) && (isFinite(data17)))){
const err38 = {instancePath:instancePath+"/sse/clientBufferBytes",schemaPath:"#/properties/sse/properties/clientBufferBytes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.clientBufferBytes.type,parentSchema:schema11.properties.sse.properties.clientBufferBytes,data:data17};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
if((typeof data17 == "number") && (isFinite(data17))){
if(data17 > 1073741824 || isNaN(data17)){
const err39 = {instancePath:instancePath+"/sse/clientBufferBytes",schemaPath:"#/properties/sse/properties/clientBufferBytes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1073741824},message:"must be <= 1073741824",schema:1073741824,parentSchema:schema11.properties.sse.properties.clientBufferBytes,data:data17};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
if(data17 < 1024 || isNaN(data17)){
const err40 = {instancePath:instancePath+"/sse/clientBufferBytes",schemaPath:"#/properties/sse/properties/clientBufferBytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1024},message:"must be >= 1024",schema:1024,parentSchema:schema11.properties.sse.properties.clientBufferBytes,data:data17};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
let data18 = data15.topicBufferBytes;
if(!(((typeof data18 == "number") && (!(data18 % 1) && !isNaN(data18))) && (isFinite(data18)))){
const err41 = {instancePath:instancePath+"/sse/topicBufferBytes",schemaPath:"#/properties/sse/properties/topicBufferBytes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.topicBufferBytes.type,parentSchema:schema11.properties.sse.properties.topicBufferBytes,data:data18};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
if((typeof data18 == "number") && (isFinite(data18))){
if(data18 > 1073741824 || isNaN(data18)){
const err42 = {instancePath:instancePath+"/sse/topicBufferBytes",schemaPath:"#/properties/sse/properties/topicBufferBytes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1073741824},message:"must be <= 1073741824",schema:1073741824,parentSchema:schema11.properties.sse.properties.topicBufferBytes,data:data18};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
if(data18 < 65536 || isNaN(data18)){
const err43 = {instancePath:instancePath+"/sse/topicBufferBytes",schemaPath:"#/properties/sse/properties/topicBufferBytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 65536},message:"must be >= 65536",schema:65536,parentSchema:schema11.properties.sse.properties.topicBufferBytes,data:data18};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
let data19 = data15.maxClients;
if(!(((typeof data19 == "number") && (!(data19 % 1) && !isNaN(data19))) && (isFinite(data19)))){
const err44 = {instancePath:instancePath+"/sse/maxClients",schemaPath:"#/properties/sse/properties/maxClients/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.maxClients.type,parentSchema:schema11.properties.sse.properties.maxClients,data:data19};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
if((typeof data19 == "number") && (isFinite(data19))){
if(data19 > 1000000 || isNaN(data19)){
const err45 = {instancePath:instancePath+"/sse/maxClients",schemaPath:"#/properties/sse/properties/maxClients/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema11.properties.sse.properties.maxClients,data:data19};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
if(data19 < 1 || isNaN(data19)){
const err46 = {instancePath:instancePath+"/sse/maxClients",schemaPath:"#/properties/sse/properties/maxClients/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sse.properties.maxClients,data:data19};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
let data20 = data15.maxTopicsPerStream;
if(!(((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20))) && (isFinite(data20)))){
const err47 = {instancePath:instancePath+"/sse/maxTopicsPerStream",schemaPath:"#/properties/sse/properties/maxTopicsPerStream/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.maxTopicsPerStream.type,parentSchema:schema11.properties.sse.properties.maxTopicsPerStream,data:data20};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
if((typeof data20 == "number") && (isFinite(data20))){
if(data20 > 100000 || isNaN(data20)){
const err48 = {instancePath:instancePath+"/sse/maxTopicsPerStream",schemaPath:"#/properties/sse/properties/maxTopicsPerStream/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000},message:"must be <= 100000",schema:100000,parentSchema:schema11.properties.sse.properties.maxTopicsPerStream,data:data20};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
if(data20 < 1 || isNaN(data20)){
const err49 = {instancePath:instancePath+"/sse/maxTopicsPerStream",schemaPath:"#/properties/sse/properties/maxTopicsPerStream/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sse.properties.maxTopicsPerStream,data:data20};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
let data21 = data15.stallTimeoutMs;
if(!(((typeof data21 == "number") && (!(data21 % 1) && !isNaN(data21))) && (isFinite(data21)))){
const err50 = {instancePath:instancePath+"/sse/stallTimeoutMs",schemaPath:"#/properties/sse/properties/stallTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.stallTimeoutMs.type,parentSchema:schema11.properties.sse.properties.stallTimeoutMs,data:data21};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
if((typeof data21 == "number") && (isFinite(data21))){
if(data21 > 2147483647 || isNaN(data21)){
const err51 = {instancePath:instancePath+"/sse/stallTimeoutMs",schemaPath:"#/properties/sse/properties/stallTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema11.properties.sse.properties.stallTimeoutMs,data:data21};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(data21 < 1 || isNaN(data21)){
const err52 = {instancePath:instancePath+"/sse/stallTimeoutMs",schemaPath:"#/properties/sse/properties/stallTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sse.properties.stallTimeoutMs,data:data21};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
let data22 = data15.lingerMs;
if(!(((typeof data22 == "number") && (!(data22 % 1) && !isNaN(data22))) && (isFinite(data22)))){
const err53 = {instancePath:instancePath+"/sse/lingerMs",schemaPath:"#/properties/sse/properties/lingerMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.lingerMs.type,parentSchema:schema11.properties.sse.properties.lingerMs,data:data22};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
if((typeof data22 == "number") && (isFinite(data22))){
if(data22 > 2147483647 || isNaN(data22)){
const err54 = {instancePath:instancePath+"/sse/lingerMs",schemaPath:"#/properties/sse/properties/lingerMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema11.properties.sse.properties.lingerMs,data:data22};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
if(data22 < 0 || isNaN(data22)){
const err55 = {instancePath:instancePath+"/sse/lingerMs",schemaPath:"#/properties/sse/properties/lingerMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.sse.properties.lingerMs,data:data22};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
let data23 = data15.clientQueue;
if(!(((typeof data23 == "number") && (!(data23 % 1) && !isNaN(data23))) && (isFinite(data23)))){
const err56 = {instancePath:instancePath+"/sse/clientQueue",schemaPath:"#/properties/sse/properties/clientQueue/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.clientQueue.type,parentSchema:schema11.properties.sse.properties.clientQueue,data:data23};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
if((typeof data23 == "number") && (isFinite(data23))){
if(data23 > 1000000 || isNaN(data23)){
const err57 = {instancePath:instancePath+"/sse/clientQueue",schemaPath:"#/properties/sse/properties/clientQueue/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema11.properties.sse.properties.clientQueue,data:data23};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if(data23 < 1 || isNaN(data23)){
const err58 = {instancePath:instancePath+"/sse/clientQueue",schemaPath:"#/properties/sse/properties/clientQueue/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sse.properties.clientQueue,data:data23};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
let data24 = data15.retryMs;
if(!(((typeof data24 == "number") && (!(data24 % 1) && !isNaN(data24))) && (isFinite(data24)))){
const err59 = {instancePath:instancePath+"/sse/retryMs",schemaPath:"#/properties/sse/properties/retryMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.retryMs.type,parentSchema:schema11.properties.sse.properties.retryMs,data:data24};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
if((typeof data24 == "number") && (isFinite(data24))){
if(data24 > 2147483647 || isNaN(data24)){
const err60 = {instancePath:instancePath+"/sse/retryMs",schemaPath:"#/properties/sse/properties/retryMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema11.properties.sse.properties.retryMs,data:data24};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
if(data24 < 0 || isNaN(data24)){
const err61 = {instancePath:instancePath+"/sse/retryMs",schemaPath:"#/properties/sse/properties/retryMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.sse.properties.retryMs,data:data24};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
if(data15.maxClientsPerSubject !== undefined){
let data25 = data15.maxClientsPerSubject;
if(!(((typeof data25 == "number") && (!(data25 % 1) && !isNaN(data25))) && (isFinite(data25)))){
const err62 = {instancePath:instancePath+"/sse/maxClientsPerSubject",schemaPath:"#/properties/sse/properties/maxClientsPerSubject/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.maxClientsPerSubject.type,parentSchema:schema11.properties.sse.properties.maxClientsPerSubject,data:data25};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
if((typeof data25 == "number") && (isFinite(data25))){
if(data25 > 1000000 || isNaN(data25)){
const err63 = {instancePath:instancePath+"/sse/maxClientsPerSubject",schemaPath:"#/properties/sse/properties/maxClientsPerSubject/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema11.properties.sse.properties.maxClientsPerSubject,data:data25};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
if(data25 < 1 || isNaN(data25)){
const err64 = {instancePath:instancePath+"/sse/maxClientsPerSubject",schemaPath:"#/properties/sse/properties/maxClientsPerSubject/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sse.properties.maxClientsPerSubject,data:data25};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
}
if(data15.maxClientsPerAddress !== undefined){
let data26 = data15.maxClientsPerAddress;
if(!(((typeof data26 == "number") && (!(data26 % 1) && !isNaN(data26))) && (isFinite(data26)))){
const err65 = {instancePath:instancePath+"/sse/maxClientsPerAddress",schemaPath:"#/properties/sse/properties/maxClientsPerAddress/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sse.properties.maxClientsPerAddress.type,parentSchema:schema11.properties.sse.properties.maxClientsPerAddress,data:data26};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
if((typeof data26 == "number") && (isFinite(data26))){
if(data26 > 1000000 || isNaN(data26)){
const err66 = {instancePath:instancePath+"/sse/maxClientsPerAddress",schemaPath:"#/properties/sse/properties/maxClientsPerAddress/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema11.properties.sse.properties.maxClientsPerAddress,data:data26};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
if(data26 < 1 || isNaN(data26)){
const err67 = {instancePath:instancePath+"/sse/maxClientsPerAddress",schemaPath:"#/properties/sse/properties/maxClientsPerAddress/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sse.properties.maxClientsPerAddress,data:data26};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
}
}
else {
const err68 = {instancePath:instancePath+"/sse",schemaPath:"#/properties/sse/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.sse.type,parentSchema:schema11.properties.sse,data:data15};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
if(data.tokens !== undefined){
let data27 = data.tokens;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
if(data27.jwksTimeoutMs === undefined){
data27.jwksTimeoutMs = 5000;
}
if(data27.jwksCooldownMs === undefined){
data27.jwksCooldownMs = 30000;
}
if(data27.jwksMaxAgeMs === undefined){
data27.jwksMaxAgeMs = 600000;
}
if(data27.leewayMs === undefined){
data27.leewayMs = 5000;
}
if(data27.cookie === undefined){
data27.cookie = "backchannel_token";
}
if(data27.queryParameter === undefined){
data27.queryParameter = false;
}
for(const key3 in data27){
if(!(func2.call(schema11.properties.tokens.properties, key3))){
const err69 = {instancePath:instancePath+"/tokens",schemaPath:"#/properties/tokens/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.tokens,data:data27};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
if(data27.secret !== undefined){
if(!(validate17(data27.secret, {instancePath:instancePath+"/tokens/secret",parentData:data27,parentDataProperty:"secret",rootData}))){
vErrors = vErrors === null ? validate17.errors : vErrors.concat(validate17.errors);
errors = vErrors.length;
}
}
if(data27.publicKeyFile !== undefined){
let data29 = data27.publicKeyFile;
if(typeof data29 === "string"){
if(func4(data29) < 1){
const err70 = {instancePath:instancePath+"/tokens/publicKeyFile",schemaPath:"#/properties/tokens/properties/publicKeyFile/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.tokens.properties.publicKeyFile,data:data29};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
else {
const err71 = {instancePath:instancePath+"/tokens/publicKeyFile",schemaPath:"#/properties/tokens/properties/publicKeyFile/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.tokens.properties.publicKeyFile.type,parentSchema:schema11.properties.tokens.properties.publicKeyFile,data:data29};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data27.jwks !== undefined){
let data30 = data27.jwks;
if(data30 && typeof data30 == "object" && !Array.isArray(data30)){
if(Object.keys(data30).length > 1){
const err72 = {instancePath:instancePath+"/tokens/jwks",schemaPath:"#/properties/tokens/properties/jwks/maxProperties",keyword:"maxProperties",params:{limit: 1},message:"must NOT have more than 1 properties",schema:1,parentSchema:schema11.properties.tokens.properties.jwks,data:data30};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
if(Object.keys(data30).length < 1){
const err73 = {instancePath:instancePath+"/tokens/jwks",schemaPath:"#/properties/tokens/properties/jwks/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema11.properties.tokens.properties.jwks,data:data30};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
for(const key4 in data30){
if(!((key4 === "file") || (key4 === "url"))){
const err74 = {instancePath:instancePath+"/tokens/jwks",schemaPath:"#/properties/tokens/properties/jwks/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.tokens.properties.jwks,data:data30};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data30.file !== undefined){
let data31 = data30.file;
if(typeof data31 === "string"){
if(func4(data31) < 1){
const err75 = {instancePath:instancePath+"/tokens/jwks/file",schemaPath:"#/definitions/filePath/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema15,data:data31};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
else {
const err76 = {instancePath:instancePath+"/tokens/jwks/file",schemaPath:"#/definitions/filePath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data31};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
if(data30.url !== undefined){
let data32 = data30.url;
if(typeof data32 === "string"){
if(func4(data32) > 2048){
const err77 = {instancePath:instancePath+"/tokens/jwks/url",schemaPath:"#/properties/tokens/properties/jwks/properties/url/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema11.properties.tokens.properties.jwks.properties.url,data:data32};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
if(func4(data32) < 1){
const err78 = {instancePath:instancePath+"/tokens/jwks/url",schemaPath:"#/properties/tokens/properties/jwks/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.tokens.properties.jwks.properties.url,data:data32};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
else {
const err79 = {instancePath:instancePath+"/tokens/jwks/url",schemaPath:"#/properties/tokens/properties/jwks/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.tokens.properties.jwks.properties.url.type,parentSchema:schema11.properties.tokens.properties.jwks.properties.url,data:data32};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
}
else {
const err80 = {instancePath:instancePath+"/tokens/jwks",schemaPath:"#/properties/tokens/properties/jwks/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.tokens.properties.jwks.type,parentSchema:schema11.properties.tokens.properties.jwks,data:data30};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
let data33 = data27.jwksTimeoutMs;
if(!(((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33))) && (isFinite(data33)))){
const err81 = {instancePath:instancePath+"/tokens/jwksTimeoutMs",schemaPath:"#/properties/tokens/properties/jwksTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.tokens.properties.jwksTimeoutMs.type,parentSchema:schema11.properties.tokens.properties.jwksTimeoutMs,data:data33};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
if((typeof data33 == "number") && (isFinite(data33))){
if(data33 > 60000 || isNaN(data33)){
const err82 = {instancePath:instancePath+"/tokens/jwksTimeoutMs",schemaPath:"#/properties/tokens/properties/jwksTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 60000},message:"must be <= 60000",schema:60000,parentSchema:schema11.properties.tokens.properties.jwksTimeoutMs,data:data33};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
if(data33 < 1 || isNaN(data33)){
const err83 = {instancePath:instancePath+"/tokens/jwksTimeoutMs",schemaPath:"#/properties/tokens/properties/jwksTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.tokens.properties.jwksTimeoutMs,data:data33};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
let data34 = data27.jwksCooldownMs;
if(!(((typeof data34 == "number") && (!(data34 % 1) && !isNaN(data34))) && (isFinite(data34)))){
const err84 = {instancePath:instancePath+"/tokens/jwksCooldownMs",schemaPath:"#/properties/tokens/properties/jwksCooldownMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.tokens.properties.jwksCooldownMs.type,parentSchema:schema11.properties.tokens.properties.jwksCooldownMs,data:data34};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
if((typeof data34 == "number") && (isFinite(data34))){
if(data34 > 86400000 || isNaN(data34)){
const err85 = {instancePath:instancePath+"/tokens/jwksCooldownMs",schemaPath:"#/properties/tokens/properties/jwksCooldownMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 86400000},message:"must be <= 86400000",schema:86400000,parentSchema:schema11.properties.tokens.properties.jwksCooldownMs,data:data34};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
if(data34 < 0 || isNaN(data34)){
const err86 = {instancePath:instancePath+"/tokens/jwksCooldownMs",schemaPath:"#/properties/tokens/properties/jwksCooldownMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.tokens.properties.jwksCooldownMs,data:data34};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
let data35 = data27.jwksMaxAgeMs;
if(!(((typeof data35 == "number") && (!(data35 % 1) && !isNaN(data35))) && (isFinite(data35)))){
const err87 = {instancePath:instancePath+"/tokens/jwksMaxAgeMs",schemaPath:"#/properties/tokens/properties/jwksMaxAgeMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.tokens.properties.jwksMaxAgeMs.type,parentSchema:schema11.properties.tokens.properties.jwksMaxAgeMs,data:data35};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
if((typeof data35 == "number") && (isFinite(data35))){
if(data35 > 2147483647 || isNaN(data35)){
const err88 = {instancePath:instancePath+"/tokens/jwksMaxAgeMs",schemaPath:"#/properties/tokens/properties/jwksMaxAgeMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema11.properties.tokens.properties.jwksMaxAgeMs,data:data35};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
if(data35 < 1000 || isNaN(data35)){
const err89 = {instancePath:instancePath+"/tokens/jwksMaxAgeMs",schemaPath:"#/properties/tokens/properties/jwksMaxAgeMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1000},message:"must be >= 1000",schema:1000,parentSchema:schema11.properties.tokens.properties.jwksMaxAgeMs,data:data35};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
if(data27.issuer !== undefined){
let data36 = data27.issuer;
if(typeof data36 === "string"){
if(func4(data36) < 1){
const err90 = {instancePath:instancePath+"/tokens/issuer",schemaPath:"#/properties/tokens/properties/issuer/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.tokens.properties.issuer,data:data36};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
else {
const err91 = {instancePath:instancePath+"/tokens/issuer",schemaPath:"#/properties/tokens/properties/issuer/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.tokens.properties.issuer.type,parentSchema:schema11.properties.tokens.properties.issuer,data:data36};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
if(data27.audience !== undefined){
let data37 = data27.audience;
if(typeof data37 === "string"){
if(func4(data37) < 1){
const err92 = {instancePath:instancePath+"/tokens/audience",schemaPath:"#/properties/tokens/properties/audience/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.tokens.properties.audience,data:data37};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
else {
const err93 = {instancePath:instancePath+"/tokens/audience",schemaPath:"#/properties/tokens/properties/audience/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.tokens.properties.audience.type,parentSchema:schema11.properties.tokens.properties.audience,data:data37};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
let data38 = data27.leewayMs;
if(!(((typeof data38 == "number") && (!(data38 % 1) && !isNaN(data38))) && (isFinite(data38)))){
const err94 = {instancePath:instancePath+"/tokens/leewayMs",schemaPath:"#/properties/tokens/properties/leewayMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.tokens.properties.leewayMs.type,parentSchema:schema11.properties.tokens.properties.leewayMs,data:data38};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
if((typeof data38 == "number") && (isFinite(data38))){
if(data38 > 300000 || isNaN(data38)){
const err95 = {instancePath:instancePath+"/tokens/leewayMs",schemaPath:"#/properties/tokens/properties/leewayMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 300000},message:"must be <= 300000",schema:300000,parentSchema:schema11.properties.tokens.properties.leewayMs,data:data38};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
if(data38 < 0 || isNaN(data38)){
const err96 = {instancePath:instancePath+"/tokens/leewayMs",schemaPath:"#/properties/tokens/properties/leewayMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.tokens.properties.leewayMs,data:data38};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
let data39 = data27.cookie;
if(typeof data39 === "string"){
if(!pattern14.test(data39)){
const err97 = {instancePath:instancePath+"/tokens/cookie",schemaPath:"#/properties/tokens/properties/cookie/pattern",keyword:"pattern",params:{pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$"},message:"must match pattern \""+"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$"+"\"",schema:"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$",parentSchema:schema11.properties.tokens.properties.cookie,data:data39};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
else {
const err98 = {instancePath:instancePath+"/tokens/cookie",schemaPath:"#/properties/tokens/properties/cookie/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.tokens.properties.cookie.type,parentSchema:schema11.properties.tokens.properties.cookie,data:data39};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
let data40 = data27.queryParameter;
if(typeof data40 !== "boolean"){
const err99 = {instancePath:instancePath+"/tokens/queryParameter",schemaPath:"#/properties/tokens/properties/queryParameter/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.tokens.properties.queryParameter.type,parentSchema:schema11.properties.tokens.properties.queryParameter,data:data40};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
else {
const err100 = {instancePath:instancePath+"/tokens",schemaPath:"#/properties/tokens/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.tokens.type,parentSchema:schema11.properties.tokens,data:data27};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
if(data.cors !== undefined){
let data41 = data.cors;
if(data41 && typeof data41 == "object" && !Array.isArray(data41)){
if(data41.credentials === undefined){
data41.credentials = false;
}
if(data41.maxAgeSeconds === undefined){
data41.maxAgeSeconds = 600;
}
if(data41.origins === undefined){
const err101 = {instancePath:instancePath+"/cors",schemaPath:"#/properties/cors/required",keyword:"required",params:{missingProperty: "origins"},message:"must have required property '"+"origins"+"'",schema:schema11.properties.cors.required,parentSchema:schema11.properties.cors,data:data41};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
for(const key5 in data41){
if(!(((key5 === "origins") || (key5 === "credentials")) || (key5 === "maxAgeSeconds"))){
const err102 = {instancePath:instancePath+"/cors",schemaPath:"#/properties/cors/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.cors,data:data41};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
if(data41.origins !== undefined){
let data42 = data41.origins;
if(Array.isArray(data42)){
if(data42.length > 1000){
const err103 = {instancePath:instancePath+"/cors/origins",schemaPath:"#/properties/cors/properties/origins/maxItems",keyword:"maxItems",params:{limit: 1000},message:"must NOT have more than 1000 items",schema:1000,parentSchema:schema11.properties.cors.properties.origins,data:data42};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
if(data42.length < 1){
const err104 = {instancePath:instancePath+"/cors/origins",schemaPath:"#/properties/cors/properties/origins/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema11.properties.cors.properties.origins,data:data42};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
const len3 = data42.length;
for(let i3=0; i3<len3; i3++){
let data43 = data42[i3];
if(typeof data43 === "string"){
if(func4(data43) > 2048){
const err105 = {instancePath:instancePath+"/cors/origins/" + i3,schemaPath:"#/properties/cors/properties/origins/items/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema11.properties.cors.properties.origins.items,data:data43};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
if(func4(data43) < 1){
const err106 = {instancePath:instancePath+"/cors/origins/" + i3,schemaPath:"#/properties/cors/properties/origins/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.cors.properties.origins.items,data:data43};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
}
else {
const err107 = {instancePath:instancePath+"/cors/origins/" + i3,schemaPath:"#/properties/cors/properties/origins/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.cors.properties.origins.items.type,parentSchema:schema11.properties.cors.properties.origins.items,data:data43};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
}
else {
const err108 = {instancePath:instancePath+"/cors/origins",schemaPath:"#/properties/cors/properties/origins/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.cors.properties.origins.type,parentSchema:schema11.properties.cors.properties.origins,data:data42};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
}
let data44 = data41.credentials;
if(typeof data44 !== "boolean"){
const err109 = {instancePath:instancePath+"/cors/credentials",schemaPath:"#/properties/cors/properties/credentials/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.cors.properties.credentials.type,parentSchema:schema11.properties.cors.properties.credentials,data:data44};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
let data45 = data41.maxAgeSeconds;
if(!(((typeof data45 == "number") && (!(data45 % 1) && !isNaN(data45))) && (isFinite(data45)))){
const err110 = {instancePath:instancePath+"/cors/maxAgeSeconds",schemaPath:"#/properties/cors/properties/maxAgeSeconds/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.cors.properties.maxAgeSeconds.type,parentSchema:schema11.properties.cors.properties.maxAgeSeconds,data:data45};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
if((typeof data45 == "number") && (isFinite(data45))){
if(data45 > 86400 || isNaN(data45)){
const err111 = {instancePath:instancePath+"/cors/maxAgeSeconds",schemaPath:"#/properties/cors/properties/maxAgeSeconds/maximum",keyword:"maximum",params:{comparison: "<=", limit: 86400},message:"must be <= 86400",schema:86400,parentSchema:schema11.properties.cors.properties.maxAgeSeconds,data:data45};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
if(data45 < 0 || isNaN(data45)){
const err112 = {instancePath:instancePath+"/cors/maxAgeSeconds",schemaPath:"#/properties/cors/properties/maxAgeSeconds/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.cors.properties.maxAgeSeconds,data:data45};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
}
}
else {
const err113 = {instancePath:instancePath+"/cors",schemaPath:"#/properties/cors/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.cors.type,parentSchema:schema11.properties.cors,data:data41};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
}
if(data.sharedHistory !== undefined){
let data46 = data.sharedHistory;
if(data46 && typeof data46 == "object" && !Array.isArray(data46)){
if(data46.keyPrefix === undefined){
data46.keyPrefix = "bc:";
}
if(data46.leaseTtlMs === undefined){
data46.leaseTtlMs = 3000;
}
if(data46.maxLen === undefined){
data46.maxLen = 10000;
}
if(data46.commandTimeoutMs === undefined){
data46.commandTimeoutMs = 500;
}
if(data46.reconnectMinMs === undefined){
data46.reconnectMinMs = 100;
}
if(data46.reconnectMaxMs === undefined){
data46.reconnectMaxMs = 5000;
}
if(data46.url === undefined){
const err114 = {instancePath:instancePath+"/sharedHistory",schemaPath:"#/properties/sharedHistory/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'",schema:schema11.properties.sharedHistory.required,parentSchema:schema11.properties.sharedHistory,data:data46};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
for(const key6 in data46){
if(!(func2.call(schema11.properties.sharedHistory.properties, key6))){
const err115 = {instancePath:instancePath+"/sharedHistory",schemaPath:"#/properties/sharedHistory/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.sharedHistory,data:data46};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
}
if(data46.url !== undefined){
let data47 = data46.url;
if(typeof data47 === "string"){
if(func4(data47) > 2048){
const err116 = {instancePath:instancePath+"/sharedHistory/url",schemaPath:"#/properties/sharedHistory/properties/url/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema11.properties.sharedHistory.properties.url,data:data47};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
if(func4(data47) < 1){
const err117 = {instancePath:instancePath+"/sharedHistory/url",schemaPath:"#/properties/sharedHistory/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.sharedHistory.properties.url,data:data47};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
}
else {
const err118 = {instancePath:instancePath+"/sharedHistory/url",schemaPath:"#/properties/sharedHistory/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.sharedHistory.properties.url.type,parentSchema:schema11.properties.sharedHistory.properties.url,data:data47};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
}
if(data46.username !== undefined){
let data48 = data46.username;
if(typeof data48 === "string"){
if(func4(data48) > 256){
const err119 = {instancePath:instancePath+"/sharedHistory/username",schemaPath:"#/properties/sharedHistory/properties/username/maxLength",keyword:"maxLength",params:{limit: 256},message:"must NOT have more than 256 characters",schema:256,parentSchema:schema11.properties.sharedHistory.properties.username,data:data48};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
if(func4(data48) < 1){
const err120 = {instancePath:instancePath+"/sharedHistory/username",schemaPath:"#/properties/sharedHistory/properties/username/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.sharedHistory.properties.username,data:data48};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
}
else {
const err121 = {instancePath:instancePath+"/sharedHistory/username",schemaPath:"#/properties/sharedHistory/properties/username/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.sharedHistory.properties.username.type,parentSchema:schema11.properties.sharedHistory.properties.username,data:data48};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
}
if(data46.password !== undefined){
if(!(validate17(data46.password, {instancePath:instancePath+"/sharedHistory/password",parentData:data46,parentDataProperty:"password",rootData}))){
vErrors = vErrors === null ? validate17.errors : vErrors.concat(validate17.errors);
errors = vErrors.length;
}
}
if(data46.tlsCaFile !== undefined){
let data50 = data46.tlsCaFile;
if(typeof data50 === "string"){
if(func4(data50) < 1){
const err122 = {instancePath:instancePath+"/sharedHistory/tlsCaFile",schemaPath:"#/definitions/filePath/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema15,data:data50};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
}
else {
const err123 = {instancePath:instancePath+"/sharedHistory/tlsCaFile",schemaPath:"#/definitions/filePath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data50};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
}
let data51 = data46.keyPrefix;
if(typeof data51 === "string"){
if(func4(data51) > 128){
const err124 = {instancePath:instancePath+"/sharedHistory/keyPrefix",schemaPath:"#/properties/sharedHistory/properties/keyPrefix/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters",schema:128,parentSchema:schema11.properties.sharedHistory.properties.keyPrefix,data:data51};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
else {
const err125 = {instancePath:instancePath+"/sharedHistory/keyPrefix",schemaPath:"#/properties/sharedHistory/properties/keyPrefix/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.sharedHistory.properties.keyPrefix.type,parentSchema:schema11.properties.sharedHistory.properties.keyPrefix,data:data51};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
let data52 = data46.leaseTtlMs;
if(!(((typeof data52 == "number") && (!(data52 % 1) && !isNaN(data52))) && (isFinite(data52)))){
const err126 = {instancePath:instancePath+"/sharedHistory/leaseTtlMs",schemaPath:"#/properties/sharedHistory/properties/leaseTtlMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sharedHistory.properties.leaseTtlMs.type,parentSchema:schema11.properties.sharedHistory.properties.leaseTtlMs,data:data52};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
if((typeof data52 == "number") && (isFinite(data52))){
if(data52 > 600000 || isNaN(data52)){
const err127 = {instancePath:instancePath+"/sharedHistory/leaseTtlMs",schemaPath:"#/properties/sharedHistory/properties/leaseTtlMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 600000},message:"must be <= 600000",schema:600000,parentSchema:schema11.properties.sharedHistory.properties.leaseTtlMs,data:data52};
if(vErrors === null){
vErrors = [err127];
}
else {
vErrors.push(err127);
}
errors++;
}
if(data52 < 30 || isNaN(data52)){
const err128 = {instancePath:instancePath+"/sharedHistory/leaseTtlMs",schemaPath:"#/properties/sharedHistory/properties/leaseTtlMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 30},message:"must be >= 30",schema:30,parentSchema:schema11.properties.sharedHistory.properties.leaseTtlMs,data:data52};
if(vErrors === null){
vErrors = [err128];
}
else {
vErrors.push(err128);
}
errors++;
}
}
let data53 = data46.maxLen;
if(!(((typeof data53 == "number") && (!(data53 % 1) && !isNaN(data53))) && (isFinite(data53)))){
const err129 = {instancePath:instancePath+"/sharedHistory/maxLen",schemaPath:"#/properties/sharedHistory/properties/maxLen/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sharedHistory.properties.maxLen.type,parentSchema:schema11.properties.sharedHistory.properties.maxLen,data:data53};
if(vErrors === null){
vErrors = [err129];
}
else {
vErrors.push(err129);
}
errors++;
}
if((typeof data53 == "number") && (isFinite(data53))){
if(data53 > 100000000 || isNaN(data53)){
const err130 = {instancePath:instancePath+"/sharedHistory/maxLen",schemaPath:"#/properties/sharedHistory/properties/maxLen/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000000},message:"must be <= 100000000",schema:100000000,parentSchema:schema11.properties.sharedHistory.properties.maxLen,data:data53};
if(vErrors === null){
vErrors = [err130];
}
else {
vErrors.push(err130);
}
errors++;
}
if(data53 < 1 || isNaN(data53)){
const err131 = {instancePath:instancePath+"/sharedHistory/maxLen",schemaPath:"#/properties/sharedHistory/properties/maxLen/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sharedHistory.properties.maxLen,data:data53};
if(vErrors === null){
vErrors = [err131];
}
else {
vErrors.push(err131);
}
errors++;
}
}
let data54 = data46.commandTimeoutMs;
if(!(((typeof data54 == "number") && (!(data54 % 1) && !isNaN(data54))) && (isFinite(data54)))){
const err132 = {instancePath:instancePath+"/sharedHistory/commandTimeoutMs",schemaPath:"#/properties/sharedHistory/properties/commandTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sharedHistory.properties.commandTimeoutMs.type,parentSchema:schema11.properties.sharedHistory.properties.commandTimeoutMs,data:data54};
if(vErrors === null){
vErrors = [err132];
}
else {
vErrors.push(err132);
}
errors++;
}
if((typeof data54 == "number") && (isFinite(data54))){
if(data54 > 60000 || isNaN(data54)){
const err133 = {instancePath:instancePath+"/sharedHistory/commandTimeoutMs",schemaPath:"#/properties/sharedHistory/properties/commandTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 60000},message:"must be <= 60000",schema:60000,parentSchema:schema11.properties.sharedHistory.properties.commandTimeoutMs,data:data54};
if(vErrors === null){
vErrors = [err133];
}
else {
vErrors.push(err133);
}
errors++;
}
if(data54 < 1 || isNaN(data54)){
const err134 = {instancePath:instancePath+"/sharedHistory/commandTimeoutMs",schemaPath:"#/properties/sharedHistory/properties/commandTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sharedHistory.properties.commandTimeoutMs,data:data54};
if(vErrors === null){
vErrors = [err134];
}
else {
vErrors.push(err134);
}
errors++;
}
}
let data55 = data46.reconnectMinMs;
if(!(((typeof data55 == "number") && (!(data55 % 1) && !isNaN(data55))) && (isFinite(data55)))){
const err135 = {instancePath:instancePath+"/sharedHistory/reconnectMinMs",schemaPath:"#/properties/sharedHistory/properties/reconnectMinMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sharedHistory.properties.reconnectMinMs.type,parentSchema:schema11.properties.sharedHistory.properties.reconnectMinMs,data:data55};
if(vErrors === null){
vErrors = [err135];
}
else {
vErrors.push(err135);
}
errors++;
}
if((typeof data55 == "number") && (isFinite(data55))){
if(data55 > 600000 || isNaN(data55)){
const err136 = {instancePath:instancePath+"/sharedHistory/reconnectMinMs",schemaPath:"#/properties/sharedHistory/properties/reconnectMinMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 600000},message:"must be <= 600000",schema:600000,parentSchema:schema11.properties.sharedHistory.properties.reconnectMinMs,data:data55};
if(vErrors === null){
vErrors = [err136];
}
else {
vErrors.push(err136);
}
errors++;
}
if(data55 < 1 || isNaN(data55)){
const err137 = {instancePath:instancePath+"/sharedHistory/reconnectMinMs",schemaPath:"#/properties/sharedHistory/properties/reconnectMinMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sharedHistory.properties.reconnectMinMs,data:data55};
if(vErrors === null){
vErrors = [err137];
}
else {
vErrors.push(err137);
}
errors++;
}
}
let data56 = data46.reconnectMaxMs;
if(!(((typeof data56 == "number") && (!(data56 % 1) && !isNaN(data56))) && (isFinite(data56)))){
const err138 = {instancePath:instancePath+"/sharedHistory/reconnectMaxMs",schemaPath:"#/properties/sharedHistory/properties/reconnectMaxMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.sharedHistory.properties.reconnectMaxMs.type,parentSchema:schema11.properties.sharedHistory.properties.reconnectMaxMs,data:data56};
if(vErrors === null){
vErrors = [err138];
}
else {
vErrors.push(err138);
}
errors++;
}
if((typeof data56 == "number") && (isFinite(data56))){
if(data56 > 600000 || isNaN(data56)){
const err139 = {instancePath:instancePath+"/sharedHistory/reconnectMaxMs",schemaPath:"#/properties/sharedHistory/properties/reconnectMaxMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 600000},message:"must be <= 600000",schema:600000,parentSchema:schema11.properties.sharedHistory.properties.reconnectMaxMs,data:data56};
if(vErrors === null){
vErrors = [err139];
}
else {
vErrors.push(err139);
}
errors++;
}
if(data56 < 1 || isNaN(data56)){
const err140 = {instancePath:instancePath+"/sharedHistory/reconnectMaxMs",schemaPath:"#/properties/sharedHistory/properties/reconnectMaxMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.sharedHistory.properties.reconnectMaxMs,data:data56};
if(vErrors === null){
vErrors = [err140];
}
else {
vErrors.push(err140);
}
errors++;
}
}
}
else {
const err141 = {instancePath:instancePath+"/sharedHistory",schemaPath:"#/properties/sharedHistory/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.sharedHistory.type,parentSchema:schema11.properties.sharedHistory,data:data46};
if(vErrors === null){
vErrors = [err141];
}
else {
vErrors.push(err141);
}
errors++;
}
}
let data57 = data.maxBodyBytes;
if(!(((typeof data57 == "number") && (!(data57 % 1) && !isNaN(data57))) && (isFinite(data57)))){
const err142 = {instancePath:instancePath+"/maxBodyBytes",schemaPath:"#/properties/maxBodyBytes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.maxBodyBytes.type,parentSchema:schema11.properties.maxBodyBytes,data:data57};
if(vErrors === null){
vErrors = [err142];
}
else {
vErrors.push(err142);
}
errors++;
}
if((typeof data57 == "number") && (isFinite(data57))){
if(data57 > 1073741824 || isNaN(data57)){
const err143 = {instancePath:instancePath+"/maxBodyBytes",schemaPath:"#/properties/maxBodyBytes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1073741824},message:"must be <= 1073741824",schema:1073741824,parentSchema:schema11.properties.maxBodyBytes,data:data57};
if(vErrors === null){
vErrors = [err143];
}
else {
vErrors.push(err143);
}
errors++;
}
if(data57 < 1 || isNaN(data57)){
const err144 = {instancePath:instancePath+"/maxBodyBytes",schemaPath:"#/properties/maxBodyBytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.maxBodyBytes,data:data57};
if(vErrors === null){
vErrors = [err144];
}
else {
vErrors.push(err144);
}
errors++;
}
}
let data58 = data.pushTimeoutMs;
if(!(((typeof data58 == "number") && (!(data58 % 1) && !isNaN(data58))) && (isFinite(data58)))){
const err145 = {instancePath:instancePath+"/pushTimeoutMs",schemaPath:"#/properties/pushTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.pushTimeoutMs.type,parentSchema:schema11.properties.pushTimeoutMs,data:data58};
if(vErrors === null){
vErrors = [err145];
}
else {
vErrors.push(err145);
}
errors++;
}
if((typeof data58 == "number") && (isFinite(data58))){
if(data58 > 2147483647 || isNaN(data58)){
const err146 = {instancePath:instancePath+"/pushTimeoutMs",schemaPath:"#/properties/pushTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema11.properties.pushTimeoutMs,data:data58};
if(vErrors === null){
vErrors = [err146];
}
else {
vErrors.push(err146);
}
errors++;
}
if(data58 < 1 || isNaN(data58)){
const err147 = {instancePath:instancePath+"/pushTimeoutMs",schemaPath:"#/properties/pushTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.pushTimeoutMs,data:data58};
if(vErrors === null){
vErrors = [err147];
}
else {
vErrors.push(err147);
}
errors++;
}
}
}
else {
const err148 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err148];
}
else {
vErrors.push(err148);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}
