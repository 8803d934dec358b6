/**
 * What the gateway process holds, read from outside it: RSS and open file
 * descriptors from /proc, event-loop lag from its own /metrics (prom-client's
 * default metrics, sampled by a histogram since start-up, so the figure is
 * the p99 over the process's life so far, and the max).
 */
import { readdir } from 'node:fs/promises'
import { rssBytes } from '../lib/proc.ts'

export interface ResourceSample {
  label: string
  atSec: number
  rssMb: number
  /** V8 heap in use (not forced to collect first), MB. */
  heapUsedMb: number | null
  fds: number
  lagP99Ms: number | null
  lagMaxMs: number | null
  sseStreams: number | null
}

/** The sum of a metric's series (over every label set), or null when it has none. */
function metric (text: string, name: string): number | null {
  let sum: number | null = null
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'gm'))) sum = (sum ?? 0) + Number(m[1])
  return sum
}

export async function sample (label: string, pid: number, base: string, startedAt: number): Promise<ResourceSample> {
  const rss = await rssBytes(pid)
  const fds = (await readdir(`/proc/${pid}/fd`)).length
  const text = await (await fetch(`${base}/metrics`)).text()
  const ms = (v: number | null): number | null => (v === null ? null : v * 1000)
  const mb = (v: number | null): number | null => (v === null ? null : v / 2 ** 20)
  return {
    label,
    atSec: Math.round((performance.now() - startedAt) / 1000),
    rssMb: rss / 2 ** 20,
    heapUsedMb: mb(metric(text, 'backchannel_nodejs_heap_size_used_bytes')),
    fds,
    lagP99Ms: ms(metric(text, 'backchannel_nodejs_eventloop_lag_p99_seconds')),
    lagMaxMs: ms(metric(text, 'backchannel_nodejs_eventloop_lag_max_seconds')),
    sseStreams: metric(text, 'backchannel_sse_subscribers'),
  }
}
