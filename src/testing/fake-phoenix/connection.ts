/**
 * One client connection of the fake server: decodes frames, answers
 * heartbeats, joins and leaves, routes messages to channels with Phoenix's
 * join_ref rules, and enforces the idle timeout (reference A9, A10, E 8–16).
 * Joins run inside the connection, as in Phoenix: a slow join holds up every
 * later frame on the socket, heartbeats included.
 */
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import { ControlEvent, HEARTBEAT_TOPIC, type Frame, type Message } from '../../phoenix/message.ts'
import type { Serializer } from '../../phoenix/serializer.ts'
import { routeTopic, type ConnectInfo } from './channel-api.ts'
import { ChannelInstance } from './channel.ts'
import type { ConnectionPort } from './connection-port.ts'
import type { Hub } from './hub.ts'
import type { ResolvedMount } from './options.ts'
import type { QueryParams } from './query.ts'
import { isStaleLeave, isStalePush } from './stale.ts'

let nextConnectionId = 1

export interface ConnectionSetup {
  /** The socket mount the client upgraded on: its channels, idle timeout and channel limit. */
  mount: ResolvedMount
  ws: WebSocket
  raw: Socket
  serializer: Serializer
  params: QueryParams
  info: ConnectInfo
  socketId: string | null
  assigns: Record<string, unknown>
}

export class FakeConnection implements ConnectionPort {
  readonly id = nextConnectionId++
  /** The mount path the client upgraded on (`/socket`). */
  readonly mount: string
  readonly socketId: string | null
  readonly params: QueryParams
  readonly info: ConnectInfo
  readonly assigns: Record<string, unknown>
  readonly serializer: Serializer
  readonly ws: WebSocket
  readonly raw: Socket
  readonly channels = new Map<string, ChannelInstance>()
  readonly closed: Promise<void>
  readonly #hub: Hub
  readonly #options: ResolvedMount
  #inbound: Promise<void> = Promise.resolve()
  #held: Array<() => Promise<void>> = []
  #drained: Promise<void> | null = null
  /** Frames handed to ws whose write has not completed yet (see `queuedFrames`). */
  #unwritten = 0
  readonly #written = (): void => { this.#unwritten-- }
  #idle: NodeJS.Timeout
  /** Cancels each reply held back by `delayReplies`: a closed socket runs them, so no delay outlives it (or keeps a process alive). */
  readonly #delayed = new Set<() => void>()

  constructor (hub: Hub, setup: ConnectionSetup) {
    this.#hub = hub
    this.#options = setup.mount
    this.mount = setup.mount.path
    this.ws = setup.ws
    this.raw = setup.raw
    this.serializer = setup.serializer
    this.params = setup.params
    this.info = setup.info
    this.socketId = setup.socketId
    this.assigns = setup.assigns
    this.#idle = setTimeout(() => { this.#idleTimeout() }, this.#options.idleTimeoutMs)
    this.raw.on('data', () => { this.#idle.refresh() })
    this.ws.on('message', (data: Buffer, isBinary: boolean) => { this.#receive(isBinary ? data : data.toString('utf8')) })
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code: number, reason: Buffer) => {
        clearTimeout(this.#idle)
        for (const cancel of [...this.#delayed]) cancel()
        for (const channel of [...this.channels.values()]) channel.end('shutdown:closed', 'none')
        hub.emit('disconnect', { connectionId: this.id, code, reason: reason.toString('utf8') })
        resolve()
      })
    })
    this.ws.on('error', () => { /* the close event follows */ })
  }

  send (message: Message): void {
    let frame: Frame
    try {
      frame = this.serializer.encodeToClient(message)
    } catch (err) {
      this.#protocolError(err)
      return
    }
    this.sendFrame(frame)
  }

  sendReply (message: Message): void {
    const delay = this.#hub.faults.replyDelayMs
    if (delay <= 0) {
      this.send(message)
      return
    }
    this.#delay(delay).then((sent) => { if (sent) this.send(message) }, () => { /* #delay never rejects */ })
  }

  /** Resolves true after `ms`, or false as soon as the socket closes. */
  async #delay (ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = (): void => { clearTimeout(timer); this.#delayed.delete(cancel); resolve(false) }
      const timer = setTimeout(() => { this.#delayed.delete(cancel); resolve(true) }, ms)
      this.#delayed.add(cancel)
    })
  }

  sendFrame (frame: Frame): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    this.#unwritten++
    this.ws.send(frame, { binary: typeof frame !== 'string' }, this.#written)
  }

  /** Bytes queued for this client and not yet handed to the kernel (ws's `bufferedAmount`). */
  bufferedAmount (): number {
    return this.ws.bufferedAmount
  }

  /**
   * Frames sent to this client whose write has not completed: the
   * connection's send queue counted in frames (read-only; benchmarks
   * sample it). A frame counts until its write callback runs: on the next
   * tick when the kernel took it at once, else once its write completes.
   */
  queuedFrames (): number {
    return this.#unwritten
  }

  /** Resolves once the socket's write queue drained (or it closed); every caller shares one wait. */
  async drain (): Promise<void> {
    if (this.raw.writableLength === 0 || this.raw.destroyed) return
    this.#drained ??= new Promise<void>((resolve) => {
      const done = (): void => {
        this.raw.off('drain', done)
        this.raw.off('close', done)
        this.#drained = null
        resolve()
      }
      this.raw.on('drain', done)
      this.raw.on('close', done)
    })
    await this.#drained
  }

  detach (channel: { topic: string }): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic)
  }

  /** Closes with a code: a normal close waits for the client's close frame; an error close drops TCP at once (Bandit). */
  close (code: number, reason = ''): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    this.ws.close(code, reason)
    if (code !== 1000 && code !== 1012) this.raw.end()
  }

  /** Drops TCP without a close frame. */
  drop (): void {
    this.ws.terminate()
  }

  /** Stops reading and handling, as a hung server: no answers, no idle close. */
  stall (): void {
    this.raw.pause()
    clearTimeout(this.#idle)
  }

  /** Frames held while stalled are handled now, in order. */
  resumeHeld (): void {
    clearTimeout(this.#idle)
    if (this.ws.readyState === this.ws.OPEN) this.#idle = setTimeout(() => { this.#idleTimeout() }, this.#options.idleTimeoutMs)
    const held = this.#held
    this.#held = []
    for (const task of held) this.#inbound = this.#inbound.then(task)
    this.raw.resume()
  }

  #receive (frame: Frame): void {
    let message: Message
    try {
      message = this.serializer.decodeFromClient(frame)
    } catch (err) {
      this.#protocolError(err)
      return
    }
    try {
      this.#hub.emit('frame', { connectionId: this.id, message })
    } catch (err) {
      this.#handlingFailed(err)
    }
    // A frame whose handling fails is reported and the connection goes on: later frames are still handled.
    const task = async (): Promise<void> => this.#handle(message).catch((err: unknown) => { this.#handlingFailed(err) })
    if (this.#hub.faults.stalled) this.#held.push(task)
    else this.#inbound = this.#inbound.then(task)
  }

  /** A frame decoded fine but handling it threw (a listener, a handler): reported as a protocol error, the socket stays. */
  #handlingFailed (err: unknown): void {
    try {
      this.#hub.emit('protocolError', { connectionId: this.id, error: err instanceof Error ? err : new Error(String(err)) })
    } catch {
      // A listener of the report failed too: nothing more to do for this frame.
    }
  }

  #protocolError (err: unknown): void {
    this.#handlingFailed(err)
    this.close(1011)
  }

  #idleTimeout (): void {
    this.close(this.#hub.options.adapter === 'cowboy' ? 1000 : 1002)
  }

  async #handle (message: Message): Promise<void> {
    const { topic, event } = message
    if (topic === HEARTBEAT_TOPIC && event === ControlEvent.heartbeat) {
      if (!this.#hub.faults.heartbeatsPaused) {
        this.send({ joinRef: null, ref: message.ref, topic, event: ControlEvent.reply, payload: { response: {}, status: 'ok' } })
      }
      return
    }
    if (event === ControlEvent.join) {
      await this.#join(message)
      return
    }
    const channel = this.channels.get(topic)
    if (event === ControlEvent.leave) {
      if (channel === undefined) this.#replyOk(message, message.joinRef)
      else if (isStaleLeave(this.#hub.options.profile.nullLeaveIsStale, channel.wireJoinRef, message.joinRef)) this.#hub.emit('stale', { connectionId: this.id, message })
      else channel.leave(message.ref)
      return
    }
    if (channel === undefined) {
      this.#replyError(message, null, 'unmatched topic')
    } else if (isStalePush(this.#hub.options.profile.staleJoinRef, channel.wireJoinRef, message.joinRef)) {
      this.#hub.emit('stale', { connectionId: this.id, message })
    } else {
      channel.handleIn(message)
    }
  }

  async #join (message: Message): Promise<void> {
    const { topic } = message
    const handler = routeTopic(this.#options.channels, topic)
    if (handler === undefined) {
      this.#replyError(message, null, 'unmatched topic')
      this.#hub.emit('join', { connectionId: this.id, topic, joinRef: message.joinRef, status: 'unmatched' })
      return
    }
    const previous = this.channels.get(topic)
    previous?.end('shutdown:duplicate_join', 'none')
    // Phoenix queues the old channel's phx_close before the new join runs: it follows the
    // join reply and precedes anything the new channel pushes.
    const closePrevious = (): void => {
      if (previous !== undefined) {
        this.send({ joinRef: previous.wireJoinRef, ref: previous.wireJoinRef, topic, event: ControlEvent.close, payload: {} })
      }
    }
    let status: string
    if (this.channels.size >= this.#options.maxChannels) {
      this.#replyError(message, message.joinRef, 'too many channels joined')
      closePrevious()
      status = 'too_many_channels'
    } else {
      status = await this.#runJoin(handler, message, closePrevious)
    }
    this.#hub.emit('join', { connectionId: this.id, topic, joinRef: message.joinRef, status })
  }

  async #runJoin (handler: Parameters<typeof routeTopic>[0][string], message: Message, afterReply: () => void): Promise<string> {
    const channel = new ChannelInstance(this, this.#hub, message.topic, handler, message)
    const delay = this.#hub.faults.replyDelayMs
    let result
    try {
      result = await handler.join(message.topic, message.payload, channel.socket)
    } catch {
      result = { kind: 'reply' as const, status: 'error', response: { reason: 'join crashed' } }
    }
    if (delay > 0) await this.#delay(delay)
    // The join reply comes from the socket with the join's own join_ref (null stays null).
    const reply: Message = {
      joinRef: message.joinRef, ref: message.ref, topic: message.topic, event: ControlEvent.reply, payload: { response: result.response, status: result.status },
    }
    if (result.status !== 'ok') {
      channel.discard()
      this.send(reply)
      afterReply()
      return result.status
    }
    this.channels.set(message.topic, channel)
    this.#hub.subscribe(message.topic, channel)
    this.send(reply)
    afterReply()
    channel.open()
    return 'ok'
  }

  #replyOk (message: Message, joinRef: string | null): void {
    this.send({ joinRef, ref: message.ref, topic: message.topic, event: ControlEvent.reply, payload: { response: {}, status: 'ok' } })
  }

  #replyError (message: Message, joinRef: string | null, reason: string): void {
    this.send({ joinRef, ref: message.ref, topic: message.topic, event: ControlEvent.reply, payload: { response: { reason }, status: 'error' } })
  }
}
