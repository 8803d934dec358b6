/**
 * The merged presence of one channel with `presence: true`, kept by the
 * core's PresenceSync (phoenix.js semantics): the channel's `presence_state`
 * and `presence_diff` messages are folded in here instead of going out as
 * they are, and each one becomes derived events with the diffs already
 * applied (see docs/presence.md):
 *
 *   presence_join   {key, current, joined}  one per key that gained metas
 *   presence_leave  {key, current, left}    one per key that lost metas
 *   presence_state  the whole merged state, after each `presence_state`
 *
 * `current` is the key's entry once that step is applied (null when the
 * key is gone), so a reader that sets the key to `current` on each join or
 * leave and replaces everything on each presence_state holds the same view.
 *
 * The join ref PresenceSync needs is a generation counted here: the
 * session already drops messages of stale joins, so all that matters is
 * that once the channel goes down, diffs wait (queued) for the state the
 * next join brings, and the view is not `synced` until then.
 */
import { PresenceSync, isPresenceDiff, isPresenceState, type PresenceEntry, type PresenceState } from '../../phoenix/presence.ts'

export type PresenceEventName = 'presence_join' | 'presence_leave' | 'presence_state'

/** A derived event: its name and its JSON data. */
export interface PresenceEvent {
  event: PresenceEventName
  data: string
}

export class PresenceView {
  readonly #sync: PresenceSync
  #generation = 0
  #out: PresenceEvent[] = []

  constructor () {
    this.#sync = new PresenceSync({
      onJoin: (key, current, joined) => {
        // The entry as it now is: the old metas the join does not replace, then the joined ones (as the core merges them).
        const joinedRefs = new Set(joined.metas.map((m) => m.phx_ref))
        const after: PresenceEntry = { ...joined, metas: [...(current?.metas ?? []).filter((m) => !joinedRefs.has(m.phx_ref)), ...joined.metas] }
        this.#emit('presence_join', { key, current: after, joined })
      },
      onLeave: (key, current, left) => {
        this.#emit('presence_leave', { key, current: current.metas.length === 0 ? null : current, left })
      },
    })
    this.#sync.setChannelJoinRef(String(this.#generation))
  }

  /**
   * Folds a channel message in. Returns the derived events when it was a
   * presence message (possibly none: a diff queued until the next state),
   * or null when it is not one and goes out as it is: another event, bytes,
   * or a payload without the shape of a presence message.
   */
  take (event: string, payload: unknown): PresenceEvent[] | null {
    if (payload instanceof Uint8Array) return null
    const channelJoinRef = String(this.#generation)
    this.#out = []
    if (event === 'presence_state' && isPresenceState(payload)) {
      this.#sync.handleState(payload, channelJoinRef)
      this.#emit('presence_state', this.state())
    } else if (event === 'presence_diff' && isPresenceDiff(payload)) {
      this.#sync.handleDiff(payload, channelJoinRef)
    } else {
      return null
    }
    const out = this.#out
    this.#out = []
    return out
  }

  /** The channel went down: the view waits for the state of the next join; diffs until then are queued. */
  down (): void {
    this.#sync.setChannelJoinRef(String(++this.#generation))
  }

  /** True when the view holds the state of the channel's current join (and no diff was lost). */
  get synced (): boolean {
    return !this.#sync.inPendingSyncState() && !this.#sync.needsState
  }

  /** The merged state: key → entry, in the core's key order. */
  state (): PresenceState {
    const out = Object.create(null) as PresenceState
    this.#sync.list((key, entry) => { out[key] = entry })
    return out
  }

  #emit (event: PresenceEventName, data: unknown): void {
    this.#out.push({ event, data: JSON.stringify(data) })
  }
}
