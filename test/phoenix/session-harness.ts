/**
 * Drives a pure Session by hand: records what it sends, delivers and emits,
 * builds the server's frames for a sent message, and moves time forward
 * explicitly (`advance` sets `now` and ticks). No sockets, no timers.
 */
import assert from 'node:assert/strict'
import type { BackchannelError } from '../../src/errors.ts'
import type { PushRecord } from '../../src/phoenix/channel.ts'
import type { Message } from '../../src/phoenix/message.ts'
import type { SessionOptionsInput } from '../../src/phoenix/session-options.ts'
import type { JoinOutcome, PushOptions, PushOutcome, SessionEvent, SessionOutput } from '../../src/phoenix/session-types.ts'
import { Session } from '../../src/phoenix/session.ts'

export interface Delivered { topic: string, event: string, payload: unknown }

/** A push made through the harness, with every outcome it was given (exactly one is expected). */
export interface TrackedPush {
  record: PushRecord
  outcomes: PushOutcome[]
}

/** A join made through the harness, with every outcome its waiter heard. */
export interface TrackedJoin {
  outcomes: JoinOutcome[]
}

export type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>

/** Options for tests: no jitter, and a back-off of attempt × 1000 ms unless told otherwise. */
export const testOptions: SessionOptionsInput = { rejoinDelay: (attempt) => attempt * 1000 }

export class Harness {
  readonly sent: Message[] = []
  readonly delivered: Delivered[] = []
  readonly events: SessionEvent[] = []
  readonly out: SessionOutput = {
    send: (message) => { this.sent.push(message) },
    deliver: (topic, event, received) => { this.delivered.push({ topic, event, payload: received.payload }) },
    emit: (event) => { this.events.push(event) },
  }

  readonly session: Session
  now: number

  constructor (options: SessionOptionsInput = testOptions, start = 0) {
    this.session = new Session(this.out, options)
    this.now = start
  }

  /** Sets `now` forward by `ms` and runs every deadline that is due. */
  advance (ms: number): void {
    this.now += ms
    this.session.tick(this.now)
  }

  /** Ticks at every pending deadline up to `now + ms`, in order, then at `now + ms`. */
  advanceThrough (ms: number): void {
    const end = this.now + ms
    for (let at = this.session.nextDeadline(); at !== undefined && at <= end; at = this.session.nextDeadline()) {
      this.now = Math.max(this.now, at)
      this.session.tick(this.now)
    }
    this.now = end
    this.session.tick(this.now)
  }

  open (): void { this.session.opened(this.now) }
  close (): void { this.session.closed(this.now) }

  join (topic: string, params: unknown = {}): TrackedJoin {
    const tracked: TrackedJoin = { outcomes: [] }
    this.session.join(topic, params, this.now, (outcome) => { tracked.outcomes.push(outcome) })
    return tracked
  }

  push (topic: string, event: string, payload: unknown = {}, options: PushOptions = {}): TrackedPush {
    const outcomes: PushOutcome[] = []
    const record = this.session.push(topic, event, payload, this.now, options, (outcome) => { outcomes.push(outcome) })
    return { record, outcomes }
  }

  /** Hands the session a frame from the server at the current time. */
  receive (message: Message): void {
    this.session.receive(message, this.now)
  }

  /** The server's phx_reply to a sent message (same join_ref, ref and topic). */
  reply (msg: Message, status = 'ok', response: unknown = {}): void {
    this.receive({ joinRef: msg.joinRef, ref: msg.ref, topic: msg.topic, event: 'phx_reply', payload: { status, response } })
  }

  /** The last phx_join sent for `topic`. */
  lastJoin (topic: string): Message {
    const join = this.sent.findLast((m) => m.topic === topic && m.event === 'phx_join')
    assert.ok(join !== undefined, `no phx_join was sent for ${topic}`)
    return join
  }

  /** Joins `topic` on an open session and answers the join ok; returns the join message. */
  joinOk (topic: string, params: unknown = {}): Message {
    this.join(topic, params)
    const join = this.lastJoin(topic)
    this.reply(join)
    assert.equal(this.session.channelState(topic), 'joined')
    return join
  }

  /** The last sent message with this event (on this topic, when given). */
  lastSent (event: string, topic?: string): Message {
    const msg = this.sent.findLast((m) => m.event === event && (topic === undefined || m.topic === topic))
    assert.ok(msg !== undefined, `nothing sent with event ${event}`)
    return msg
  }

  sentWith (event: string, topic?: string): Message[] {
    return this.sent.filter((m) => m.event === event && (topic === undefined || m.topic === topic))
  }

  /** Events of one type, in order. */
  eventsOf<T extends SessionEvent['type']> (type: T): Array<EventOf<T>> {
    return this.events.filter((e): e is EventOf<T> => e.type === type)
  }

  /** Forgets recorded output so a test can look at what comes next only. */
  clear (): void {
    this.sent.length = 0
    this.delivered.length = 0
    this.events.length = 0
  }
}

/** The one outcome of a push; fails unless there is exactly one. */
export function onlyOutcome (push: TrackedPush): PushOutcome {
  assert.equal(push.outcomes.length, 1, `expected exactly one outcome, got ${push.outcomes.length}`)
  return push.outcomes[0]!
}

/** The error a push failed with; fails unless it failed exactly once. */
export function failure (push: TrackedPush): BackchannelError {
  const outcome = onlyOutcome(push)
  if (outcome.kind !== 'failed') assert.fail(`expected a failure, got a ${outcome.status} reply`)
  return outcome.error
}

/** The error a join waiter failed with; fails unless it heard exactly one failure. */
export function joinFailure (join: TrackedJoin): BackchannelError {
  assert.equal(join.outcomes.length, 1, `expected exactly one join outcome, got ${join.outcomes.length}`)
  const outcome = join.outcomes[0]!
  if (outcome.kind !== 'failed') assert.fail('expected the join to fail, it was joined')
  return outcome.error
}
