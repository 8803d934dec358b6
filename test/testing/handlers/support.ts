/**
 * Shared setup for the built-in handler tests: a server with the default
 * channels and raw clients, all closed when the test ends.
 */
import type { TestContext } from 'node:test'
import type { Message } from '../../../src/phoenix/message.ts'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import { RawClient, type RawClientOptions } from '../../helpers/raw-client.ts'

export interface Harness {
  server: FakePhoenix
  connect: (options?: RawClientOptions) => Promise<RawClient>
}

export async function harness (t: TestContext, options: FakePhoenixOptions = {}): Promise<Harness> {
  const server = await startFakePhoenix(options)
  const clients: RawClient[] = []
  t.after(async () => {
    for (const c of clients) c.ws.terminate()
    await server.close()
  })
  return {
    server,
    connect: async (clientOptions) => {
      const client = await RawClient.connect(server.url, clientOptions)
      clients.push(client)
      return client
    },
  }
}

/** Joins `topic`, waits for an ok reply, and returns the join_ref. */
export async function joinOk (client: RawClient, topic: string, payload: unknown = {}): Promise<string> {
  const ref = client.join(topic, payload)
  const reply = await client.reply(ref)
  if ((reply.payload as { status?: unknown }).status !== 'ok') throw new Error(`join of ${topic} refused: ${JSON.stringify(reply.payload)}`)
  return ref
}

/** The first message of `event` on `topic` from index `from` on. */
export async function nextEvent (client: RawClient, topic: string, event: string, from = 0, timeoutMs = 2000): Promise<Message> {
  return client.next((m) => m.topic === topic && m.event === event, timeoutMs, from)
}

/** Sends a heartbeat and waits for its reply; returns the reply's index in `client.received`. */
export async function heartbeat (client: RawClient): Promise<number> {
  const ref = client.nextRef()
  const from = client.received.length
  client.send({ joinRef: null, ref, topic: 'phoenix', event: 'heartbeat', payload: {} })
  const reply = await client.next((m) => m.event === 'phx_reply' && m.ref === ref, 2000, from)
  return client.received.indexOf(reply)
}
