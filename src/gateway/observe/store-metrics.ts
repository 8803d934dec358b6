/**
 * Series of the durable store (STATE_DIR): writes that failed by operation
 * (what they would have kept is in memory only), and whether writes
 * succeed now.
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { StateStore } from '../store/state-store.ts'

const OPS = ['outbox_add', 'outbox_remove', 'ring_append', 'commit'] as const

export function storeMetrics (registry: Registry, store: StateStore): void {
  const registers = [registry]
  const errors = new Counter({ name: 'backchannel_store_write_errors_total', help: 'Writes to the durable store that failed (disk full, I/O error), by operation: what they would have kept is held in memory only', labelNames: ['op'] as const, registers })
  for (const op of OPS) errors.inc({ op }, 0)
  const healthy = new Gauge({ name: 'backchannel_store_healthy', help: '1 while writes to the durable store succeed, 0 from a failed write until one succeeds again', registers })
  healthy.set(1)
  store.events.on('write_error', (e) => { errors.inc({ op: e.op }) })
  store.events.on('failing', () => { healthy.set(0) })
  store.events.on('recovered', () => { healthy.set(1) })
}
