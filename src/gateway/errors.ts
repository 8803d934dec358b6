/**
 * The gateway's errors: one class per code, each with its HTTP status, a
 * message written for people and the facts it is about as typed fields.
 * Broker code throws these; the HTTP layer (http/problem.ts) writes any
 * BackchannelError as a problem from its `code`, `statusCode`, `message`,
 * `details` (the only field written into the answer) and
 * `retryAfterSeconds` (a 503's Retry-After). docs/errors.md lists them.
 */
import { BackchannelError } from '../errors.ts'
import { TimeoutError } from '../phoenix/errors.ts'

/** What a problem answer may carry beyond code, status and message. */
export interface ProblemFields {
  /** Written as the problem's `details`. */
  readonly details?: unknown
  /** A 503's Retry-After, in seconds (1 when absent). */
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
