/**
 * What every SSE route does around its own stream: refuse a stream past
 * `sse.maxClients`, read the resume id (the Last-Event-ID header, else
 * `?lastEventId=`) and the `?events=` filter, and start the response with
 * its headers and the `ready` event.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { Broker } from '../../broker.ts'
import type { SseConfig } from '../../config/types.ts'
import { SseLimitError } from '../../errors.ts'
import { formatEvent } from './format.ts'
import type { SseResponseOptions } from './response-stream.ts'

/** What the SSE routes read from their query string. */
export interface SseQuery { events?: string, lastEventId?: string }

/** What a stream writer takes from the request and the `sse` config. */
export interface SseRequestOptions {
  lastEventId: string | null
  /** Phoenix events to pass (null: all). */
  events: ReadonlySet<string> | null
  /** The response options, the same object for every stream of one `sse` config (not an object kept per stream). */
  options: SseResponseOptions
}

/** The response options of each `sse` config (a reload brings a new one). */
const responseOptions = new WeakMap<SseConfig, SseResponseOptions>()

/** The response options every stream of `sse` shares. */
export function sseResponseOptions (sse: SseConfig): SseResponseOptions {
  let options = responseOptions.get(sse)
  if (options === undefined) {
    options = Object.freeze({ bufferBytes: sse.clientBufferBytes, lingerMs: sse.lingerMs, stallMs: sse.stallTimeoutMs })
    responseOptions.set(sse, options)
  }
  return options
}

/** Throws 503 BC_ERR_SSE_LIMIT when `sse.maxClients` streams are open; else what the stream was asked for. */
export function sseRequest (broker: Broker, request: FastifyRequest<{ Querystring: SseQuery }>): SseRequestOptions {
  const sse: SseConfig = broker.config.sse
  if (broker.readers.count('sse') >= sse.maxClients) {
    broker.events.emit('sse_refused', { reason: 'max_clients' })
    throw new SseLimitError(sse.maxClients, sse.retryMs)
  }
  const header = request.headers['last-event-id']
  const lastEventId = (typeof header === 'string' && header !== '' ? header : undefined) ?? request.query.lastEventId ?? null
  const { events } = request.query
  const filter = events === undefined ? null : new Set(events.split(',').map((e) => e.trim()).filter((e) => e !== ''))
  return { lastEventId, events: filter, options: sseResponseOptions(sse) }
}

/** A response error after the hijack: the response closes next (its 'close' ends the stream), nothing else to do. */
function ignoreResponseError (): void {}

/**
 * Lets go of fastify's own response listener of a hijacked reply: it listens for 'finish' and 'error' (both, the
 * same function) to run the onResponse hooks, and holds the Request and Reply for as long as the stream lasts, about
 * 1 KB a stream. A stream is recorded when its response closes (see observe/http-observer.ts). An 'error'
 * listener stays, a shared one, so that an error emitted on the response is not thrown.
 */
function releaseFastifyListener (res: ServerResponse): void {
  // The shared listener goes on first: the 'error' list then never empties (an emptied list is deleted from the
  // response's listener table, which turns it into a slower, bigger dictionary).
  res.on('error', ignoreResponseError)
  const [listener] = res.listeners('error')
  if (listener === undefined || listener === ignoreResponseError || res.listenerCount('finish', listener) !== 1) return
  res.off('finish', listener as () => void)
  res.off('error', listener as () => void)
}

/** The headers of every SSE response (one object, not one a stream). */
const SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
})

/** The `ready` event with `data` (as JSON) and the `retry` hint: the first thing every stream writes. */
export function readyEvent (data: unknown, retryMs: number): string {
  return formatEvent({ event: 'ready', data: JSON.stringify(data), retryMs })
}

/** Takes the response over from fastify and writes the SSE headers and `ready`, a `ready` event (see readyEvent). */
export function startSseResponse (reply: FastifyReply, ready: string): ServerResponse {
  reply.hijack()
  const res = reply.raw
  releaseFastifyListener(res)
  res.writeHead(200, SSE_HEADERS)
  res.write(ready)
  return res
}
