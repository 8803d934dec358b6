/**
 * One log line and one metric sample per HTTP request: method, route
 * pattern (never the raw URL or its query), status, duration, the problem's
 * `code` and the `topic`, on the request's logger (so with its reqId). 2xx
 * and 3xx at debug; 4xx and the 5xx an upstream outage or the drain causes
 * (502, 503, 504) at warn, so an outage cannot flood the error level; a
 * failing readiness probe at info (the probe's answer is the signal); error
 * only for a real fault of the sidecar (500 and other 5xx). SSE streams are
 * hijacked replies: they count when they end. Nothing is allocated per
 * request beyond the log fields and the samples.
 */
import type { ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify'
import { EVENTS_PATH } from '../http/routes/events.ts'
import { TOPICS_EVENTS_PATH } from '../http/routes/topics-events.ts'
import type { Metrics } from './metrics.ts'
import { problemCodeOf } from '../http/problem.ts'

/** 5xx that tell of Phoenix or the drain (join refused, not joined, no reply in time), not of a fault in the sidecar. */
const UPSTREAM_STATUSES: ReadonlySet<number> = new Set([502, 503, 504])
const READY_PATH = '/readyz'
/** What a request's record reads: the FastifyRequest, or what an open SSE stream keeps of it. */
type RecordedRequest = Pick<FastifyRequest, 'log' | 'method' | 'params'> & { raw: object, routeOptions: { url?: string | undefined } }

/**
 * What an open SSE stream keeps for its record: its logger, route and start. A stream's status is the 200 it
 * started with, so the fields only an error's line reads (the problem's code, the topic) are not kept; its method
 * is GET. Three fields, not the Request (or an object of its fields) for the stream's whole life.
 */
class OpenStreamRecord implements RecordedRequest {
  readonly log: FastifyRequest['log']
  readonly routeOptions: { url: string }
  readonly started: number
  constructor (log: FastifyRequest['log'], routeOptions: { url: string }, started: number) {
    this.log = log
    this.routeOptions = routeOptions
    this.started = started
  }

  get method (): string { return 'GET' }
  get params (): undefined { return undefined }
  /** A stream's record has no problem to look up: any object the lookup does not know. */
  get raw (): object { return NO_RAW }
}
/** The SSE routes as an open stream's record names them (shared, not an object per stream). */
const EVENTS_ROUTE = { url: EVENTS_PATH }
const TOPICS_EVENTS_ROUTE = { url: TOPICS_EVENTS_PATH }
const NO_RAW: object = Object.freeze({})

/** Records every request; called before the routes are added (the SSE routes get a hook of their own). */
export function observeHttp (app: FastifyInstance, metrics: Metrics | null): void {
  const record = (request: RecordedRequest, status: number, ms: number): void => {
    const route = request.routeOptions.url
    if (status < 400) {
      request.log.debug({ method: request.method, route: route ?? null, status, durationMs: Math.round(ms * 1000) / 1000 }, 'request')
    } else {
      const topic = (request.params as { topic?: unknown } | undefined)?.topic
      const fields = { method: request.method, route: route ?? null, status, code: problemCodeOf(request.raw) ?? null, topic: typeof topic === 'string' ? topic : null, durationMs: Math.round(ms * 1000) / 1000 }
      if (route === READY_PATH) request.log.info(fields, 'not ready')
      else if (status < 500) request.log.warn(fields, 'request rejected')
      else if (UPSTREAM_STATUSES.has(status)) request.log.warn(fields, 'request failed')
      else request.log.error(fields, 'request failed')
    }
    metrics?.observeRequest(request.method, route, status, ms / 1000)
  }
  // SSE streams are hijacked: startSseResponse lets fastify's own response listener go (it would hold the
  // Request and Reply for the stream's whole life), so fastify does not run onResponse for them. They are
  // recorded when their response closes, by one shared listener, from what the record needs (not the Request).
  // Every other request is recorded by onResponse ('finish' comes before 'close'), with no listener of its own.
  // Callback-style hooks: no promise per request.
  const streams = new WeakMap<ServerResponse, OpenStreamRecord>()
  function onStreamClose (this: ServerResponse): void {
    const stream = streams.get(this)
    if (stream === undefined) return
    streams.delete(this)
    record(stream, this.statusCode, performance.now() - stream.started)
  }
  // The SSE routes get a hook of their own as they are added, so that no request reads `request.routeOptions` (fastify
  // builds a 14-field object at each read) to learn its route. A route's hooks run after the app's (the caller's
  // trace is on its logger by then).
  const streamHook = (route: { url: string }): onRequestHookHandler => (request, reply, done) => {
    streams.set(reply.raw, new OpenStreamRecord(request.log, route, performance.now()))
    // A response closes once: a shared listener, not a `once` wrapper per stream.
    reply.raw.on('close', onStreamClose)
    done()
  }
  const eventsHook = streamHook(EVENTS_ROUTE)
  const topicsEventsHook = streamHook(TOPICS_EVENTS_ROUTE)
  app.addHook('onRoute', (route) => {
    const hook = route.url === EVENTS_PATH ? eventsHook : route.url === TOPICS_EVENTS_PATH ? topicsEventsHook : null
    if (hook === null) return
    const own = route.onRequest
    route.onRequest = own === undefined ? [hook] : [...(Array.isArray(own) ? own : [own]), hook]
  })
  // A connection beyond HTTP_MAX_CONNECTIONS is closed by Node before it is a request: counted, not logged
  // (a flood of them must not flood the log).
  app.server.on('drop', () => { metrics?.connectionRefused() })
  app.addHook('onResponse', (request, reply, done) => {
    streams.delete(reply.raw)
    record(request, reply.statusCode, reply.elapsedTime)
    done()
  })
}
