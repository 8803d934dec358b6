/**
 * Shared setup for the fake server's frame-phase tests: a server and raw
 * clients that are closed when the test ends, a heartbeat that proves
 * ordering, and access to the raw text of a received message.
 */
import type { TestContext } from 'node:test'
import type { Message } from '../../../src/phoenix/message.ts'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import { RawClient, type RawClientOptions } from '../../helpers/raw-client.ts'

export interface Harness {
  server: FakePhoenix
  connect: (options?: RawClientOptions) => Promise<RawClient>
}

/** Starts a fake server and hands out clients; everything is closed after the test. */
export async function harness (t: TestContext, options: FakePhoenixOptions = {}): Promise<Harness> {
  const server = await startFakePhoenix(options)
  const clients: RawClient[] = []
  t.after(async () => {
    for (const c of clients) c.close()
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

/**
 * Sends a heartbeat and waits for its reply; returns the index of that reply
 * in `client.received`. Frames of one connection are written in order, so
 * anything the server sent before the reply sits below that index.
 */
export async function heartbeat (client: RawClient): Promise<number> {
  const from = client.received.length
  const ref = client.nextRef()
  client.send({ joinRef: null, ref, topic: 'phoenix', event: 'heartbeat', payload: {} })
  const reply = await client.next((m) => m.event === 'phx_reply' && m.ref === ref && m.topic === 'phoenix', 2000, from)
  return client.received.indexOf(reply, from)
}

/** The raw text frame that carried `message`. */
export function rawOf (client: RawClient, message: Message): string {
  const frame = client.frames[client.received.indexOf(message)]
  if (typeof frame !== 'string') throw new Error('expected a text frame')
  return frame
}

/** The raw text frames received from index `from` on. */
export function textFrom (client: RawClient, from = 0): string[] {
  return client.frames.slice(from).map((f) => (typeof f === 'string' ? f : `<binary ${Buffer.from(f).toString('hex')}>`))
}

/** Sends a join and waits for its reply. */
export async function joined (client: RawClient, topic: string, payload: unknown = {}, joinRef?: string | null): Promise<{ ref: string, reply: Message }> {
  const ref = client.join(topic, payload, joinRef)
  return { ref, reply: await client.reply(ref) }
}
