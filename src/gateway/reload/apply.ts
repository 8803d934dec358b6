/**
 * Applies a reload's diff to the running broker, in an order that never
 * strands a reader: what is gone is left first (its readers get a final
 * `channel_closed` event), then new upstreams connect, changed channels are
 * reconfigured (a new webhook in place, a resized ring keeping its newest
 * events, a rejoin for new params or presence), upstreams whose settings
 * changed get a new client that rejoins their channels (readers stay, and
 * see errored, gap, rejoined), and new channels are joined. Subscriptions
 * the diff does not name are not touched: their readers miss nothing.
 */
import { isDeepStrictEqual } from 'node:util'
import type { ChannelConfig, Config } from '../config/types.ts'
import type { Broker } from '../broker.ts'
import type { Subscription } from '../hub/subscription.ts'
import type { Webhooks } from '../webhook/webhooks.ts'
import { REJOIN_FIELDS, type ConfigDiff } from './diff.ts'

export interface ApplyTarget {
  broker: Broker
  webhooks: Webhooks
  /** File settings changed (keep-alive interval…): the daemon applies what it owns. */
  onSettings: (next: Config) => void
}

/** Applies `diff` (from the current config to `next`); resolves once channels are left and clients closed. Returns warnings. */
export async function applyDiff ({ broker, webhooks, onSettings }: ApplyTarget, diff: ConfigDiff, next: Config): Promise<string[]> {
  const { hub, upstreams } = broker
  const warnings: string[] = []
  const removedUpstreams = new Set(diff.upstreams.removed.map((u) => u.name))
  const replaced = new Set(diff.upstreams.changed.map((u) => u.name))
  const pending: Array<Promise<void>> = []
  const webhookOf = async (sub: Subscription, removed = false): Promise<void> => {
    await webhooks.update(sub, removed).catch((err: unknown) => {
      warnings.push(`channel ${sub.config.name}: its webhook was not started: ${err instanceof Error ? err.message : String(err)}`)
    })
  }
  broker.config = next

  const orphans: Subscription[] = [] // channels of removed upstreams: left as their client closes
  for (const c of diff.channels.removed) {
    const sub = hub.get(c.upstream, c.topic)
    if (sub === undefined || broker.dynamic.has(sub)) continue
    await webhookOf(sub, true)
    hub.remove(sub, 'removed_from_config', next.sse.retryMs)
    if (removedUpstreams.has(c.upstream)) orphans.push(sub)
    else pending.push(upstreams.leave(sub))
  }

  const { gone, kept } = broker.dynamic.update(next.dynamic)
  for (const sub of gone) pending.push(broker.dropDynamic(sub, removedUpstreams.has(sub.config.upstream) ? 'upstream_removed' : 'reload'))
  // An entry's new params and presence apply to topics joined from now on; ring size and traceField at once.
  for (const { sub, entry } of kept) {
    const { traceField: _old, ...rest } = sub.config
    sub.reconfigure({ ...rest, replay: entry.replay, ...(entry.traceField === undefined ? {} : { traceField: entry.traceField }) })
  }

  for (const u of diff.upstreams.removed) pending.push(upstreams.remove(u.name, orphans.filter((s) => s.config.upstream === u.name)))
  for (const u of diff.upstreams.added) upstreams.add(u).start()

  for (const change of diff.channels.changed) {
    const sub = hub.get(change.after.upstream, change.after.topic)
    if (sub === undefined) continue
    sub.reconfigure(change.after)
    if (change.fields.includes('webhook') || change.fields.includes('name')) await webhookOf(sub)
    if (!replaced.has(sub.config.upstream) && change.fields.some((f) => REJOIN_FIELDS.has(f))) upstreams.rejoin(sub)
  }

  for (const u of diff.upstreams.changed) pending.push(upstreams.replace(u, hub.all().filter((s) => s.config.upstream === u.name)))

  for (const c of diff.channels.added) await addChannel(broker, c, webhookOf)

  // A reload also rotates signing secrets whose file or variable changed while the config file did not.
  warnings.push(...await webhooks.reloadSecrets())
  onSettings(next)
  await Promise.all(pending)
  return warnings
}

/** A new configured channel; a dynamic topic it names becomes configured, keeping its readers. */
async function addChannel (broker: Broker, config: ChannelConfig, webhookOf: (sub: Subscription) => Promise<void>): Promise<void> {
  const held = broker.hub.get(config.upstream, config.topic)
  if (held === undefined) {
    const sub = broker.hub.add(config)
    broker.upstreams.join(sub)
    await webhookOf(sub)
    return
  }
  broker.dynamic.forget(held, 'reload')
  const rejoin = !isDeepStrictEqual(held.config.params, config.params) || (held.config.presence === true) !== (config.presence === true)
  held.reconfigure(config)
  await webhookOf(held)
  if (rejoin) broker.upstreams.rejoin(held)
}
