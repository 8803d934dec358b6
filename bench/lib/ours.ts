/**
 * Backchannel's Client as a benchmark side: a pool of `sockets` sockets with
 * at most `perSocket` topics each, messages counted in the `onMessage` callback (the
 * cheapest way in, as phoenix.js's `channel.on`), rejoins counted on
 * `client.events` 'join_ok' with `rejoin: true`.
 */
import { Client } from '../../src/index.ts'
import { withTimeout, wallClock } from './measure.ts'
import { RECONNECT_DELAY_MS, type BenchSide, type Topology } from './side.ts'

const DEADLINE_MS = 60_000

class CountingClient extends Client {
  received = 0
  done = 0
  doneTarget = 0
  onAllDone: () => void = () => {}

  override onMessage (_topic: string, event: string, _payload: unknown): void {
    if (event === 'msg') {
      this.received++
    } else if (event === 'done') {
      this.done++
      if (this.done === this.doneTarget) this.onAllDone()
    }
  }
}

export class OursSide implements BenchSide {
  readonly name = 'Backchannel'
  readonly client: CountingClient
  readonly #sockets: number

  constructor (endpoint: string, topology: Topology) {
    this.#sockets = topology.sockets
    this.client = new CountingClient({
      url: endpoint,
      size: topology.sockets,
      maxChannelsPerSocket: topology.perSocket,
      reconnectDelay: () => RECONNECT_DELAY_MS,
    })
  }

  async connect (): Promise<void> {
    const all = new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.client.stats().socketsConnected < this.#sockets) return
        this.client.events.off('connect_ok', check)
        resolve()
      }
      this.client.events.on('connect_ok', check)
    })
    await this.client.connect()
    await withTimeout(all, DEADLINE_MS, 'Backchannel: every socket open')
  }

  async join (topics: readonly string[]): Promise<void> {
    await withTimeout(Promise.all(topics.map(async (t) => this.client.join(t))), DEADLINE_MS, 'Backchannel: join')
  }

  async leave (topics: readonly string[]): Promise<void> {
    await withTimeout(Promise.all(topics.map(async (t) => { await this.client.leave(t) })), DEADLINE_MS, 'Backchannel: leave')
  }

  async firehose (topics: readonly string[], count: number, size: number): Promise<number> {
    const c = this.client
    c.received = 0
    c.done = 0
    c.doneTarget = topics.length
    const allDone = new Promise<void>((resolve) => { c.onAllDone = resolve })
    await Promise.all(topics.map(async (t) => c.push(t, 'start', { count, size })))
    await withTimeout(allDone, DEADLINE_MS, 'Backchannel: firehose')
    return c.received
  }

  /** The same firehose read through `client.messages()` async iterators instead of the callback. */
  async firehoseIterator (topics: readonly string[], count: number, size: number): Promise<number> {
    let received = 0
    const readers = topics.map(async (topic) => {
      for await (const m of this.client.messages(topic, { queueSize: count + 10 })) {
        if (m.event === 'msg') received++
        else if (m.event === 'done') return
      }
    })
    await Promise.all(topics.map(async (t) => this.client.push(t, 'start', { count, size })))
    await withTimeout(Promise.all(readers), DEADLINE_MS, 'Backchannel: firehose (iterator)')
    return received
  }

  async roundTrip (topic: string, payload: Record<string, unknown>): Promise<void> {
    await this.client.push(topic, 'ping', payload)
  }

  async expectRejoins (n: number): Promise<{ firstCloseAt: number, lastRejoinAt: number }> {
    const events = this.client.events
    let firstCloseAt = Number.NaN
    let rejoined = 0
    const onClose = (): void => {
      if (Number.isNaN(firstCloseAt)) firstCloseAt = wallClock()
    }
    let onJoin = (_e: { rejoin: boolean }): void => {}
    const done = new Promise<number>((resolve) => {
      onJoin = (e) => {
        if (e.rejoin && ++rejoined === n) resolve(wallClock())
      }
    })
    events.on('disconnect', onClose)
    events.on('join_ok', onJoin)
    try {
      const lastRejoinAt = await withTimeout(done, DEADLINE_MS, `Backchannel: ${n} rejoins`)
      return { firstCloseAt, lastRejoinAt }
    } finally {
      events.off('disconnect', onClose)
      events.off('join_ok', onJoin)
    }
  }

  async close (): Promise<void> {
    await this.client.close()
  }
}
