/**
 * GET /livez — the process is alive; never depends on Phoenix.
 * GET /readyz — every required channel is joined (a blip shorter than the
 * grace period does not count), and the sidecar is not shutting down.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Broker } from '../../broker.ts'

const readySchema = {
  summary: 'Readiness: every required channel joined',
  response: {
    '2xx': { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string' }, notReady: { type: 'array', items: { type: 'string' } } } },
    '5xx': { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string' }, notReady: { type: 'array', items: { type: 'string' } } } },
  },
}

const liveSchema = {
  summary: 'Liveness: the process answers; never depends on Phoenix',
  response: { 200: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string' } } } },
}

export interface HealthRouteOptions { broker: Broker }

export const healthRoute: FastifyPluginAsync<HealthRouteOptions> = async (app, { broker }) => {
  app.get('/livez', { schema: liveSchema }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: readySchema }, async (_request, reply) => {
    if (broker.draining) return reply.code(503).send({ status: 'draining', notReady: [] })
    const notReady = broker.hub.notReady(broker.config.env.readyGraceMs).map((s) => s.config.name)
    return reply.code(notReady.length === 0 ? 200 : 503).send({ status: notReady.length === 0 ? 'ready' : 'not_ready', notReady })
  })
}
