/**
 * What a webhook request carries, built once per message: the body
 * (a CloudEvents 1.0 structured envelope, or the raw payload), the
 * idempotency key and trace id (both stable across retries), each
 * attempt's headers (signed by the Standard Webhooks scheme), the ordering
 * lane, and the dead-letter record. Bodies are assembled as strings around
 * the payload's JSON text, which is never parsed again (except to read the
 * order key).
 */
import { randomUUID, type KeyObject } from 'node:crypto'
import { signatureHeader } from './signature.ts'

export type BodyFormat = 'cloudevents' | 'raw'

/** One message on its way to the webhook. */
export interface Delivery {
  /** The topic's sequence number; `id` is `<epoch>-<seq>`, as in the SSE stream. */
  readonly seq: number
  readonly id: string
  readonly event: string
  /** The request body. */
  readonly body: string
  /** Idempotency-Key and CloudEvents id: a UUID, the same for every attempt. */
  readonly key: string
  /** W3C traceparent, in the header and the CloudEvent, the same for every attempt. */
  readonly traceparent: string
  /** When it arrived (performance.now() ms). */
  readonly arrivedAt: number
  attempts: number
  /** The last attempt's result: its status, or its failure. */
  lastStatus: number | null
  lastError: string | null
  /** When a waiting retry is due (performance.now() ms), and its timer. */
  dueAt: number
  timer: NodeJS.Timeout | undefined
  /** Its row in the durable outbox (webhook/outbox.ts), or null when it is held in memory only. */
  storeId: number | null
}

export interface MessageContext {
  topic: string
  upstream: string
  format: BodyFormat
}

/** The body of one message. `data` is the payload's JSON text. */
export function requestBody (ctx: MessageContext, id: string, key: string, event: string, data: string, time: string, traceparent: string): string {
  if (ctx.format === 'raw') return data
  // CloudEvents 1.0, JSON format, structured mode; the attributes Dapr sets, so a Dapr app reads it unchanged.
  return `{"specversion":"1.0","id":${JSON.stringify(key)},"source":${JSON.stringify(`backchannel/${ctx.upstream}/${ctx.topic}`)},"type":${JSON.stringify(event)},"time":"${time}","datacontenttype":"application/json","topic":${JSON.stringify(ctx.topic)},"pubsubname":${JSON.stringify(ctx.upstream)},"traceparent":"${traceparent}","backchannelid":${JSON.stringify(id)},"data":${data}}`
}

export function contentType (format: BodyFormat): string {
  return format === 'raw' ? 'application/json' : 'application/cloudevents+json'
}

export function newKey (): string {
  return randomUUID()
}

/** A new W3C traceparent: a random trace and parent id, not sampled (the sidecar records no spans itself). */
export function newTraceparent (): string {
  // randomUUID draws from a cached entropy pool: far cheaper per call than randomBytes.
  return `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-00`
}

/**
 * A header value: printable ASCII as it is; anything else (and `%`)
 * percent-encoded as UTF-8, so any topic or event name fits in a header.
 */
export function headerText (text: string): string {
  if (/^[\x20-\x24\x26-\x7e]*$/.test(text)) return text
  return text.replace(/[^\x20-\x24\x26-\x7e]+|%/g, (s) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''))
}

/**
 * The headers of one attempt: the configured ones, the message's, and the
 * Standard Webhooks ones: `webhook-id` is the idempotency key (the same on
 * every attempt), `webhook-timestamp` the attempt's time (unix seconds),
 * and `webhook-signature` a `v1` entry per key (none without keys).
 */
export function attemptHeaders (configured: Readonly<Record<string, string>>, topicHeader: string, d: Delivery, timestamp: number, keys: readonly KeyObject[]): Record<string, string> {
  const headers: Record<string, string> = {
    ...configured,
    'idempotency-key': d.key,
    traceparent: d.traceparent,
    'x-backchannel-topic': topicHeader,
    'x-backchannel-event': headerText(d.event),
    'x-backchannel-id': d.id,
    'x-backchannel-attempt': String(d.attempts),
    'webhook-id': d.key,
    'webhook-timestamp': String(timestamp),
  }
  if (keys.length > 0) headers['webhook-signature'] = signatureHeader(keys, d.key, timestamp, d.body)
  return headers
}

/** The value at a JSON Pointer (RFC 6901) in `value`, or undefined. */
export function pointer (value: unknown, path: string): unknown {
  let at = value
  for (const raw of path.split('/').slice(1)) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(at) && /^(0|[1-9]\d*)$/.test(token)) at = at[Number(token)]
    else if (typeof at === 'object' && at !== null && !Array.isArray(at) && Object.hasOwn(at, token)) at = (at as Record<string, unknown>)[token]
    else return undefined
  }
  return at
}

/** The ordering lane of a message: '' (the topic's one lane) without an order key or when the payload lacks it. */
export function laneOf (orderKey: string | null, data: string): string {
  if (orderKey === null) return ''
  let payload: unknown
  try {
    payload = JSON.parse(data)
  } catch {
    return ''
  }
  const value = pointer(payload, orderKey)
  if (value === undefined) return ''
  return typeof value === 'string' ? `s:${value}` : `j:${JSON.stringify(value)}`
}

export interface DeadLetterFacts {
  reason: string
  subscription: string
  topic: string
  upstream: string
  at: string
}

/** The dead-letter record of a delivery: why, what happened, and the request body it would have sent. */
export function deadLetterRecord (facts: DeadLetterFacts, d: Delivery, format: BodyFormat): string {
  const head = {
    reason: facts.reason,
    subscription: facts.subscription,
    upstream: facts.upstream,
    topic: facts.topic,
    event: d.event,
    id: d.id,
    idempotencyKey: d.key,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deadLetteredAt: facts.at,
    format,
  }
  return `${JSON.stringify(head).slice(0, -1)},"body":${d.body}}`
}
