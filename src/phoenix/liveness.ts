/**
 * Heartbeats and silence (reference B4): a heartbeat goes out an interval
 * after the connection opens and after each reply; a reply that misses its
 * deadline, or a connection that receives nothing for maxSilenceMs, is
 * reported as `liveness_lost` so layer 1 closes and reconnects.
 */
import { ControlEvent, HEARTBEAT_TOPIC, type Message } from './message.ts'
import type { SessionCore, Timer } from './session-core.ts'

export class Liveness {
  readonly #core: SessionCore
  /** Bumped whenever earlier heartbeat and silence timers must stop applying. */
  #gen = 0
  #pendingRef: string | null = null
  /** When the next heartbeat is due; a busy event loop may send it later. */
  #heartbeatDueAt = 0
  #sentAt = 0
  #lastReceivedAt = 0

  constructor (core: SessionCore) {
    this.#core = core
  }

  opened (now: number): void {
    const { timers, options } = this.#core
    this.#gen++
    this.#pendingRef = null
    this.#lastReceivedAt = now
    this.#heartbeatDueAt = now + options.heartbeatIntervalMs
    timers.push(this.#heartbeatDueAt, { kind: 'heartbeat', gen: this.#gen })
    timers.push(now + options.maxSilenceMs, { kind: 'silence', gen: this.#gen })
  }

  closed (): void {
    this.#gen++
    this.#pendingRef = null
  }

  /** Notes that something arrived; returns true when it was the heartbeat reply (consumed). */
  received (message: Message, now: number): boolean {
    this.#lastReceivedAt = now
    if (message.ref === null || message.ref !== this.#pendingRef || message.topic !== HEARTBEAT_TOPIC) return false
    this.#pendingRef = null
    const gen = ++this.#gen
    this.#heartbeatDueAt = now + this.#core.options.heartbeatIntervalMs
    this.#core.timers.push(this.#heartbeatDueAt, { kind: 'heartbeat', gen })
    this.#core.timers.push(this.#lastReceivedAt + this.#core.options.maxSilenceMs, { kind: 'silence', gen })
    this.#core.out.emit({ type: 'heartbeat_reply', rttMs: now - this.#sentAt })
    return true
  }

  onTimer (timer: Timer & { kind: 'heartbeat' | 'heartbeat_reply' | 'silence' }, now: number): void {
    const core = this.#core
    if (timer.gen !== this.#gen || !core.connected) return
    if (timer.kind === 'heartbeat') {
      const ref = core.nextRef()
      this.#pendingRef = ref
      this.#sentAt = now
      core.timers.push(now + core.options.heartbeatTimeoutMs, { kind: 'heartbeat_reply', gen: this.#gen })
      core.send({ joinRef: null, ref, topic: HEARTBEAT_TOPIC, event: ControlEvent.heartbeat, payload: {} })
      core.out.emit({ type: 'heartbeat_sent' })
    } else if (timer.kind === 'heartbeat_reply') {
      this.#gen++
      this.#pendingRef = null
      core.out.emit({ type: 'liveness_lost', reason: 'heartbeat_timeout' })
    } else if (now >= this.#silenceDeadline()) {
      // Both due at once (the default maxSilenceMs is interval + timeout): the missed heartbeat is the reason.
      const heartbeatMissed = this.#pendingRef !== null && now - this.#sentAt >= core.options.heartbeatTimeoutMs
      this.#gen++
      this.#pendingRef = null
      core.out.emit({ type: 'liveness_lost', reason: heartbeatMissed ? 'heartbeat_timeout' : 'silence' })
    } else {
      core.timers.push(this.#silenceDeadline(), { kind: 'silence', gen: this.#gen })
    }
  }

  /**
   * maxSilenceMs after the last frame, plus how late the pending heartbeat
   * went out: that delay is our event loop's, not the server's silence.
   * Without it a late heartbeat timer put the silence deadline before the
   * reply deadline, so the reason (even the loss) depended on timer lag.
   */
  #silenceDeadline (): number {
    const heartbeatDelay = this.#pendingRef === null ? 0 : Math.max(0, this.#sentAt - this.#heartbeatDueAt)
    return this.#lastReceivedAt + this.#core.options.maxSilenceMs + heartbeatDelay
  }
}
