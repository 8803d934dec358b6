/**
 * The gateway's error classes (src/gateway/errors.ts) are written as the
 * problems clients already match on: the same status, code, message and
 * details, to the byte, and the Retry-After of each 503.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isBackchannelError } from '../../src/errors.ts'
import {
  AmbiguousTopicError, BadRequestError, ConfiguredTopicError, DrainingError, InternalError, NeverSentError, NotFoundError,
  PresenceOffError, PutJoinTimeoutError, SseLimitError, TooDeepError, TopicLimitError, TopicNotAllowedError, UnauthorizedError,
  UnknownTopicError,
} from '../../src/gateway/errors.ts'
import { toProblem } from '../../src/gateway/http/problem.ts'
import { NotJoinedError, TimeoutError } from '../../src/phoenix/errors.ts'

const cases: Array<[Error, number, string, string, unknown?]> = [
  [new BadRequestError('the body must be a JSON object with an event'), 400, 'BC_ERR_BAD_REQUEST', 'the body must be a JSON object with an event'],
  [new TooDeepError(512), 400, 'BC_ERR_TOO_DEEP', 'the body nests arrays and objects more than 512 levels deep'],
  [new UnauthorizedError(), 401, 'BC_ERR_UNAUTHORIZED', 'a valid bearer token is required'],
  [new NotFoundError('POST', '/v1/nowhere'), 404, 'BC_ERR_NOT_FOUND', 'no route POST /v1/nowhere'],
  [new UnknownTopicError('room:1', 'not_held'), 404, 'BC_ERR_UNKNOWN_TOPIC', 'topic "room:1" is not a configured channel nor a dynamic topic held now'],
  [new UnknownTopicError('room:1', 'not_allowed'), 404, 'BC_ERR_UNKNOWN_TOPIC', 'topic "room:1" is neither a configured channel nor allowed by a dynamic pattern'],
  [new UnknownTopicError('room:1', 'not_joined'), 404, 'BC_ERR_UNKNOWN_TOPIC', 'topic "room:1" is allowed but not joined now'],
  [new TopicNotAllowedError('x:1', undefined), 403, 'BC_ERR_TOPIC_NOT_ALLOWED', 'topic "x:1" matches no pattern of the dynamic allow-list'],
  [new TopicNotAllowedError('x:1', 'b'), 403, 'BC_ERR_TOPIC_NOT_ALLOWED', 'topic "x:1" on upstream "b" matches no pattern of the dynamic allow-list'],
  [new TopicLimitError('rooms', 2, 30000), 503, 'BC_ERR_TOPIC_LIMIT', '"rooms" holds its maxTopics (2) dynamic topics; retry when one is left'],
  [new SseLimitError(10, 2000), 503, 'BC_ERR_SSE_LIMIT', 'the gateway serves its sse.maxClients (10) streams; retry later'],
  [new ConfiguredTopicError('room:a', 'its params come from the config file'), 409, 'BC_ERR_CONFIGURED_TOPIC', 'topic "room:a" is a configured channel: its params come from the config file'],
  [new PresenceOffError('lobby'), 409, 'BC_ERR_PRESENCE_OFF', 'channel "lobby" does not keep presence: set presence: true in its config'],
  [new AmbiguousTopicError('room:a'), 400, 'BC_ERR_AMBIGUOUS_TOPIC', 'topic "room:a" is carried by several upstreams: name one with ?upstream='],
  [new DrainingError(), 503, 'BC_ERR_DRAINING', 'the sidecar is shutting down'],
  [new DrainingError('no reload'), 503, 'BC_ERR_DRAINING', 'the sidecar is shutting down: no reload'],
  [new InternalError('no client for upstream "b"'), 500, 'BC_ERR_INTERNAL', 'no client for upstream "b"'],
  [new PutJoinTimeoutError('room:z', 250), 503, 'BC_ERR_TIMEOUT', 'topic "room:z" was not joined within 250 ms; it stays wanted (PUT again for its state)'],
  [new NeverSentError(new NotJoinedError('room:q'), { code: 'BC_ERR_CONNECT', message: 'refused' }), 503, 'BC_ERR_NOT_JOINED', 'topic "room:q" is not joined',
    { lastError: { code: 'BC_ERR_CONNECT', message: 'refused' } }],
]

test('each gateway error is answered with its status, code, message and details, and nothing else', () => {
  for (const [err, status, code, message, details] of cases) {
    assert.ok(isBackchannelError(err))
    const problem = toProblem(err)
    assert.equal(problem.expected, true)
    assert.equal(problem.status, status, code)
    assert.equal(JSON.stringify(problem.body), JSON.stringify({ error: { code, message, ...(details === undefined ? {} : { details }) } }))
  }
})

test('a 503 names when to retry: the entry\'s linger or the SSE retry hint, in whole seconds, at least 1', () => {
  assert.equal(new TopicLimitError('rooms', 2, 30000).retryAfterSeconds, 30)
  assert.equal(new TopicLimitError('rooms', 2, 0).retryAfterSeconds, 1)
  assert.equal(new SseLimitError(10, 2500).retryAfterSeconds, 3)
  assert.equal(new SseLimitError(10, 0).retryAfterSeconds, 1)
})

test('a PUT whose join timed out is a TimeoutError of kind join, not sent', () => {
  const err = new PutJoinTimeoutError('room:z', 250)
  assert.ok(err instanceof TimeoutError)
  assert.equal(err.kind, 'join')
  assert.equal(err.sent, false)
  assert.equal(err.name, 'PutJoinTimeoutError')
})
