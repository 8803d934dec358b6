/**
 * POST /v1/channels/:topic/push — a push to the channel, answered with the
 * channel's reply. Exactly one response per request: the reply (200 for ok,
 * 422 for any other status), or a problem: 504 no reply in time, 503 not
 * joined / disconnected / buffer full (with Retry-After), 502 join refused
 * or the channel crashed, 404 unknown topic, 400 bad body (or one nested
 * too deep), 413 too large.
 * Bytes go as application/octet-stream with the event in a header, and a
 * binary reply comes back as bytes.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Broker } from '../../broker.ts'
import type { HttpAccess } from '../access.ts'
import { tooDeep } from '../body-depth.ts'
import { BadRequestError } from '../../errors.ts'
import { problemSchema } from '../problem.ts'
import { parseTraceparent } from '../trace.ts'
import { topicParams, type TopicParams } from './topic.ts'

export const EVENT_HEADER = 'x-backchannel-event'
export const STATUS_HEADER = 'x-backchannel-status'
export const TIMEOUT_HEADER = 'x-backchannel-timeout-ms'

interface PushBody { event: string, payload?: unknown, timeoutMs?: number }

const pushBodySchema = {
  type: 'object',
  required: ['event'],
  additionalProperties: false,
  properties: {
    event: { type: 'string', minLength: 1, maxLength: 255, description: 'The Phoenix event name' },
    payload: { description: 'Any JSON value; {} when absent' },
    timeoutMs: { type: 'integer', minimum: 1, maximum: 300000, description: 'Reply deadline; the configured default when absent' },
  },
} as const

const replySchema = {
  type: 'object',
  required: ['status', 'response'],
  additionalProperties: false,
  properties: { status: { type: 'string' }, response: {} },
} as const

/** JSON, or the bytes of a binary reply (its status in the x-backchannel-status header). */
const replyResponse = {
  content: {
    'application/json': { schema: replySchema },
    'application/octet-stream': { schema: { description: `A binary reply's bytes; its status is in the ${STATUS_HEADER} header` } },
  },
}

const pushSchema = {
  summary: 'Push to a channel and get its reply',
  params: topicParams,
  querystring: { type: 'object', additionalProperties: false, properties: { upstream: { type: 'string' } } },
  body: {
    content: {
      'application/json': { schema: pushBodySchema },
      'application/octet-stream': { schema: {} },
    },
  },
  response: { 200: replyResponse, 422: replyResponse, '4xx': problemSchema, '5xx': problemSchema },
}

export interface PushRouteOptions { broker: Broker, access: HttpAccess }

export const pushRoute: FastifyPluginAsync<PushRouteOptions> = async (app, { broker, access }) => {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => { done(null, body) })
  // JSON or bytes only: fastify's default text/plain parser would hand the handler a string no schema checks (415 instead).
  app.removeContentTypeParser('text/plain')

  app.post<{ Params: TopicParams, Querystring: { upstream?: string }, Body: PushBody | Buffer }>('/v1/channels/:topic/push', {
    schema: pushSchema,
    config: { access: { action: 'publish' } },
    // A browser token's claims are checked before the body is read.
    onRequest: async (request) => { access.authorize(request, 'publish', [request.params.topic]) },
    preValidation: async (request) => {
      const error = tooDeep(request.body)
      if (error !== null) throw error
    },
  }, async (request, reply) => {
    const binary = Buffer.isBuffer(request.body)
    let event: string
    let payload: unknown
    let timeoutMs: number | undefined
    if (binary) {
      const header = request.headers[EVENT_HEADER]
      if (typeof header !== 'string' || header === '' || header.length > 255) {
        throw new BadRequestError(`a binary push needs the event in the ${EVENT_HEADER} header`)
      }
      event = header
      payload = request.body
      const t = request.headers[TIMEOUT_HEADER]
      if (typeof t === 'string') {
        // Digits only: Number() would also take "1e3", "0x10", " 5" or "5.0".
        timeoutMs = /^[1-9][0-9]{0,5}$/.test(t) ? Number(t) : NaN
        if (!(timeoutMs <= 300000)) throw new BadRequestError(`${TIMEOUT_HEADER} must be an integer from 1 to 300000 (digits only)`)
      }
    } else {
      // The schema checked a JSON body; any other body never reaches here, and no body is not an object.
      const raw: unknown = request.body
      if (typeof raw !== 'object' || raw === null) throw new BadRequestError('the body must be a JSON object with an event')
      const body = raw as PushBody
      event = body.event
      payload = body.payload ?? {}
      timeoutMs = body.timeoutMs
    }
    // The caller hanging up cancels the push (request.signal fires once the body is read, so it will not do).
    const gone = new AbortController()
    reply.raw.once('close', () => { if (!reply.raw.writableEnded) gone.abort(new Error('the HTTP client went away')) })
    const result = await broker.push(request.params.topic, request.query.upstream, event, payload, timeoutMs, gone.signal, parseTraceparent(request.headers['traceparent']))
    const status = result.status === 'ok' ? 200 : 422
    if (result.response instanceof Uint8Array) {
      return reply.code(status).header(STATUS_HEADER, result.status).type('application/octet-stream').send(Buffer.from(result.response))
    }
    return reply.code(status).send({ status: result.status, response: result.response ?? null })
  })
}
