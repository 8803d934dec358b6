/**
 * Helpers for driving the fake Phoenix server with the official phoenix.js
 * client (npm `phoenix`). Its callbacks become promises that always have a
 * deadline, and each test's sockets and server are closed when it ends.
 *
 * @types/phoenix types callback arguments as `any`; everything here takes
 * them as `unknown` so tests narrow them explicitly.
 */
import type { TestContext } from 'node:test'
import { Socket, type Channel, type Push, type PushStatus, type SocketConnectOption } from 'phoenix'
import { WebSocket as WsWebSocket } from 'ws'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../src/testing/index.ts'
import { within } from '../helpers/wait.ts'

export type Transport = SocketConnectOption['transport']
export type SocketOptions = Partial<SocketConnectOption>

/** Node 24 has a WebSocket of its own; `ws` is the usual choice in Node. */
export const transports: ReadonlyArray<{ name: string, transport: Transport }> = [
  { name: 'ws', transport: WsWebSocket },
  { name: 'the global WebSocket', transport: globalThis.WebSocket },
]

/** How long any single wait in these tests may take. */
export const DEADLINE_MS = 2000

export interface Reply { status: PushStatus, response: unknown }

/** The first of ok / error / timeout that a push receives. */
export async function receive (push: Push, timeoutMs = DEADLINE_MS): Promise<Reply> {
  return within<Reply>(timeoutMs, 'push reply', (resolve) => {
    for (const status of ['ok', 'error', 'timeout'] as const) {
      push.receive(status, (response: unknown) => { resolve({ status, response }) })
    }
    return undefined
  })
}

/** The next `event` on `channel` whose payload satisfies `match`: `nextEvent` for a phoenix.js channel, which is not an EventEmitter. */
export async function nextChannelEvent (channel: Channel, event: string, match: (payload: unknown) => boolean = () => true, timeoutMs = DEADLINE_MS): Promise<unknown> {
  return within<unknown>(timeoutMs, `"${event}" on ${channel.topic}`, (resolve) => {
    const ref = channel.on(event, (payload: unknown) => { if (match(payload)) resolve(payload) })
    return () => { channel.off(event, ref) }
  })
}

/** Records every `event` the channel dispatches to its callbacks. */
export function record (channel: Channel, event: string): unknown[] {
  const seen: unknown[] = []
  channel.on(event, (payload: unknown) => { seen.push(payload) })
  return seen
}

/** The heartbeat round trip: resolves with phoenix.js's measured latency. */
export async function ping (socket: Socket, timeoutMs = DEADLINE_MS): Promise<number> {
  return within<number>(timeoutMs, 'ping', (resolve, reject) => {
    if (!socket.ping((latency) => { resolve(latency) })) reject(new Error('ping: socket not connected'))
    return undefined
  })
}

/** A message as phoenix.js's `socket.onMessage` hands it over (V1 decodes have no join_ref). */
export interface WireMessage { join_ref?: string | null, ref: string | null, topic: string, event: string, payload: unknown }

function isWireMessage (value: unknown): value is WireMessage {
  return typeof value === 'object' && value !== null && 'topic' in value && 'event' in value
}

/** Every message the socket decoded, in order (after channel dispatch). */
export function recordMessages (socket: Socket): WireMessage[] {
  const seen: WireMessage[] = []
  socket.onMessage((message: unknown) => { if (isWireMessage(message)) seen.push(message) })
  return seen
}

/** Resolves on the socket's next open; rejects on an error first. */
export async function opened (socket: Socket, timeoutMs = DEADLINE_MS): Promise<void> {
  return within<undefined>(timeoutMs, 'socket open', (resolve, reject) => {
    const refs = [
      socket.onOpen(() => { resolve(undefined) }),
      socket.onError((err: unknown) => { reject(new Error(`socket error before open: ${String(err)}`)) }),
    ]
    return () => { socket.off(refs) }
  })
}

/** A close event as both transports deliver it. */
export interface Closed { code: number, reason: string, wasClean: boolean }

/** Resolves with the socket's next close event. */
export async function closed (socket: Socket, timeoutMs = DEADLINE_MS): Promise<Closed> {
  return within<Closed>(timeoutMs, 'socket close', (resolve) => {
    const ref = socket.onClose((event: CloseEvent) => { resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean }) })
    return () => { socket.off([ref]) }
  })
}

/** Joins and asserts nothing: resolves with the join's reply. */
export async function join (channel: Channel, timeoutMs = DEADLINE_MS): Promise<Reply> {
  return receive(channel.join(), timeoutMs)
}

/** Reads a string field of a payload. */
export function field (payload: unknown, key: string): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[key] : undefined
}

export interface Peers {
  server: FakePhoenix
  /** A connected phoenix.js socket (ws transport unless given), disconnected when the test ends. */
  connect: (options?: SocketOptions) => Promise<Socket>
  /** A phoenix.js socket not yet connected, disconnected when the test ends. */
  socket: (options?: SocketOptions) => Socket
}

/**
 * Starts a fake server for one test. When the test ends every phoenix.js
 * socket is disconnected first (so none reconnects), then the server closes.
 */
export async function peers (t: TestContext, options: FakePhoenixOptions = {}): Promise<Peers> {
  const server = await startFakePhoenix(options)
  const sockets: Socket[] = []
  t.after(async () => {
    for (const s of sockets) s.disconnect()
    await server.close()
  })
  const socket = (opts: SocketOptions = {}): Socket => {
    const s = new Socket(server.endpoint, { transport: WsWebSocket, timeout: DEADLINE_MS, ...opts })
    sockets.push(s)
    return s
  }
  return {
    server,
    socket,
    connect: async (opts) => {
      const s = socket(opts)
      const open = opened(s)
      s.connect()
      await open
      return s
    },
  }
}
