/**
 * Backchannel's Phoenix client, the library face (layer 2).
 *
 * Two ways to use it. As a class with callbacks: subclass and override
 * `onConnect`, `onDisconnect`, `onJoin`, `onMessage`, `onReply`,
 * `onTopicClose` and `onLeave` (each has a default that does nothing). Or as
 * promises for scripts: `await client.connect()`, `join`, `push`,
 * `nextMessage`, `messages`, `leave`, `close`. Observability events (no
 * payloads, no secrets) are on `client.events`.
 */
import { EventEmitter } from 'node:events'
import { Pool, type PoolOptions, type PoolStats } from '../connection/pool.ts'
import { redactUrl } from '../safe-url.ts'
import { AbortedError, ClosedError, TimeoutError } from '../phoenix/errors.ts'
import type { PushRecord } from '../phoenix/channel.ts'
import type { ReceivedPayload } from '../phoenix/message.ts'
import type { ChannelState, JoinOutcome, PushOutcome } from '../phoenix/session-types.ts'
import { relayPoolEvents, type CallbackName, type ClientEvents } from './events.ts'
import { messageIterator, MessageWaiters, type ChannelMessage } from './message-waiters.ts'
import { ReplyError } from './reply-error.ts'
import { withDeadline } from './deadline.ts'

export type ClientOptions = PoolOptions

export interface CallOptions {
  /** Deadline in ms for this call. */
  timeout?: number
  signal?: AbortSignal
}

export interface Reply { status: string, response: unknown }

/**
 * Hears every channel message (not replies): its topic, its event, the
 * decoded message to read its payload from, and its size on the wire in
 * bytes. `received.payload` is the value, parsed on first read for a V2
 * text frame; `received.payloadText`, when set, is the payload's JSON text
 * exactly as received (checked valid, nested at most MAX_JSON_DEPTH levels):
 * a listener that only forwards the text never makes the client parse it.
 * Positional arguments: nothing is allocated per message to call it.
 */
export type MessageListener = (topic: string, event: string, received: ReceivedPayload, bytes: number) => void

/** A topic's channel now: its state, its current join_ref and the socket it is on (null when not wanted). */
export interface ChannelInfo { state: ChannelState, joinRef: string | null, socket: number | null }

export type { Params } from '../connection/dial.ts'

export class Client {
  /** Observability: connects, joins, pushes, replies, heartbeats… never payloads. */
  readonly events = new EventEmitter<ClientEvents>()
  /** The sockets (layer 1), for tests and tools; applications use the methods below. */
  readonly pool: Pool
  /** The server's URL as scheme://host/path: safe to log (connect params, which may hold tokens, are not in it). */
  readonly safeUrl: string
  readonly #waiters = new MessageWaiters()
  /** Replaced, never changed in place: a listener removed while a message is handed out does not make the loop skip another. */
  #messageListeners: readonly MessageListener[] = []
  readonly #connectTimeoutMs: number
  #closed = false

  constructor (options: ClientOptions) {
    this.pool = new Pool(options)
    this.safeUrl = redactUrl(options.url)
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000
    relayPoolEvents(this.pool, (name, ...args) => { (this.events.emit as (n: string, ...a: unknown[]) => boolean)(name, ...args) }, (name) => this.events.listenerCount(name) > 0)
    this.pool.on('open', (socket) => { this.#call('onConnect', null, () => { this.onConnect(socket) }) })
    this.pool.on('close', (socket, e) => { this.#call('onDisconnect', null, () => { this.onDisconnect({ socket, code: e.code, reason: e.reason }) }) })
    this.pool.on('message', (_socket, topic, event, received, bytes) => {
      // The payload is parsed only for whoever reads it: an overridden onMessage, a waiter, a listener.
      if (this.onMessage !== Client.prototype.onMessage) this.#call('onMessage', topic, () => { this.onMessage(topic, event, received.payload) })
      this.#waiters.dispatch(topic, event, received)
      // A listener that throws loses this message (message_dropped); the socket goes on.
      for (const listener of this.#messageListeners) listener(topic, event, received, bytes)
    })
    this.pool.on('session', (_socket, e) => {
      if (e.type === 'channel_closed') {
        const { topic, reason } = e
        if (reason === 'left') this.#call('onLeave', topic, () => { this.onLeave(topic) })
        else this.#call('onTopicClose', topic, () => { this.onTopicClose(topic, reason) })
      }
    })
  }

  /** Runs an overridden callback: what it throws is reported on `events` (callback_error), never thrown into the socket. */
  #call (callback: CallbackName, topic: string | null, run: () => void): void {
    try {
      run()
    } catch (error) {
      this.events.emit('callback_error', { callback, topic, error })
    }
  }

  // ── callbacks, each with a default ────────────────────────────────────

  /** A socket opened (socket index in the pool). */
  onConnect (_socket: number): void {}
  /** A socket closed; the client reconnects unless closed on purpose. */
  onDisconnect (_info: { socket: number, code: number, reason: string }): void {}
  /** `join()` succeeded, with the join reply (rejoins are reported on `client.events` as join_ok). */
  onJoin (_topic: string, _reply: unknown): void {}
  /** A channel message (not a reply). */
  onMessage (_topic: string, _event: string, _payload: unknown): void {}
  /** A push got its reply (any status). */
  onReply (_topic: string, _event: string, _reply: Reply): void {}
  /** The server ended a topic (`server_closed`) or gave it up (`refused`); it is not rejoined. */
  onTopicClose (_topic: string, _reason: 'server_closed' | 'refused'): void {}
  /** A topic was left. */
  onLeave (_topic: string): void {}

  // ── listeners and non-waiting calls (what a long-lived host such as the gateway uses) ──

  /** Adds a listener of every channel message (see MessageListener); returns the function that removes it. */
  addMessageListener (listener: MessageListener): () => void {
    this.#messageListeners = [...this.#messageListeners, listener]
    return () => { this.#messageListeners = this.#messageListeners.filter((l) => l !== listener) }
  }

  /** Starts the sockets and returns at once; they connect, and reconnect, until `close()`. Failures are `connect_fail` events. */
  start (): void {
    this.#assertOpen()
    this.pool.connect()
  }

  /**
   * Asks for `topic`'s channel and returns at once; `onOutcome` hears how the
   * first join ended (`joined` with the reply, or `failed` with a typed
   * error, e.g. ChannelLimitError when every socket is full). The topic is
   * rejoined after every reconnect until `leave`. `onJoin` is not called.
   * After `close()` the outcome is `failed` with ClosedError.
   */
  requestJoin (topic: string, params: unknown = {}, onOutcome?: (outcome: JoinOutcome) => void): void {
    if (this.#closed) onOutcome?.({ kind: 'failed', error: new ClosedError() })
    else this.pool.join(topic, params, onOutcome)
  }

  /** Leaves `topic` and returns at once (the leave is under way); `onDone` hears when the server confirmed, or the leave timed out. */
  requestLeave (topic: string, onDone?: () => void): void {
    this.pool.leave(topic, onDone)
  }

  /** The topic's channel now; state `closed` when it is not wanted. */
  channelInfo (topic: string): ChannelInfo {
    return this.pool.channelInfo(topic)
  }

  /** The socket `topic` is on (the index in events such as connect_fail), or undefined when it is not wanted. */
  socketOf (topic: string): number | undefined {
    return this.pool.socketOf(topic)
  }

  /** How many sockets the client keeps (its pool size), open or not. */
  get socketCount (): number {
    return this.pool.connections.length
  }

  // ── promises ──────────────────────────────────────────────────────────

  /** Starts the sockets; resolves when the first is open. Rejects on the first failure or the deadline; reconnecting goes on until `close()`. */
  async connect (options: CallOptions = {}): Promise<void> {
    this.#assertOpen()
    this.pool.connect()
    // Already open: listen for nothing (a later failure would reject a promise no one awaits).
    if (this.pool.connections.some((c) => c.state === 'open')) return
    // Attempts settle asynchronously, so nothing is missed by listening after connect().
    const opened = new Promise<void>((resolve, reject) => {
      const onOpen = (): void => { cleanup(); resolve() }
      const onFail = (_socket: number, e: { error: Error }): void => { cleanup(); reject(e.error) }
      const cleanup = (): void => { this.pool.off('open', onOpen); this.pool.off('connect_failed', onFail) }
      this.pool.on('open', onOpen)
      this.pool.on('connect_failed', onFail)
    })
    await withDeadline(opened, options.timeout ?? this.#connectTimeoutMs, 'connect', options.signal)
  }

  /** Joins `topic` and resolves with the join reply; the topic is rejoined after every reconnect until `leave`. */
  async join (topic: string, params: unknown = {}, options: CallOptions = {}): Promise<unknown> {
    this.#assertOpen()
    const joined = new Promise<unknown>((resolve, reject) => {
      this.pool.join(topic, params, (outcome) => {
        if (outcome.kind === 'joined') resolve(outcome.response)
        else reject(outcome.error)
      })
    })
    const response = await withDeadline(joined, options.timeout ?? 0, 'join', options.signal)
    this.#call('onJoin', topic, () => { this.onJoin(topic, response) })
    return response
  }

  /** Pushes and resolves with the reply's response when its status is ok; any other status throws ReplyError. */
  async push (topic: string, event: string, payload: unknown = {}, options: CallOptions = {}): Promise<unknown> {
    const reply = await this.request(topic, event, payload, options)
    if (reply.status !== 'ok') throw new ReplyError(reply.status, reply.response)
    return reply.response
  }

  /** Pushes and resolves with the reply whatever its status; throws only when no reply came (typed errors). */
  async request (topic: string, event: string, payload: unknown = {}, options: CallOptions = {}): Promise<Reply> {
    this.#assertOpen()
    if (options.signal?.aborted === true) throw new AbortedError(options.signal.reason)
    return new Promise<Reply>((resolve, reject) => {
      // Declared before the push: it may end at once (not joined, buffer full), calling onOutcome inside push().
      let record: PushRecord | null = null
      const onAbort = (): void => {
        if (record !== null) this.pool.cancel(topic, record, new AbortedError(options.signal?.reason, record.ref !== null))
      }
      const onOutcome = (outcome: PushOutcome): void => {
        options.signal?.removeEventListener('abort', onAbort)
        if (outcome.kind === 'failed') {
          reject(outcome.error)
          return
        }
        const reply = { status: outcome.status, response: outcome.response }
        this.#call('onReply', topic, () => { this.onReply(topic, event, reply) })
        resolve(reply)
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      record = this.pool.push(topic, event, payload, options.timeout === undefined ? {} : { timeoutMs: options.timeout }, onOutcome)
    })
  }

  /** The next message on `topic` (optionally of one event) from now on. */
  async nextMessage (topic: string, options: CallOptions & { event?: string } = {}): Promise<ChannelMessage> {
    this.#assertOpen()
    let remove = (): void => {}
    let unEnd = (): void => {}
    const next = new Promise<ChannelMessage>((resolve, reject) => {
      remove = this.#waiters.add(topic, (m) => { if (options.event === undefined || m.event === options.event) resolve(m) })
      unEnd = this.#waiters.onEnd(() => { reject(new ClosedError()) })
    })
    try {
      return await withDeadline(next, options.timeout ?? 0, 'message', options.signal)
    } finally {
      remove()
      unEnd()
    }
  }

  /** Every message on `topic` from now on, as an async iterator with a bounded queue (default 1,000). */
  messages (topic: string, options: { event?: string, queueSize?: number } = {}): AsyncIterableIterator<ChannelMessage> {
    this.#assertOpen()
    const event = options.event
    return messageIterator(this.#waiters, topic, options.queueSize ?? 1000, (m) => event === undefined || m.event === event)
  }

  /** Leaves `topic`: resolves once the server confirmed, or the leave timed out. */
  async leave (topic: string): Promise<void> {
    await new Promise<void>((resolve) => { this.pool.leave(topic, resolve) })
  }

  /** Closes every socket with 1000; waiting pushes and joins fail with BC_ERR_CLOSED. Idempotent. */
  async close (): Promise<void> {
    if (!this.#closed) {
      this.#closed = true
      this.#waiters.end()
    }
    await this.pool.close()
  }

  stats (): PoolStats {
    return this.pool.stats()
  }

  #assertOpen (): void {
    if (this.#closed) throw new ClosedError()
  }
}

export { ReplyError, TimeoutError }
