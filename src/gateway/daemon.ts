/**
 * The composition root: `createDaemon(config, deps)` builds the upstream
 * clients, the hub, the gateway and the HTTP app. It never reads
 * process.env, installs no signal handlers and never exits: the CLI does
 * that. `close()` is the shutdown sequence, inside one deadline:
 *
 *  1. readiness goes false and new pushes and SSE streams get 503;
 *  2. in-flight pushes finish (or hit their own deadline);
 *  3. every SSE stream ends with a final `shutdown` event (last id, retry);
 *  4. webhook sinks drain: attempts in flight finish, what is left goes to
 *     the dead letter (the budget keeps a reserve for step 5);
 *  5. channels are left and sockets closed with 1000.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import type { Client } from '../client/client.ts'
import type { Config } from './config/types.ts'
import { Gateway } from './gateway.ts'
import { buildHttpApp } from './http/app.ts'
import { startKeepAlive } from './http/routes/events.ts'
import { newEpoch } from './hub/event-id.ts'
import { Hub } from './hub/hub.ts'
import { observeHttp } from './observe/http-observer.ts'
import { logClientEvents, logGatewayEvents } from './observe/log-events.ts'
import { componentLogger } from './observe/logger.ts'
import { createMetrics } from './observe/metrics.ts'
import { logWebhookEvents } from './observe/webhook-log.ts'
import { createUpstreamClient, type ResolveSource } from './upstream.ts'
import { Webhooks } from './webhook/webhooks.ts'

/** Time kept for leaving channels and closing sockets after the webhook drain, ms. */
const LEAVE_RESERVE_MS = 2000

export interface DaemonDeps {
  logger: FastifyBaseLogger
  /** Reads a param or token source at each connect. */
  resolve: ResolveSource
  /** Metrics registry; a fresh one by default (never the global one). */
  registry?: Registry
  version?: string
  /** Wall clock, ms. */
  now?: () => number
  random?: () => number
}

export interface Daemon {
  readonly app: FastifyInstance
  readonly gateway: Gateway
  readonly registry: Registry
  readonly webhooks: Webhooks
  /** Listens and starts the upstreams; resolves with the address. */
  start: () => Promise<string>
  /** The shutdown sequence; resolves within the configured grace, whatever happens. Idempotent. */
  close: () => Promise<void>
}

export async function createDaemon (config: Config, deps: DaemonDeps): Promise<Daemon> {
  const now = deps.now ?? Date.now
  const registry = deps.registry ?? new Registry()
  const hub = new Hub(config.channels, { epoch: newEpoch(now(), deps.random ?? Math.random), now })
  const clients = new Map<string, Client>(config.upstreams.map((u) => [u.name, createUpstreamClient(u, deps.resolve)]))
  const gateway = new Gateway(config, hub, clients)
  const webhooks = new Webhooks(hub, { clients, resolve: deps.resolve, random: deps.random ?? Math.random, now })
  const version = deps.version ?? '0.0.0'
  const app = await buildHttpApp({ gateway, registry, logger: componentLogger(deps.logger, 'http'), version })
  observeHttp(app, createMetrics(registry, gateway, { version, webhooks }))
  logWebhookEvents(componentLogger(deps.logger, 'webhook'), webhooks)
  for (const [name, client] of clients) logClientEvents(componentLogger(deps.logger, 'upstream'), name, client)
  logGatewayEvents(componentLogger(deps.logger, 'hub'), componentLogger(deps.logger, 'sse'), gateway)
  let keepAlive: NodeJS.Timeout | undefined
  let closing: Promise<void> | null = null

  const shutdown = async (deadline: number): Promise<void> => {
    gateway.drain()
    await gateway.idle()
    for (const stream of gateway.sseStreams) stream.end('shutdown', { reason: 'shutdown' }, config.sse.retryMs)
    clearInterval(keepAlive)
    await app.close()
    await webhooks.close(deadline - Math.min(LEAVE_RESERVE_MS, config.env.shutdownGraceMs / 5))
    await gateway.close()
  }

  return {
    app,
    gateway,
    registry,
    webhooks,
    async start () {
      await webhooks.start()
      const address = await app.listen({ port: config.env.port, host: config.env.host })
      gateway.start()
      keepAlive = startKeepAlive(gateway, config.sse.keepAliveMs)
      return address
    },
    async close () {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined
        const end = performance.now() + config.env.shutdownGraceMs
        const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, config.env.shutdownGraceMs) })
        try {
          await Promise.race([shutdown(end), deadline])
        } finally {
          clearTimeout(timer)
        }
      })()
      return closing
    },
  }
}
