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
import type { HttpAccess } from '../access.ts'
import { followTopics, resolveTopics } from '../../topics-stream.ts'
import { problemSchema } from '../problem.ts'
import { readyEvent, sseRequest, startSseResponse, type SseQuery } from '../sse/stream-request.ts'
import { SseTopicsWriter } from '../sse/topics-writer.ts'

interface TopicsEventsQuery extends SseQuery { topic?: string | string[], upstream?: string }

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

export interface TopicsEventsRouteOptions { broker: Broker, access: HttpAccess }

export const topicsEventsRoute: FastifyPluginAsync<TopicsEventsRouteOptions> = async (app, { broker, access }) => {
  app.get<{ Querystring: TopicsEventsQuery }>(TOPICS_EVENTS_PATH, { schema: topicsEventsSchema, config: { access: { action: 'subscribe', stream: true } } }, (request, reply) => {
    // Not async: the handler hijacks the reply and returns nothing, so no promise is made for fastify to wait on
    // (a thrown error reaches the error handler either way).
    const topic = request.query.topic
    const names = topic === undefined ? [] : [topic].flat()
    // Every exact topic and every pattern asked for must be covered by the token's claims.
    access.authorize(request, 'subscribe', names)
    const { lastEventId, events, options } = sseRequest(broker, request)
    const { sse } = broker.config
    const topicsRequest = { topics: names, upstream: request.query.upstream, lastEventId, limit: sse.maxTopicsPerStream }
    // Counted against its subject's and address's caps until it ends.
    const admitted = access.admitStream(request, sse)
    let resolved: ReturnType<typeof resolveTopics>
    try {
      resolved = resolveTopics(broker, topicsRequest)
    } catch (err) {
      admitted.release()
      throw err
    }
    const topics = resolved.subs.map((sub) => ({ topic: sub.config.topic, upstream: sub.config.upstream, state: sub.state }))
    const res = startSseResponse(reply, readyEvent({ epoch: broker.hub.epoch, topics, patterns: resolved.patterns }, sse.retryMs))
    const stream = new SseTopicsWriter(res, broker.hub, lastEventId, options, events)
    stream.onEnd(admitted)
    followTopics(broker, stream.merge, stream, topicsRequest, resolved)
    broker.readers.add(stream, 'sse')
    access.endAtExpiry(request, stream, sse.retryMs)
  })
}
