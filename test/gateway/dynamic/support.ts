/**
 * Helpers for the dynamic-subscription tests: an allow-list entry with the
 * defaults the config file would give, PUT and DELETE over real HTTP, the
 * channel list, the join params the fake server received, and the
 * gateway's dynamic events.
 */
import assert from 'node:assert/strict'
import type { DynamicConfig } from '../../../src/gateway/config/types.ts'
import type { DynamicEvents } from '../../../src/gateway/dynamic/registry.ts'
import { http, REQUEST_DEADLINE_MS, type Gw, type HttpResult } from '../http/support.ts'
import { nextEvent } from '../../helpers/wait.ts'

export function dynamicEntry (pattern: string, over: Partial<DynamicConfig> = {}): DynamicConfig {
  return { name: pattern, pattern, upstream: 'main', params: {}, lingerMs: 30_000, maxTopics: 100, replay: 100, presence: false, ...over }
}

export async function put (gw: Gw, topic: string, body?: unknown): Promise<HttpResult> {
  return http(gw.base, `/v1/channels/${encodeURIComponent(topic)}`, { method: 'PUT', ...(body === undefined ? {} : { json: body }) })
}

export async function del (gw: Gw, topic: string, query = ''): Promise<HttpResult> {
  return http(gw.base, `/v1/channels/${encodeURIComponent(topic)}${query}`, { method: 'DELETE' })
}

export interface View { name: string, topic: string, upstream: string, origin: string, state: string, subscribers: number, required: boolean }

/** GET /v1/channels as topic → view. */
export async function listed (gw: Gw): Promise<Map<string, View>> {
  const res = await http(gw.base, '/v1/channels')
  assert.equal(res.status, 200)
  return new Map((res.json as { channels: View[] }).channels.map((c) => [c.topic, c]))
}

/** The payload of the next phx_join the fake server receives for `topic`. Subscribe before causing it. */
export async function nextJoinParams (gw: Gw, topic: string): Promise<unknown> {
  const frame = await gw.phoenix.waitFor('frame', (f) => f.message.event === 'phx_join' && f.message.topic === topic, REQUEST_DEADLINE_MS)
  return frame.message.payload
}

/** The next dynamic event `name` matching `predicate`; rejects after the deadline. Subscribe before causing it. */
export async function nextDynamic<K extends keyof DynamicEvents> (gw: Gw, name: K, predicate: (e: DynamicEvents[K][0]) => boolean = () => true): Promise<DynamicEvents[K][0]> {
  return nextEvent(gw.daemon.broker.dynamic.events, name, predicate, REQUEST_DEADLINE_MS)
}
