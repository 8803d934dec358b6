/**
 * One JSON problem shape for every error response:
 *
 *   { "error": { "code": "BC_ERR_…", "message": "…", "details": … } }
 *
 * Our own errors (src/gateway/errors.ts and the client's) pass through with
 * their code, status, `details` and `retryAfterSeconds`; fastify's
 * validation, size and parse errors get stable codes of ours; anything else
 * is logged and answered with a generic 500 that reveals nothing.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isBackchannelError } from '../../errors.ts'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../phoenix/depth.ts'
import { JoinRefusedError } from '../../phoenix/errors.ts'
import type { ProblemFields } from '../errors.ts'
import { bodyUnread } from './limits.ts'

export interface Problem {
  error: { code: string, message: string, details?: unknown }
}

export const problemSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {},
      },
    },
  },
} as const

const FASTIFY_CODES: Record<string, { code: string, status: number }> = {
  FST_ERR_VALIDATION: { code: 'BC_ERR_BAD_REQUEST', status: 400 },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BC_ERR_PAYLOAD_TOO_LARGE', status: 413 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'BC_ERR_UNSUPPORTED_MEDIA_TYPE', status: 415 },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'BC_ERR_BAD_REQUEST', status: 400 },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BC_ERR_BAD_REQUEST', status: 400 },
  // A path segment longer than fastify's maxParamLength, or one that does not decode.
  FST_ERR_MAX_PARAM_LENGTH: { code: 'BC_ERR_BAD_REQUEST', status: 400 },
  FST_ERR_BAD_URL: { code: 'BC_ERR_BAD_REQUEST', status: 400 },
}

type ValidationError = NonNullable<FastifyError['validation']>[number]

const PART_WORDS: Readonly<Record<string, string>> = { body: 'field', querystring: 'query parameter', params: 'path parameter', headers: 'header' }

/** Ajv's errors in words that name each field: an unknown one (with the closest missing required one), a missing one, a wrong one. */
function validationMessage (errors: readonly ValidationError[], context: string): string {
  const word = PART_WORDS[context] ?? 'field'
  const missing = errors.filter((e) => e.keyword === 'required').map((e) => String((e.params as { missingProperty?: unknown }).missingProperty))
  // Unknown fields first: a misspelt one also shows up as the required field it was meant to be.
  const ordered = [...errors].sort((a, b) => Number(b.keyword === 'additionalProperties') - Number(a.keyword === 'additionalProperties'))
  const parts = ordered.map((e) => {
    const at = `${context}${e.instancePath}`
    if (e.keyword === 'additionalProperties') {
      const name = String((e.params as { additionalProperty?: unknown }).additionalProperty)
      const close = missing.find((m) => closeEnough(name, m))
      return `${at} has an unknown ${word} "${name}"${close === undefined ? '' : ` (did you mean "${close}"?)`}`
    }
    if (e.keyword === 'required') return `${at} is missing the required ${word} "${String((e.params as { missingProperty?: unknown }).missingProperty)}"`
    return `${at} ${e.message ?? 'is invalid'}`
  })
  return parts.join('; ')
}

/** True when `a` and `b` differ by at most a third of their letters (edit distance), e.g. evnt and event. */
function closeEnough (a: string, b: string): boolean {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return (row[b.length] ?? 0) <= Math.max(1, Math.floor(b.length / 3))
}

/** The media types a route's body schema accepts (`content` keys), JSON alone for a plain body schema. */
function acceptedTypes (request: FastifyRequest): string[] {
  const body = (request.routeOptions.schema as { body?: { content?: Record<string, unknown> } } | undefined)?.body
  return body?.content === undefined ? ['application/json'] : Object.keys(body.content)
}

export function toProblem (err: FastifyError | Error, accepted: readonly string[] = ['application/json']): { status: number, body: Problem, expected: boolean } {
  if (isBackchannelError(err)) {
    // A refused join passes the server's reason on, as a 422 passes the channel's reply.
    const given = (err as ProblemFields).details ?? (err instanceof JoinRefusedError ? { response: err.response } : undefined)
    // Details may hold a peer's reply: one nested too deep to be written as JSON is left out.
    const details = given !== undefined && nestedDeeperThan(given, MAX_JSON_DEPTH) ? undefined : given
    return { status: err.statusCode, body: { error: { code: err.code, message: err.message, ...(details === undefined ? {} : { details }) } }, expected: true }
  }
  const code = (err as Partial<FastifyError>).code
  const known = code === undefined ? undefined : FASTIFY_CODES[code]
  if (known !== undefined) {
    const validation = (err as Partial<FastifyError>).validation
    if (code === 'FST_ERR_VALIDATION' && validation !== undefined && validation.length > 0) {
      return { status: known.status, body: { error: { code: known.code, message: validationMessage(validation, (err as Partial<FastifyError>).validationContext ?? 'body') } }, expected: true }
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return { status: known.status, body: { error: { code: known.code, message: `the body's content type is not accepted here; send ${accepted.join(' or ')}`, details: { accepted } } }, expected: true }
    }
    return { status: known.status, body: { error: { code: known.code, message: err.message } }, expected: true }
  }
  if (err instanceof SyntaxError) {
    return { status: 400, body: { error: { code: 'BC_ERR_BAD_REQUEST', message: 'the request body is not valid JSON' } }, expected: true }
  }
  // Any other client error, fastify's own (FST_ERR_…) or the body reader's (aborted, short): our shape, never fastify's.
  const status = (err as Partial<FastifyError>).statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    const message = typeof code === 'string' && code.startsWith('FST_ERR_') ? err.message : 'the request body could not be read'
    return { status: 400, body: { error: { code: 'BC_ERR_BAD_REQUEST', message } }, expected: true }
  }
  return { status: 500, body: { error: { code: 'BC_ERR_INTERNAL', message: 'internal error' } }, expected: false }
}

/** The code of each problem answered, by request: the request's log line names it. */
const answered = new WeakMap<object, string>()

/** The BC_ERR_ code a request (its raw IncomingMessage) was answered with, if it was a problem. */
export function problemCodeOf (raw: object): string | undefined {
  return answered.get(raw)
}

export async function sendProblem (reply: FastifyReply, request: FastifyRequest, err: Error): Promise<FastifyReply> {
  const { status, body, expected } = toProblem(err, acceptedTypes(request))
  answered.set(request.raw, body.error.code)
  if (!expected) request.log.error({ err }, 'unexpected error')
  const retryAfter = (err as ProblemFields).retryAfterSeconds
  if (status === 503 || (status === 429 && retryAfter !== undefined)) reply.header('retry-after', String(retryAfter ?? 1))
  // Answered before its body was read (401, 413, 415, a 404 on a POST…): the connection is closed after the answer,
  // so a client still trickling the body cannot keep it open.
  if (bodyUnread(request.raw)) reply.header('connection', 'close')
  return reply.code(status).type('application/json').send(body)
}
