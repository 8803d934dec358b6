/**
 * Shared setup for the channel client tests: a fake Phoenix server and
 * clients that are closed when the test ends, fast timers so fault paths run
 * in milliseconds, and waits on client events that always have a deadline.
 */
import type { TestContext } from 'node:test'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { Client, type ClientOptions } from '../../src/client/client.ts'
import type { ClientEvents } from '../../src/client/events.ts'
import { ok, startFakePhoenix, type ChannelHandler, type FakePhoenix, type FakePhoenixOptions } from '../../src/testing/index.ts'
import { nextEvent, within } from '../helpers/wait.ts'

/** How long any single wait may take before the test fails. */
export const DEADLINE_MS = 3000

/** Small timers and fast back-off: every recovery takes milliseconds. */
export const fast = {
  heartbeatIntervalMs: 200,
  joinTimeoutMs: 500,
  pushTimeoutMs: 500,
  connectTimeoutMs: 500,
  reconnectDelay: () => 5,
  rejoinDelay: () => 5,
} satisfies Partial<ClientOptions>

export type EventName = keyof ClientEvents

/** Every client event name; a missing name fails the type-check. */
const EVERY_EVENT: Record<EventName, true> = {
  connect_start: true,
  connect_ok: true,
  connect_fail: true,
  disconnect: true,
  reconnect_scheduled: true,
  join_start: true,
  join_ok: true,
  join_error: true,
  rejoin_scheduled: true,
  channel_error: true,
  leave: true,
  push_sent: true,
  reply: true,
  message: true,
  heartbeat: true,
  liveness_lost: true,
  stale: true,
  unroutable: true,
  buffer_depth: true,
  protocol_error: true,
  message_dropped: true,
  callback_error: true,
}

export const eventNames = Object.keys(EVERY_EVENT) as EventName[]

/** Calls `listener` for every event the client emits; returns the unsubscribe function. */
export function onEveryEvent (client: Client, listener: (name: EventName, payload: unknown) => void): () => void {
  const offs = eventNames.map((name) => {
    const handler = (payload: unknown): void => { listener(name, payload) }
    const target = client.events as unknown as NodeJS.EventEmitter
    target.on(name, handler)
    return () => { target.off(name, handler) }
  })
  return () => { for (const off of offs) off() }
}

/** Resolves once `condition()` holds, checking now and after every client event; fails after `timeoutMs`. */
export async function until (client: Client, condition: () => boolean, what: string, timeoutMs = DEADLINE_MS): Promise<void> {
  if (condition()) return
  await within<undefined>(timeoutMs, what, (resolve) => onEveryEvent(client, () => { if (condition()) resolve(undefined) }))
}

/** Collects `name` events into an array as they come. */
export function record<K extends EventName> (client: Client, name: K): Array<ClientEvents[K][0]> {
  const seen: Array<ClientEvents[K][0]> = []
  const target = client.events as unknown as NodeJS.EventEmitter
  target.on(name, (payload: ClientEvents[K][0]) => { seen.push(payload) })
  return seen
}

export interface Harness {
  server: FakePhoenix
  /** A new client on the server (fast options unless overridden), closed when the test ends. */
  client: (options?: Partial<ClientOptions>) => Client
  /** As `client`, connected. */
  connected: (options?: Partial<ClientOptions>) => Promise<Client>
  /**
   * As `client`, once a socket has opened however many dials that takes: for a short `connectTimeoutMs`, which a
   * first dial on a loaded machine can miss (that rejects connect(); the client dials again on its own).
   */
  opened: (options?: Partial<ClientOptions>) => Promise<Client>
  /** Registers a client made elsewhere (a subclass) for closing. */
  track: <C extends Client>(client: C) => C
}

export async function harness (t: TestContext, serverOptions: FakePhoenixOptions = {}): Promise<Harness> {
  const server = await startFakePhoenix(serverOptions)
  const clients: Client[] = []
  t.after(async () => {
    await Promise.all(clients.map(async (c) => c.close()))
    server.faults.resume()
    await server.close()
  })
  const track = <C extends Client>(client: C): C => {
    clients.push(client)
    return client
  }
  const client = (options: Partial<ClientOptions> = {}): Client => track(new Client({ url: server.endpoint, ...fast, ...options }))
  return {
    server,
    client,
    connected: async (options) => {
      const c = client(options)
      await c.connect()
      return c
    },
    opened: async (options) => {
      const c = client(options)
      const open = nextEvent(c.events, 'connect_ok')
      c.connect().catch(() => undefined)
      await open
      return c
    },
    track,
  }
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort (): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening', { signal: AbortSignal.timeout(DEADLINE_MS) })
  const address = probe.address()
  probe.close()
  await once(probe, 'close', { signal: AbortSignal.timeout(DEADLINE_MS) })
  if (address === null || typeof address === 'string') throw new Error('probe server had no port')
  return address.port
}

/** A channel that records, in arrival order, the events pushed to it (per topic), and replies ok. */
export function recorder (): { handler: ChannelHandler, seen: Map<string, string[]> } {
  const seen = new Map<string, string[]>()
  const handler: ChannelHandler = {
    join: () => ok({}),
    handleIn: (event, _payload, socket) => {
      let list = seen.get(socket.topic)
      if (list === undefined) seen.set(socket.topic, (list = []))
      list.push(event)
      return ok({ event })
    },
  }
  return { handler, seen }
}

/** Narrows an error for assert.rejects: it is an instance of `type` and passes `check`. */
export function isError<E extends Error> (type: abstract new (...args: never[]) => E, check: (err: E) => boolean = () => true): (err: unknown) => boolean {
  return (err: unknown) => err instanceof type && check(err)
}
