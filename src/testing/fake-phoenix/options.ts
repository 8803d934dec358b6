/**
 * Options of the fake Phoenix server, with Phoenix's defaults.
 */
import type { ChannelRoutes, ConnectInfo } from './channel-api.ts'
import type { QueryParams } from './query.ts'
import { DEFAULT_PHOENIX_VERSION, versionProfile, type StaleJoinRefRule, type VersionProfile } from './version.ts'

/** The connect callback's answer: accept (with an id and assigns) or refuse with an HTTP status. */
export type ConnectResult =
  | { ok: true, id?: string | null, assigns?: Record<string, unknown> }
  | { ok: false, status?: number, body?: string, headers?: Record<string, string> }

export type ConnectCallback = (params: QueryParams, info: ConnectInfo) => ConnectResult | Promise<ConnectResult>

export interface FakePhoenixOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string
  /** Socket mount path; the WebSocket lives at `<mount>/websocket`. Default `/socket`. */
  mount?: string
  /** Topic patterns and their handlers. Default: the built-in demo handlers. */
  channels?: ChannelRoutes
  /** Phoenix's `connect/3`. Default: accept everyone. */
  connect?: ConnectCallback
  /** Allowed origins (`"https://a.com"`, `"//b.com:8080"`, `"//*.c.com"`); false (default) allows all. A request without Origin always passes. */
  checkOrigin?: false | string[]
  /** Phoenix 1.8 `auth_token: true`: read the token from Sec-WebSocket-Protocol. */
  authToken?: boolean
  /** Extra subprotocols the server accepts (Phoenix `subprotocols`). */
  subprotocols?: string[]
  /** Accept permessage-deflate offers (Phoenix `compress: true`). */
  compress?: boolean
  /** Close a connection that sent nothing for this long. Default 60 000 ms. */
  idleTimeoutMs?: number
  /** Largest frame accepted; larger closes with 1009. Default 10 000 000 bytes. */
  maxFrameBytes?: number
  /** Which Phoenix release to behave like (reference Part F). Default 1.8.12. */
  phoenixVersion?: string
  /** Override of the version's stale join_ref rule. */
  staleJoinRef?: StaleJoinRefRule
  /** Override of the version's channel limit per connection. */
  maxChannels?: number
  /** Serve wss:// with this key and certificate (PEM); plain ws:// without. */
  tls?: { key: string | Buffer, cert: string | Buffer }
  /** Close-code style: Bandit (default; idle closes with 1002) or Cowboy (idle closes with 1000). */
  adapter?: 'bandit' | 'cowboy'
}

export interface ResolvedOptions {
  port: number
  host: string
  mount: string
  channels: ChannelRoutes
  connect: ConnectCallback
  checkOrigin: false | string[]
  authToken: boolean
  subprotocols: string[] | null
  compress: boolean
  idleTimeoutMs: number
  maxFrameBytes: number
  profile: VersionProfile
  adapter: 'bandit' | 'cowboy'
  tls: { key: string | Buffer, cert: string | Buffer } | null
}

export function resolveOptions (options: FakePhoenixOptions, defaultChannels: ChannelRoutes): ResolvedOptions {
  const base = versionProfile(options.phoenixVersion ?? DEFAULT_PHOENIX_VERSION)
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    mount: (options.mount ?? '/socket').replace(/\/+$/, ''),
    channels: options.channels ?? defaultChannels,
    connect: options.connect ?? (() => ({ ok: true })),
    checkOrigin: options.checkOrigin ?? false,
    authToken: options.authToken ?? false,
    subprotocols: options.subprotocols ?? null,
    compress: options.compress ?? false,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    maxFrameBytes: options.maxFrameBytes ?? 10_000_000,
    profile: {
      ...base,
      staleJoinRef: options.staleJoinRef ?? base.staleJoinRef,
      maxChannels: options.maxChannels ?? base.maxChannels,
    },
    adapter: options.adapter ?? 'bandit',
    tls: options.tls ?? null,
  }
}
