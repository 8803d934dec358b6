/**
 * A bare channel client in its own process, receiving one topic, for the
 * receive benchmark: phoenix.js (npm `phoenix` over ws, as
 * bench/lib/phoenixjs.ts uses it) or Backchannel's `Client` (as
 * bench/lib/ours.ts uses it, counting in an `onMessage` override). It
 * counts the messages of one event and does nothing else with them, so its
 * CPU is what receiving costs.
 *
 *   node client-child.js --side=phoenixjs|ours --endpoint=ws://…/socket --topic=room:bench [--event=tick]
 *
 * Commands (bench/gateway/child.ts): cpu, mem, close; `arm` `{ count }`
 * starts a count of `count` messages from zero; `wait` `{ timeoutMs }`
 * answers `{ received }` once they have all arrived.
 */
import { parseArgs } from 'node:util'
import { Socket, type Channel } from 'phoenix'
import { WebSocket } from 'ws'
import { Client } from '../../src/index.ts'
import { withTimeout } from '../lib/measure.ts'
import { serve, type Reply } from '../gateway/child.ts'

const { values } = parseArgs({
  options: {
    side: { type: 'string' },
    endpoint: { type: 'string' },
    topic: { type: 'string', default: 'room:bench' },
    event: { type: 'string', default: 'tick' },
  },
})
const { side, endpoint, topic, event } = values
if (endpoint === undefined) throw new Error('--endpoint is required')

/** Messages of `event` since the last `arm`; wakes the waiter at `target`. */
class Count {
  received = 0
  target = Number.POSITIVE_INFINITY
  #wake: (() => void) | null = null

  one (): void {
    if (++this.received === this.target) {
      this.#wake?.()
      this.#wake = null
    }
  }

  arm (target: number): void {
    this.received = 0
    this.target = target
    this.#wake = null
  }

  async reached (timeoutMs: number): Promise<number> {
    if (this.received < this.target) {
      await withTimeout(new Promise<void>((resolve) => { this.#wake = resolve }), timeoutMs, `${side ?? '?'}: ${this.target} messages (have ${this.received})`)
    }
    return this.received
  }
}

const count = new Count()
const DEADLINE_MS = 10_000

class CountingClient extends Client {
  override onMessage (_topic: string, e: string, _payload: unknown): void {
    if (e === event) count.one()
  }
}

async function phoenixJs (url: string): Promise<() => Promise<void>> {
  const socket = new Socket(url, { transport: WebSocket, timeout: DEADLINE_MS })
  const opened = new Promise<void>((resolve) => { socket.onOpen(() => { resolve() }) })
  socket.connect()
  await withTimeout(opened, DEADLINE_MS, 'phoenix.js: socket open')
  const channel: Channel = socket.channel(topic, {})
  channel.on(event, () => { count.one() })
  await withTimeout(new Promise<void>((resolve, reject) => {
    channel.join()
      .receive('ok', () => { resolve() })
      .receive('error', (e: unknown) => { reject(new Error(`phoenix.js: join ${topic} refused: ${JSON.stringify(e)}`)) })
  }), DEADLINE_MS, 'phoenix.js: join')
  return async () => withTimeout(new Promise<void>((resolve) => { socket.disconnect(() => { resolve() }, 1000) }), 5000, 'phoenix.js: disconnect')
}

async function ours (url: string): Promise<() => Promise<void>> {
  const client = new CountingClient({ url, size: 1 })
  await client.connect()
  await withTimeout(client.join(topic), DEADLINE_MS, 'Backchannel: join')
  return async () => { await client.close() }
}

let close: () => Promise<void>
if (side === 'phoenixjs') close = await phoenixJs(endpoint)
else if (side === 'ours') close = await ours(endpoint)
else throw new Error('--side must be phoenixjs or ours')

await serve({ side }, {
  arm: (command: Reply) => {
    count.arm(Number(command['count']))
    return {}
  },
  wait: async (command: Reply) => ({ received: await count.reached(Number(command['timeoutMs'] ?? 60_000)) }),
}, close)
