/**
 * Client-side Phoenix Presence (protocol reference B10): folds the
 * `presence_state` and `presence_diff` payloads a channel receives into a
 * local view of who is present. Results and onJoin/onLeave calls equal
 * phoenix.js's `Presence.syncState` / `syncDiff` / `list` on the same inputs
 * (a differential test checks this against phoenix.js itself).
 *
 * Pure: no I/O and no clocks. The functions never modify what the caller
 * passed in; they work on copies and return a new state.
 *
 * Every object keyed by presence key (a state, a diff's `joins`/`leaves`) is
 * a null-prototype object, as in phoenix.js since 1.8.9, so keys such as
 * "__proto__" or "constructor" (chosen by the server app) are plain keys.
 *
 * Deliberate differences from phoenix.js, none of which changes a result:
 * phoenix.js's `syncState` rewrites the `metas` of entries in the `newState`
 * it is given and its `syncDiff` edits the state it is given in place; ours
 * do neither. `PresenceSync` bounds its queue of early diffs (phoenix.js does
 * not), and takes the channel's join ref as an argument instead of reading it
 * from a channel.
 */

/**
 * One tracked presence of a key (one tab, one device): the app's fields plus
 * `phx_ref`, unique per tracked presence, and after an update `phx_ref_prev`,
 * the `phx_ref` it replaced.
 */
export interface PresenceMeta {
  phx_ref: string
  phx_ref_prev?: string
  [field: string]: unknown
}

/**
 * Everything known about one key (a user id...): its metas, oldest first, and
 * any sibling fields the server app added next to `metas` (Presence `fetch/2`).
 */
export interface PresenceEntry {
  metas: PresenceMeta[]
  [field: string]: unknown
}

/** Presence key → entry. A null-prototype object when this module made it. */
export type PresenceState = Record<string, PresenceEntry>

/**
 * A `presence_diff` payload: entries whose metas joined and entries whose
 * metas left. An update of a presence is a join of the new meta (with
 * `phx_ref_prev`) plus a leave of the old one.
 */
export interface PresenceDiff {
  joins: PresenceState
  leaves: PresenceState
}

/**
 * Called once per key in a diff's `joins`, after the join is applied:
 * `current` is the entry as it was before (undefined for a new key),
 * `joined` the entry from the diff.
 */
export type PresenceOnJoin = (key: string, current: PresenceEntry | undefined, joined: PresenceEntry) => void

/**
 * Called once per key in a diff's `leaves` that the state holds, after the
 * left metas are removed: `current` is the entry after removal (its `metas`
 * may be empty; the key is then deleted), `left` the entry from the diff.
 * Leaves of keys the state does not hold are skipped without a call.
 */
export type PresenceOnLeave = (key: string, current: PresenceEntry, left: PresenceEntry) => void

/** A new, empty, null-prototype presence state. */
export function emptyPresenceState (): PresenceState {
  return Object.create(null) as PresenceState
}

/**
 * A deep copy through JSON. Presence data is JSON off the wire, so the copy
 * is exact; for odd values it behaves as phoenix.js does (it copies the same
 * way), e.g. fields holding `undefined` are dropped.
 */
function copyJson<T> (value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** A deep copy of a state, with a null-prototype top level. */
function copyState (state: Readonly<PresenceState>): PresenceState {
  const out = emptyPresenceState()
  for (const [key, entry] of Object.entries(copyJson(state))) out[key] = entry
  return out
}

/** The set of `phx_ref`s of some metas. */
function refsOf (metas: readonly PresenceMeta[]): Set<string> {
  return new Set(metas.map((meta) => meta.phx_ref))
}

/**
 * Applies a diff to a state this module owns, in place: joins first, then
 * leaves, as phoenix.js does. The diff is copied, so neither the state nor
 * the callbacks share objects with the caller's diff.
 */
function applyDiff (state: PresenceState, diff: Readonly<PresenceDiff>, onJoin?: PresenceOnJoin, onLeave?: PresenceOnLeave): PresenceState {
  const joins = copyState(diff.joins)
  const leaves = copyState(diff.leaves)
  for (const [key, joined] of Object.entries(joins)) {
    const current = state[key]
    const next = copyJson(joined)
    if (current !== undefined) {
      // Old metas the join does not replace stay, in front of the new ones.
      const joinedRefs = refsOf(next.metas)
      next.metas = [...current.metas.filter((meta) => !joinedRefs.has(meta.phx_ref)), ...next.metas]
    }
    state[key] = next
    onJoin?.(key, current, joined)
  }
  for (const [key, left] of Object.entries(leaves)) {
    const current = state[key]
    if (current === undefined) continue
    const leftRefs = refsOf(left.metas)
    current.metas = current.metas.filter((meta) => !leftRefs.has(meta.phx_ref))
    onLeave?.(key, current, left)
    if (current.metas.length === 0) Reflect.deleteProperty(state, key)
  }
  return state
}

/**
 * Applies a `presence_diff` to `state` and returns the new state (reference
 * B10 `sync_diff`). For each key in `joins`: the entry becomes the joined
 * entry, with the old metas it does not replace kept in front; then for each
 * key in `leaves` that the state holds: the metas whose `phx_ref` left are
 * removed, and the key is deleted when no metas remain.
 */
export function syncDiff (state: Readonly<PresenceState>, diff: Readonly<PresenceDiff>, onJoin?: PresenceOnJoin, onLeave?: PresenceOnLeave): PresenceState {
  return applyDiff(copyState(state), diff, onJoin, onLeave)
}

/**
 * Replaces `state` by a full `presence_state` and returns the new state
 * (reference B10 `sync_state`), calling onJoin/onLeave for what changed: it
 * computes the diff between the two (keys that vanished leave whole; metas
 * are compared by `phx_ref`) and applies it with `syncDiff`. An entry that
 * gained metas takes its sibling fields from `newState`; one that only lost
 * metas keeps its old ones.
 */
export function syncState (state: Readonly<PresenceState>, newState: Readonly<PresenceState>, onJoin?: PresenceOnJoin, onLeave?: PresenceOnLeave): PresenceState {
  const current = copyState(state)
  const incoming = copyState(newState)
  const joins = emptyPresenceState()
  const leaves = emptyPresenceState()
  for (const [key, entry] of Object.entries(current)) {
    if (!Object.hasOwn(incoming, key)) leaves[key] = entry
  }
  for (const [key, entry] of Object.entries(incoming)) {
    const old = current[key]
    if (old === undefined) {
      joins[key] = entry
      continue
    }
    const oldRefs = refsOf(old.metas)
    const newRefs = refsOf(entry.metas)
    const joined = entry.metas.filter((meta) => !oldRefs.has(meta.phx_ref))
    const left = old.metas.filter((meta) => !newRefs.has(meta.phx_ref))
    if (joined.length > 0) joins[key] = { ...entry, metas: joined }
    if (left.length > 0) leaves[key] = { ...old, metas: left }
  }
  return applyDiff(current, { joins, leaves }, onJoin, onLeave)
}

/** Chooses what `list` returns for one key. */
export type PresenceChooser<T> = (key: string, entry: PresenceEntry) => T

/**
 * The entries of a state in key order (JavaScript object order: integer-like
 * keys ascending, then the others in insertion order), or what `chooser`
 * makes of each. The entries are the state's own objects, not copies.
 */
export function list (state: Readonly<PresenceState>): PresenceEntry[]
export function list<T> (state: Readonly<PresenceState>, chooser: PresenceChooser<T>): T[]
export function list<T> (state: Readonly<PresenceState>, chooser?: PresenceChooser<T>): (T | PresenceEntry)[] {
  return Object.entries(state).map(([key, entry]) => chooser === undefined ? entry : chooser(key, entry))
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPresenceMeta (value: unknown): value is PresenceMeta {
  return isRecord(value) && typeof value['phx_ref'] === 'string' &&
    (value['phx_ref_prev'] === undefined || typeof value['phx_ref_prev'] === 'string')
}

function isPresenceEntry (value: unknown): value is PresenceEntry {
  if (!isRecord(value)) return false
  const metas: unknown = value['metas']
  return Array.isArray(metas) && (metas as unknown[]).every(isPresenceMeta)
}

/** Whether a payload has the shape of a `presence_state`. */
export function isPresenceState (value: unknown): value is PresenceState {
  return isRecord(value) && Object.values(value).every(isPresenceEntry)
}

/** Whether a payload has the shape of a `presence_diff`. */
export function isPresenceDiff (value: unknown): value is PresenceDiff {
  return isRecord(value) && isPresenceState(value['joins']) && isPresenceState(value['leaves'])
}

/** Callbacks and limits of a `PresenceSync`. */
export interface PresenceSyncOptions {
  onJoin?: PresenceOnJoin | undefined
  onLeave?: PresenceOnLeave | undefined
  /** Called after each state and after each diff applied (not when queued). */
  onSync?: (() => void) | undefined
  /** Most diffs held while waiting for a state (default 1,000). */
  maxPendingDiffs?: number | undefined
}

/**
 * What `handleDiff` did: `applied` to the state; `queued` until the next
 * state; `overflow`: the queue was full, so it was dropped with this diff and
 * a fresh state is needed (`needsState` is true until one arrives).
 */
export type DiffOutcome = 'applied' | 'queued' | 'overflow'

/** Default bound on the queue of diffs waiting for a state. */
export const DEFAULT_MAX_PENDING_DIFFS = 1000

/**
 * The presence view of one channel, as phoenix.js's `Presence` object keeps
 * it, without the channel: the caller hands in each `presence_state` and
 * `presence_diff` payload with the channel's current join ref.
 *
 * The join ref seen with the last state is recorded. Diffs that arrive
 * before any state, or while the channel's join ref differs from the
 * recorded one (the channel rejoined and its new state has not come yet),
 * are queued and applied in order right after the next state. The queue is
 * bounded: on overflow it is dropped and `needsState` turns true; the view
 * then cannot be trusted until a new state arrives, which the caller obtains
 * by rejoining the channel (the server app pushes `presence_state` after a
 * join). Diffs that arrive after the overflow are queued again.
 */
export class PresenceSync {
  #state: PresenceState = emptyPresenceState()
  #pending: PresenceDiff[] = []
  #syncedJoinRef: string | null = null
  #channelJoinRef: string | null = null
  #needsState = false
  readonly #onJoin: PresenceOnJoin | undefined
  readonly #onLeave: PresenceOnLeave | undefined
  readonly #onSync: (() => void) | undefined
  readonly #maxPending: number

  constructor (options: PresenceSyncOptions = {}) {
    const max = options.maxPendingDiffs ?? DEFAULT_MAX_PENDING_DIFFS
    if (!Number.isInteger(max) || max < 1) {
      throw new TypeError(`maxPendingDiffs must be an integer ≥ 1, got ${String(max)}`)
    }
    this.#maxPending = max
    this.#onJoin = options.onJoin
    this.#onLeave = options.onLeave
    this.#onSync = options.onSync
  }

  /**
   * Takes a `presence_state`: records `channelJoinRef`, syncs the state,
   * applies the queued diffs in order, clears the queue and `needsState`,
   * then calls onSync.
   */
  handleState (newState: Readonly<PresenceState>, channelJoinRef: string | null): void {
    this.#channelJoinRef = channelJoinRef
    this.#syncedJoinRef = channelJoinRef
    const pending = this.#pending
    this.#pending = []
    this.#needsState = false
    this.#state = syncState(this.#state, newState, this.#onJoin, this.#onLeave)
    for (const diff of pending) applyDiff(this.#state, diff, this.#onJoin, this.#onLeave)
    this.#onSync?.()
  }

  /**
   * Takes a `presence_diff`: applies it and calls onSync when in sync,
   * otherwise queues it (see the class comment). Queued diffs are kept as
   * given, unmodified, until the next state.
   */
  handleDiff (diff: Readonly<PresenceDiff>, channelJoinRef: string | null): DiffOutcome {
    this.#channelJoinRef = channelJoinRef
    if (this.inPendingSyncState()) {
      if (this.#pending.length >= this.#maxPending) {
        this.#pending = []
        this.#needsState = true
        return 'overflow'
      }
      this.#pending.push(diff)
      return 'queued'
    }
    applyDiff(this.#state, diff, this.#onJoin, this.#onLeave)
    this.#onSync?.()
    return 'applied'
  }

  /** Tells the view the channel's join ref changed (a rejoin) before any payload shows it. */
  setChannelJoinRef (channelJoinRef: string | null): void {
    this.#channelJoinRef = channelJoinRef
  }

  /** True until a state arrives for the channel's current join ref: diffs are being queued. */
  inPendingSyncState (): boolean {
    return this.#syncedJoinRef === null || this.#syncedJoinRef === '' || this.#syncedJoinRef !== this.#channelJoinRef
  }

  /** True after the queue overflowed, until the next state. */
  get needsState (): boolean {
    return this.#needsState
  }

  /** How many diffs wait for the next state. */
  get pendingDiffs (): number {
    return this.#pending.length
  }

  /** The current entries (the view's own objects: do not modify them), or what `chooser` makes of each. */
  list (): PresenceEntry[]
  list<T> (chooser: PresenceChooser<T>): T[]
  list<T> (chooser?: PresenceChooser<T>): (T | PresenceEntry)[] {
    return chooser === undefined ? list(this.#state) : list(this.#state, chooser)
  }
}
