/**
 * Prometheus metrics for one daemon, in its own registry (never the global
 * one): the default process metrics, and every backchannel_* series listed
 * in docs/metrics.md. Metrics subscribe to events and read stats at scrape
 * time; nothing in the core imports prom-client.
 */
import { collectDefaultMetrics, Counter, Histogram, type Registry } from 'prom-client'
import type { Broker } from '../broker.ts'
import { accessMetrics } from './access-metrics.ts'
import { dynamicMetrics } from './dynamic-metrics.ts'
import { gatewayMetrics } from './gateway-metrics.ts'
import { OTHER } from './labels.ts'
import { reloadMetrics } from './reload-metrics.ts'
import { storeMetrics } from './store-metrics.ts'
import { sharedHistoryMetrics } from './shared-metrics.ts'
import type { SharedHistory } from '../shared/history.ts'
import { LATENCY_BUCKETS, upstreamMetrics } from './upstream-metrics.ts'
import { webhookMetrics } from './webhook-metrics.ts'
import type { Reloader } from '../reload/reloader.ts'
import type { Webhooks } from '../webhook/webhooks.ts'
import type { RefreshingKeySet } from '../access/key-set.ts'
import type { StateStore } from '../store/state-store.ts'

export const METRIC_PREFIX = 'backchannel_'

/**
 * prom-client's default metrics include three gauges named `…_total`, which
 * Prometheus reserves for counters (`promtool check metrics` rejects them).
 * We drop them; the same counts are the sums of `…_active_handles`,
 * `…_active_requests` and `…_active_resources`, which stay.
 */
export const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'].map((n) => METRIC_PREFIX + n)

/** Default metrics' names start with these (after the prefix). */
export const DEFAULT_METRIC_PREFIXES = ['process_', 'nodejs_'].map((p) => METRIC_PREFIX + p)

export interface Metrics {
  readonly registry: Registry
  /** Records one HTTP request; `route` is the route's pattern (undefined when no route matched). */
  observeRequest: (method: string, route: string | undefined, status: number, seconds: number) => void
  /** Records a connection closed unanswered because HTTP_MAX_CONNECTIONS were open. */
  connectionRefused: () => void
}

export interface MetricsOptions {
  version?: string
  /** Process and Node.js metrics (default true). */
  defaultMetrics?: boolean
  /** Webhook delivery, whose series are registered when given. */
  webhooks?: Webhooks
  /** Config reloads, whose series are registered when given. */
  reloader?: Reloader
  /** When the running config was first applied (ms since the epoch); now by default. */
  startedAtMs?: number
  /** The JWKS of `tokens.jwks`, whose reads are counted. */
  keySet?: RefreshingKeySet | null
  /** The durable store (STATE_DIR), whose failed writes are counted. */
  store?: StateStore | null
  /** Shared history (`sharedHistory`), whose link, leases and appends are shown. */
  shared?: SharedHistory | null
}

export function createMetrics (registry: Registry, broker: Broker, options: MetricsOptions = {}): Metrics {
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX })
    for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name)
  }
  upstreamMetrics(registry, broker)
  gatewayMetrics(registry, broker, options.version ?? '0.0.0')
  dynamicMetrics(registry, broker.dynamic)
  accessMetrics(registry, broker, options.keySet ?? null)
  if (options.webhooks !== undefined) webhookMetrics(registry, options.webhooks)
  if (options.store != null) storeMetrics(registry, options.store)
  if (options.shared != null) sharedHistoryMetrics(registry, options.shared)
  if (options.reloader !== undefined) reloadMetrics(registry, options.reloader, options.startedAtMs ?? Date.now())
  const registers = [registry]
  const requests = new Counter({ name: 'backchannel_http_requests_total', help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'] as const, registers })
  const seconds = new Histogram({ name: 'backchannel_http_request_duration_seconds', help: 'HTTP request time (for SSE, the stream\'s life)', labelNames: ['method', 'route'] as const, buckets: LATENCY_BUCKETS, registers })
  // The labelled children, by method, route and status: hashing the labels on every request costs more
  // than the samples. Bounded: methods are the HTTP parser's, routes the app's patterns, statuses few.
  const children = new Map<string, { count: ReturnType<typeof requests.labels>, time: ReturnType<typeof seconds.labels> }>()
  const refused = new Counter({ name: 'backchannel_http_connections_refused_total', help: 'HTTP connections closed unanswered because HTTP_MAX_CONNECTIONS were open', registers })
  return {
    registry,
    connectionRefused () { refused.inc() },
    observeRequest (method, route, status, duration) {
      const key = `${method} ${route ?? OTHER} ${String(status)}`
      let child = children.get(key)
      if (child === undefined) {
        child = { count: requests.labels(method, route ?? OTHER, String(status)), time: seconds.labels(method, route ?? OTHER) }
        children.set(key, child)
      }
      child.count.inc()
      child.time.observe(duration)
    },
  }
}
