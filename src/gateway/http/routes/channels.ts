/**
 * GET /v1/channels — every subscription's state: upstream, topic, state,
 * join_ref, counts, last error, and the socket it is assigned to.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Gateway } from '../../gateway.ts'

const channelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'upstream', 'topic', 'state', 'required', 'messages', 'subscribers', 'lastEventId', 'since', 'lastError', 'joinRef', 'socket'],
  properties: {
    name: { type: 'string' },
    upstream: { type: 'string' },
    topic: { type: 'string' },
    state: { type: 'string', enum: ['joining', 'joined', 'errored', 'closed'] },
    required: { type: 'boolean' },
    messages: { type: 'integer' },
    subscribers: { type: 'integer' },
    lastEventId: { type: ['string', 'null'] },
    since: { type: 'string' },
    lastError: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: { code: { type: 'string' }, message: { type: 'string' }, at: { type: 'string' } },
    },
    joinRef: { type: ['string', 'null'] },
    socket: { type: ['integer', 'null'] },
  },
} as const

const channelsSchema = {
  summary: 'Every subscription and its state',
  response: { 200: { type: 'object', additionalProperties: false, required: ['channels'], properties: { channels: { type: 'array', items: channelSchema } } } },
}

export interface ChannelsRouteOptions { gateway: Gateway }

export const channelsRoute: FastifyPluginAsync<ChannelsRouteOptions> = async (app, { gateway }) => {
  app.get('/v1/channels', { schema: channelsSchema }, async () => ({
    channels: gateway.hub.all().map((sub) => {
      const info = gateway.clients.get(sub.config.upstream)?.pool.channelInfo(sub.config.topic)
      return { ...sub.status(), joinRef: info?.joinRef ?? null, socket: info?.socket ?? null }
    }),
  }))
}
