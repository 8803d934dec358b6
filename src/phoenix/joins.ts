/**
 * Joining, rejoining and the channel-level events (reference B6): a join
 * reply ok flushes the buffer; a refusal, a timeout or a crash schedules a
 * rejoin with back-off; consecutive refusals give the topic up.
 */
import { resolveWaiters, type ChannelRecord } from './channel.ts'
import { ChannelClosedError, JoinRefusedError, TimeoutError } from './errors.ts'
import { ControlEvent } from './message.ts'
import { encodeFailure, type SessionCore } from './session-core.ts'

export function sendJoin (core: SessionCore, channel: ChannelRecord, now: number): void {
  const ref = core.nextRef()
  const gen = ++channel.gen
  channel.state = 'joining'
  channel.joinRef = ref
  channel.joinSentAt = now
  core.pending.set(ref, { kind: 'join', channel, gen })
  core.timers.push(now + core.options.joinTimeoutMs, { kind: 'join', channel, gen })
  try {
    core.send({ joinRef: ref, ref, topic: channel.topic, event: ControlEvent.join, payload: channel.params })
  } catch (err) {
    // Params that cannot be encoded never will be: the topic is given up (not rejoined) with that error.
    core.pending.delete(ref)
    core.drop(channel, 'refused', encodeFailure(err), now)
    return
  }
  core.out.emit({ type: 'join_sent', topic: channel.topic, rejoin: channel.joinedBefore })
}

export function onJoined (core: SessionCore, channel: ChannelRecord, response: unknown, now: number): void {
  channel.gen++
  channel.state = 'joined'
  channel.failures = 0
  channel.refusals = 0
  channel.refusal = null
  core.out.emit({ type: 'joined', topic: channel.topic, rejoin: channel.joinedBefore, latencyMs: now - channel.joinSentAt })
  channel.joinedBefore = true
  // Flush before the waiters run, so a push they make goes after the buffered ones (as phoenix.js).
  const buffered = channel.buffer
  channel.buffer = []
  if (buffered.length > 0) {
    for (const push of buffered) {
      // A push whose deadline passed before a tick ran times out here rather than going out late.
      if (push.deadline <= now) core.fail(push, new TimeoutError('push', push.timeoutMs, false), now)
      if (push.done) continue
      core.buffered--
      core.sendPush(channel, push, now, true)
    }
    core.out.emit({ type: 'buffer_depth', depth: core.buffered })
  }
  resolveWaiters(channel, { kind: 'joined', response })
}

export function onJoinRefused (core: SessionCore, channel: ChannelRecord, response: unknown, now: number): void {
  channel.refusals++
  channel.refusal = { response }
  const error = new JoinRefusedError(channel.topic, response)
  const willRetry = channel.refusals < core.options.maxJoinRefusals
  core.out.emit({ type: 'join_refused', topic: channel.topic, attempt: channel.refusals, willRetry })
  // Errored or dropped before any callback runs, so a callback that calls the session sees that state.
  if (!willRetry) {
    core.drop(channel, 'refused', error, now)
    return
  }
  scheduleRejoin(core, channel, now)
  resolveWaiters(channel, { kind: 'failed', error })
  core.failBuffered(channel, error, now)
}

export function onJoinTimeout (core: SessionCore, channel: ChannelRecord, now: number): void {
  if (channel.joinRef !== null) core.pending.delete(channel.joinRef)
  core.out.emit({ type: 'join_timeout', topic: channel.topic, attempt: channel.failures + 1 })
  // As phoenix.js: tell the server to drop the join it may still complete.
  if (core.connected) core.send({ joinRef: channel.joinRef, ref: core.nextRef(), topic: channel.topic, event: ControlEvent.leave, payload: {} })
  // The server may still join and then close that join_ref (the phx_close answering our leave):
  // as phoenix.js (joinPush.reset), no join_ref is current until the rejoin, so those are stale.
  channel.joinRef = null
  scheduleRejoin(core, channel, now)
  resolveWaiters(channel, { kind: 'failed', error: new TimeoutError('join', core.options.joinTimeoutMs) })
}

/** `phx_error` for the current join_ref: the server's channel crashed. */
export function onChannelError (core: SessionCore, channel: ChannelRecord, now: number): void {
  if (channel.state !== 'joined' && channel.state !== 'joining') return
  if (channel.joinRef !== null) core.pending.delete(channel.joinRef)
  core.out.emit({ type: 'channel_errored', topic: channel.topic, reason: 'crashed' })
  // Errored first, so a push made by a failing push's callback waits for the rejoin.
  scheduleRejoin(core, channel, now)
  core.failInFlight(channel, new ChannelClosedError(channel.topic, 'crashed'), now)
}

/** `phx_close` for the current join_ref: the server ended the channel; it is not rejoined. */
export function onChannelClose (core: SessionCore, channel: ChannelRecord, now: number): void {
  const reason = channel.state === 'leaving' ? 'left' : 'server_closed'
  core.drop(channel, reason, new ChannelClosedError(channel.topic, reason), now)
}

export function scheduleRejoin (core: SessionCore, channel: ChannelRecord, now: number): void {
  channel.state = 'errored'
  channel.failures++
  const gen = ++channel.gen
  if (!core.connected) return
  const delayMs = core.options.rejoinDelay(channel.failures)
  core.timers.push(now + delayMs, { kind: 'rejoin', channel, gen })
  core.out.emit({ type: 'rejoin_scheduled', topic: channel.topic, attempt: channel.failures, delayMs })
}
