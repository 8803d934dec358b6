/**
 * Random runs against a small fake server: random joins, leaves, pushes,
 * server replies, crashes, closes, disconnects, reconnects and time. The
 * invariants below are checked after every step; a failure names the seed
 * and the last operations so the run can be replayed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AbortedError } from '../../src/phoenix/errors.ts'
import type { Message } from '../../src/phoenix/message.ts'
import { Session } from '../../src/phoenix/session.ts'
import type { JoinOutcome, PushOutcome, SessionEvent, SessionOutput } from '../../src/phoenix/session-types.ts'
import { mulberry32 } from '../helpers/prng.ts'

const RUNS = 200
const STEPS = 200
const TOPICS = ['room:0', 'room:1', 'room:2']

type Operation =
  | 'join' | 'leave' | 'push' | 'reply' | 'phx_error' | 'phx_close' | 'broadcast'
  | 'disconnect' | 'reconnect' | 'advance' | 'tick' | 'advance+tick' | 'cancel'

/** How often each operation is picked (relative weights). */
const WEIGHTS: ReadonlyArray<[Operation, number]> = [
  ['join', 12], ['leave', 4], ['push', 20], ['reply', 22], ['phx_error', 3], ['phx_close', 2], ['broadcast', 2],
  ['disconnect', 3], ['reconnect', 6], ['advance', 8], ['tick', 12], ['advance+tick', 3], ['cancel', 3],
]
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0)

interface ModelPush {
  id: number
  topic: string
  deadline: number
  outcomes: PushOutcome[]
  sends: number
  cancel: () => void
}

class Run {
  readonly random: () => number
  readonly maxBuffered: number
  readonly session: Session
  readonly log: string[] = []
  now = 0
  connected = false
  readonly pushes: ModelPush[] = []
  readonly joinWaiters: JoinOutcome[][] = []
  /** The latest phx_join the session sent per topic, and the join refs the server accepted on this connection. */
  readonly latestJoin = new Map<string, string>()
  readonly acceptedJoins = new Set<string>()
  /** What the server saw and has not answered yet (on the current connection). */
  unanswered: Message[] = []
  /** The server's side: the join_ref each topic is joined with on the current connection. */
  readonly serverJoined = new Map<string, string>()
  livenessLost = false
  /** The server frame being handed to the session, if any. */
  receiving: Message | null = null

  constructor (seed: number) {
    this.random = mulberry32(seed)
    this.maxBuffered = 1 + this.int(6)
    const out: SessionOutput = {
      send: (message) => { this.onSend(message) },
      deliver: () => {},
      emit: (event) => { this.onEvent(event) },
    }
    this.session = new Session(out, {
      maxBufferedPushes: this.maxBuffered,
      pushTimeoutMs: 1000,
      joinTimeoutMs: 800,
      heartbeatIntervalMs: 1500,
      heartbeatTimeoutMs: 700,
      rejoinDelay: (attempt) => attempt * 150,
      maxJoinRefusals: this.random() < 0.5 ? 3 : Infinity,
    })
  }

  int (n: number): number { return Math.floor(this.random() * n) }
  pick<T> (items: readonly T[]): T | undefined { return items[this.int(items.length)] }
  topic (): string { return TOPICS[this.int(TOPICS.length)]! }

  onSend (message: Message): void {
    assert.ok(this.connected, `sent ${message.event} while disconnected`)
    if (message.event === 'phx_join') {
      assert.equal(message.joinRef, message.ref)
      this.latestJoin.set(message.topic, message.ref!)
    } else if (message.event !== 'phx_leave' && message.event !== 'heartbeat') {
      assert.equal(message.joinRef, this.latestJoin.get(message.topic), 'a push carries the join_ref of the latest join')
      assert.ok(this.acceptedJoins.has(message.joinRef), 'a push goes out only on a join the server accepted on this connection')
      const id = (message.payload as { id: number }).id
      const push = this.pushes[id]
      assert.ok(push !== undefined)
      assert.equal(push.outcomes.length, 0, 'a settled push is never sent')
      assert.ok(this.now < push.deadline, 'a push whose deadline passed is never sent')
      push.sends++
      assert.equal(push.sends, 1, 'a push is sent once')
    }
    this.unanswered.push(message)
  }

  onEvent (event: SessionEvent): void {
    if (event.type === 'liveness_lost') this.livenessLost = true
    // A server crash or close only counts when it names the channel's latest join.
    const fromServer = (event.type === 'channel_errored' && event.reason === 'crashed') || (event.type === 'channel_closed' && event.reason === 'server_closed')
    if (fromServer) {
      const cause = this.receiving
      assert.ok(cause !== null && (cause.event === 'phx_error' || cause.event === 'phx_close'), `${event.type} without a phx_error or phx_close`)
      assert.equal(cause.joinRef, this.latestJoin.get(cause.topic), `${cause.event} with a stale join_ref ended the channel`)
    }
  }

  /** The server answers one message it saw (or, sometimes, answers it twice). */
  serverReply (): void {
    const i = this.int(this.unanswered.length)
    const msg = this.unanswered[i]
    if (msg === undefined) return
    if (this.random() < 0.9) this.unanswered.splice(i, 1)
    const reply = (status: string, response: unknown = {}): void => {
      this.receive({ joinRef: msg.joinRef, ref: msg.ref, topic: msg.topic, event: 'phx_reply', payload: { status, response } })
    }
    if (msg.event === 'phx_join') {
      if (this.random() < 0.85) {
        const old = this.serverJoined.get(msg.topic)
        this.serverJoined.set(msg.topic, msg.ref!)
        this.acceptedJoins.add(msg.ref!)
        reply('ok')
        // Phoenix's duplicate join: the old channel is closed after the new reply.
        if (old !== undefined && old !== msg.ref) this.receive({ joinRef: old, ref: old, topic: msg.topic, event: 'phx_close', payload: {} })
      } else {
        reply('error', { reason: 'unauthorized' })
      }
    } else if (msg.event === 'phx_leave') {
      reply('ok')
      if (this.serverJoined.get(msg.topic) === msg.joinRef) {
        this.serverJoined.delete(msg.topic)
        this.receive({ joinRef: msg.joinRef, ref: msg.joinRef, topic: msg.topic, event: 'phx_close', payload: {} })
      }
    } else if (msg.event === 'heartbeat') {
      reply('ok')
    } else {
      reply(this.pick(['ok', 'error', 'accepted'])!, { id: (msg.payload as { id: number }).id })
    }
  }

  /** The server ends a channel it holds: a crash or a graceful close, sometimes with a stale join_ref. */
  serverEnds (event: 'phx_error' | 'phx_close'): void {
    const topic = this.topic()
    const current = this.serverJoined.get(topic)
    const joinRef = current !== undefined && this.random() < 0.8 ? current : String(1 + this.int(50))
    if (joinRef === current) this.serverJoined.delete(topic)
    this.receive({ joinRef, ref: joinRef, topic, event, payload: {} })
  }

  receive (message: Message): void {
    if (!this.connected) return
    this.receiving = message
    this.session.receive(message, this.now)
    this.receiving = null
  }

  /** Makes a push; its outcome callback sometimes calls the session again (a push or a join), as callers may. */
  push (depth = 0): void {
    const id = this.pushes.length
    const topic = this.topic()
    const timeoutMs = 1 + this.int(3000)
    const model: ModelPush = { id, topic, deadline: this.now + timeoutMs, outcomes: [], sends: 0, cancel: () => {} }
    this.pushes.push(model)
    const whenNotJoined = this.random() < 0.15 ? 'fail' : 'buffer'
    const record = this.session.push(topic, 'work', { id }, this.now, { timeoutMs, whenNotJoined }, (outcome) => {
      model.outcomes.push(outcome)
      if (depth < 3 && this.random() < 0.15) {
        if (this.random() < 0.7) this.push(depth + 1)
        else this.join()
      }
    })
    model.cancel = () => { this.session.cancel(record, new AbortedError('cancelled'), this.now) }
  }

  join (): void {
    const waiter: JoinOutcome[] = []
    this.joinWaiters.push(waiter)
    this.session.join(this.topic(), { p: this.int(3) }, this.now, (outcome) => {
      waiter.push(outcome)
      if (this.random() < 0.2) this.push(3)
    })
  }

  disconnect (): void {
    if (!this.connected) return
    this.connected = false
    this.session.closed(this.now)
    this.unanswered = []
    this.serverJoined.clear()
    this.acceptedJoins.clear()
  }

  /** Picks the next operation by weight. */
  operation (): Operation {
    let r = this.random() * TOTAL_WEIGHT
    for (const [op, weight] of WEIGHTS) {
      r -= weight
      if (r < 0) return op
    }
    return 'tick'
  }

  step (): void {
    const op = this.operation()
    this.log.push(`${this.now} ${op}`)
    if (this.log.length > 30) this.log.shift()
    switch (op) {
      case 'join': this.join(); break
      case 'leave': this.session.leave(this.topic(), this.now); break
      case 'push': this.push(); break
      case 'reply': this.serverReply(); break
      case 'phx_error': case 'phx_close': this.serverEnds(op); break
      case 'broadcast': this.receive({ joinRef: null, ref: null, topic: this.topic(), event: 'shout', payload: {} }); break
      case 'disconnect': this.disconnect(); break
      case 'reconnect':
        if (!this.connected) {
          this.connected = true
          this.livenessLost = false
          this.session.opened(this.now)
        }
        break
      case 'advance': this.now += this.int(1500); break
      case 'tick': this.tick(); break
      case 'advance+tick': this.now += this.int(1500); this.tick(); break
      default: this.pick(this.pushes.filter((p) => p.outcomes.length === 0))?.cancel()
    }
    // Layer 1 closes the socket when liveness is lost.
    if (this.livenessLost) this.disconnect()
  }

  tick (): void {
    this.session.tick(this.now)
    for (const p of this.pushes) {
      if (p.outcomes.length === 0) assert.ok(p.deadline > this.now, `push ${p.id} outlived its deadline after tick(${this.now})`)
    }
  }

  check (): void {
    let waiting = 0
    let earliest = Infinity
    for (const p of this.pushes) {
      assert.ok(p.outcomes.length <= 1, `push ${p.id} got ${p.outcomes.length} outcomes`)
      if (p.outcomes.length === 0) {
        earliest = Math.min(earliest, p.deadline)
        if (p.sends === 0) waiting++
      }
    }
    for (const w of this.joinWaiters) assert.ok(w.length <= 1, 'a join waiter hears at most one outcome')
    const stats = this.session.stats()
    assert.equal(stats.buffered, waiting, 'stats().buffered counts the pushes neither settled nor sent')
    assert.ok(stats.buffered <= this.maxBuffered, 'the buffer never exceeds maxBufferedPushes')
    assert.equal(stats.connected, this.connected)
    if (earliest !== Infinity) {
      const next = this.session.nextDeadline()
      assert.ok(next !== undefined && next <= earliest, `nextDeadline ${next} is later than a push deadline ${earliest}`)
    }
  }

  finish (): void {
    this.connected = false
    this.session.end(this.now)
    for (const p of this.pushes) assert.equal(p.outcomes.length, 1, `push ${p.id} must end in exactly one outcome`)
    for (const w of this.joinWaiters) assert.equal(w.length, 1, 'every join waiter hears exactly one outcome')
    assert.equal(this.session.stats().buffered, 0)
    assert.equal(this.session.stats().inFlight, 0)
  }
}

test(`random runs (${RUNS} × ${STEPS} operations) keep the session invariants`, () => {
  let pushes = 0
  let sent = 0
  for (let seed = 1; seed <= RUNS; seed++) {
    const run = new Run(seed)
    try {
      for (let i = 0; i < STEPS; i++) {
        run.step()
        run.check()
      }
      run.finish()
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      assert.fail(`seed ${seed}: ${message}\nlast operations:\n${run.log.join('\n')}`)
    }
    pushes += run.pushes.length
    sent += run.pushes.filter((p) => p.sends > 0).length
  }
  // The runs must exercise both paths, or they prove little.
  assert.ok(pushes > RUNS * 10, `only ${pushes} pushes were made`)
  assert.ok(sent > pushes / 10, `only ${sent} of ${pushes} pushes were sent`)
})
