/**
 * The app under test: a stock service that reserves items through a
 * Phoenix channel, `inventory:<warehouse>`, and hears of restocks on it.
 * It is an ordinary app built on the client library; inventory.test.ts
 * tests it against the fake Phoenix server from the test kit.
 */
import { Client, ReplyError } from 'backchannel'

/** The channel refused a reservation: not enough stock. */
export class OutOfStockError extends Error {
  readonly sku: string
  readonly available: number

  constructor (sku: string, available: number) {
    super(`only ${available} of ${sku} left`)
    this.name = 'OutOfStockError'
    this.sku = sku
    this.available = available
  }
}

export interface Restock { sku: string, quantity: number }

export interface InventoryOptions {
  /** The Phoenix socket endpoint, e.g. wss://app.example/socket */
  url: string
  warehouse: string
  /** Sent in the join payload; the channel refuses a wrong one. */
  token: string
  /** Deadline of every step, ms. */
  timeoutMs?: number
}

export class Inventory {
  readonly #client: Client
  readonly #topic: string
  readonly #timeoutMs: number

  private constructor (client: Client, topic: string, timeoutMs: number) {
    this.#client = client
    this.#topic = topic
    this.#timeoutMs = timeoutMs
  }

  /** Connects and joins the warehouse's channel; rejects (JoinRefusedError) when the channel refuses the token. */
  static async open (options: InventoryOptions): Promise<Inventory> {
    const timeoutMs = options.timeoutMs ?? 5000
    const client = new Client({ url: options.url, connectTimeoutMs: timeoutMs, joinTimeoutMs: timeoutMs, pushTimeoutMs: timeoutMs, maxJoinRefusals: 1 })
    const topic = `inventory:${options.warehouse}`
    try {
      await client.connect()
      await client.join(topic, { token: options.token })
    } catch (err) {
      await client.close()
      throw err
    }
    return new Inventory(client, topic, timeoutMs)
  }

  /** Reserves `quantity` of `sku` and resolves with the reservation id; OutOfStockError when there is not enough. */
  async reserve (sku: string, quantity: number): Promise<string> {
    try {
      const reply = await this.#client.push(this.#topic, 'reserve', { sku, quantity }) as { reservation: string }
      return reply.reservation
    } catch (err) {
      if (err instanceof ReplyError) {
        const response = err.response as { reason?: string, available?: number }
        if (response.reason === 'out_of_stock') throw new OutOfStockError(sku, response.available ?? 0)
      }
      throw err
    }
  }

  /** The next restock announced on the channel. */
  async nextRestock (): Promise<Restock> {
    const message = await this.#client.nextMessage(this.#topic, { event: 'restocked', timeout: this.#timeoutMs })
    return message.payload as Restock
  }

  async close (): Promise<void> {
    await this.#client.close()
  }
}
