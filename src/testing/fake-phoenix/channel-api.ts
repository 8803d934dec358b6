/**
 * Server logic for the fake Phoenix server, shaped like `Phoenix.Channel`.
 * A handler answers `join`, and optionally `handleIn`, `handleInfo` and
 * `terminate`. Results are plain values built with the helpers below:
 *
 *   join:       ok(response?) joins; error(response) refuses; a throw is "join crashed"
 *   handleIn:   ok(), error(), reply(status, response), noreply(), stop(reason, reply?)
 *   handleInfo: noreply(), stop(reason)
 *
 * A throw from handleIn or handleInfo crashes the channel: the client gets
 * `phx_error` and the connection stays up. `stop('normal' | 'shutdown')`
 * ends it gracefully with `phx_close`; any other reason is a crash.
 */
import type { QueryParams } from './query.ts'

export interface ReplyResult { kind: 'reply', status: string, response: unknown }
export interface NoReplyResult { kind: 'noreply' }
export interface StopResult { kind: 'stop', reason: string, reply?: ReplyResult }

export type JoinResult = ReplyResult
export type InResult = ReplyResult | NoReplyResult | StopResult
export type InfoResult = NoReplyResult | StopResult

export const ok = (response: unknown = {}): ReplyResult => ({ kind: 'reply', status: 'ok', response })
export const error = (response: unknown = {}): ReplyResult => ({ kind: 'reply', status: 'error', response })
export const reply = (status: string, response: unknown = {}): ReplyResult => ({ kind: 'reply', status, response })
export const noreply = (): NoReplyResult => ({ kind: 'noreply' })
export const stop = (reason: string, withReply?: ReplyResult): StopResult =>
  withReply === undefined ? { kind: 'stop', reason } : { kind: 'stop', reason, reply: withReply }

/** Reasons that end a channel with `phx_close` rather than `phx_error`. */
export function isGracefulStop (reason: string): boolean {
  return reason === 'normal' || reason === 'shutdown' || reason.startsWith('shutdown:')
}

/** What the server learned from the upgrade request (reference A4). */
export interface ConnectInfo {
  authToken: string | null
  peer: { address: string, port: number }
  uri: { scheme: 'http', host: string, port: number, path: string, query: string }
  userAgent: string | null
  origin: string | null
  /** Every request header starting with `x-`. */
  xHeaders: Record<string, string>
  /** `traceparent` and `tracestate`, when sent. */
  traceContextHeaders: Record<string, string>
  /** Every `sec-websocket-*` request header (Phoenix 1.8). */
  secWebsocketHeaders: Record<string, string>
}

/** An opaque handle for answering a message later, as Phoenix's `socket_ref`. */
export interface ReplyTo {
  readonly ref: string | null
}

/** What a handler sees of its channel and connection. */
export interface ChannelSocket {
  readonly topic: string
  /** The join_ref stamped on this channel's replies and pushes. */
  readonly joinRef: string | null
  readonly connectionId: number
  /** The id the connect callback gave the socket, if any. */
  readonly socketId: string | null
  readonly params: QueryParams
  readonly connectInfo: ConnectInfo
  /** Free-form state, as `socket.assigns`. Starts with what connect assigned. */
  assigns: Record<string, unknown>
  /** Sends a message to this client only: `[join_ref, null, topic, event, payload]`. */
  push: (event: string, payload: unknown) => void
  /** Sends to every client joined to this topic (fastlane, join_ref null). */
  broadcast: (event: string, payload: unknown) => void
  /** As broadcast, but not to this client. */
  broadcastFrom: (event: string, payload: unknown) => void
  /** Answers a message later, possibly more than once (Phoenix's `reply/2`). */
  reply: (to: ReplyTo, result: ReplyResult) => void
  /**
   * Delivers `message` to this channel's `handleInfo`, after the current
   * callback. Sent from `join` (Phoenix's `send(self(), :after_join)`), it
   * runs once the join succeeded: the channel is subscribed to its topic and
   * the join reply is out. A refused join drops it.
   */
  sendInfo: (message: unknown) => void
  /**
   * Phoenix.Presence `track/3` for this channel; untracked when the channel
   * ends (or its join is refused). The `presence_diff` goes out after the
   * current callback, as Phoenix.Presence broadcasts it from its own process.
   */
  track: (key: string, meta: Record<string, unknown>) => void
  /** Phoenix.Presence `update/3`: a new phx_ref, with phx_ref_prev. */
  updatePresence: (key: string, meta: Record<string, unknown>) => void
  untrack: (key: string) => void
  /** Bytes queued on the connection and not yet written to TCP. */
  bufferedAmount: () => number
  /** Resolves once the connection's send queue has drained (or the connection is gone). */
  drain: () => Promise<void>
  /** The topic's presence state in the shape of `presence_state`. */
  presenceList: () => Record<string, { metas: Record<string, unknown>[] }>
}

type Awaitable<T> = T | Promise<T>

export interface ChannelHandler {
  join: (topic: string, params: unknown, socket: ChannelSocket) => Awaitable<JoinResult>
  handleIn?: (event: string, payload: unknown, socket: ChannelSocket, replyTo: ReplyTo) => Awaitable<InResult>
  handleInfo?: (message: unknown, socket: ChannelSocket) => Awaitable<InfoResult>
  terminate?: (reason: string, socket: ChannelSocket) => void
}

/** Topic patterns (`"room:lobby"`, or a prefix ending in `*`) mapped to handlers, first match wins. */
export type ChannelRoutes = Record<string, ChannelHandler>

export function routeTopic (routes: ChannelRoutes, topic: string): ChannelHandler | undefined {
  for (const [pattern, handler] of Object.entries(routes)) {
    if (pattern.endsWith('*') ? topic.startsWith(pattern.slice(0, -1)) : topic === pattern) return handler
  }
  return undefined
}
