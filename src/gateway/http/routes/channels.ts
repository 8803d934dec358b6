/**
 * GET /v1/channels — every subscription's state: upstream, topic, origin
 * (config, dynamic-pinned, dynamic-on-demand), state, joinRef, counts,
 * last error, and the socket it is assigned to.
 * PUT /v1/channels/:topic — joins a topic of the dynamic allow-list and
 * holds it until DELETE: 201 when this request joined it, 200 when it was
 * held already (a configured channel included), 502 join refused, 503 not
 * joined in time (it stays wanted) or too many topics, 403 not allowed.
 * DELETE /v1/channels/:topic — leaves a dynamic topic (204); its SSE
 * readers get a final `channel_closed` event. 409 for a configured channel.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Broker } from '../../broker.ts'
import { deleteTopic, putTopic } from '../../dynamic/control.ts'
import type { Subscription } from '../../hub/subscription.ts'
import { problemSchema } from '../problem.ts'
import { topicParams, type TopicParams } from './topic.ts'
import { tooDeep } from '../body-depth.ts'

const channelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'upstream', 'topic', 'origin', 'state', 'required', 'messages', 'subscribers', 'lastEventId', 'since', 'lastError', 'joinRef', 'socket'],
  properties: {
    name: { type: 'string', description: 'The metrics label: the channel\'s name, or its dynamic entry\'s' },
    upstream: { type: 'string' },
    topic: { type: 'string' },
    origin: { type: 'string', enum: ['config', 'dynamic-pinned', 'dynamic-on-demand'], description: 'config; dynamic-pinned (joined with PUT, held until DELETE); dynamic-on-demand (joined for a reader or a push, left after lingering unused)' },
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

interface PutBody { params?: Record<string, unknown>, upstream?: string, timeoutMs?: number }

const putSchema = {
  summary: 'Join a topic of the dynamic allow-list and hold it until DELETE',
  params: topicParams,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      params: { type: 'object', description: 'Join params; they replace the top-level keys of the entry\'s params. New params rejoin a held topic.' },
      upstream: { type: 'string', minLength: 1, description: 'The upstream, when several carry the topic or allow it' },
      timeoutMs: { type: 'integer', minimum: 1, maximum: 300000, description: 'How long to wait for the join; the configured push deadline when absent' },
    },
  },
  response: { 200: channelSchema, 201: channelSchema, '4xx': problemSchema, '5xx': problemSchema },
}

const deleteSchema = {
  summary: 'Leave a dynamic topic; its SSE readers get a final channel_closed event',
  params: topicParams,
  querystring: { type: 'object', additionalProperties: false, properties: { upstream: { type: 'string' } } },
  response: { 204: { type: 'null', description: 'Left' }, '4xx': problemSchema, '5xx': problemSchema },
}

/** One subscription as GET /v1/channels and PUT show it. */
export function channelView (broker: Broker, sub: Subscription): Record<string, unknown> {
  const info = broker.clients.get(sub.config.upstream)?.channelInfo(sub.config.topic)
  return { ...sub.status(), origin: broker.dynamic.origin(sub), joinRef: info?.joinRef ?? null, socket: info?.socket ?? null }
}

export interface ChannelsRouteOptions { broker: Broker }

export const channelsRoute: FastifyPluginAsync<ChannelsRouteOptions> = async (app, { broker }) => {
  app.get('/v1/channels', { schema: channelsSchema }, async () => ({
    channels: broker.hub.all().map((sub) => channelView(broker, sub)),
  }))

  app.put<{ Params: TopicParams, Body: PutBody }>('/v1/channels/:topic', {
    schema: putSchema,
    // No body is an empty one (`curl -X PUT`): checked by the schema like any other.
    preValidation: (request, _reply, done) => {
      ;(request as { body: unknown }).body ??= {}
      const error = tooDeep(request.body)
      if (error === null) done()
      else done(error)
    },
  }, async (request, reply) => {
    const { sub, created } = await putTopic(broker, request.params.topic, request.body)
    return reply.code(created ? 201 : 200).send(channelView(broker, sub))
  })

  app.delete<{ Params: TopicParams, Querystring: { upstream?: string } }>('/v1/channels/:topic', { schema: deleteSchema }, async (request, reply) => {
    await deleteTopic(broker, request.params.topic, request.query.upstream)
    return reply.code(204).send()
  })
}
