/**
 * Helpers for the presence tests: a gateway with presence on for a
 * `presence:*` topic of the fake server, phoenix.js members with their own
 * Presence on the same topic, and the views the tests compare: key → the
 * metas' phx_refs, sorted, from the gateway's GET, from its SSE events
 * folded in order, from phoenix.js, and from the server's tracker.
 */
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { Presence, Socket, type Channel } from 'phoenix'
import { WebSocket as WsWebSocket } from 'ws'
import type { ChannelConfig } from '../../../src/gateway/config/types.ts'
import { startFakePhoenix, type FakePhoenix } from '../../../src/testing/index.ts'
import { channelConfig, type Running } from '../helpers.ts'
import { DEADLINE_MS, SseStream, joined, startSseGateway, subscription, type SseMessage } from '../sse/helpers.ts'
import { within } from '../../helpers/wait.ts'

export { DEADLINE_MS }

/** key → the metas' phx_refs, sorted: what every side must agree on. */
export type Snapshot = Record<string, string[]>

export interface Meta { phx_ref: string, phx_ref_prev?: string, [field: string]: unknown }
export type State = Record<string, { metas: Meta[] }>

export interface PresenceBody { topic: string, state: State, synced: boolean }

/** The gateway's presence key on the fake server (it tracks every joiner under params.user_id). */
export const GATEWAY_KEY = 'gateway'

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function refsOf (metas: unknown): string[] {
  assert.ok(Array.isArray(metas), 'metas is an array')
  return metas.map((m: unknown) => String(isRecord(m) ? m['phx_ref'] : undefined)).sort()
}

/** The snapshot of a state map (key → {metas}). */
export function snapshot (state: Record<string, { metas: unknown }>): Snapshot {
  const out: Snapshot = {}
  for (const key of Object.keys(state).sort()) out[key] = refsOf(state[key]?.metas)
  return out
}

export function serverView (server: FakePhoenix, topic: string): Snapshot {
  return snapshot(server.presenceList(topic))
}

export function clientView (presence: Presence): Snapshot {
  const entries = presence.list((key: string, p: unknown): [string, string[]] => [key, refsOf(isRecord(p) ? p['metas'] : undefined)])
  return snapshot(Object.fromEntries(entries.map(([k, refs]) => [k, { metas: refs.map((r) => ({ phx_ref: r })) }])))
}

/**
 * Folds the derived SSE events in order, as a reader would: presence_state
 * replaces everything, presence_join / presence_leave set the key to
 * `current` (or delete it when `current` is null).
 */
export function fold (events: readonly SseMessage[]): State {
  let state: State = {}
  for (const e of events) {
    if (e.event === 'presence_state') state = JSON.parse(e.data) as State
    if (e.event !== 'presence_join' && e.event !== 'presence_leave') continue
    const { key, current } = JSON.parse(e.data) as { key: string, current: { metas: Meta[] } | null }
    if (current === null) Reflect.deleteProperty(state, key)
    else state[key] = current
  }
  return state
}

export async function getPresence (base: string, topic: string): Promise<{ status: number, body: unknown }> {
  const res = await fetch(`${base}/v1/channels/${encodeURIComponent(topic)}/presence`, { signal: AbortSignal.timeout(DEADLINE_MS) })
  return { status: res.status, body: await res.json() }
}

export async function gatewayPresence (base: string, topic: string): Promise<PresenceBody> {
  const { status, body } = await getPresence(base, topic)
  assert.equal(status, 200, JSON.stringify(body))
  return body as PresenceBody
}

export interface Member { socket: Socket, channel: Channel, presence: Presence }

export interface PresenceSetup {
  server: FakePhoenix
  running: Running
  /** The gateway's SSE stream of the topic, opened once the gateway had joined. */
  stream: SseStream
  /** A phoenix.js socket (ws transport) whose channel joins the topic as `userId`, with a Presence. */
  enter: (userId: string, meta?: Record<string, unknown>) => Promise<Member>
}

/**
 * A fake server, a gateway joined to `topic` (presence on unless the
 * channel config says otherwise) and its SSE stream. Everything is closed
 * when the test ends: phoenix.js sockets first (so none reconnects), then
 * the broker, then the server.
 */
export async function presenceSetup (t: TestContext, topic: string, over: Partial<ChannelConfig> = {}): Promise<PresenceSetup> {
  const server = await startFakePhoenix()
  const sockets: Socket[] = []
  const open: { running?: Running, stream?: SseStream } = {}
  t.after(async () => {
    for (const s of sockets) s.disconnect()
    open.stream?.close()
    await open.running?.daemon.close()
    await server.close()
  })
  const running = await startSseGateway([channelConfig(topic, { presence: true, params: { user_id: GATEWAY_KEY }, ...over })], { phoenix: server })
  open.running = running
  await joined(running.daemon, topic)
  await ownJoinReceived(running, topic)
  const stream = await SseStream.open(running.base, topic)
  open.stream = stream
  const enter = async (userId: string, meta: Record<string, unknown> = {}): Promise<Member> => {
    const socket = new Socket(server.endpoint, { transport: WsWebSocket, timeout: DEADLINE_MS })
    sockets.push(socket)
    socket.connect()
    const channel = socket.channel(topic, { user_id: userId, meta })
    const presence = new Presence(channel)
    await within<undefined>(DEADLINE_MS, `join of ${userId}`, (resolve, reject) => {
      channel.join()
        .receive('ok', () => { resolve(undefined) })
        .receive('error', (r: unknown) => { reject(new Error(`join refused: ${JSON.stringify(r)}`)) })
      return undefined
    })
    return { socket, channel, presence }
  }
  return { server, running, stream, enter }
}

/**
 * Resolves once the gateway has its own join's presence_diff, which Phoenix
 * sends the joiner after its presence_state: a stream opened later starts
 * from a settled state, and a test's first diff is the one it caused.
 */
async function ownJoinReceived (running: Running, topic: string): Promise<void> {
  const sub = subscription(running.daemon, topic)
  const seen = (): boolean => {
    for (let seq = sub.base + 1; seq <= sub.seq; seq++) {
      const event = sub.entry(seq)?.event
      if (event === 'presence_diff' || event === 'presence_join') return true
    }
    return false
  }
  if (seen()) return
  const client = running.daemon.broker.clients.get(sub.config.upstream)
  assert.ok(client !== undefined, `a client for ${sub.config.upstream}`)
  await within<undefined>(DEADLINE_MS, `the gateway's own presence_diff on ${topic}`, (resolve) => {
    const onMessage = (e: { topic: string, event: string }): void => { if (e.topic === topic && e.event === 'presence_diff') resolve(undefined) }
    client.events.on('message', onMessage)
    return () => { client.events.off('message', onMessage) }
  })
}

/** Resolves once the stream's folded presence satisfies `cond`; returns the fold. */
export async function streamShows (stream: SseStream, what: string, cond: (state: State) => boolean): Promise<State> {
  await stream.until(`SSE presence: ${what}`, (s) => cond(fold(s.events)))
  return fold(stream.events)
}

/** Resolves once a phoenix.js Presence satisfies `cond` (checked now and at each sync). */
export async function clientShows (presence: Presence, what: string, cond: (view: Snapshot) => boolean): Promise<Snapshot> {
  if (cond(clientView(presence))) return clientView(presence)
  await within<undefined>(DEADLINE_MS, `phoenix.js presence: ${what}`, (resolve) => {
    presence.onSync(() => { if (cond(clientView(presence))) resolve(undefined) })
    return () => { presence.onSync(() => {}) }
  })
  return clientView(presence)
}

/** A condition: the state holds exactly these keys. */
export function keysAre (...keys: string[]): (state: Record<string, unknown>) => boolean {
  const wanted = JSON.stringify([...keys].sort())
  return (state) => JSON.stringify(Object.keys(state).sort()) === wanted
}
