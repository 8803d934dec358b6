/**
 * The state a session's parts share, and the operations on pushes and
 * channels that more than one part needs. Internal to the session.
 */
import { isBackchannelError, type BackchannelError } from '../errors.ts'
import { settle, resolveWaiters, type ChannelRecord, type PushRecord } from './channel.ts'
import { DeadlineQueue } from './deadlines.ts'
import { ChannelClosedError, ProtocolError } from './errors.ts'
import type { Message } from './message.ts'
import type { PushOutcome, SessionOptions, SessionOutput } from './session-types.ts'

/** A request waiting for its phx_reply, by ref. */
export type Pending =
  | { kind: 'push', push: PushRecord }
  | { kind: 'join', channel: ChannelRecord, gen: number }
  | { kind: 'leave', channel: ChannelRecord, gen: number }

export type Timer =
  | { kind: 'push', push: PushRecord }
  | { kind: 'join' | 'leave' | 'rejoin', channel: ChannelRecord, gen: number }
  | { kind: 'heartbeat' | 'heartbeat_reply' | 'silence', gen: number }

export class SessionCore {
  readonly options: SessionOptions
  readonly out: SessionOutput
  readonly channels = new Map<string, ChannelRecord>()
  readonly pending = new Map<string, Pending>()
  readonly timers = new DeadlineQueue<Timer>()
  connected = false
  ended = false
  /** Pushes waiting in channel buffers, across all topics. */
  buffered = 0
  #ref = 0
  #settledSinceShed = 0

  constructor (options: SessionOptions, out: SessionOutput) {
    this.options = options
    this.out = out
  }

  /** Refs are decimal strings, unique for the session's life (never reused across reconnects). */
  nextRef (): string {
    this.#ref = this.#ref >= Number.MAX_SAFE_INTEGER ? 1 : this.#ref + 1
    return String(this.#ref)
  }

  send (message: Message): void {
    this.out.send(message)
  }

  /** Sends a push; `buffered` pushes already have their deadline timer. */
  sendPush (channel: ChannelRecord, push: PushRecord, now: number, buffered = false): void {
    const ref = this.nextRef()
    push.ref = ref
    channel.inFlight.add(push)
    this.pending.set(ref, { kind: 'push', push })
    if (!buffered) this.timers.push(push.deadline, { kind: 'push', push })
    try {
      this.send({ joinRef: channel.joinRef, ref, topic: push.topic, event: push.event, payload: push.payload })
    } catch (err) {
      // Not encodable (bytes on V1, a BigInt, a cycle): this push fails, the session goes on.
      this.fail(push, encodeFailure(err), now)
      return
    }
    this.out.emit({ type: 'push_sent', topic: push.topic, event: push.event })
  }

  /** Settles a push and forgets it everywhere; a second call does nothing. */
  finish (push: PushRecord, outcome: PushOutcome, now: number): void {
    if (push.done) return
    const channel = this.channels.get(push.topic)
    if (push.ref === null) {
      this.buffered--
    } else {
      this.pending.delete(push.ref)
      channel?.inFlight.delete(push)
    }
    settle(push, outcome)
    const label = outcome.kind === 'reply' ? outcome.status : outcome.error.code
    this.out.emit({ type: 'push_done', topic: push.topic, event: push.event, outcome: label, latencyMs: now - push.createdAt })
    this.#shedSettledTimers()
  }

  /**
   * A settled push's deadline stays in the heap until it is due. At many
   * pushes a second those would pile up for a whole timeout, so once they
   * outnumber the live entries the heap is rebuilt without them: its size
   * stays within twice what is really waiting.
   */
  #shedSettledTimers (): void {
    if (++this.#settledSinceShed < 1024 || this.#settledSinceShed * 2 < this.timers.size) return
    this.#settledSinceShed = 0
    this.timers.retain((t) => t.kind !== 'push' || !t.push.done)
  }

  fail (push: PushRecord, error: BackchannelError, now: number): void {
    this.finish(push, { kind: 'failed', error }, now)
  }

  failBuffered (channel: ChannelRecord, error: BackchannelError, now: number): void {
    const buffer = channel.buffer
    channel.buffer = []
    for (const push of buffer) this.fail(push, error, now)
  }

  failInFlight (channel: ChannelRecord, error: BackchannelError, now: number): void {
    for (const push of [...channel.inFlight]) this.fail(push, error, now)
  }

  /** Forgets a channel: its waiting pushes and join waiters fail, leave waiters are told. */
  drop (channel: ChannelRecord, reason: 'left' | 'refused' | 'server_closed', error: BackchannelError | null, now: number): void {
    if (this.channels.get(channel.topic) !== channel) return
    // Forgotten first, so a callback below that calls the session sees the topic closed.
    this.channels.delete(channel.topic)
    channel.gen++
    channel.state = 'closed'
    this.out.emit({ type: 'channel_closed', topic: channel.topic, reason })
    const failure = error ?? new ChannelClosedError(channel.topic, reason)
    this.failBuffered(channel, failure, now)
    this.failInFlight(channel, failure, now)
    resolveWaiters(channel, { kind: 'failed', error: failure })
    for (const done of channel.leaveWaiters.splice(0)) done()
  }
}

/** What a message the serializer cannot encode fails with. */
export function encodeFailure (err: unknown): BackchannelError {
  if (isBackchannelError(err)) return err
  if (err instanceof RangeError && /call stack/i.test(err.message)) return new ProtocolError('too_deep', 'the payload nests too deeply to be encoded', err)
  return new ProtocolError('bad_field', `the payload cannot be encoded: ${err instanceof Error ? err.message : String(err)}`, err)
}
