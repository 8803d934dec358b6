/**
 * Series of config reloads: how many by result, whether the last one
 * succeeded, and when the running config was last applied (start-up
 * counts), as Prometheus itself reports its own reloads.
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Reloader, ReloadResult } from '../reload/reloader.ts'

const RESULTS: readonly ReloadResult[] = ['ok', 'invalid', 'error']

export function reloadMetrics (registry: Registry, reloader: Reloader, startedAtMs: number): void {
  const registers = [registry]
  const reloads = new Counter({ name: 'backchannel_config_reloads_total', help: 'Config reloads by result: ok (applied), invalid (the file or environment was refused; the running config is kept), error (failed while applying)', labelNames: ['result'] as const, registers })
  for (const result of RESULTS) reloads.inc({ result }, 0)
  const successful = new Gauge({ name: 'backchannel_config_last_reload_successful', help: '1 when the last reload was applied (or none was tried), 0 when it was refused or failed', registers })
  const lastSuccess = new Gauge({ name: 'backchannel_config_last_reload_success_timestamp_seconds', help: 'When the running config was applied: start-up, or the last successful reload (Unix time, seconds)', registers })
  successful.set(1)
  lastSuccess.set(startedAtMs / 1000)
  reloader.events.on('reload', (e) => {
    reloads.inc({ result: e.result })
    successful.set(e.result === 'ok' ? 1 : 0)
    if (e.result === 'ok') lastSuccess.set(Date.now() / 1000)
  })
}
