/**
 * Shared setup for the fake server's frame-phase tests: a server and raw
 * clients that are closed when the test ends, a heartbeat that proves
 * ordering, and access to the raw text of a received message.
 */
import type { Message } from '../../../src/phoenix/message.ts'
import type { RawClient } from '../../helpers/raw-client.ts'

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

export { harness, heartbeat, type Harness } from '../../helpers/fake-harness.ts'
