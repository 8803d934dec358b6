/**
 * Options of the fake Phoenix server, with Phoenix's defaults: those of the
 * endpoint (where it listens, which release it plays), and those of each
 * socket mount (`socket "/socket", UserSocket, websocket: [...]`).
 */
import type { ChannelRoutes, ConnectInfo } from './channel-api.ts'
import type { QueryParams } from './query.ts'
import { DEFAULT_PHOENIX_VERSION, versionProfile, type StaleJoinRefRule, type VersionProfile } from './version.ts'

/** The connect callback's answer: accept (with an id and assigns) or refuse with an HTTP status. */
export type ConnectResult =
  | { ok: true, id?: string | null, assigns?: Record<string, unknown> }
  | { ok: false, status?: number, body?: string, headers?: Record<string, string> }

export type ConnectCallback = (params: QueryParams, info: ConnectInfo) => ConnectResult | Promise<ConnectResult>

/** One socket mount's own options; each defaults to Phoenix's, whatever other mounts say. */
export interface MountOptions {
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
  /** Override of the version's channel limit per connection (`max_channels_per_transport`). */
  maxChannels?: number
}

export interface FakePhoenixOptions extends MountOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string
  /** Socket mount path; the WebSocket lives at `<mount>/websocket`. Default `/socket`. The options above are this mount's. */
  mount?: string
  /**
   * More socket mounts on the same endpoint, by path (`{ '/socket_auth': { authToken: true } }`),
   * each with its own options. All mounts share topics and presence, as the
   * sockets of one endpoint share its PubSub.
   */
  mounts?: Record<string, MountOptions>
  /** Which Phoenix release to behave like (reference Part F). Default 1.8.12. */
  phoenixVersion?: string
  /** Override of the version's stale join_ref rule. */
  staleJoinRef?: StaleJoinRefRule
  /** Serve wss:// with this key and certificate (PEM); plain ws:// without. */
  tls?: { key: string | Buffer, cert: string | Buffer }
  /** Close-code style: Bandit (default; idle closes with 1002) or Cowboy (idle closes with 1000). */
  adapter?: 'bandit' | 'cowboy'
}

export interface ResolvedMount {
  /** The mount path without a trailing slash (`/socket`); the WebSocket is at `<path>/websocket`. */
  path: string
  channels: ChannelRoutes
  connect: ConnectCallback
  checkOrigin: false | string[]
  authToken: boolean
  subprotocols: string[] | null
  compress: boolean
  idleTimeoutMs: number
  maxFrameBytes: number
  maxChannels: number
}

export interface ResolvedOptions {
  port: number
  host: string
  /** The first is the `mount` option's; then `mounts` in their order. */
  mounts: ResolvedMount[]
  profile: VersionProfile
  adapter: 'bandit' | 'cowboy'
  tls: { key: string | Buffer, cert: string | Buffer } | null
}

function mountPath (path: string): string {
  if (!path.startsWith('/')) throw new TypeError(`a mount path starts with "/", got "${path}"`)
  return path.replace(/\/+$/, '')
}

function resolveMount (path: string, options: MountOptions, profile: VersionProfile, defaultChannels: ChannelRoutes): ResolvedMount {
  return {
    path: mountPath(path),
    channels: options.channels ?? defaultChannels,
    connect: options.connect ?? (() => ({ ok: true })),
    checkOrigin: options.checkOrigin ?? false,
    authToken: options.authToken ?? false,
    subprotocols: options.subprotocols ?? null,
    compress: options.compress ?? false,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    maxFrameBytes: options.maxFrameBytes ?? 10_000_000,
    maxChannels: options.maxChannels ?? profile.maxChannels,
  }
}

export function resolveOptions (options: FakePhoenixOptions, defaultChannels: ChannelRoutes): ResolvedOptions {
  const base = versionProfile(options.phoenixVersion ?? DEFAULT_PHOENIX_VERSION)
  const profile = { ...base, staleJoinRef: options.staleJoinRef ?? base.staleJoinRef }
  const mounts = [
    resolveMount(options.mount ?? '/socket', options, profile, defaultChannels),
    ...Object.entries(options.mounts ?? {}).map(([path, mount]) => resolveMount(path, mount, profile, defaultChannels)),
  ]
  const seen = new Set<string>()
  for (const { path } of mounts) {
    if (seen.has(path)) throw new TypeError(`mount "${path || '/'}" is given twice`)
    seen.add(path)
  }
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    mounts,
    profile,
    adapter: options.adapter ?? 'bandit',
    tls: options.tls ?? null,
  }
}
