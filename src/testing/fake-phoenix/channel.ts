/**
 * One joined channel on one connection, as a Phoenix channel process: its
 * messages run one at a time in arrival order, its pushes carry its join_ref,
 * and its end sends `phx_close` (graceful) or `phx_error` (crash).
 */
import type { Message } from '../../phoenix/message.ts'
import {
  isGracefulStop, type ChannelHandler, type ChannelSocket, type InfoResult, type InResult, type ReplyResult, type ReplyTo,
} from './channel-api.ts'
import type { Hub, Subscriber } from './hub.ts'
import type { ConnectionPort } from './connection-port.ts'

export class ChannelInstance implements Subscriber {
  readonly topic: string
  /** Stamped on replies and pushes: the join's join_ref, or its ref when that was null. */
  readonly joinRef: string | null
  /** The join_ref as the client sent it: used for stale checks, phx_close and phx_error. */
  readonly wireJoinRef: string | null
  readonly socket: ChannelSocket
  readonly #handler: ChannelHandler
  readonly #conn: ConnectionPort
  readonly #hub: Hub
  #chain: Promise<void> = Promise.resolve()
  /** Until the join reply is out, pushes wait here (Phoenix sends the reply first). */
  #held: Message[] | null = []
  /**
   * What `sendInfo` delivered while the join runs: Phoenix's channel process
   * reads its mailbox only once join/3 returned, it subscribed to the topic
   * and the socket sent the reply; a refused join drops it with the process.
   */
  #mailbox: unknown[] | null = []
  #ended = false

  constructor (conn: ConnectionPort, hub: Hub, topic: string, handler: ChannelHandler, join: Message) {
    this.#conn = conn
    this.#hub = hub
    this.#handler = handler
    this.topic = topic
    this.wireJoinRef = join.joinRef
    this.joinRef = join.joinRef ?? join.ref
    this.socket = this.#makeSocket()
  }

  get connectionId (): number { return this.#conn.id }
  get serializer (): ConnectionPort['serializer'] { return this.#conn.serializer }
  get ended (): boolean { return this.#ended }

  sendFrame (frame: string | Uint8Array): void {
    this.#conn.sendFrame(frame)
  }

  /** Called once the channel is subscribed and the join reply sent: releases what it pushed meanwhile, then runs the messages sent to it. */
  open (): void {
    const held = this.#held ?? []
    this.#held = null
    for (const message of held) this.#conn.send(message)
    const mailbox = this.#mailbox ?? []
    this.#mailbox = null
    for (const info of mailbox) this.handleInfo(info)
  }

  /** Runs `task` after every earlier message of this channel. */
  enqueue (task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((err: unknown) => { this.crash(err) })
  }

  handleIn (message: Message): void {
    this.enqueue(async () => {
      if (this.#ended) return
      const handleIn = this.#handler.handleIn
      if (handleIn === undefined) throw new Error(`no handleIn for "${message.event}" on ${this.topic}`)
      const replyTo: ReplyTo = { ref: message.ref }
      this.#apply(await handleIn(message.event, message.payload, this.socket, replyTo), replyTo)
    })
  }

  handleInfo (info: unknown): void {
    if (this.#ended) return
    if (this.#mailbox !== null) {
      this.#mailbox.push(info)
      return
    }
    this.enqueue(async () => {
      if (this.#ended) return
      const handleInfo = this.#handler.handleInfo
      if (handleInfo === undefined) return
      this.#apply(await handleInfo(info, this.socket), null)
    })
  }

  /** `phx_leave`: ok reply, then `phx_close`, in order with earlier messages. */
  leave (leaveRef: string | null): void {
    this.enqueue(async () => {
      if (this.#ended) return
      this.#reply({ ref: leaveRef }, { kind: 'reply', status: 'ok', response: {} })
      this.end('shutdown:left', 'close')
      this.#hub.emit('leave', { connectionId: this.#conn.id, topic: this.topic, joinRef: this.wireJoinRef })
    })
  }

  /**
   * Forgets a channel whose join was refused: no terminate, nothing on the
   * wire to its client. What was sent to it is dropped, and what it tracked
   * is untracked (Phoenix's tracker sees the process exit).
   */
  discard (): void {
    this.#ended = true
    this.#held = null
    this.#mailbox = null
    this.#hub.presence.untrack(this, this.topic)
  }

  crash (err: unknown): void {
    if (this.#ended) return
    this.end(err instanceof Error ? `crash: ${err.message}` : 'crash', 'error')
  }

  /** Ends the channel: leaves its topic and presence, calls terminate, and sends the frame named. */
  end (reason: string, frame: 'close' | 'error' | 'none'): void {
    if (this.#ended) return
    this.#ended = true
    this.#held = null
    this.#mailbox = null
    this.#hub.unsubscribe(this.topic, this)
    this.#hub.presence.untrack(this, this.topic)
    this.#conn.detach(this)
    try {
      this.#handler.terminate?.(reason, this.socket)
    } catch {
      // terminate's own failure changes nothing on the wire
    }
    if (frame !== 'none') {
      const event = frame === 'close' ? 'phx_close' : 'phx_error'
      const payload = frame === 'close' ? {} : this.#hub.options.profile.errorPayload
      this.#conn.send({ joinRef: this.wireJoinRef, ref: this.wireJoinRef, topic: this.topic, event, payload })
    }
    if (frame !== 'none') this.#hub.emit('channelEnd', { connectionId: this.#conn.id, topic: this.topic, reason })
  }

  #apply (result: InResult | InfoResult, replyTo: ReplyTo | null): void {
    switch (result.kind) {
      case 'noreply':
        return
      case 'reply':
        if (replyTo !== null) this.#reply(replyTo, result)
        return
      case 'stop':
        if (result.reply !== undefined && replyTo !== null) this.#reply(replyTo, result.reply)
        this.end(result.reason, isGracefulStop(result.reason) ? 'close' : 'error')
    }
  }

  #reply (to: ReplyTo, result: ReplyResult): void {
    this.#conn.sendReply({
      joinRef: this.joinRef, ref: to.ref, topic: this.topic, event: 'phx_reply', payload: { response: result.response, status: result.status },
    })
  }

  #push (message: Message): void {
    if (this.#ended) return
    if (this.#held !== null) this.#held.push(message)
    else this.#conn.send(message)
  }

  #makeSocket (): ChannelSocket {
    const conn = this.#conn
    const hub = this.#hub
    return {
      topic: this.topic,
      joinRef: this.joinRef,
      connectionId: conn.id,
      socketId: conn.socketId,
      params: conn.params,
      connectInfo: conn.info,
      assigns: { ...conn.assigns },
      push: (event, payload) => { this.#push({ joinRef: this.joinRef, ref: null, topic: this.topic, event, payload }) },
      broadcast: (event, payload) => { hub.broadcast(this.topic, event, payload) },
      broadcastFrom: (event, payload) => { hub.broadcast(this.topic, event, payload, this) },
      reply: (to, result) => { if (!this.#ended) this.#reply(to, result) },
      sendInfo: (message) => { this.handleInfo(message) },
      track: (key, meta) => { hub.presence.track(this, this.topic, key, meta) },
      updatePresence: (key, meta) => { hub.presence.update(this, this.topic, key, meta) },
      untrack: (key) => { hub.presence.untrack(this, this.topic, key) },
      presenceList: () => hub.presence.list(this.topic),
      bufferedAmount: () => conn.bufferedAmount(),
      drain: async () => { await conn.drain() },
    }
  }
}
