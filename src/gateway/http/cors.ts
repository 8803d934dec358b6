/**
 * CORS by hand, only when `cors` is configured (absent: no CORS header is
 * ever written). A request whose Origin is in `cors.origins` gets
 * `Access-Control-Allow-Origin` with that origin (never `*`), with
 * `Access-Control-Allow-Credentials: true` when configured; every answer
 * varies by Origin. A preflight (OPTIONS with
 * Access-Control-Request-Method) is answered here, before any credential
 * is asked for (a browser sends none with it): 204 for an allowed origin,
 * 403 BC_ERR_ORIGIN_NOT_ALLOWED otherwise. Headers are set on the raw
 * response, so hijacked SSE responses carry them too.
 */
import type { FastifyInstance } from 'fastify'
import type { CorsConfig } from '../config/types.ts'
import { OriginNotAllowedError } from '../errors.ts'
import { EVENT_HEADER, STATUS_HEADER, TIMEOUT_HEADER } from './routes/push.ts'

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE'
/** Request headers a page may send: the token, a push's body type and headers, resume and tracing. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'last-event-id', 'traceparent', 'x-request-id', EVENT_HEADER, TIMEOUT_HEADER].join(', ')
/** Response headers a page may read. */
const EXPOSED_HEADERS = ['retry-after', 'www-authenticate', 'x-request-id', STATUS_HEADER].join(', ')

export function installCors (app: FastifyInstance, cors: CorsConfig | undefined): void {
  if (cors === undefined) return
  const origins = new Set(cors.origins)
  app.addHook('onRequest', async (request, reply) => {
    const res = reply.raw
    res.setHeader('vary', 'Origin')
    const origin = request.headers.origin
    const allowed = origin !== undefined && origins.has(origin)
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
    if (allowed) {
      res.setHeader('access-control-allow-origin', origin)
      if (cors.credentials) res.setHeader('access-control-allow-credentials', 'true')
    }
    if (!preflight) {
      if (allowed) res.setHeader('access-control-expose-headers', EXPOSED_HEADERS)
      return
    }
    if (!allowed) throw new OriginNotAllowedError()
    res.setHeader('access-control-allow-methods', ALLOWED_METHODS)
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS)
    res.setHeader('access-control-max-age', String(cors.maxAgeSeconds))
    return reply.code(204).send()
  })
}
