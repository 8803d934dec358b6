/**
 * Series of dynamic subscriptions, labelled by the allow-list entry's name
 * (never the topic, so the label set stays bounded whatever clients ask
 * for): topics held now, joins by trigger, leaves by reason, refusals.
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { DynamicTopics } from '../dynamic/registry.ts'
import { OTHER } from './labels.ts'

export function dynamicMetrics (registry: Registry, dynamic: DynamicTopics): void {
  const registers = [registry]
  const joins = new Counter({ name: 'backchannel_dynamic_joins_total', help: 'Dynamic topics taken on, by entry and trigger: put, sse, push', labelNames: ['entry', 'trigger'] as const, registers })
  const leaves = new Counter({ name: 'backchannel_dynamic_leaves_total', help: 'Dynamic topics given up, by entry and reason: deleted, linger, reload, server_closed, refused, join_failed, upstream_removed', labelNames: ['entry', 'reason'] as const, registers })
  const refusals = new Counter({ name: 'backchannel_dynamic_refusals_total', help: 'Dynamic joins refused, by entry and reason: not_allowed (entry "other"), limit (maxTopics reached)', labelNames: ['entry', 'reason'] as const, registers })
  dynamic.events.on('topic_added', (e) => { joins.inc({ entry: e.entry, trigger: e.trigger }) })
  dynamic.events.on('topic_removed', (e) => { leaves.inc({ entry: e.entry, reason: e.reason }) })
  dynamic.events.on('refused', (e) => { refusals.inc({ entry: e.entry ?? OTHER, reason: e.reason }) })
  // eslint-disable-next-line no-new -- registered in `registry`, read through it
  new Gauge({
    name: 'backchannel_dynamic_topics',
    help: 'Dynamic topics held now, by allow-list entry',
    labelNames: ['entry'] as const,
    registers,
    collect () {
      this.reset()
      for (const entry of dynamic.entries) this.set({ entry: entry.name }, dynamic.count(entry.name))
    },
  })
}
