/**
 * The composition root: `createDaemon(config, deps)` builds the upstream
 * clients, the hub, the gateway and the HTTP app. It never reads
 * process.env, installs no signal handlers and never exits: the CLI does
 * that. `reload()` loads the config again with `deps.load` (the start-up
 * loader) and applies the difference; with `CONFIG_FILE` set and
 * `CONFIG_WATCH` on, a change of the file's content does the same.
 * `close()` is the shutdown sequence, inside one budget (SHUTDOWN_GRACE_MS,
 * split by `drainPlan`), and resolves with what it cut:
 *
 *  1. readiness goes false and new pushes and SSE streams get 503;
 *  2. every SSE stream ends at once with a final `shutdown` event (last id,
 *     retry);
 *  3. in-flight pushes and PUT joins get their own outcome until the cut
 *     time, then 503/504 BC_ERR_DRAIN_CUT; meanwhile webhook sinks drain:
 *     attempts in flight finish, what is left goes to the dead letter;
 *  4. the HTTP server closes (connections still open are closed);
 *  5. channels are left and sockets closed with 1000, in the last reserve.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import { ConfigError } from './config/errors.ts'
import type { Config } from './config/types.ts'
import { drainPlan, type DrainPlan, type DrainReport, type DrainStep } from './drain.ts'
import { Broker } from './broker.ts'
import { buildHttpApp } from './http/app.ts'
import { newEpoch } from './hub/event-id.ts'
import { Hub } from './hub/hub.ts'
import { observeHttp } from './observe/http-observer.ts'
import { logClientEvents, logBrokerEvents } from './observe/log-events.ts'
import { componentLogger } from './observe/logger.ts'
import { createMetrics } from './observe/metrics.ts'
import { logReloads } from './observe/reload-log.ts'
import { logWebhookEvents } from './observe/webhook-log.ts'
import { logKeySet } from './observe/access-log.ts'
import { applyDiff } from './reload/apply.ts'
import type { ConfigDiff } from './reload/diff.ts'
import { startKeepAlive } from './readers.ts'
import { Reloader, type ReloadTrigger } from './reload/reloader.ts'
import { watchConfigFile, type ConfigWatcher } from './reload/watch.ts'
import { createUpstreamClient, type ResolveSource } from './upstream-client.ts'
import { Webhooks } from './webhook/webhooks.ts'
import { logStoreEvents } from './observe/store-log.ts'
import { logSharedHistoryEvents } from './observe/shared-log.ts'
import type { StateStore } from './store/state-store.ts'
import type { SharedHistory } from './shared/history.ts'
import { hostname } from 'node:os'

/** How long past its stop time the webhook drain may take to write its last dead letters, ms. */
const WEBHOOK_CLOSE_SLACK_MS = 100
/** How often the durable store is swept for topics past their retention (STORED_TOPIC_RETENTION_MS, a day). */
const STORED_TOPIC_SWEEP_MS = 10 * 60 * 1000

export interface DaemonDeps {
  logger: FastifyBaseLogger
  /** Reads a param or token source at each connect. */
  resolve: ResolveSource
  /** Loads the configuration again for a reload (the start-up loader); without it, reload() fails with ConfigError. */
  load?: () => Promise<Config>
  /** Metrics registry; a fresh one by default (never the global one). */
  registry?: Registry
  version?: string
  /** Wall clock, ms. */
  now?: () => number
  random?: () => number
}

export interface Daemon {
  readonly app: FastifyInstance
  readonly broker: Broker
  readonly registry: Registry
  readonly webhooks: Webhooks
  readonly reloader: Reloader
  /** History shared with the other replicas on Redis (`sharedHistory`), or null. */
  readonly shared: SharedHistory | null
  /** Listens, starts the upstreams and the config file watch; resolves with the address. */
  start: () => Promise<string>
  /** Applies the config file as it is now; resolves with what changed, throws ConfigError (the running config kept) when it is invalid. */
  reload: (trigger?: ReloadTrigger) => Promise<ConfigDiff>
  /** The shutdown sequence; resolves within the configured grace, whatever happens, with what it cut. Idempotent. */
  close: () => Promise<DrainReport>
}

export async function createDaemon (config: Config, deps: DaemonDeps): Promise<Daemon> {
  const now = deps.now ?? Date.now
  const registry = deps.registry ?? new Registry()
  const store = await openStore(config, () => newEpoch(now(), deps.random ?? Math.random))
  const hub = new Hub(config.channels, {
    epoch: store?.epoch ?? newEpoch(now(), deps.random ?? Math.random),
    now,
    topicBufferBytes: config.sse.topicBufferBytes,
    ...(store === null ? {} : { store }),
  })
  // Before the broker joins anything: every topic the hub holds is carried from its first message.
  const shared = config.sharedHistory === undefined
    ? null
    // Loaded only when configured: the Redis client and the shared-history modules cost an idle sidecar memory.
    : await (await import('./shared/history.ts')).SharedHistory.open(hub, { settings: config.sharedHistory, replicaId: config.env.replicaId ?? hostname(), now, random: deps.random ?? Math.random, resolve: deps.resolve })
  const upstreamLog = componentLogger(deps.logger, 'upstream')
  const broker = new Broker(config, hub, (u) => createUpstreamClient(u, deps.resolve))
  for (const [name, client] of broker.clients) logClientEvents(upstreamLog, name, client)
  broker.upstreams.events.on('client_added', (e) => { logClientEvents(upstreamLog, e.upstream, e.client) })
  const watchSecrets = config.env.configWatch === false ? {} : { watchSecrets: { debounceMs: config.env.configWatchDebounceMs ?? 500 } }
  const webhooks = new Webhooks(hub, { clients: broker.clients, resolve: deps.resolve, random: deps.random ?? Math.random, now, ...watchSecrets, ...(store === null ? {} : { outbox: store.outbox }) })
  let keepAlive: NodeJS.Timeout | undefined
  // The store forgets topics no longer held after their retention: looked for at start, then every 10 minutes.
  const forgetTopics = store === null ? undefined : setInterval(() => { hub.forgetUnheldTopics() }, STORED_TOPIC_SWEEP_MS).unref()
  hub.forgetUnheldTopics()
  let watcher: ConfigWatcher | undefined
  let closing: Promise<DrainReport> | null = null
  const load = deps.load ?? (async () => { throw new ConfigError(['the daemon was started without a config loader: nothing to reload from'], { heading: 'cannot reload' }) })
  const reloader = new Reloader({
    load,
    current: () => broker.config,
    apply: async (diff, next) => applyDiff({
      broker,
      webhooks,
      onSettings: (applied) => {
        if (keepAlive === undefined || closing !== null) return
        clearInterval(keepAlive)
        keepAlive = startKeepAlive(broker.readers, applied.sse.keepAliveMs)
      },
    }, diff, next),
  })
  const version = deps.version ?? '0.0.0'
  const httpLog = componentLogger(deps.logger, 'http')
  // jose and its key set are loaded only when browser tokens are configured.
  const tokens = config.tokens === undefined ? null : await (await import('./access/verifier.ts')).createTokenVerifier(config.tokens, deps.resolve, now)
  if (tokens?.keySet != null) logKeySet(httpLog, tokens.keySet)
  const metrics = createMetrics(registry, broker, { version, webhooks, reloader, startedAtMs: now(), keySet: tokens?.keySet ?? null, store, shared })
  const app = await buildHttpApp({ broker, registry, logger: httpLog, version, verifier: tokens?.verifier ?? null, sharedLink: shared?.link ?? null, observe: (app) => { observeHttp(app, metrics) } })
  if (store !== null) logStoreEvents(componentLogger(deps.logger, 'store'), store)
  if (shared !== null) logSharedHistoryEvents(componentLogger(deps.logger, 'shared'), shared)
  logWebhookEvents(componentLogger(deps.logger, 'webhook'), webhooks)
  logBrokerEvents(componentLogger(deps.logger, 'hub'), componentLogger(deps.logger, 'sse'), broker)
  const configLog = componentLogger(deps.logger, 'config')
  logReloads(configLog, reloader)
  const reload = async (trigger: ReloadTrigger = 'call'): Promise<ConfigDiff> => reloader.reload(trigger)

  const shutdown = async (plan: DrainPlan): Promise<DrainReport> => {
    const overran: DrainStep[] = []
    let deadLettered = 0
    const onDeadLetter = (e: { reason: string }): void => { if (e.reason === 'shutdown') deadLettered++ }
    webhooks.events.on('dead_letter', onDeadLetter)
    reloader.close()
    watcher?.close()
    broker.drain()
    clearInterval(keepAlive)
    clearInterval(forgetTopics)
    // Readers end at once: they reconnect (to another pod) and resume while the rest drains.
    const streamsEnded = broker.readers.endAll('shutdown', { reason: 'shutdown' }, broker.config.sse.retryMs)
    // Leases are released now, so other replicas take the topics over at once; Redis is not waited for past the cut time.
    const sharedClosed = shared?.close(plan.cutAt) ?? Promise.resolve()
    const inFlightAtStart = broker.inFlight
    const webhooksDrained = webhooks.close(plan.webhooksBy)
    // In-flight pushes and PUT joins get their own outcome until `cutAt`, then BC_ERR_DRAIN_CUT.
    let workCut = 0
    if (!await settlesBy(broker.idle(), plan.cutAt)) {
      workCut = broker.cutWork()
    }
    // Idle keep-alive connections close now; a connection still open at `webhooksBy` (a request body
    // still trickling in) is closed then.
    const httpClosed = app.close()
    if (!await settlesBy(httpClosed, plan.webhooksBy)) {
      app.server.closeAllConnections()
      overran.push('http')
    }
    if (!await settlesBy(webhooksDrained, plan.webhooksBy + WEBHOOK_CLOSE_SLACK_MS)) overran.push('webhooks')
    if (!await settlesBy(broker.close(), plan.endAt)) overran.push('channels')
    await settlesBy(sharedClosed, plan.endAt)
    // Last: attempts that finished during the drain have removed their messages; what is left is kept for the next start.
    store?.close()
    webhooks.events.off('dead_letter', onDeadLetter)
    return { streamsEnded, inFlightAtStart, workCut, webhooksDeadLettered: deadLettered, overran, durationMs: Math.round(performance.now() - plan.startedAt) }
  }

  return {
    app,
    broker,
    registry,
    webhooks,
    reloader,
    shared,
    reload,
    async start () {
      await webhooks.start()
      // The JWKS is read before the first request (bounded by tokens.jwksTimeoutMs); a failure is logged and retried on use.
      await tokens?.keySet?.start()
      const address = await app.listen({ port: config.env.port, host: config.env.host })
      broker.start()
      keepAlive = startKeepAlive(broker.readers, broker.config.sse.keepAliveMs)
      const file = config.env.configFile
      if (file !== null && config.env.configWatch !== false && deps.load !== undefined) {
        watcher = await watchConfigFile(file, {
          debounceMs: config.env.configWatchDebounceMs ?? 500,
          onChange: () => { reload('watch').catch(() => undefined) }, // logged and counted by the reloader's observers
          onUnchanged: () => { configLog.debug({ file }, 'config folder changed, file content did not: nothing to reload') },
          onError: (err) => { configLog.error({ err, file }, 'config file watch stopped; SIGHUP still reloads') },
        })
      }
      return address
    },
    async close () {
      closing ??= shutdown(drainPlan(performance.now(), config.env.shutdownGraceMs))
      return closing
    },
  }
}

/** The durable store of STATE_DIR, or null without one; one that cannot be opened stops the start with the reason. */
async function openStore (config: Config, epoch: () => string): Promise<StateStore | null> {
  const dir = config.env.stateDir ?? null
  if (dir === null) return null
  // Loaded only with a STATE_DIR, as the shared history above: an idle sidecar without one does not carry SQLite.
  const { SqliteStore } = await import('./store/sqlite-store.ts')
  try {
    return new SqliteStore({ dir, maxBytes: config.env.stateMaxBytes ?? 268_435_456, sync: config.env.stateSync ?? 'normal', newEpoch: epoch })
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new ConfigError([`STATE_DIR: cannot open the store in ${dir}: ${reason}${/locked|busy/i.test(reason) ? ' (another sidecar uses this folder)' : ''}`], { heading: 'cannot start' })
  }
}

/** True when `promise` settles (either way) before `at` (a performance.now() time); false once `at` has passed. */
async function settlesBy (promise: Promise<unknown>, at: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => { resolve(false) }, Math.max(0, at - performance.now())) })
  try {
    return await Promise.race([promise.then(() => true, () => true), late])
  } finally {
    clearTimeout(timer)
  }
}
