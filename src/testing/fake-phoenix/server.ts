/**
 * `startFakePhoenix()`: a Phoenix socket endpoint on a real port, speaking
 * the wire protocol as Phoenix does, with switches to break it on purpose.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { Socket } from 'node:net'
import { once } from 'node:events'
import { WebSocketServer } from 'ws'
import type { Frame } from '../../phoenix/message.ts'
import { FakeConnection } from './connection.ts'
import { mountFor, negotiate, requestUrl, type Refusal } from './handshake.ts'
import { Hub, type FakePhoenixEvents } from './hub.ts'
import { builtinChannels } from './handlers/index.ts'
import { resolveOptions, type FakePhoenixOptions } from './options.ts'
import { Faults } from './faults.ts'
import { waitForEvent } from './wait.ts'

/** Where one socket mount is reached. */
export interface MountAddress {
  /** `ws://127.0.0.1:PORT/socket_auth`, as phoenix.js takes it. */
  readonly endpoint: string
  /** `ws://127.0.0.1:PORT/socket_auth/websocket`. */
  readonly url: string
}

export interface FakePhoenix {
  /** `ws://127.0.0.1:PORT/socket/websocket` (wss:// with `tls`): the WebSocket URL itself. */
  readonly url: string
  /** `ws://127.0.0.1:PORT/socket`: the endpoint as phoenix.js and Backchannel's Client take it. */
  readonly endpoint: string
  /** Where the mount at `path` (`/socket`, or one of the `mounts` option) is reached; throws for a path that is not mounted. */
  mount: (path: string) => MountAddress
  readonly port: number
  /** Events: connect, disconnect, frame, join, leave, channelEnd, stale, protocolError. */
  readonly events: Hub
  readonly faults: Faults
  /** Live connections. */
  connections: () => FakeConnection[]
  /** A fastlane broadcast to every client joined to `topic`; returns how many got it. */
  broadcast: (topic: string, event: string, payload: unknown) => number
  /** Pushes to one connection's channel: `[join_ref, null, topic, event, payload]`. */
  pushTo: (connectionId: number, topic: string, event: string, payload: unknown) => boolean
  /** Delivers a message to `handleInfo` of every channel on `topic`. */
  sendInfo: (topic: string, message: unknown) => void
  /** Tracks a presence on `topic` owned by the server itself. */
  trackPresence: (topic: string, key: string, meta: Record<string, unknown>) => void
  untrackPresence: (topic: string, key: string) => void
  presenceList: (topic: string) => Record<string, { metas: Record<string, unknown>[] }>
  /** Waits for an event matching `predicate`, failing after `timeoutMs` (default 5 s). */
  waitFor: <K extends keyof FakePhoenixEvents>(event: K, predicate?: (...args: FakePhoenixEvents[K]) => boolean, timeoutMs?: number) => Promise<FakePhoenixEvents[K][0]>
  /** Closes every connection (1000) and the port. */
  close: () => Promise<void>
}

function writeRefusal (target: ServerResponse | Socket, refusal: Refusal): void {
  const headers = { 'content-length': String(Buffer.byteLength(refusal.body)), ...refusal.headers }
  if ('writeHead' in target) {
    target.writeHead(refusal.status, headers).end(refusal.body)
    return
  }
  const lines = Object.entries({ ...headers, connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  target.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\n${lines}\r\n${refusal.body}`)
}

export async function startFakePhoenix (options: FakePhoenixOptions = {}): Promise<FakePhoenix> {
  const resolved = resolveOptions(options, builtinChannels())
  const hub = new Hub(resolved)
  const connections = new Set<FakeConnection>()
  const protocols = new WeakMap<IncomingMessage, string | null>()
  // One WebSocket server per mount: frame limit and compression are mount options.
  const upgraders = new Map(resolved.mounts.map((mount) => [mount, new WebSocketServer({
    noServer: true,
    maxPayload: mount.maxFrameBytes,
    perMessageDeflate: mount.compress,
    clientTracking: false,
    handleProtocols: (_offered, req) => protocols.get(req) ?? false,
  })]))
  const stalledUpgrades: Array<() => void> = []

  async function handle (req: IncomingMessage, target: ServerResponse | Socket, head: Buffer | null): Promise<void> {
    if (hub.faults.stalled && head !== null) {
      await new Promise<void>((resolve) => { stalledUpgrades.push(resolve) })
    }
    const refusal = hub.faults.refusal
    const mount = refusal === null ? mountFor(resolved.mounts, requestUrl(req).pathname) : { kind: 'refuse' as const, ...refusal }
    if ('kind' in mount) {
      writeRefusal(target, mount)
      return
    }
    const decision = await negotiate(req, mount)
    if (decision.kind === 'refuse' || head === null || !('remoteAddress' in target) || 'writeHead' in target) {
      const chosen: Record<string, string> = decision.kind === 'accept' && decision.protocol !== null ? { 'sec-websocket-protocol': decision.protocol } : {}
      writeRefusal(target, decision.kind === 'refuse' ? decision : { kind: 'refuse', status: 400, body: "'connection' header must contain 'upgrade', got []", headers: chosen })
      return
    }
    protocols.set(req, decision.protocol)
    const raw = target
    upgraders.get(mount)?.handleUpgrade(req, raw, head, (ws) => {
      const conn = new FakeConnection(hub, { ws, raw, mount, ...decision })
      connections.add(conn)
      conn.ws.once('close', () => connections.delete(conn))
      hub.emit('connect', { connectionId: conn.id, socketId: conn.socketId, vsn: conn.serializer.vsn, mount: conn.mount })
    })
  }

  const sockets = new Set<Socket>()
  let server: Server
  const listen = async (port: number): Promise<number> => {
    // A connect callback that throws is a crash in Phoenix: HTTP 500.
    const answer = (req: IncomingMessage, target: ServerResponse | Socket, head: Buffer | null): void => {
      handle(req, target, head).catch(() => { writeRefusal(target, { kind: 'refuse', status: 500, body: 'Internal Server Error', headers: {} }) })
    }
    const onRequest: RequestListener = (req, res) => { answer(req, res, null) }
    server = resolved.tls === null ? createServer(onRequest) : createTlsServer(resolved.tls, onRequest)
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => { answer(req, socket, head) })
    server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    server.listen(port, resolved.host)
    await once(server, 'listening')
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('fake Phoenix server has no TCP address')
    return address.port
  }
  const port = await listen(resolved.port)

  const shutdown = async (mode: 'abrupt' | number | 'drain'): Promise<void> => {
    server.close()
    for (const conn of connections) {
      if (mode === 'abrupt') conn.drop()
      else conn.close(mode === 'drain' ? (conn.channels.size > 0 ? 1012 : 1000) : mode)
    }
    const closing = [...connections].map(async (c) => c.closed)
    const linger = setTimeout(() => { for (const c of connections) c.drop() }, 1000)
    await Promise.all(closing)
    clearTimeout(linger)
    for (const s of sockets) s.destroy()
    for (const resume of stalledUpgrades.splice(0)) resume()
    if (server.listening) await once(server, 'close')
    hub.presence.clear()
  }

  const origin = `${resolved.tls === null ? 'ws' : 'wss'}://${resolved.host}:${port}`
  const mount = (path: string): MountAddress => {
    const found = resolved.mounts.find((m) => m.path === path.replace(/\/+$/, ''))
    if (found === undefined) throw new TypeError(`no mount at "${path}"; mounted: ${resolved.mounts.map((m) => m.path || '/').join(', ')}`)
    return { endpoint: `${origin}${found.path}`, url: `${origin}${found.path}/websocket` }
  }
  const primary = resolved.mounts[0]?.path ?? ''
  const faults = new Faults(hub, () => [...connections], {
    stop: shutdown,
    start: async () => { await listen(port) },
    resumeUpgrades: () => { for (const resume of stalledUpgrades.splice(0)) resume() },
  })
  return {
    url: `${origin}${primary}/websocket`,
    endpoint: `${origin}${primary}`,
    mount,
    port,
    events: hub,
    faults,
    connections: () => [...connections],
    broadcast: (topic, event, payload) => hub.broadcast(topic, event, payload),
    pushTo: (connectionId, topic, event, payload) => {
      const channel = [...connections].find((c) => c.id === connectionId)?.channels.get(topic)
      if (channel === undefined) return false
      channel.socket.push(event, payload)
      return true
    },
    sendInfo: (topic, message) => {
      for (const c of connections) c.channels.get(topic)?.handleInfo(message)
    },
    trackPresence: (topic, key, meta) => { hub.presence.track(hub, topic, key, meta) },
    untrackPresence: (topic, key) => { hub.presence.untrack(hub, topic, key) },
    presenceList: (topic) => hub.presence.list(topic),
    waitFor: async (event, predicate, timeoutMs = 5000) => waitForEvent(hub, event, predicate, timeoutMs),
    close: async () => { await shutdown(1000) },
  }
}

export type { Frame }
