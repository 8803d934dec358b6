/**
 * GET /v1/channels/:topic/events — the channel as Server-Sent Events. Each
 * message is `event: <phoenix event>`, `data: <json payload>`, `id:
 * <epoch>-<seq>`; lifecycle events `joined`, `errored`, `rejoined`,
 * `closed`, and `gap` where messages may be missing. Resume with the
 * Last-Event-ID header or `?lastEventId=`; filter with `?events=a,b`.
 * A topic of the dynamic allow-list that is not held is joined on demand
 * and held while a stream reads it (then it lingers and is left).
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Broker, InUse } from '../../broker.ts'
import type { Subscription } from '../../hub/subscription.ts'
import type { HttpAccess } from '../access.ts'
import { problemSchema } from '../problem.ts'
import { SseStreamWriter } from '../sse/stream-writer.ts'
import { readyEvent, sseRequest, startSseResponse, type SseQuery } from '../sse/stream-request.ts'
import { topicParams, type TopicParams } from './topic.ts'

interface EventsQuery extends SseQuery { upstream?: string }

const eventsSchema = {
  summary: 'Subscribe to a channel as Server-Sent Events',
  params: topicParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      events: { type: 'string', description: 'Comma-separated Phoenix events to pass; lifecycle and gap events always pass' },
      lastEventId: { type: 'string', description: 'Resume after this id (as the Last-Event-ID header)' },
      upstream: { type: 'string' },
    },
  },
  response: {
    200: { content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events: a `ready` event, then each channel message and lifecycle event with an id' } } } },
    '4xx': problemSchema,
    '5xx': problemSchema,
  },
}

/** The route's pattern (the HTTP observer records its hijacked streams when they close). */
export const EVENTS_PATH = '/v1/channels/:topic/events'

/** The `ready` event last formatted for a topic's streams, and what it was formatted from. */
interface KeptReady { state: Subscription['state'], epoch: string, retryMs: number, text: string }
const readyTexts = new WeakMap<Subscription, KeptReady>()

/** A stream's `ready` event (its topic, the epoch, the channel's state): formatted once while they stay the same, not once a stream. */
function readyText (sub: Subscription, epoch: string, retryMs: number): string {
  const kept = readyTexts.get(sub)
  if (kept !== undefined && kept.state === sub.state && kept.epoch === epoch && kept.retryMs === retryMs) return kept.text
  const text = readyEvent({ topic: sub.config.topic, epoch, state: sub.state }, retryMs)
  readyTexts.set(sub, { state: sub.state, epoch, retryMs, text })
  return text
}

export interface EventsRouteOptions { broker: Broker, access: HttpAccess }

export const eventsRoute: FastifyPluginAsync<EventsRouteOptions> = async (app, { broker, access }) => {
  app.get<{ Params: TopicParams, Querystring: EventsQuery }>(EVENTS_PATH, { schema: eventsSchema, config: { access: { action: 'subscribe', stream: true } } }, (request, reply) => {
    // Not async: the handler hijacks the reply and returns nothing, so no promise is made for fastify to wait on
    // (a thrown error reaches the error handler either way).
    access.authorize(request, 'subscribe', [request.params.topic])
    const { lastEventId, events, options } = sseRequest(broker, request)
    const { sse } = broker.config
    // Counted against its subject's and address's caps until it ends.
    const admitted = access.admitStream(request, sse)
    let use: InUse
    try {
      // A topic the allow-list allows is joined on demand; it is held while this stream lasts (released when it ends).
      use = broker.use(request.params.topic, request.query.upstream, 'sse')
    } catch (err) {
      admitted.release()
      throw err
    }
    const { sub, release } = use
    const res = startSseResponse(reply, readyText(sub, broker.hub.epoch, sse.retryMs))
    const client = new SseStreamWriter(res, lastEventId, options, events)
    broker.hub.attach(sub, client, lastEventId)
    broker.readers.add(client, 'sse')
    // What the stream holds goes when it ends: its count against the caps, the topic (no closure per stream for them).
    client.onEnd(admitted)
    client.onEnd(release)
    access.endAtExpiry(request, client, sse.retryMs)
  })
}
