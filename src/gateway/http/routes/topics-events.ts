/**
 * GET /v1/events?topic=…&topic=… — several topics as one stream of
 * Server-Sent Events. Each `topic` is an exact topic (held while the stream
 * lasts; a topic of the dynamic allow-list is joined on demand) or a
 * pattern (`*` within one `:` segment) that follows every held topic it
 * matches, now and as they come. Each event's data is `{"topic", "payload"}`
 * and its id `<epoch>.<order>`, one order over every topic: one
 * Last-Event-ID resumes them all. See topics-stream.ts and hub/topic-merge.ts.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Broker } from '../../broker.ts'
import { SseLimitError } from '../../errors.ts'
import { followTopics, resolveTopics } from '../../topics-stream.ts'
import { problemSchema } from '../problem.ts'
import { formatEvent } from '../sse/format.ts'
import { SseTopicsWriter } from '../sse/topics-writer.ts'

interface TopicsEventsQuery { topic?: string | string[], events?: string, lastEventId?: string, upstream?: string }

const topicsEventsSchema = {
  summary: 'Subscribe to several topics as one stream of Server-Sent Events',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      topic: {
        anyOf: [{ type: 'string', minLength: 1, maxLength: 1024 }, { type: 'array', items: { type: 'string', minLength: 1, maxLength: 1024 } }],
        description: 'A topic, or a pattern in which `*` stands for one or more characters other than `:`; repeat for more',
      },
      events: { type: 'string', description: 'Comma-separated Phoenix events to pass; lifecycle, gap and topic events always pass' },
      lastEventId: { type: 'string', description: 'Resume after this id (as the Last-Event-ID header)' },
      upstream: { type: 'string', description: 'Only topics of this upstream' },
    },
  },
  response: {
    200: { content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events: a `ready` event, then the events of every followed topic in one order, each with its topic' } } } },
    '4xx': problemSchema,
    '5xx': problemSchema,
  },
}

/** The route's path (the HTTP observer records its hijacked streams when they close). */
export const TOPICS_EVENTS_PATH = '/v1/events'

export interface TopicsEventsRouteOptions { broker: Broker }

export const topicsEventsRoute: FastifyPluginAsync<TopicsEventsRouteOptions> = async (app, { broker }) => {
  app.get<{ Querystring: TopicsEventsQuery }>(TOPICS_EVENTS_PATH, { schema: topicsEventsSchema }, async (request, reply) => {
    const { sse } = broker.config
    if (broker.readers.count('sse') >= sse.maxClients) throw new SseLimitError(sse.maxClients, sse.retryMs)
    const header = request.headers['last-event-id']
    const lastEventId = (typeof header === 'string' && header !== '' ? header : undefined) ?? request.query.lastEventId ?? null
    const topic = request.query.topic
    const topicsRequest = { topics: topic === undefined ? [] : [topic].flat(), upstream: request.query.upstream, lastEventId, limit: sse.maxTopicsPerStream }
    const resolved = resolveTopics(broker, topicsRequest)
    const filter = request.query.events === undefined ? null : new Set(request.query.events.split(',').map((e) => e.trim()).filter((e) => e !== ''))
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    })
    const topics = resolved.subs.map((sub) => ({ topic: sub.config.topic, upstream: sub.config.upstream, state: sub.state }))
    res.write(formatEvent({ event: 'ready', data: JSON.stringify({ epoch: broker.hub.epoch, topics, patterns: resolved.patterns }), retryMs: sse.retryMs }))
    const stream = new SseTopicsWriter(res, broker.hub, lastEventId, { bufferBytes: sse.clientBufferBytes, events: filter, lingerMs: sse.lingerMs, stallMs: sse.stallTimeoutMs })
    followTopics(broker, stream.merge, stream, topicsRequest, resolved)
    broker.readers.add(stream, 'sse')
  })
}
