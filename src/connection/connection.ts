/**
 * One `ws` socket driving one pure Session (layer 0): opens with a deadline
 * on TCP, TLS and the upgrade together; feeds frames in and out; keeps one
 * timer at the session's next deadline; closes and reconnects when liveness
 * is lost; reconnects with jittered back-off after every close it did not
 * ask for (as phoenix.js 1.8.16, a server 1000 included). A refused upgrade
 * is reported with its HTTP status, headers and body.
 */
import { isAscii } from 'node:buffer'
import { EventEmitter } from 'node:events'
import { WebSocket } from 'ws'
import { isBackchannelError, type BackchannelError } from '../errors.ts'
import { Backoff, RECONNECT_SCHEDULE_MS } from '../phoenix/backoff.ts'
import type { PushRecord } from '../phoenix/channel.ts'
import { ProtocolError } from '../phoenix/errors.ts'
import type { Frame, Message, ReceivedPayload } from '../phoenix/message.ts'
import { v1, v2, type Serializer } from '../phoenix/serializer.ts'
import { Session, type SessionStats } from '../phoenix/session.ts'
import type { JoinOutcome, PushOptions, PushOutcome, SessionEvent } from '../phoenix/session-types.ts'
import { redactUrl } from '../safe-url.ts'
import { openSocket } from './open.ts'
import { WriteBatch } from './write-batch.ts'
import { ConnectError, SendBufferFullError } from './errors.ts'
import { DEFAULT_MAX_SEND_BUFFER_BYTES, type ConnectionOptions } from './options.ts'

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed'

export interface ConnectionEvents {
  connecting: [{ attempt: number }]
  open: [{ attempt: number, latencyMs: number }]
  connect_failed: [{ attempt: number, error: BackchannelError }]
  close: [{ code: number, reason: string, willReconnect: boolean }]
  reconnect_scheduled: [{ attempt: number, delayMs: number }]
  session: [SessionEvent]
  /** A channel message: topic, event, its payload (read on demand: see ReceivedPayload), and the frame's size in bytes. */
  message: [string, string, ReceivedPayload, number]
  protocol_error: [ProtocolError]
  /** Handling a decoded frame threw (a listener, a callback): that message is lost, the socket goes on. */
  message_dropped: [{ topic: string, event: string, error: unknown }]
}

export class Connection extends EventEmitter<ConnectionEvents> {
  readonly session: Session
  /** The upstream without its query, safe to log. */
  readonly safeUrl: string
  readonly #options: ConnectionOptions
  readonly #serializer: Serializer
  readonly #now: () => number
  readonly #backoff: Backoff
  #state: ConnectionState = 'idle'
  #ws: WebSocket | null = null
  /** Frames of one loop turn go out in one write. */
  #batch: WriteBatch | null = null
  #timer: NodeJS.Timeout | undefined
  #timerAt = Number.POSITIVE_INFINITY
  #reconnectTimer: NodeJS.Timeout | undefined
  /** Aborts the connect attempt under way, if any (close() during a connect). */
  #connecting: AbortController | null = null
  #attempt = 0
  #closing: Promise<void> | null = null
  /** Size of the frame being delivered, for the message event. */
  #lastFrameBytes = 0

  constructor (options: ConnectionOptions) {
    super()
    this.#options = options
    this.safeUrl = redactUrl(options.url)
    this.#serializer = options.vsn === '1.0.0' ? v1 : v2
    this.#now = options.now ?? (() => performance.now())
    const random = options.random ?? Math.random
    this.#backoff = new Backoff(options.reconnectDelay ?? RECONNECT_SCHEDULE_MS, { random, jitter: options.jitter ?? 0.2 })
    this.session = new Session({
      send: (message) => { this.#send(message) },
      deliver: (topic, event, received) => { this.emit('message', topic, event, received, this.#lastFrameBytes) },
      emit: (event) => { this.#onSessionEvent(event) },
    }, { ...options, random })
  }

  get state (): ConnectionState { return this.#state }

  stats (): SessionStats & { state: ConnectionState, sendBufferBytes: number } {
    return { ...this.session.stats(), state: this.#state, sendBufferBytes: this.#ws?.bufferedAmount ?? 0 }
  }

  /** Starts connecting (and reconnecting) until `close()`. Idempotent. */
  connect (): void {
    if (this.#state !== 'idle') return
    this.#open()
  }

  join (topic: string, params: unknown, onOutcome?: (outcome: JoinOutcome) => void): void {
    this.session.join(topic, params, this.#now(), onOutcome)
    this.#arm()
  }

  leave (topic: string, onDone?: () => void): void {
    this.session.leave(topic, this.#now(), onDone)
    this.#arm()
  }

  /** Sends or buffers a push; `onOutcome` is called exactly once. Null when it failed at once (send buffer full). */
  push (topic: string, event: string, payload: unknown, options: PushOptions, onOutcome: (outcome: PushOutcome) => void): PushRecord | null {
    const limit = this.#options.maxSendBufferBytes ?? DEFAULT_MAX_SEND_BUFFER_BYTES
    if (this.#ws !== null && this.#ws.bufferedAmount > limit) {
      onOutcome({ kind: 'failed', error: new SendBufferFullError(limit) })
      return null
    }
    const record = this.session.push(topic, event, payload, this.#now(), options, onOutcome)
    this.#arm()
    return record
  }

  cancel (push: PushRecord, error: BackchannelError): void {
    this.session.cancel(push, error, this.#now())
  }

  /**
   * Closes on purpose with 1000: no reconnect; every waiting push and join
   * fails with BC_ERR_CLOSED. Resolves once the socket is closed (or after
   * `timeoutMs`, when it is dropped).
   */
  async close (timeoutMs = 2000): Promise<void> {
    this.#closing ??= this.#close(timeoutMs)
    return this.#closing
  }

  async #close (timeoutMs: number): Promise<void> {
    this.#state = 'closed'
    clearTimeout(this.#reconnectTimer)
    clearTimeout(this.#timer)
    this.#connecting?.abort()
    this.session.end(this.#now())
    const ws = this.#ws
    if (ws === null || ws.readyState === WebSocket.CLOSED) return
    const closed = new Promise<void>((resolve) => { ws.once('close', () => { resolve() }) })
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate()
    else ws.close(1000)
    const timer = setTimeout(() => { ws.terminate() }, timeoutMs)
    await closed
    clearTimeout(timer)
  }

  #open (): void {
    this.#state = 'connecting'
    this.#attempt++
    const attempt = this.#attempt
    const startedAt = this.#now()
    this.emit('connecting', { attempt })
    const connecting = new AbortController()
    this.#connecting = connecting
    openSocket(this.#options, this.#serializer.vsn, connecting.signal).then(({ ws, socket }) => {
      if (this.#connecting === connecting) this.#connecting = null
      if (this.#state === 'closed') {
        ws.terminate()
        return
      }
      this.#ws = ws
      this.#batch = new WriteBatch(socket)
      this.#state = 'open'
      this.#backoff.reset()
      const keepText = this.#options.keepPayloadText === true
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary || !keepText) this.#receive(isBinary ? data : data.toString('utf8'), data.length, false)
        // A text frame of ASCII only (a native check) is marked so, and its bytes help check it: its payload text can
        // then be written without being measured or encoded.
        else if (isAscii(data)) this.#receive(data.toString('latin1'), data.length, true, data)
        else this.#receive(data.toString('utf8'), data.length, false)
      })
      ws.once('close', (code: number, reason: Buffer) => { this.#onClose(ws, code, reason.toString('utf8')) })
      this.session.opened(this.#now())
      this.#arm()
      this.emit('open', { attempt, latencyMs: this.#now() - startedAt })
    }, (err: unknown) => {
      if (this.#connecting === connecting) this.#connecting = null
      if (this.#state === 'closed') return
      const error = isBackchannelError(err) ? err : new ConnectError('unexpected', err)
      this.emit('connect_failed', { attempt, error })
      this.#scheduleReconnect()
    })
  }

  #receive (frame: Frame, bytes: number, ascii: boolean, asciiBytes?: Buffer): void {
    let message: Message
    try {
      message = this.#options.keepPayloadText === true ? this.#serializer.decodeFromServerLazily(frame, ascii, asciiBytes) : this.#serializer.decodeFromServer(frame)
    } catch (err) {
      const error = err instanceof ProtocolError ? err : new ProtocolError('bad_shape', 'undecodable frame', err)
      this.emit('protocol_error', error)
      this.#ws?.close(1002)
      return
    }
    this.#lastFrameBytes = bytes
    try {
      this.session.receive(message, this.#now())
    } catch (error) {
      // Nothing a peer sends may throw past its own message: that one is dropped and reported, the socket goes on.
      this.#report({ topic: message.topic, event: message.event, error })
    }
    this.#arm()
  }

  #report (dropped: { topic: string, event: string, error: unknown }): void {
    try {
      this.emit('message_dropped', dropped)
    } catch {
      // A listener of the report failed too: there is nothing more to do for this frame.
    }
  }

  #send (message: Message): void {
    const ws = this.#ws
    if (ws === null || ws.readyState !== WebSocket.OPEN) return
    const frame = this.#serializer.encodeToServer(message)
    this.#batch?.open()
    ws.send(frame, { binary: typeof frame !== 'string' })
  }

  #onSessionEvent (event: SessionEvent): void {
    this.emit('session', event)
    if (event.type === 'liveness_lost') this.#ws?.terminate()
  }

  #onClose (ws: WebSocket, code: number, reason: string): void {
    if (this.#ws !== ws) return
    this.#ws = null
    this.#batch = null
    this.session.closed(this.#now())
    if (this.#state === 'closed') {
      this.emit('close', { code, reason, willReconnect: false })
      return
    }
    // phoenix.js 1.8.16 reconnects after every close it did not ask for, 1000 included.
    this.emit('close', { code, reason, willReconnect: true })
    this.#scheduleReconnect()
  }

  #scheduleReconnect (): void {
    this.#state = 'waiting'
    const delayMs = this.#backoff.next()
    this.emit('reconnect_scheduled', { attempt: this.#backoff.attempt, delayMs })
    this.#reconnectTimer = setTimeout(() => {
      if (this.#state === 'waiting') this.#open()
    }, delayMs)
  }

  /** Keeps the one timer at the session's next deadline. */
  #arm (): void {
    const at = this.session.nextDeadline()
    if (at === undefined || at >= this.#timerAt) return
    clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = setTimeout(() => {
      this.#timerAt = Number.POSITIVE_INFINITY
      this.session.tick(this.#now())
      this.#arm()
    }, Math.max(0, Math.ceil(at - this.#now())))
  }
}
