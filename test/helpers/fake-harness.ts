/**
 * A fake Phoenix server with bare clients for protocol tests: everything is
 * closed after the test. Shared by the protocol, handler and fault suites.
 */
import { once } from 'node:events'
import type { TestContext } from 'node:test'
import { WebSocket, type ClientOptions } from 'ws'
import type { Message } from '../../src/phoenix/message.ts'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../src/testing/index.ts'
import { RawClient, type RawClientOptions } from './raw-client.ts'

export interface Harness {
  server: FakePhoenix
  connect: (options?: RawClientOptions) => Promise<RawClient>
  /** A plain ws socket (no Phoenix decoding), open. */
  openWs: (options?: ClientOptions) => Promise<WebSocket>
}

export async function harness (t: TestContext, options: FakePhoenixOptions = {}): Promise<Harness> {
  const server = await startFakePhoenix(options)
  const sockets: WebSocket[] = []
  t.after(async () => {
    for (const ws of sockets) ws.terminate()
    await server.close()
  })
  return {
    server,
    connect: async (clientOptions) => {
      const client = await RawClient.connect(server.url, clientOptions)
      sockets.push(client.ws)
      return client
    },
    openWs: async (wsOptions) => {
      const ws = new WebSocket(`${server.url}?vsn=2.0.0`, wsOptions)
      sockets.push(ws)
      ws.on('error', () => { /* the test reads close codes */ })
      await once(ws, 'open', { signal: AbortSignal.timeout(2000) })
      return ws
    },
  }
}

/** Sends a heartbeat and returns its ref (it does not wait). */
export function sendHeartbeat (client: RawClient): string {
  const ref = client.nextRef()
  client.send({ joinRef: null, ref, topic: 'phoenix', event: 'heartbeat', payload: {} })
  return ref
}

/**
 * Sends a heartbeat and waits for its reply; returns the index of that reply
 * in `client.received`. Frames of one connection are written in order, so
 * anything the server sent before the reply sits below that index.
 */
export async function heartbeat (client: RawClient): Promise<number> {
  const from = client.received.length
  const ref = sendHeartbeat(client)
  const reply = await client.next((m) => m.event === 'phx_reply' && m.ref === ref && m.topic === 'phoenix', 2000, from)
  return client.received.indexOf(reply, from)
}

export const isReplyTo = (ref: string) => (m: Message): boolean => m.event === 'phx_reply' && m.ref === ref

/** Joins `topic`, waits for an ok reply, and returns the join_ref. */
export async function joinOk (client: RawClient, topic: string, payload: unknown = {}): Promise<string> {
  const ref = client.join(topic, payload)
  const reply = await client.reply(ref)
  if ((reply.payload as { status?: unknown }).status !== 'ok') throw new Error(`join of ${topic} refused: ${JSON.stringify(reply.payload)}`)
  return ref
}

/** The first message of `event` on `topic` from index `from` on. */
export async function nextMessage (client: RawClient, topic: string, event: string, from = 0, timeoutMs = 2000): Promise<Message> {
  return client.next((m) => m.topic === topic && m.event === event, timeoutMs, from)
}
