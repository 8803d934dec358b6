/**
 * GET /livez — the process is alive; never depends on Phoenix.
 * GET /readyz — every required channel is joined (a blip shorter than the
 * grace period does not count), and the sidecar is not shutting down.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Broker } from '../../broker.ts'
import type { LinkState } from '../../shared/redis-link.ts'

/** With `sharedHistory`: the Redis link's state and its last error, for people; readiness never depends on it (local history still serves). */
const sharedDetails = {
  type: 'object',
  additionalProperties: false,
  required: ['link'],
  properties: { link: { type: 'string', enum: ['connecting', 'ready', 'down', 'closed'] }, lastError: { type: 'string' } },
} as const

const readyBody = { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string' }, notReady: { type: 'array', items: { type: 'string' } }, sharedHistory: sharedDetails } } as const

const readySchema = {
  summary: 'Readiness: every required channel joined',
  response: { '2xx': readyBody, '5xx': readyBody },
}

const liveSchema = {
  summary: 'Liveness: the process answers; never depends on Phoenix',
  response: { 200: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string' } } } },
}

export interface HealthRouteOptions {
  broker: Broker
  /** Shared history's link, shown in /readyz (never failing it); null without `sharedHistory`. */
  sharedLink?: { readonly state: LinkState, readonly lastError: Error | undefined } | null
}

export const healthRoute: FastifyPluginAsync<HealthRouteOptions> = async (app, { broker, sharedLink = null }) => {
  const details = (): { sharedHistory?: { link: LinkState, lastError?: string } } => {
    if (sharedLink === null) return {}
    const error = sharedLink.state === 'ready' ? undefined : sharedLink.lastError?.message
    return { sharedHistory: { link: sharedLink.state, ...(error === undefined ? {} : { lastError: error }) } }
  }
  app.get('/livez', { schema: liveSchema }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: readySchema }, async (_request, reply) => {
    if (broker.draining) return reply.code(503).send({ status: 'draining', notReady: [], ...details() })
    const notReady = broker.hub.notReady(broker.config.env.readyGraceMs).map((s) => s.config.name)
    return reply.code(notReady.length === 0 ? 200 : 503).send({ status: notReady.length === 0 ? 'ready' : 'not_ready', notReady, ...details() })
  })
}
