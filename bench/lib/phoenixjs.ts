/**
 * phoenix.js 1.8 (npm `phoenix`, `transport: WebSocket` from ws) as a
 * benchmark side: `sockets` sockets, topics dealt to the emptiest so each
 * holds at most `perSocket`, messages counted with `channel.on`, rejoins
 * counted on the join push's 'ok' hook (phoenix.js resends the same join
 * push on every rejoin, so its hooks fire again).
 */
import { Socket, type Channel } from 'phoenix'
import { WebSocket } from 'ws'
import { withTimeout, wallClock } from './measure.ts'
import { RECONNECT_DELAY_MS, type BenchSide, type Topology } from './side.ts'

const DEADLINE_MS = 60_000

export class PhoenixJsSide implements BenchSide {
  readonly name = 'phoenix.js'
  readonly sockets: Socket[]
  readonly #channels = new Map<string, Channel>()
  readonly #load: number[]
  readonly #perSocket: number
  readonly #socketOf = new Map<string, number>()
  #received = 0
  #done = 0
  #doneTarget = 0
  #onAllDone: () => void = () => {}
  #onJoinOk: () => void = () => {}
  #onClose: () => void = () => {}

  constructor (endpoint: string, topology: Topology) {
    this.#load = new Array<number>(topology.sockets).fill(0)
    this.#perSocket = topology.perSocket
    this.sockets = Array.from({ length: topology.sockets }, () => {
      const socket = new Socket(endpoint, { transport: WebSocket, reconnectAfterMs: () => RECONNECT_DELAY_MS, timeout: 10_000 })
      socket.onClose(() => { this.#onClose() })
      return socket
    })
  }

  async connect (): Promise<void> {
    const opened = this.sockets.map(async (socket) => new Promise<void>((resolve) => {
      const ref = socket.onOpen(() => {
        socket.off([ref])
        resolve()
      })
    }))
    for (const socket of this.sockets) socket.connect()
    await withTimeout(Promise.all(opened), DEADLINE_MS, 'phoenix.js: every socket open')
  }

  async join (topics: readonly string[]): Promise<void> {
    const joins = topics.map(async (topic) => new Promise<void>((resolve, reject) => {
      const index = this.#pick()
      const socket = this.sockets[index]!
      const channel = socket.channel(topic, {})
      this.#channels.set(topic, channel)
      this.#socketOf.set(topic, index)
      this.#load[index]!++
      channel.on('msg', () => { this.#received++ })
      channel.on('done', () => {
        if (++this.#done === this.#doneTarget) this.#onAllDone()
      })
      channel.join()
        .receive('ok', () => {
          resolve()
          this.#onJoinOk()
        })
        .receive('error', (e: unknown) => { reject(new Error(`phoenix.js: join ${topic} refused: ${JSON.stringify(e)}`)) })
        .receive('timeout', () => { reject(new Error(`phoenix.js: join ${topic} timed out`)) })
    }))
    await withTimeout(Promise.all(joins), DEADLINE_MS, 'phoenix.js: join')
  }

  async leave (topics: readonly string[]): Promise<void> {
    const leaves = topics.map(async (topic) => new Promise<void>((resolve) => {
      const channel = this.#channels.get(topic)
      if (channel === undefined) {
        resolve()
        return
      }
      this.#channels.delete(topic)
      const index = this.#socketOf.get(topic)
      if (index !== undefined) this.#load[index]!--
      this.#socketOf.delete(topic)
      channel.leave().receive('ok', () => { resolve() }).receive('timeout', () => { resolve() })
    }))
    await withTimeout(Promise.all(leaves), DEADLINE_MS, 'phoenix.js: leave')
  }

  async firehose (topics: readonly string[], count: number, size: number): Promise<number> {
    this.#received = 0
    this.#done = 0
    this.#doneTarget = topics.length
    const allDone = new Promise<void>((resolve) => { this.#onAllDone = resolve })
    const started = topics.map(async (topic) => new Promise<void>((resolve, reject) => {
      this.#channel(topic).push('start', { count, size })
        .receive('ok', () => { resolve() })
        .receive('error', () => { reject(new Error('phoenix.js: start refused')) })
        .receive('timeout', () => { reject(new Error('phoenix.js: start timed out')) })
    }))
    await Promise.all(started)
    await withTimeout(allDone, DEADLINE_MS, 'phoenix.js: firehose')
    return this.#received
  }

  async roundTrip (topic: string, payload: Record<string, unknown>): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#channel(topic).push('ping', payload)
        .receive('ok', () => { resolve() })
        .receive('error', () => { reject(new Error('phoenix.js: ping refused')) })
        .receive('timeout', () => { reject(new Error('phoenix.js: ping timed out')) })
    })
  }

  async expectRejoins (n: number): Promise<{ firstCloseAt: number, lastRejoinAt: number }> {
    let firstCloseAt = Number.NaN
    let rejoined = 0
    this.#onClose = () => {
      if (Number.isNaN(firstCloseAt)) firstCloseAt = wallClock()
    }
    const done = new Promise<number>((resolve) => {
      this.#onJoinOk = () => {
        if (++rejoined === n) resolve(wallClock())
      }
    })
    try {
      const lastRejoinAt = await withTimeout(done, DEADLINE_MS, `phoenix.js: ${n} rejoins`)
      return { firstCloseAt, lastRejoinAt }
    } finally {
      this.#onJoinOk = () => {}
      this.#onClose = () => {}
    }
  }

  async close (): Promise<void> {
    await withTimeout(Promise.all(this.sockets.map(async (s) => new Promise<void>((resolve) => {
      s.disconnect(() => { resolve() }, 1000)
    }))), 5000, 'phoenix.js: disconnect')
  }

  #channel (topic: string): Channel {
    const channel = this.#channels.get(topic)
    if (channel === undefined) throw new Error(`phoenix.js: ${topic} is not joined`)
    return channel
  }

  /** The socket with the fewest topics, so each holds at most `perSocket`. */
  #pick (): number {
    let best = 0
    for (let i = 1; i < this.#load.length; i++) if (this.#load[i]! < this.#load[best]!) best = i
    if (this.#load[best]! >= this.#perSocket) throw new Error('phoenix.js: every socket is full')
    return best
  }
}
