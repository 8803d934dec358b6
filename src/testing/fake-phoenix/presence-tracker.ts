/**
 * Server-side presence, as Phoenix.Presence on Phoenix.Tracker produces it
 * (reference B10): every tracked meta gets a `phx_ref` (URL-safe Base64 of
 * 12 random bytes); an update adds `phx_ref_prev` and shows as a join of the
 * new meta plus a leave of the old one. Diffs go out as `presence_diff`
 * broadcasts; `list(topic)` is the `presence_state` payload.
 */
import { randomBytes } from 'node:crypto'

export type Meta = Record<string, unknown>
export type PresenceMap = Record<string, { metas: Meta[] }>
export interface PresenceDiff { joins: PresenceMap, leaves: PresenceMap }

interface Entry { owner: object, meta: Meta }

export function newPhxRef (): string {
  return randomBytes(12).toString('base64url')
}

export class PresenceTracker {
  /** topic → key → phx_ref → entry, in insertion order. */
  readonly #topics = new Map<string, Map<string, Map<string, Entry>>>()
  readonly #broadcastDiff: (topic: string, diff: PresenceDiff) => void

  constructor (broadcastDiff: (topic: string, diff: PresenceDiff) => void) {
    this.#broadcastDiff = broadcastDiff
  }

  track (owner: object, topic: string, key: string, meta: Meta): string {
    const phxRef = newPhxRef()
    const full = { ...meta, phx_ref: phxRef }
    this.#keyEntries(topic, key).set(phxRef, { owner, meta: full })
    this.#broadcastDiff(topic, { joins: { [key]: { metas: [full] } }, leaves: {} })
    return phxRef
  }

  update (owner: object, topic: string, key: string, meta: Meta): void {
    const entries = this.#keyEntries(topic, key)
    const old = [...entries].find(([, e]) => e.owner === owner)
    if (old === undefined) {
      this.track(owner, topic, key, meta)
      return
    }
    const [oldRef, oldEntry] = old
    const phxRef = newPhxRef()
    const full = { ...meta, phx_ref: phxRef, phx_ref_prev: oldRef }
    entries.delete(oldRef)
    entries.set(phxRef, { owner, meta: full })
    this.#broadcastDiff(topic, { joins: { [key]: { metas: [full] } }, leaves: { [key]: { metas: [oldEntry.meta] } } })
  }

  untrack (owner: object, topic: string, key?: string): void {
    const keys = this.#topics.get(topic)
    if (keys === undefined) return
    const leaves: PresenceMap = {}
    for (const [k, entries] of keys) {
      if (key !== undefined && k !== key) continue
      for (const [ref, entry] of entries) {
        if (entry.owner !== owner) continue
        entries.delete(ref)
        ;(leaves[k] ??= { metas: [] }).metas.push(entry.meta)
      }
      if (entries.size === 0) keys.delete(k)
    }
    if (keys.size === 0) this.#topics.delete(topic)
    if (Object.keys(leaves).length > 0) this.#broadcastDiff(topic, { joins: {}, leaves })
  }

  list (topic: string): PresenceMap {
    const state: PresenceMap = {}
    for (const [key, entries] of this.#topics.get(topic) ?? []) {
      state[key] = { metas: [...entries.values()].map((e) => e.meta) }
    }
    return state
  }

  clear (): void {
    this.#topics.clear()
  }

  #keyEntries (topic: string, key: string): Map<string, Entry> {
    let keys = this.#topics.get(topic)
    if (keys === undefined) this.#topics.set(topic, (keys = new Map<string, Map<string, Entry>>()))
    let entries = keys.get(key)
    if (entries === undefined) keys.set(key, (entries = new Map<string, Entry>()))
    return entries
  }
}
