/**
 * The fastify SSE floor: the SSE floor (floor-feed.ts: phoenix.js on topic
 * `room:fastify-floor` of the fake server at `--endpoint`, the broker's
 * back-pressure rule) served by a bare fastify app instead of plain
 * node:http. The same fastify as the gateway, with the gateway's server
 * options that shape a connection and a request (http/limits.ts at their
 * defaults, the request-id header), and its one route taking the response
 * over as the gateway's SSE routes do (`startSseResponse`: hijack, fastify's
 * response listener let go, the SSE headers, `ready`). No logger, no hooks,
 * no schemas: the least a stream costs on the gateway's stack.
 *
 * GET /events on the listening address. Commands: cpu, mem, `streams`, close.
 */
import { fastify } from 'fastify'
import { HTTP_LIMIT_DEFAULTS } from '../../src/gateway/config/env.ts'
import { serverOptions } from '../../src/gateway/http/limits.ts'
import { startSseResponse } from '../../src/gateway/http/sse/stream-request.ts'
import { FLOOR_READY, addReader, joinFeed, serveFloor } from './floor-feed.ts'

// Its own topic: the fan-out phase's broadcasts to `room:floor` do not reach it.
await joinFeed('floor-fastify-sse', 'room:fastify-floor')

const app = fastify({ logger: false, ...serverOptions(HTTP_LIMIT_DEFAULTS), requestIdHeader: 'x-request-id' })
// Not async, as the gateway's SSE routes: the reply is hijacked and nothing is returned.
app.get('/events', (_request, reply) => { addReader(startSseResponse(reply, FLOOR_READY)) })
const base = await app.listen({ port: 0, host: '127.0.0.1' })

await serveFloor(base, async () => { await app.close() })
