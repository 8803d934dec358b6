/**
 * One socket's Phoenix protocol state, pure: no sockets, no timers, no
 * clock. Inputs are method calls with the current time (`now`, in ms);
 * effects go to a SessionOutput; `nextDeadline()` says when to call
 * `tick(now)` next. Layer 1 owns the socket and the one timer.
 *
 * Rules kept here (reference Part B): a join_ref on every channel message;
 * routing by topic then join_ref in O(1), stale join_refs dropped; every
 * push ends in exactly one outcome; heartbeats with a reply deadline;
 * rejoin with back-off after a refusal, a timeout or a crash, and at once
 * on reconnect; a bounded buffer for pushes that wait for a join.
 */
import type { BackchannelError } from '../errors.ts'
import { newChannel, type PushRecord } from './channel.ts'
import {
  BufferFullError, ChannelClosedError, ClosedError, DisconnectedError, JoinRefusedError, NotJoinedError, TimeoutError,
} from './errors.ts'
import { onChannelClose, onChannelError, onJoined, onJoinRefused, onJoinTimeout, sendJoin } from './joins.ts'
import { Liveness } from './liveness.ts'
import { ControlEvent, isReplyPayload, type Message } from './message.ts'
import { SessionCore, type Pending, type Timer } from './session-core.ts'
import { resolveSessionOptions, type SessionOptionsInput } from './session-options.ts'
import type { ChannelState, JoinOutcome, PushOptions, PushOutcome, SessionOptions, SessionOutput } from './session-types.ts'

export interface SessionStats {
  connected: boolean
  channels: number
  joined: number
  /** Pushes sent and waiting for their reply. */
  inFlight: number
  /** Pushes waiting for a join or a connection. */
  buffered: number
  /** Entries in the deadline heap (settled pushes are shed, so this stays near what really waits). */
  deadlines: number
}

export class Session {
  readonly options: SessionOptions
  readonly #core: SessionCore
  readonly #liveness: Liveness

  constructor (output: SessionOutput, options: SessionOptionsInput = {}) {
    this.options = resolveSessionOptions(options)
    this.#core = new SessionCore(this.options, output)
    this.#liveness = new Liveness(this.#core)
  }

  get connected (): boolean { return this.#core.connected }

  stats (): SessionStats {
    let joined = 0
    let inFlight = 0
    for (const c of this.#core.channels.values()) {
      if (c.state === 'joined') joined++
      inFlight += c.inFlight.size
    }
    return { connected: this.#core.connected, channels: this.#core.channels.size, joined, inFlight, buffered: this.#core.buffered, deadlines: this.#core.timers.size }
  }

  channelState (topic: string): ChannelState {
    return this.#core.channels.get(topic)?.state ?? 'closed'
  }

  /** A topic's state and current join_ref, for status pages. */
  channelInfo (topic: string): { state: ChannelState, joinRef: string | null } {
    const channel = this.#core.channels.get(topic)
    return { state: channel?.state ?? 'closed', joinRef: channel?.joinRef ?? null }
  }

  /** Every topic the session wants (joined or not). */
  topics (): string[] {
    return [...this.#core.channels.keys()]
  }

  /** When `tick` must next be called, or undefined when nothing waits on time. */
  nextDeadline (): number | undefined {
    return this.#core.timers.peek()
  }

  /** The socket is open: start heartbeats and (re)join every wanted topic at once. */
  opened (now: number): void {
    const core = this.#core
    if (core.ended || core.connected) return
    core.connected = true
    this.#liveness.opened(now)
    for (const channel of core.channels.values()) {
      channel.failures = 0 // as phoenix.js, a new connection restarts the rejoin back-off
      if (channel.state === 'joining' || channel.state === 'errored') sendJoin(core, channel, now)
    }
  }

  /** The socket closed. Sent pushes fail (their replies are lost); buffered ones wait for the rejoin. */
  closed (now: number): void {
    const core = this.#core
    if (!core.connected) return
    core.connected = false
    this.#liveness.closed()
    const pending = [...core.pending.values()]
    core.pending.clear()
    for (const p of pending) {
      if (p.kind === 'push') core.fail(p.push, new DisconnectedError(true), now)
    }
    for (const channel of [...core.channels.values()]) {
      channel.gen++
      if (channel.state === 'leaving') {
        core.drop(channel, 'left', null, now)
      } else if (channel.state === 'joined' || channel.state === 'joining') {
        if (channel.state === 'joined') core.out.emit({ type: 'channel_errored', topic: channel.topic, reason: 'disconnected' })
        channel.state = 'errored'
      }
    }
  }

  /** Ends the session: every waiting push and join fails with ClosedError; nothing more is sent. */
  end (now: number): void {
    const core = this.#core
    if (core.ended) return
    core.ended = true
    for (const p of [...core.pending.values()]) {
      if (p.kind === 'push') core.fail(p.push, new ClosedError(), now)
    }
    this.closed(now)
    for (const channel of [...core.channels.values()]) core.drop(channel, 'left', new ClosedError(), now)
  }

  /** Wants `topic` joined with `params` (kept for every rejoin). `onOutcome` hears the next result. */
  join (topic: string, params: unknown, now: number, onOutcome?: (outcome: JoinOutcome) => void): void {
    const core = this.#core
    if (core.ended) {
      onOutcome?.({ kind: 'failed', error: new ClosedError() })
      return
    }
    let channel = core.channels.get(topic)
    if (channel !== undefined && channel.state === 'leaving') {
      core.drop(channel, 'left', null, now)
      channel = core.channels.get(topic) // a callback of the drop may have joined it again
    }
    if (channel === undefined) {
      channel = newChannel(topic, params)
      core.channels.set(topic, channel)
    }
    channel.params = params
    if (channel.state === 'joined') {
      onOutcome?.({ kind: 'joined', response: null })
      return
    }
    if (onOutcome !== undefined) channel.waiters.push(onOutcome)
    const inFlight = channel.state === 'joining' && channel.joinRef !== null && core.pending.has(channel.joinRef)
    if (core.connected && !inFlight) sendJoin(core, channel, now)
  }

  /** Stops wanting `topic`: phx_leave, then closed on its reply or timeout. */
  leave (topic: string, now: number, onDone?: () => void): void {
    const core = this.#core
    const channel = core.channels.get(topic)
    if (channel === undefined) {
      onDone?.()
      return
    }
    if (onDone !== undefined) channel.leaveWaiters.push(onDone)
    if (channel.state === 'leaving') return
    if (!core.connected || channel.state !== 'joined') {
      if (core.connected && channel.state === 'joining' && channel.joinRef !== null) {
        core.pending.delete(channel.joinRef)
        core.send({ joinRef: channel.joinRef, ref: core.nextRef(), topic, event: ControlEvent.leave, payload: {} })
      }
      core.drop(channel, 'left', new ChannelClosedError(topic, 'left'), now)
      return
    }
    channel.state = 'leaving'
    const gen = ++channel.gen
    const ref = core.nextRef()
    core.pending.set(ref, { kind: 'leave', channel, gen })
    core.timers.push(now + this.options.pushTimeoutMs, { kind: 'leave', channel, gen })
    core.send({ joinRef: channel.joinRef, ref, topic, event: ControlEvent.leave, payload: {} })
  }

  /** Sends or buffers a push. `onOutcome` is called exactly once. Returns the push, for `cancel`. */
  push (topic: string, event: string, payload: unknown, now: number, options: PushOptions, onOutcome: (outcome: PushOutcome) => void): PushRecord {
    const core = this.#core
    const timeoutMs = options.timeoutMs ?? this.options.pushTimeoutMs
    const push: PushRecord = { topic, event, payload, timeoutMs, deadline: now + timeoutMs, createdAt: now, ref: null, done: false, onOutcome }
    const channel = core.channels.get(topic)
    if (channel?.state === 'joined' && core.connected && !core.ended) {
      core.sendPush(channel, push, now)
      return push
    }
    let refusal: BackchannelError | null = null
    if (core.ended) refusal = new ClosedError()
    else if (channel === undefined || channel.state === 'leaving') refusal = new NotJoinedError(topic)
    else if (channel.refusal !== null) refusal = new JoinRefusedError(topic, channel.refusal.response)
    else if (options.whenNotJoined === 'fail') refusal = core.connected ? new NotJoinedError(topic) : new DisconnectedError(false)
    else if (core.buffered >= this.options.maxBufferedPushes) refusal = new BufferFullError(this.options.maxBufferedPushes)
    if (refusal !== null || channel === undefined) {
      const error = refusal ?? new NotJoinedError(topic)
      push.done = true // never queued, so nothing to forget
      onOutcome({ kind: 'failed', error })
      core.out.emit({ type: 'push_done', topic, event, outcome: error.code, latencyMs: 0 })
      return push
    }
    if (channel.buffer.length >= 2 * this.options.maxBufferedPushes) channel.buffer = channel.buffer.filter((p) => !p.done)
    channel.buffer.push(push)
    core.buffered++
    core.timers.push(push.deadline, { kind: 'push', push })
    core.out.emit({ type: 'buffer_depth', depth: core.buffered })
    return push
  }

  /** Gives up on a push (an AbortSignal fired): it fails with `error` unless it already ended. */
  cancel (push: PushRecord, error: BackchannelError, now: number): void {
    this.#core.fail(push, error, now)
  }

  /** A decoded frame from the server. */
  receive (message: Message, now: number): void {
    const core = this.#core
    if (this.#liveness.received(message, now)) return
    const { topic, event, ref } = message
    const channel = core.channels.get(topic)
    if (event === ControlEvent.reply && ref !== null) {
      const pending = core.pending.get(ref)
      if (pending !== undefined && pendingTopic(pending) === topic && (message.joinRef === null || message.joinRef === pendingJoinRef(pending, core))) {
        core.pending.delete(ref)
        this.#onReply(pending, message.payload, now)
        return
      }
    }
    if (channel === undefined) {
      // The phx_close that follows a leave's reply finds the topic gone already: expected, not news.
      if (event !== ControlEvent.close) core.out.emit({ type: 'unroutable', topic, event })
      return
    }
    if (message.joinRef !== null && message.joinRef !== channel.joinRef) {
      core.out.emit({ type: 'stale', topic, event })
      return
    }
    if (event === ControlEvent.error) onChannelError(core, channel, now)
    else if (event === ControlEvent.close) onChannelClose(core, channel, now)
    else if (event !== ControlEvent.reply) core.out.deliver(topic, event, message)
  }

  /** Runs every deadline due at `now`. */
  tick (now: number): void {
    const timers = this.#core.timers
    for (let timer = timers.popDue(now); timer !== undefined; timer = timers.popDue(now)) this.#onTimer(timer, now)
  }

  #onReply (pending: Pending, payload: unknown, now: number): void {
    const status = isReplyPayload(payload) ? payload.status : 'error'
    const response = isReplyPayload(payload) ? payload.response : payload
    if (pending.kind === 'push') {
      this.#core.finish(pending.push, { kind: 'reply', status, response }, now)
      return
    }
    const { channel, gen } = pending
    if (channel.gen !== gen) return
    if (pending.kind === 'leave') this.#core.drop(channel, 'left', new ChannelClosedError(channel.topic, 'left'), now)
    else if (status === 'ok') onJoined(this.#core, channel, response, now)
    else onJoinRefused(this.#core, channel, response, now)
  }

  #onTimer (timer: Timer, now: number): void {
    const core = this.#core
    switch (timer.kind) {
      case 'push':
        if (!timer.push.done) core.fail(timer.push, new TimeoutError('push', timer.push.timeoutMs, timer.push.ref !== null), now)
        return
      case 'join':
        if (timer.channel.gen === timer.gen && timer.channel.state === 'joining') onJoinTimeout(core, timer.channel, now)
        return
      case 'leave':
        if (timer.channel.gen === timer.gen) core.drop(timer.channel, 'left', null, now)
        return
      case 'rejoin':
        if (timer.channel.gen === timer.gen && core.connected && timer.channel.state === 'errored') sendJoin(core, timer.channel, now)
        return
      default:
        this.#liveness.onTimer(timer, now)
    }
  }
}

function pendingTopic (pending: Pending): string {
  return pending.kind === 'push' ? pending.push.topic : pending.channel.topic
}

function pendingJoinRef (pending: Pending, core: SessionCore): string | null {
  return pending.kind === 'push' ? (core.channels.get(pending.push.topic)?.joinRef ?? null) : pending.channel.joinRef
}
