/**
 * GET /v1/channels/:topic/presence — the channel's merged presence (key →
 * `{metas: [...]}`, as phoenix.js's Presence holds it), for a channel with
 * `presence: true`. `synced` is false until the state of the channel's
 * current join has arrived (before the first join, while it is down).
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Broker } from '../../broker.ts'
import type { HttpAccess } from '../access.ts'
import { PresenceOffError } from '../../errors.ts'
import { problemSchema } from '../problem.ts'
import { topicParams, type TopicParams } from './topic.ts'

const metaSchema = {
  type: 'object',
  required: ['phx_ref'],
  additionalProperties: true,
  properties: { phx_ref: { type: 'string' }, phx_ref_prev: { type: 'string' } },
} as const

const entrySchema = {
  type: 'object',
  required: ['metas'],
  additionalProperties: true,
  properties: { metas: { type: 'array', items: metaSchema } },
} as const

const presenceSchema = {
  summary: 'The merged presence of a channel with presence on',
  params: topicParams,
  querystring: { type: 'object', additionalProperties: false, properties: { upstream: { type: 'string' } } },
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['topic', 'state', 'synced'],
      properties: {
        topic: { type: 'string' },
        state: { type: 'object', description: 'Presence key → its entry: the metas, oldest first', additionalProperties: entrySchema },
        synced: { type: 'boolean', description: 'False until the state of the current join has arrived' },
      },
    },
    '4xx': problemSchema,
    '5xx': problemSchema,
  },
}

export interface PresenceRouteOptions { broker: Broker, access: HttpAccess }

export const presenceRoute: FastifyPluginAsync<PresenceRouteOptions> = async (app, { broker, access }) => {
  app.get<{ Params: TopicParams, Querystring: { upstream?: string } }>('/v1/channels/:topic/presence', { schema: presenceSchema, config: { access: { action: 'subscribe' } } }, async (request) => {
    access.authorize(request, 'subscribe', [request.params.topic])
    const sub = broker.subscription(request.params.topic, request.query.upstream)
    if (sub.presence === null) throw new PresenceOffError(sub.config.name)
    return { topic: sub.config.topic, state: sub.presence.state(), synced: sub.presence.synced }
  })
}
