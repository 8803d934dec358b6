/**
 * The fastify app: schemas on every route, unknown body fields rejected,
 * one problem shape for errors (fastify's own and Node's client errors
 * included), bearer auth when configured (compared in constant time), the
 * connection limits of http/limits.ts, and SSE streams ended before the
 * server closes.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import type { Broker } from '../broker.ts'
import { RequestLogger } from '../observe/request-logger.ts'
import { collectOpenApi } from './openapi.ts'
import { httpLimits } from '../config/env.ts'
import { MAX_TOPIC_LENGTH } from '../config/topic.ts'
import { clientErrorHandler, serverOptions } from './limits.ts'
import { NotFoundError, UnauthorizedError } from '../errors.ts'
import { sendProblem } from './problem.ts'
import { parseTraceparent } from './trace.ts'
import { channelsRoute } from './routes/channels.ts'
import { topicsEventsRoute } from './routes/topics-events.ts'
import { eventsRoute } from './routes/events.ts'
import { healthRoute } from './routes/health.ts'
import { presenceRoute } from './routes/presence.ts'
import { pushRoute } from './routes/push.ts'

export interface HttpAppDeps {
  broker: Broker
  registry: Registry
  logger: FastifyBaseLogger
  version: string
}

const OPEN_PATHS = new Set(['/livez', '/readyz'])

function digest (text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

export async function buildHttpApp ({ broker, registry, logger, version }: HttpAppDeps): Promise<FastifyInstance> {
  const limits = httpLimits(broker.config.env)
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: broker.config.maxBodyBytes,
    ...serverOptions(limits),
    clientErrorHandler: clientErrorHandler(logger),
    // Topics are up to 1,024 characters once decoded; a path segment may carry each as up to 12 (%XX of 4 UTF-8 bytes).
    // The route schemas hold the topic to its real limit; a longer segment still gets our problem shape (frameworkErrors).
    routerOptions: { maxParamLength: MAX_TOPIC_LENGTH * 12 },
    frameworkErrors: (err, request, reply) => { sendProblem(reply, request, err).catch(() => undefined) },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    requestIdHeader: 'x-request-id',
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  })
  // Open connections at most, SSE streams included: Node closes the ones beyond at once.
  app.server.maxConnections = limits.maxConnections
  // Each request's logger (with its reqId) is built only when the request writes a line.
  app.setChildLoggerFactory((parent, bindings, options) => new RequestLogger(parent, bindings, options))
  const openapi = collectOpenApi(app, { title: 'Backchannel', version })
  app.setErrorHandler(async (err: Error, request, reply) => sendProblem(reply, request, err))
  const notFound = (request: FastifyRequest): NotFoundError => new NotFoundError(request.method, request.url.split('?')[0] ?? '')
  app.setNotFoundHandler(async (request, reply) => sendProblem(reply, request, notFound(request)))

  // A caller's trace follows its request into every log line about it.
  app.addHook('onRequest', (request, _reply, done) => {
    const traceparent = parseTraceparent(request.headers['traceparent'])
    if (traceparent !== null) request.log = request.log.child({ traceparent })
    done()
  })

  const token = broker.config.env.apiToken
  if (token !== null) {
    const expected = digest(token)
    app.addHook('onRequest', async (request, reply) => {
      if (OPEN_PATHS.has(request.url.split('?')[0] ?? '')) return
      const header = request.headers.authorization ?? ''
      // The auth scheme is case-insensitive (RFC 9110 11.1).
      const given = /^bearer /i.test(header) ? header.slice(7) : ''
      if (!timingSafeEqual(digest(given), expected)) {
        // A 401 must say which scheme to use (RFC 9110 15.5.2, RFC 6750 3).
        reply.header('www-authenticate', 'Bearer')
        throw new UnauthorizedError()
      }
    })
  }

  // No route: answered before the body is read (fastify's 404 route would parse it first), and the connection closed.
  app.addHook('onRequest', (request, _reply, done) => { done(request.is404 ? notFound(request) : undefined) })

  app.addHook('preClose', async () => {
    broker.readers.endAll('shutdown', { reason: 'shutdown' }, broker.config.sse.retryMs)
  })

  await app.register(pushRoute, { broker })
  await app.register(eventsRoute, { broker })
  await app.register(topicsEventsRoute, { broker })
  await app.register(channelsRoute, { broker })
  await app.register(presenceRoute, { broker })
  await app.register(healthRoute, { broker })
  const metricsSchema = { summary: 'Prometheus metrics in the text exposition format', response: { 200: { content: { 'text/plain': { schema: { type: 'string' } } } } } }
  app.get('/metrics', { schema: metricsSchema }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
  app.get('/openapi.json', async () => openapi())
  return app
}
