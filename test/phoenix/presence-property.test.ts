/**
 * Differential and model tests for presence: 300 seeded random sequences of
 * joins, leaves and updates over several keys (some named like
 * Object.prototype members, some integer-like) with several metas each, sent
 * as diffs and full states, with missed diffs and rejoins. Every step goes
 * to our code and to phoenix.js's Presence (npm `phoenix`); results, key
 * order and callback calls must be equal, and our state must match a model
 * (key → set of phx_refs) whenever the client has seen every change.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Presence, type Channel } from 'phoenix'
import { PresenceSync, emptyPresenceState, type PresenceDiff, type PresenceEntry, type PresenceMeta, type PresenceState } from '../../src/phoenix/presence.ts'
import { assertSameAsPhoenix, copy, deepFreeze, oursDiff, oursState, recorder, snap, type Call } from './presence-helpers.ts'
import { mulberry32 } from '../helpers/prng.ts'

const SEQUENCES = 300
const KEYS = ['u1', 'u2', '42', '7', '__proto__', 'constructor', 'toString']
/** Keys whose entries carry a sibling field next to `metas` (as Presence fetch/2 adds). */
const WITH_SIBLINGS = new Set(['u2', '7', 'constructor'])

type Op = 'join' | 'leave' | 'update' | 'rejoinRef' | 'ghostKey' | 'ghostRef'

/** The server's truth: key → metas in tracking order, and how often each op ran. */
class FakeServer {
  readonly truth = new Map<string, PresenceMeta[]>()
  readonly stats = new Map<Op, number>()
  readonly #version = new Map<string, number>()
  readonly #rand: () => number
  #n = 0

  constructor (rand: () => number) { this.#rand = rand }

  #pick<T> (items: readonly T[]): T { return items[Math.floor(this.#rand() * items.length)]! }

  #entry (key: string): PresenceEntry {
    return WITH_SIBLINGS.has(key) ? { metas: [], user: { name: key, v: this.#version.get(key) ?? 0 } } : { metas: [] }
  }

  #meta (fields: Record<string, unknown> = {}): PresenceMeta {
    return { ...fields, phx_ref: `r${++this.#n}`, status: this.#pick(['online', 'away', 'busy']), n: this.#n }
  }

  /** A presence_state payload as JSON delivers it (ordinary objects, own "__proto__" keys). */
  state (): PresenceState {
    const out = emptyPresenceState()
    for (const [key, metas] of this.truth) out[key] = { ...this.#entry(key), metas }
    return copy(out)
  }

  /** Makes 1–3 changes and returns them as one presence_diff payload. */
  diff (): PresenceDiff {
    const joins = emptyPresenceState()
    const leaves = emptyPresenceState()
    const touched = new Set<string>()
    const add = (side: PresenceState, key: string, meta: PresenceMeta): void => {
      side[key] ??= this.#entry(key)
      side[key].metas.push(meta)
    }
    const held = (): [string, PresenceMeta] | undefined => {
      const all = [...this.truth].flatMap(([key, metas]) => metas.map((m): [string, PresenceMeta] => [key, m]))
      const free = all.filter(([, m]) => !touched.has(m.phx_ref))
      return free.length === 0 ? undefined : this.#pick(free)
    }
    const count = 1 + Math.floor(this.#rand() * 3)
    for (let i = 0; i < count; i++) {
      const op = this.#pick<Op>(['join', 'join', 'leave', 'update', 'update', 'rejoinRef', 'ghostKey', 'ghostRef'])
      const target = held()
      if (op === 'join' || target === undefined) {
        const key = this.#pick(KEYS)
        const meta = this.#meta()
        touched.add(meta.phx_ref)
        add(joins, key, meta)
        this.truth.set(key, [...(this.truth.get(key) ?? []), meta])
        this.#count('join')
        continue
      }
      const [key, old] = target
      const rest = (this.truth.get(key) ?? []).filter((m) => m.phx_ref !== old.phx_ref)
      touched.add(old.phx_ref)
      if (op === 'leave') {
        add(leaves, key, old)
        if (rest.length === 0) this.truth.delete(key)
        else this.truth.set(key, rest)
      } else if (op === 'update') {
        this.#version.set(key, (this.#version.get(key) ?? 0) + 1)
        const next = this.#meta({ phx_ref_prev: old.phx_ref })
        touched.add(next.phx_ref)
        add(joins, key, next)
        add(leaves, key, old)
        this.truth.set(key, [...rest, next])
      } else if (op === 'rejoinRef') {
        const again = { ...old, status: 'rejoined' }
        add(joins, key, again)
        this.truth.set(key, [...rest, again])
      } else if (op === 'ghostKey') {
        const absent = KEYS.filter((k) => !this.truth.has(k) && joins[k] === undefined)
        if (absent.length > 0) add(leaves, this.#pick(absent), { phx_ref: `ghost${++this.#n}` })
      } else {
        add(leaves, key, { phx_ref: `ghost${++this.#n}` })
      }
      this.#count(op)
    }
    return copy({ joins, leaves })
  }

  #count (op: Op): void { this.stats.set(op, (this.stats.get(op) ?? 0) + 1) }
}

/** key → sorted phx_refs, for comparing a state with the server's truth. */
function refSets (entries: Iterable<[string, readonly PresenceMeta[]]>): Map<string, string[]> {
  return new Map([...entries].map(([key, metas]) => [key, metas.map((m) => m.phx_ref).sort()]))
}

/** Runs one seeded sequence of random events; `step` handles each. Rethrows failures with the seed and step. */
function runSequence (seed: number, step: (server: FakeServer, event: 'diff' | 'state' | 'drop' | 'rejoin', rand: () => number) => void): FakeServer {
  const rand = mulberry32(seed)
  const server = new FakeServer(rand)
  const steps = 5 + Math.floor(rand() * 40)
  for (let i = 0; i < steps; i++) {
    const r = rand()
    const event = r < 0.65 ? 'diff' : r < 0.8 ? 'state' : r < 0.9 ? 'drop' : 'rejoin'
    try {
      step(server, event, rand)
    } catch (err) {
      throw new Error(`seed ${seed}, step ${i} (${event})`, { cause: err })
    }
  }
  return server
}

test(`syncState/syncDiff equal phoenix.js and the model over ${SEQUENCES} random sequences`, () => {
  const totals = new Map<string, number>()
  const bump = (what: string): void => { totals.set(what, (totals.get(what) ?? 0) + 1) }
  for (let seed = 1; seed <= SEQUENCES; seed++) {
    let client = emptyPresenceState()
    let seenAll = true
    const server = runSequence(seed, (srv, event) => {
      if (event === 'drop' || event === 'rejoin') {
        // The client misses the next change (a disconnect); it is only whole again after a state.
        const missed = srv.diff()
        if (Object.keys(missed.joins).length + Object.keys(missed.leaves).length > 0) seenAll = false
        bump('missed')
        return
      }
      const input = event === 'state' ? srv.state() : srv.diff()
      const ours = event === 'state' ? oursState(copy(client), copy(input as PresenceState)) : oursDiff(copy(client), copy(input as PresenceDiff))
      assertSameAsPhoenix(ours, event, client, input)
      client = ours.state
      if (event === 'state') {
        if (!seenAll) bump('state after missed changes')
        seenAll = true
      }
      if (seenAll) {
        assert.deepStrictEqual(refSets(Object.entries(client).map(([k, e]) => [k, e.metas])), refSets(srv.truth))
        bump('model checks')
      }
      if (ours.calls.some((c) => c[0] === 'leave' && (c[2] as PresenceEntry).metas.length === 0)) bump('key emptied')
    })
    for (const [op, n] of server.stats) totals.set(op, (totals.get(op) ?? 0) + n)
  }
  // The sequences really exercised every kind of change.
  for (const what of ['join', 'leave', 'update', 'rejoinRef', 'ghostKey', 'ghostRef', 'missed', 'state after missed changes', 'key emptied']) {
    assert.ok((totals.get(what) ?? 0) >= 20, `${what}: only ${totals.get(what) ?? 0}`)
  }
  assert.ok((totals.get('model checks') ?? 0) >= 2000, `model checks: ${totals.get('model checks') ?? 0}`)
})

/** Enough of a phoenix.js Channel for its Presence object: `on` and `joinRef`. */
class ChannelStandIn {
  ref: string | null = null
  readonly #handlers = new Map<string, (payload: unknown) => void>()
  on (event: string, callback: (payload: unknown) => void): number {
    this.#handlers.set(event, callback)
    return 0
  }

  joinRef (): string | null { return this.ref }
  emit (event: string, payload: unknown): void { this.#handlers.get(event)?.(payload) }
}

test(`PresenceSync equals phoenix.js's Presence object over ${SEQUENCES} random sequences with rejoins`, () => {
  let queued = 0
  for (let seed = 1001; seed <= 1000 + SEQUENCES; seed++) {
    const channel = new ChannelStandIn()
    const theirs = new Presence(channel as unknown as Channel)
    const theirLog: (Call | 'sync')[] = []
    const theirRec = recorder()
    theirs.onJoin((k, c, j) => { theirRec.onJoin(k, c, j); theirLog.push(theirRec.calls.at(-1)!) })
    theirs.onLeave((k, c, l) => { theirRec.onLeave(k, c, l); theirLog.push(theirRec.calls.at(-1)!) })
    theirs.onSync(() => { theirLog.push('sync') })
    const ourLog: (Call | 'sync')[] = []
    const ourRec = recorder()
    const ours = new PresenceSync({
      onJoin: (k, c, j) => { ourRec.onJoin(k, c, j); ourLog.push(ourRec.calls.at(-1)!) },
      onLeave: (k, c, l) => { ourRec.onLeave(k, c, l); ourLog.push(ourRec.calls.at(-1)!) },
      onSync: () => { ourLog.push('sync') },
    })
    let joinCount = 0
    const rejoin = (): void => {
      channel.ref = String(++joinCount)
      ours.setChannelJoinRef(channel.ref)
    }
    if (seed % 2 === 0) rejoin()
    const show = (_key: string, entry: unknown): unknown => snap(entry)
    runSequence(seed, (srv, event) => {
      if (event === 'rejoin') {
        rejoin()
      } else if (event === 'drop') {
        srv.diff()
      } else if (event === 'state') {
        const payload = srv.state()
        ours.handleState(deepFreeze(copy(payload)), channel.ref)
        channel.emit('presence_state', copy(payload))
      } else {
        const payload = srv.diff()
        const outcome = ours.handleDiff(deepFreeze(copy(payload)), channel.ref)
        channel.emit('presence_diff', copy(payload))
        if (outcome === 'queued') queued++
      }
      assert.equal(ours.inPendingSyncState(), theirs.inPendingSyncState())
      assert.deepStrictEqual(ours.list((key, entry) => [key, show(key, entry)]), theirs.list((key: string, entry: unknown) => [key, show(key, entry)]))
      assert.deepStrictEqual(ourLog, theirLog)
    })
  }
  assert.ok(queued >= 100, `only ${queued} diffs were queued`)
})
