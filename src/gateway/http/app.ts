/**
 * The fastify app: schemas on every route, unknown body fields rejected,
 * one problem shape for errors (fastify's own and Node's client errors
 * included), CORS and who may do what (http/cors.ts, http/access.ts), the
 * connection limits of http/limits.ts, and SSE streams ended before the
 * server closes.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import type { Broker } from '../broker.ts'
import { RequestLogger } from '../observe/request-logger.ts'
import { collectOpenApi } from './openapi.ts'
import { httpLimits } from '../config/env.ts'
import { MAX_TOPIC_LENGTH } from '../config/topic.ts'
import { clientErrorHandler, serverOptions } from './limits.ts'
import { NotFoundError } from '../errors.ts'
import type { TokenVerifier } from '../access/claims.ts'
import { HttpAccess } from './access.ts'
import { installCors } from './cors.ts'
import { sendProblem } from './problem.ts'
import { parseTraceparent } from './trace.ts'
import { channelsRoute } from './routes/channels.ts'
import { topicsEventsRoute } from './routes/topics-events.ts'
import { eventsRoute } from './routes/events.ts'
import { healthRoute, type HealthRouteOptions } from './routes/health.ts'
import { presenceRoute } from './routes/presence.ts'
import { pushRoute } from './routes/push.ts'

export interface HttpAppDeps {
  broker: Broker
  registry: Registry
  logger: FastifyBaseLogger
  version: string
  /** Checks browser tokens, when `tokens` is configured (see http/access.ts). */
  verifier?: TokenVerifier | null
  /** Shared history's link, shown in /readyz, when `sharedHistory` is configured. */
  sharedLink?: HealthRouteOptions['sharedLink']
  /** Installs the request records and metrics (observe/http-observer.ts): called before the routes are added. */
  observe?: (app: FastifyInstance) => void
}

export async function buildHttpApp ({ broker, registry, logger, version, verifier = null, sharedLink = null, observe }: HttpAppDeps): Promise<FastifyInstance> {
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

  // CORS first: a preflight carries no credentials. Then who the caller is (http/access.ts).
  installCors(app, broker.config.cors)
  const access = new HttpAccess({ apiToken: broker.config.env.apiToken, verifier, tokens: broker.config.tokens, events: broker.events })
  access.install(app)

  // No route: answered before the body is read (fastify's 404 route would parse it first), and the connection closed.
  app.addHook('onRequest', (request, _reply, done) => { done(request.is404 ? notFound(request) : undefined) })

  app.addHook('preClose', async () => {
    broker.readers.endAll('shutdown', { reason: 'shutdown' }, broker.config.sse.retryMs)
  })

  // The request records and metrics, before the routes: it hooks the SSE routes as they are added.
  observe?.(app)
  await app.register(pushRoute, { broker, access })
  await app.register(eventsRoute, { broker, access })
  await app.register(topicsEventsRoute, { broker, access })
  await app.register(channelsRoute, { broker })
  await app.register(presenceRoute, { broker, access })
  await app.register(healthRoute, { broker, sharedLink })
  const metricsSchema = { summary: 'Prometheus metrics in the text exposition format', response: { 200: { content: { 'text/plain': { schema: { type: 'string' } } } } } }
  app.get('/metrics', { schema: metricsSchema }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
  app.get('/openapi.json', async () => openapi())
  return app
}
