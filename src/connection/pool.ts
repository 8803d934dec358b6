/**
 * N connections to one upstream, with topics spread by a stable hash of the
 * topic. Phoenix 1.8.9+ refuses the 101st channel on one connection, so a
 * socket that holds `maxChannelsPerSocket` topics passes new ones to the
 * next socket with room; when every socket is full, the join fails with
 * BC_ERR_CHANNEL_LIMIT. A topic stays on its socket until it is left, and
 * a socket's topics are rejoined when it reconnects.
 */
import { EventEmitter } from 'node:events'
import { BackchannelError } from '../errors.ts'
import type { PushRecord } from '../phoenix/channel.ts'
import { NotJoinedError } from '../phoenix/errors.ts'
import type { ChannelState, JoinOutcome, PushOptions, PushOutcome, SessionEvent } from '../phoenix/session-types.ts'
import { Connection, type ConnectionEvents, type ConnectionState } from './connection.ts'
import type { ConnectionOptions } from './options.ts'

export const DEFAULT_MAX_CHANNELS_PER_SOCKET = 100

export interface PoolOptions extends ConnectionOptions {
  /** Sockets to the upstream. Default 1. */
  size?: number
  /** Topics one socket may hold. Default 100 (Phoenix 1.8.9's limit). */
  maxChannelsPerSocket?: number
}

/** Every socket holds its limit of topics. */
export class ChannelLimitError extends BackchannelError {
  constructor (sockets: number, perSocket: number) {
    super('BC_ERR_CHANNEL_LIMIT', `every socket holds ${perSocket} topics (${sockets} sockets); raise the pool size`, { statusCode: 503 })
  }
}

/** Pool events: each connection event, tagged with the socket's index. */
export type PoolEvents = { [K in keyof ConnectionEvents]: [number, ...ConnectionEvents[K]] }

export interface PoolStats {
  socketsConnected: number
  topicsJoined: number
  /** Pushes sent and waiting for their reply. */
  pendingPushes: number
  /** Pushes waiting for a join or a connection. */
  bufferedPushes: number
  sockets: Array<{ index: number, state: ConnectionState, topics: number, joined: number }>
}

/** FNV-1a, 32 bits: a stable, well-spread hash of the topic. */
export function topicHash (topic: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < topic.length; i++) {
    hash ^= topic.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

export class Pool extends EventEmitter<PoolEvents> {
  readonly connections: readonly Connection[]
  readonly maxChannelsPerSocket: number
  readonly #assigned = new Map<string, number>()
  readonly #counts: number[]

  constructor (options: PoolOptions) {
    super()
    const size = options.size ?? 1
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`pool size must be a whole number ≥ 1, got ${size}`)
    this.maxChannelsPerSocket = options.maxChannelsPerSocket ?? DEFAULT_MAX_CHANNELS_PER_SOCKET
    this.#counts = new Array<number>(size).fill(0)
    this.connections = Array.from({ length: size }, (_, index) => this.#wire(new Connection(options), index))
  }

  connect (): void {
    for (const c of this.connections) c.connect()
  }

  /** The socket index a topic is on, if it is assigned. */
  socketOf (topic: string): number | undefined {
    return this.#assigned.get(topic)
  }

  /** A topic's state, join_ref and socket; `closed` when not wanted. */
  channelInfo (topic: string): { state: ChannelState, joinRef: string | null, socket: number | null } {
    const index = this.#assigned.get(topic)
    if (index === undefined) return { state: 'closed', joinRef: null, socket: null }
    return { ...this.#connection(index).session.channelInfo(topic), socket: index }
  }

  join (topic: string, params: unknown, onOutcome?: (outcome: JoinOutcome) => void): void {
    let index = this.#assigned.get(topic)
    if (index === undefined) {
      index = this.#pick(topic)
      if (index === undefined) {
        onOutcome?.({ kind: 'failed', error: new ChannelLimitError(this.connections.length, this.maxChannelsPerSocket) })
        return
      }
      this.#assigned.set(topic, index)
      this.#counts[index] = (this.#counts[index] ?? 0) + 1
    }
    const connection = this.#connection(index)
    connection.join(topic, params, onOutcome)
    // Joining a topic that is being left first drops the leaving channel (channel_closed releases
    // the topic): the new channel lives on the same socket, so it stays assigned there.
    if (!this.#assigned.has(topic) && connection.session.channelState(topic) !== 'closed') {
      this.#assigned.set(topic, index)
      this.#counts[index] = (this.#counts[index] ?? 0) + 1
    }
  }

  leave (topic: string, onDone?: () => void): void {
    const index = this.#assigned.get(topic)
    if (index === undefined) {
      onDone?.()
      return
    }
    this.#connection(index).leave(topic, onDone)
  }

  push (topic: string, event: string, payload: unknown, options: PushOptions, onOutcome: (outcome: PushOutcome) => void): PushRecord | null {
    const index = this.#assigned.get(topic)
    if (index === undefined) {
      onOutcome({ kind: 'failed', error: new NotJoinedError(topic) })
      return null
    }
    return this.#connection(index).push(topic, event, payload, options, onOutcome)
  }

  cancel (topic: string, push: PushRecord, error: BackchannelError): void {
    const index = this.#assigned.get(topic)
    if (index !== undefined) this.#connection(index).cancel(push, error)
  }

  stats (): PoolStats {
    const sockets = this.connections.map((c, index) => {
      const s = c.stats()
      return { index, state: s.state, topics: s.channels, joined: s.joined, inFlight: s.inFlight, buffered: s.buffered }
    })
    return {
      socketsConnected: sockets.filter((s) => s.state === 'open').length,
      topicsJoined: sockets.reduce((n, s) => n + s.joined, 0),
      pendingPushes: sockets.reduce((n, s) => n + s.inFlight, 0),
      bufferedPushes: sockets.reduce((n, s) => n + s.buffered, 0),
      sockets: sockets.map(({ index, state, topics, joined }) => ({ index, state, topics, joined })),
    }
  }

  async close (timeoutMs?: number): Promise<void> {
    await Promise.all(this.connections.map(async (c) => c.close(timeoutMs)))
  }

  #pick (topic: string): number | undefined {
    const n = this.connections.length
    const start = topicHash(topic) % n
    for (let i = 0; i < n; i++) {
      const index = (start + i) % n
      if ((this.#counts[index] ?? 0) < this.maxChannelsPerSocket) return index
    }
    return undefined
  }

  #connection (index: number): Connection {
    const c = this.connections[index]
    if (c === undefined) throw new RangeError(`no socket ${index}`)
    return c
  }

  #release (topic: string, index: number): void {
    if (this.#assigned.get(topic) !== index) return
    this.#assigned.delete(topic)
    this.#counts[index] = (this.#counts[index] ?? 1) - 1
  }

  #wire (connection: Connection, index: number): Connection {
    const forward = (name: keyof ConnectionEvents): void => {
      connection.on(name, (...args: unknown[]) => {
        (this.emit as (event: string, ...rest: unknown[]) => boolean)(name, index, ...args)
      })
    }
    for (const name of ['connecting', 'open', 'connect_failed', 'close', 'reconnect_scheduled', 'protocol_error', 'message_dropped'] as const) forward(name)
    // The hot path: no rest arguments, no spread.
    connection.on('message', (topic, event, received, bytes) => { this.emit('message', index, topic, event, received, bytes) })
    connection.on('session', (event: SessionEvent) => {
      if (event.type === 'channel_closed') this.#release(event.topic, index)
      this.emit('session', index, event)
    })
    return connection
  }
}
