/**
 * Links, writers and keys for the shared-history tests, on a real
 * redis-server (redis-server.ts). Lease ttls are short so takeovers happen
 * in a fraction of a second; every wait is on an event or a deadline.
 */
import type { TestContext } from 'node:test'
import { randomUUID } from 'node:crypto'
import { RedisLink, type LinkState } from '../../src/gateway/shared/redis-link.ts'
import type { RedisConnectOptions } from '../../src/gateway/shared/config.ts'
import { topicKeys, type TopicKeys } from '../../src/gateway/shared/keys.ts'
import { SharedTopicWriter, type SharedTopicWriterOptions } from '../../src/gateway/shared/writer.ts'
import { within } from '../helpers/wait.ts'

export const TTL_MS = 300

export function plainConnect (url: string): RedisConnectOptions {
  return { url, tls: false, credentials: async () => ({}) }
}

export function openLink (t: TestContext, connect: RedisConnectOptions, commandTimeoutMs = 200): RedisLink {
  const link = new RedisLink({ connect, commandTimeoutMs, reconnectMinMs: 20, reconnectMaxMs: 100, name: 'test' })
  t.after(() => { link.close() })
  return link
}

/** Resolves when the link is in `state` (at once if it is). */
export async function linkState (link: RedisLink, state: LinkState, ms = 10_000): Promise<void> {
  await within<undefined>(ms, `link ${state}`, (resolve) => {
    if (link.state === state) { resolve(undefined); return undefined }
    const listener = (now: LinkState): void => { if (now === state) resolve(undefined) }
    link.on('state', listener)
    return () => { link.off('state', listener) }
  })
}

export function keysFor (topic: string): TopicKeys {
  return topicKeys('bc-test:', topic)
}

let epochs = 0
export function newEpoch (): string {
  return `e${(++epochs).toString(36)}${randomUUID().slice(0, 6)}`
}

export function makeWriter (t: TestContext, link: RedisLink, topic: string, replicaId: string, extra: Partial<SharedTopicWriterOptions> = {}): SharedTopicWriter {
  const writer = new SharedTopicWriter({
    link, keys: keysFor(topic), topic, replicaId, leaseTtlMs: TTL_MS, maxLen: 1000, dedupeWindowMs: 3 * TTL_MS, newEpoch, ...extra,
  })
  t.after(() => writer.stop({ release: false }))
  return writer
}

/** Resolves when `writer` next reports holding (or not holding) its lease. */
export async function holderChange (writer: SharedTopicWriter, holding: boolean, ms = 10_000): Promise<void> {
  await within<undefined>(ms, `lease ${holding ? 'acquired' : 'lost'}`, (resolve) => {
    const listener = (now: boolean): void => { if (now === holding) resolve(undefined) }
    writer.on('holder', listener)
    return () => { writer.off('holder', listener) }
  })
}

/** The first of `writers` to report holding its lease. */
export async function firstHolder (writers: readonly SharedTopicWriter[], ms = 10_000): Promise<SharedTopicWriter> {
  return within<SharedTopicWriter>(ms, 'a holder', (resolve) => {
    const listeners = writers.map((writer) => {
      const listener = (holding: boolean): void => { if (holding) resolve(writer) }
      writer.on('holder', listener)
      return () => { writer.off('holder', listener) }
    })
    return () => { for (const off of listeners) off() }
  })
}

/** Counts `link`'s script calls named `what` (one call is one round trip to Redis). */
export function countScriptCalls (link: RedisLink, what: string): { readonly count: number } {
  const counter = { count: 0 }
  const original = link.script.bind(link)
  link.script = async (name, script, keys, args) => {
    if (name === what) counter.count++
    return original(name, script, keys, args)
  }
  return counter
}
