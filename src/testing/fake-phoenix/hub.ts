/**
 * The state one fake server shares across its connections: options, fault
 * switches, the topic subscriptions that broadcasts fan out to, presence,
 * and the events tests wait on.
 */
import { EventEmitter } from 'node:events'
import type { Frame, Message } from '../../phoenix/message.ts'
import type { Serializer } from '../../phoenix/serializer.ts'
import type { ResolvedOptions } from './options.ts'
import { PresenceTracker, type PresenceDiff } from './presence-tracker.ts'

/** What a subscription needs to receive a broadcast. */
export interface Subscriber {
  readonly connectionId: number
  readonly serializer: Serializer
  sendFrame: (frame: Frame) => void
}

export interface FaultState {
  heartbeatsPaused: boolean
  stalled: boolean
  replyDelayMs: number
  refusal: { status: number, body: string, headers: Record<string, string> } | null
}

export interface FakePhoenixEvents {
  /** `mount` is the path of the socket mount the client upgraded on. */
  connect: [{ connectionId: number, socketId: string | null, vsn: string, mount: string }]
  disconnect: [{ connectionId: number, code: number, reason: string }]
  /** Every decoded message a client sent. */
  frame: [{ connectionId: number, message: Message }]
  join: [{ connectionId: number, topic: string, joinRef: string | null, status: string }]
  leave: [{ connectionId: number, topic: string, joinRef: string | null }]
  /** A channel ended by a crash (`phx_error`) or a stop (`phx_close`). */
  channelEnd: [{ connectionId: number, topic: string, reason: string }]
  /** A message dropped because its join_ref is stale. */
  stale: [{ connectionId: number, message: Message }]
  /** A connection closed because a frame broke the protocol (1011). */
  protocolError: [{ connectionId: number, error: Error }]
}

export class Hub extends EventEmitter<FakePhoenixEvents> {
  readonly options: ResolvedOptions
  readonly faults: FaultState = { heartbeatsPaused: false, stalled: false, replyDelayMs: 0, refusal: null }
  readonly presence: PresenceTracker
  readonly #subscribers = new Map<string, Set<Subscriber>>()
  readonly #diffs: Array<{ topic: string, diff: PresenceDiff }> = []

  constructor (options: ResolvedOptions) {
    super()
    this.options = options
    this.presence = new PresenceTracker((topic, diff) => { this.#queueDiff(topic, diff) })
  }

  /**
   * Phoenix.Presence broadcasts a diff from its own process once a task
   * computed it, never inside the `track` call: what the tracking channel
   * pushes right after (`presence_state`) reaches its client first. Diffs
   * keep their order.
   */
  #queueDiff (topic: string, diff: PresenceDiff): void {
    this.#diffs.push({ topic, diff })
    if (this.#diffs.length > 1) return
    setImmediate(() => {
      for (const queued of this.#diffs.splice(0)) this.broadcast(queued.topic, 'presence_diff', queued.diff)
    })
  }

  subscribe (topic: string, subscriber: Subscriber): void {
    let set = this.#subscribers.get(topic)
    if (set === undefined) this.#subscribers.set(topic, (set = new Set()))
    set.add(subscriber)
  }

  unsubscribe (topic: string, subscriber: Subscriber): void {
    const set = this.#subscribers.get(topic)
    if (set === undefined) return
    set.delete(subscriber)
    if (set.size === 0) this.#subscribers.delete(topic)
  }

  subscriberCount (topic: string): number {
    return this.#subscribers.get(topic)?.size ?? 0
  }

  /** A fastlane broadcast: `[null, null, topic, event, payload]`, encoded once per serializer. */
  broadcast (topic: string, event: string, payload: unknown, except?: Subscriber): number {
    const set = this.#subscribers.get(topic)
    if (set === undefined) return 0
    const message: Message = { joinRef: null, ref: null, topic, event, payload }
    const encoded = new Map<Serializer, Frame | null>()
    let sent = 0
    for (const sub of set) {
      if (sub === except) continue
      let frame = encoded.get(sub.serializer)
      if (frame === undefined) {
        try {
          frame = sub.serializer.encodeToClient(message)
        } catch {
          frame = null // V1 cannot carry bytes: those subscribers get nothing, as in Phoenix
        }
        encoded.set(sub.serializer, frame)
      }
      if (frame !== null) {
        sub.sendFrame(frame)
        sent++
      }
    }
    return sent
  }
}
