/**
 * The gateway's errors: one class per code, each with its HTTP status, a
 * message written for people and the facts it is about as typed fields.
 * Broker code throws these; the HTTP layer (http/problem.ts) writes any
 * BackchannelError as a problem from its `code`, `statusCode`, `message`,
 * `details` (the only field written into the answer) and
 * `retryAfterSeconds` (the Retry-After of a 503 or 429). docs/errors.md lists them.
 */
import { BackchannelError } from '../errors.ts'
import { TimeoutError } from '../phoenix/errors.ts'

/** What a problem answer may carry beyond code, status and message. */
export interface ProblemFields {
  /** Written as the problem's `details`. */
  readonly details?: unknown
  /** Retry-After, in seconds: a 503's (1 when absent), a 429's. */
  readonly retryAfterSeconds?: number
}

/** A request the gateway cannot act on as sent; the message says what is wrong with it. */
export class BadRequestError extends BackchannelError {
  constructor (message: string) {
    super('BC_ERR_BAD_REQUEST', message, { statusCode: 400 })
  }
}

/** A JSON body nested more than `maxDepth` levels deep. */
export class TooDeepError extends BackchannelError {
  readonly maxDepth: number
  constructor (maxDepth: number) {
    super('BC_ERR_TOO_DEEP', `the body nests arrays and objects more than ${maxDepth} levels deep`, { statusCode: 400 })
    this.maxDepth = maxDepth
  }
}

/** An API token is configured and the request's bearer token is missing or wrong. */
export class UnauthorizedError extends BackchannelError {
  constructor () {
    super('BC_ERR_UNAUTHORIZED', 'a valid bearer token is required', { statusCode: 401 })
  }
}

/** Why a token was refused: each reason has its own code (BC_ERR_TOKEN_…), all answered 401. */
export type TokenRejection = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not_yet_valid' | 'claims'

const TOKEN_REJECTIONS: Readonly<Record<TokenRejection, { code: string, message: string }>> = {
  malformed: { code: 'BC_ERR_TOKEN_MALFORMED', message: 'the token is not a JWT in compact form (three base64url parts; a JSON header and a JSON object of claims)' },
  algorithm: { code: 'BC_ERR_TOKEN_ALGORITHM', message: 'the token\'s algorithm ("alg") is not one the gateway accepts' },
  // One answer for a bad signature and for a key id the gateway does not hold: which key ids exist is not told.
  signature: { code: 'BC_ERR_TOKEN_SIGNATURE', message: 'the token\'s signature does not verify with the gateway\'s keys' },
  expired: { code: 'BC_ERR_TOKEN_EXPIRED', message: 'the token has expired ("exp"); get a new one' },
  not_yet_valid: { code: 'BC_ERR_TOKEN_NOT_YET_VALID', message: 'the token is not valid yet ("nbf")' },
  claims: { code: 'BC_ERR_TOKEN_CLAIMS', message: 'a claim of the token is missing, of the wrong type or not the expected value' },
}

/** A token (a JWT) that cannot be accepted: `reason` says why; the message never says more than the reason does. */
export class TokenRejectedError extends BackchannelError implements ProblemFields {
  readonly reason: TokenRejection
  get details (): { reason: TokenRejection } { return { reason: this.reason } }
  constructor (reason: TokenRejection) {
    const { code, message } = TOKEN_REJECTIONS[reason]
    super(code, message, { statusCode: 401 })
    this.reason = reason
  }
}

/** The keys that verify tokens could not be read (a JWKS URL unreachable since start): no token can be checked now. */
export class TokenKeysUnavailableError extends BackchannelError implements ProblemFields {
  readonly retryAfterSeconds: number
  constructor (retryAfterSeconds: number) {
    super('BC_ERR_TOKEN_KEYS_UNAVAILABLE', 'the keys that verify tokens cannot be read now; retry later', { statusCode: 503 })
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds)
  }
}

/** What a token may do with a topic. */
export type TopicAction = 'subscribe' | 'publish'

/** A valid token whose claims do not cover a topic (or pattern) the request names. */
export class TopicForbiddenError extends BackchannelError implements ProblemFields {
  readonly topic: string
  readonly action: TopicAction
  get details (): { topic: string, action: TopicAction } { return { topic: this.topic, action: this.action } }
  constructor (topic: string, action: TopicAction) {
    super('BC_ERR_TOPIC_FORBIDDEN', `the token's claims do not let it ${action === 'subscribe' ? 'subscribe to' : 'push to'} ${JSON.stringify(topic)}`, { statusCode: 403 })
    this.topic = topic
    this.action = action
  }
}

/** Which cap an SSE stream met: its token's subject, or its client address. */
export type ClientLimitScope = 'subject' | 'address'

/** An SSE stream beyond sse.maxClientsPerSubject or sse.maxClientsPerAddress; retry after the stream's `retry` hint. */
export class SseClientLimitError extends BackchannelError implements ProblemFields {
  readonly scope: ClientLimitScope
  readonly limit: number
  readonly retryAfterSeconds: number
  get details (): { scope: ClientLimitScope, limit: number } { return { scope: this.scope, limit: this.limit } }
  constructor (scope: ClientLimitScope, limit: number, retryMs: number) {
    const setting = scope === 'subject' ? 'sse.maxClientsPerSubject' : 'sse.maxClientsPerAddress'
    super('BC_ERR_SSE_CLIENT_LIMIT', `this ${scope === 'subject' ? 'token subject' : 'client address'} holds its ${setting} (${limit}) streams; close one or retry later`, { statusCode: 429 })
    this.scope = scope
    this.limit = limit
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryMs / 1000))
  }
}

/** A CORS preflight from an origin not in cors.origins. */
export class OriginNotAllowedError extends BackchannelError {
  constructor () {
    super('BC_ERR_ORIGIN_NOT_ALLOWED', 'this origin is not allowed to call the gateway (cors.origins)', { statusCode: 403 })
  }
}

/** No route answers this method and path. */
export class NotFoundError extends BackchannelError {
  readonly method: string
  readonly path: string
  constructor (method: string, path: string) {
    super('BC_ERR_NOT_FOUND', `no route ${method} ${path}`, { statusCode: 404 })
    this.method = method
    this.path = path
  }
}

/**
 * Why a topic is unknown: `not_held` when only configured channels and held
 * dynamic topics count (presence), `not_allowed` when no dynamic pattern
 * allows it either, `not_joined` for a DELETE of an allowed topic not joined.
 */
export type UnknownTopicReason = 'not_held' | 'not_allowed' | 'not_joined'

const UNKNOWN_TOPIC_WORDS: Readonly<Record<UnknownTopicReason, string>> = {
  not_held: 'is not a configured channel nor a dynamic topic held now',
  not_allowed: 'is neither a configured channel nor allowed by a dynamic pattern',
  not_joined: 'is allowed but not joined now',
}

/** A topic the gateway neither carries nor may join for this request. */
export class UnknownTopicError extends BackchannelError {
  readonly topic: string
  readonly reason: UnknownTopicReason
  constructor (topic: string, reason: UnknownTopicReason) {
    super('BC_ERR_UNKNOWN_TOPIC', `topic "${topic}" ${UNKNOWN_TOPIC_WORDS[reason]}`, { statusCode: 404 })
    this.topic = topic
    this.reason = reason
  }
}

/** A topic that no pattern of the dynamic allow-list allows (on `upstream`, when named). */
export class TopicNotAllowedError extends BackchannelError {
  readonly topic: string
  readonly upstream: string | undefined
  constructor (topic: string, upstream: string | undefined) {
    const on = upstream === undefined ? '' : ` on upstream "${upstream}"`
    super('BC_ERR_TOPIC_NOT_ALLOWED', `topic "${topic}"${on} matches no pattern of the dynamic allow-list`, { statusCode: 403 })
    this.topic = topic
    this.upstream = upstream
  }
}

/** A dynamic join beyond its entry's maxTopics; retry after the entry's linger. */
export class TopicLimitError extends BackchannelError implements ProblemFields {
  readonly entry: string
  readonly maxTopics: number
  readonly retryAfterSeconds: number
  constructor (entry: string, maxTopics: number, lingerMs: number) {
    super('BC_ERR_TOPIC_LIMIT', `"${entry}" holds its maxTopics (${maxTopics}) dynamic topics; retry when one is left`, { statusCode: 503 })
    this.entry = entry
    this.maxTopics = maxTopics
    this.retryAfterSeconds = Math.max(1, Math.ceil(lingerMs / 1000))
  }
}

/** A stream over more topics than sse.maxTopicsPerStream, named or matched when it opens. */
export class TooManyTopicsError extends BackchannelError implements ProblemFields {
  readonly limit: number
  readonly count: number
  get details (): { count: number, limit: number } { return { count: this.count, limit: this.limit } }
  constructor (count: number, limit: number) {
    super('BC_ERR_TOO_MANY_TOPICS', `the stream names or matches ${count} topics; one stream follows at most sse.maxTopicsPerStream (${limit}): split it, or narrow its patterns`, { statusCode: 400 })
    this.count = count
    this.limit = limit
  }
}

/** An SSE stream beyond sse.maxClients; retry after the stream's `retry` hint. */
export class SseLimitError extends BackchannelError implements ProblemFields {
  readonly maxClients: number
  readonly retryAfterSeconds: number
  constructor (maxClients: number, retryMs: number) {
    super('BC_ERR_SSE_LIMIT', `the gateway serves its sse.maxClients (${maxClients}) streams; retry later`, { statusCode: 503 })
    this.maxClients = maxClients
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryMs / 1000))
  }
}

/** A dynamic-topic request (DELETE, PUT with params) for a configured channel; `why` says what to do instead. */
export class ConfiguredTopicError extends BackchannelError {
  readonly topic: string
  constructor (topic: string, why: string) {
    super('BC_ERR_CONFIGURED_TOPIC', `topic "${topic}" is a configured channel: ${why}`, { statusCode: 409 })
    this.topic = topic
  }
}

/** A presence read for a channel whose config does not keep presence. */
export class PresenceOffError extends BackchannelError {
  readonly channel: string
  constructor (channel: string) {
    super('BC_ERR_PRESENCE_OFF', `channel "${channel}" does not keep presence: set presence: true in its config`, { statusCode: 409 })
    this.channel = channel
  }
}

/** Several upstreams carry the topic and the request does not name one. */
export class AmbiguousTopicError extends BackchannelError {
  readonly topic: string
  constructor (topic: string) {
    super('BC_ERR_AMBIGUOUS_TOPIC', `topic "${topic}" is carried by several upstreams: name one with ?upstream=`, { statusCode: 400 })
    this.topic = topic
  }
}

/** The sidecar is shutting down; `refused` names what is refused, when the plain words are not enough. */
export class DrainingError extends BackchannelError {
  constructor (refused?: string) {
    super('BC_ERR_DRAINING', `the sidecar is shutting down${refused === undefined ? '' : `: ${refused}`}`, { statusCode: 503 })
  }
}

/** A failure that should not happen; its message goes to the log, never to the client. */
export class InternalError extends BackchannelError {
  constructor (message: string) {
    super('BC_ERR_INTERNAL', message, { statusCode: 500 })
  }
}

/** A PUT whose join did not complete in time: the topic stays wanted. A TimeoutError (kind `join`, not sent, 503). */
export class PutJoinTimeoutError extends TimeoutError {
  readonly topic: string
  constructor (topic: string, timeoutMs: number) {
    super('join', timeoutMs, false)
    this.message = `topic "${topic}" was not joined within ${timeoutMs} ms; it stays wanted (PUT again for its state)`
    this.topic = topic
  }
}

/** Why a channel is not joined, as the gateway reports it: the Subscription's last error. */
export interface LastErrorDetails { readonly lastError: Readonly<Record<string, unknown>> }

/**
 * A push that was never sent, told with why its channel is not joined: it
 * keeps the `cause`'s code, status and message, and adds the channel's last
 * error as `details.lastError`.
 */
export class NeverSentError extends BackchannelError implements ProblemFields {
  readonly details: LastErrorDetails
  constructor (cause: BackchannelError, lastError: Readonly<Record<string, unknown>>) {
    super(cause.code, cause.message, { statusCode: cause.statusCode, cause })
    this.details = { lastError: { ...lastError } }
  }
}
