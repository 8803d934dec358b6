/**
 * GET /livez — the process is alive; never depends on Phoenix.
 * GET /readyz — every required channel is joined (a blip shorter than the
 * grace period does not count), and the sidecar is not shutting down.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Gateway } from '../../gateway.ts'

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

export interface HealthRouteOptions { gateway: Gateway }

export const healthRoute: FastifyPluginAsync<HealthRouteOptions> = async (app, { gateway }) => {
  app.get('/livez', { schema: liveSchema }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: readySchema }, async (_request, reply) => {
    if (gateway.draining) return reply.code(503).send({ status: 'draining', notReady: [] })
    const notReady = gateway.hub.notReady(gateway.config.env.readyGraceMs).map((s) => s.config.name)
    return reply.code(notReady.length === 0 ? 200 : 503).send({ status: notReady.length === 0 ? 'ready' : 'not_ready', notReady })
  })
}
