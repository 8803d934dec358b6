/**
 * Who may do what over HTTP. Three kinds of caller:
 *
 *  - the API token (API_TOKEN, `Authorization: Bearer`): every route, as
 *    before; its streams are counted only by sse.maxClients;
 *  - a browser token (a JWT, when `tokens` is configured): only the routes
 *    marked with an `access` config (SSE and presence: `subscribe`; push:
 *    `publish`), and only for the topics its claims cover (403 otherwise);
 *    on the SSE routes it may also come as a cookie or, opt-in, as
 *    `?access_token=`; its streams end with `token_expired` when it does;
 *  - nobody, when neither is configured: every route, as before.
 *
 * Admin routes (channels list, PUT/DELETE, metrics, OpenAPI) have no
 * `access` config: the API token only. /livez and /readyz are open.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { BrokerEvents } from '../broker.ts'
import type { EventEmitter } from 'node:events'
import type { TokensConfig } from '../config/types.ts'
import { TokenRejectedError, TopicForbiddenError, UnauthorizedError, type TopicAction } from '../errors.ts'
import type { OpenStream } from '../hub/reader.ts'
import { allows, type Grants, type TokenVerifier } from '../access/claims.ts'
import { bearerToken, cookieValue, TOKEN_QUERY_PARAMETER } from '../access/credentials.ts'
import { NOTHING_ADMITTED, StreamCaps, type Releasable, type StreamLimits } from '../access/stream-caps.ts'
import { endAtExpiry } from '../access/expiry.ts'

/** What a route lets a browser token do: `action` on the topics it names; `stream`: an SSE route (cookie, query token). */
export interface RouteAccess { action: TopicAction, stream?: boolean }

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Absent: the route is the API token's only (when one is set). */
    access?: RouteAccess
  }
}

const OPEN_PATHS = new Set(['/livez', '/readyz'])

function digest (text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

export interface HttpAccessOptions {
  apiToken: string | null
  /** The browser token verifier, when `tokens` is configured. */
  verifier: TokenVerifier | null
  tokens: TokensConfig | undefined
  events: EventEmitter<BrokerEvents>
  now?: () => number
}

/** Who a request is: the API token's (`api`), a browser token's grants, or nobody's (absent: no auth configured). */
type Caller = 'api' | Grants

export class HttpAccess {
  readonly caps = new StreamCaps()
  readonly #options: HttpAccessOptions
  readonly #callers = new WeakMap<IncomingMessage, Caller>()
  readonly #expected: Buffer | null
  readonly #now: () => number

  constructor (options: HttpAccessOptions) {
    this.#options = options
    this.#expected = options.apiToken === null ? null : digest(options.apiToken)
    this.#now = options.now ?? Date.now
  }

  /** Adds the hook that checks each request's credentials (before its body is read). */
  install (app: FastifyInstance): void {
    if (this.#expected === null && this.#options.verifier === null) return
    app.addHook('onRequest', async (request, reply) => { await this.#check(request, reply) })
  }

  async #check (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (OPEN_PATHS.has(request.url.split('?')[0] ?? '')) return
    const header = request.headers.authorization ?? ''
    const expected = this.#expected
    if (expected !== null) {
      // The auth scheme is case-insensitive (RFC 9110 11.1); compared in constant time.
      const given = /^bearer /i.test(header) ? header.slice(7) : ''
      if (timingSafeEqual(digest(given), expected)) {
        this.#callers.set(request.raw, 'api')
        return
      }
    }
    const access = request.routeOptions.config.access
    const { verifier, tokens } = this.#options
    if (verifier === null || tokens === undefined || access === undefined) {
      if (expected === null) return
      throw this.#unauthorized(reply, access, null)
    }
    const stream = access.stream === true
    const query = request.query as Record<string, unknown> | undefined
    const fromQuery = stream && tokens.queryParameter ? query?.[TOKEN_QUERY_PARAMETER] : undefined
    // Taken out before the query is validated: the route's schema does not name it.
    if (fromQuery !== undefined && query !== undefined) Reflect.deleteProperty(query, TOKEN_QUERY_PARAMETER)
    const token = bearerToken(request.headers.authorization) ??
      (stream ? cookieValue(request.headers.cookie, tokens.cookie) : null) ??
      (typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : null)
    if (token === null) throw this.#unauthorized(reply, access, null)
    try {
      this.#callers.set(request.raw, await verifier.verify(token))
    } catch (err) {
      if (err instanceof TokenRejectedError) throw this.#unauthorized(reply, access, err)
      throw err
    }
  }

  #unauthorized (reply: FastifyReply, access: RouteAccess | undefined, err: TokenRejectedError | null): Error {
    this.#options.events.emit('token_rejected', { reason: err?.reason ?? 'unauthorized' })
    if (access?.stream === true) this.#options.events.emit('sse_refused', { reason: 'unauthorized' })
    // A 401 says which scheme to use (RFC 9110 15.5.2), and that the token was bad when one came (RFC 6750 3.1).
    reply.header('www-authenticate', err === null ? 'Bearer' : 'Bearer error="invalid_token"')
    return err ?? new UnauthorizedError()
  }

  /** The browser token's grants for this request; null for the API token or when no auth is configured. */
  grants (request: FastifyRequest): Grants | null {
    const caller = this.#callers.get(request.raw)
    return caller === undefined || caller === 'api' ? null : caller
  }

  /** Throws 403 BC_ERR_TOPIC_FORBIDDEN unless the request may `action` every one of `wanted` (topics or patterns). */
  authorize (request: FastifyRequest, action: TopicAction, wanted: readonly string[]): void {
    const grants = this.grants(request)
    if (grants === null) return
    const denied = wanted.find((topic) => !allows(grants, action, topic))
    if (denied === undefined) return
    if (request.routeOptions.config.access?.stream === true) this.#options.events.emit('sse_refused', { reason: 'forbidden' })
    throw new TopicForbiddenError(denied, action)
  }

  /**
   * Counts an SSE stream against its subject's and address's caps (none for the API token), or throws 429
   * BC_ERR_SSE_CLIENT_LIMIT. Returns what uncounts it, to release when the stream ends (or does not open).
   */
  admitStream (request: FastifyRequest, limits: StreamLimits): Releasable {
    const caller = this.#callers.get(request.raw)
    if (caller === 'api') return NOTHING_ADMITTED
    try {
      return this.caps.admit({ subject: caller?.subject ?? null, address: request.ip }, limits)
    } catch (err) {
      const scope = (err as { scope?: unknown }).scope
      this.#options.events.emit('sse_refused', { reason: scope === 'subject' ? 'subject_limit' : 'address_limit' })
      throw err
    }
  }

  /** Ends `stream` with `token_expired` once the request's token expires (plus the leeway); the timer goes when the stream ends. */
  endAtExpiry (request: FastifyRequest, stream: OpenStream, retryMs: number): void {
    const expiresAtMs = this.grants(request)?.expiresAtMs ?? null
    if (expiresAtMs !== null) endAtExpiry(stream, expiresAtMs + (this.#options.verifier?.leewayMs ?? 0), retryMs, this.#now)
  }
}
