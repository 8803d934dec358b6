/**
 * One JSON problem shape for every error response:
 *
 *   { "error": { "code": "BC_ERR_…", "message": "…", "details": … } }
 *
 * Our own errors pass through with their code and status; fastify's
 * validation, size and parse errors get stable codes of ours; anything else
 * is logged and answered with a generic 500 that reveals nothing.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { BackchannelError, isBackchannelError } from '../../errors.ts'
import { JoinRefusedError } from '../../phoenix/errors.ts'
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

/** Errors raised by the HTTP layer itself. */
export class HttpError extends BackchannelError {
  readonly details: unknown
  constructor (code: string, statusCode: number, message: string, details?: unknown) {
    super(code, message, { statusCode })
    this.details = details
  }
}

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

export function toProblem (err: FastifyError | Error): { status: number, body: Problem, expected: boolean } {
  if (isBackchannelError(err)) {
    // A refused join passes the server's reason on, as a 422 passes the channel's reply.
    const details = (err as { details?: unknown }).details ?? (err instanceof JoinRefusedError ? { response: err.response } : undefined)
    return { status: err.statusCode, body: { error: { code: err.code, message: err.message, ...(details === undefined ? {} : { details }) } }, expected: true }
  }
  const code = (err as Partial<FastifyError>).code
  const known = code === undefined ? undefined : FASTIFY_CODES[code]
  if (known !== undefined) {
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
  const { status, body, expected } = toProblem(err)
  answered.set(request.raw, body.error.code)
  if (!expected) request.log.error({ err }, 'unexpected error')
  const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds
  if (status === 503) reply.header('retry-after', String(retryAfter ?? 1))
  // Answered before its body was read (401, 413, 415, a 404 on a POST…): the connection is closed after the answer,
  // so a client still trickling the body cannot keep it open.
  if (bodyUnread(request.raw)) reply.header('connection', 'close')
  return reply.code(status).type('application/json').send(body)
}
