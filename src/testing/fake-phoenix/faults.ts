/**
 * Fault controls: the ways a real Phoenix server, or the network in front of
 * it, lets a client down. Each is a switch a test flips and, where it lasts,
 * flips back.
 */
import type { Frame } from '../../phoenix/message.ts'
import type { FakeConnection } from './connection.ts'
import type { Hub } from './hub.ts'

export interface Lifecycle {
  stop: (mode: 'abrupt' | number | 'drain') => Promise<void>
  start: () => Promise<void>
  resumeUpgrades: () => void
}

export interface RefuseOptions {
  /** HTTP status for the refused upgrade; default 503. */
  status?: number
  body?: string
  headers?: Record<string, string>
  /** Accept again after this long; without it, until `acceptConnections()`. */
  forMs?: number
}

export interface RestartOptions {
  /** How existing sockets end: 'drain' (1012 for sockets with channels, 1000 others; the default), 'abrupt' (TCP dropped), or a close code. */
  mode?: 'abrupt' | 'drain' | number
  /** How long the port stays closed before listening again; default 0. */
  downMs?: number
}

export class Faults {
  readonly #hub: Hub
  readonly #connections: () => FakeConnection[]
  readonly #lifecycle: Lifecycle
  #refuseTimer: NodeJS.Timeout | undefined

  constructor (hub: Hub, connections: () => FakeConnection[], lifecycle: Lifecycle) {
    this.#hub = hub
    this.#connections = connections
    this.#lifecycle = lifecycle
  }

  /** Closes every socket with `code` (e.g. 1001 disconnect, 1011 crash, 1012 drain). */
  closeAll (code: number, reason = ''): number {
    const conns = this.#connections()
    for (const c of conns) c.close(code, reason)
    return conns.length
  }

  /** Drops every TCP connection without a close frame (the client sees 1006). */
  dropAll (): number {
    const conns = this.#connections()
    for (const c of conns) c.drop()
    return conns.length
  }

  /** Stops answering heartbeats; everything else still works. */
  pauseHeartbeats (): void { this.#hub.faults.heartbeatsPaused = true }
  resumeHeartbeats (): void { this.#hub.faults.heartbeatsPaused = false }

  /**
   * Stops reading: existing sockets are paused (TCP stays up, nothing is
   * answered) and new upgrades hang unanswered after the TCP accept.
   */
  stall (): void {
    this.#hub.faults.stalled = true
    for (const c of this.#connections()) c.stall()
  }

  /** Ends a stall: held frames and upgrades are handled in order. */
  resume (): void {
    this.#hub.faults.stalled = false
    for (const c of this.#connections()) c.resumeHeld()
    this.#lifecycle.resumeUpgrades()
  }

  /** Refuses new upgrades with an HTTP status (503 by default), for a while or until accepted again. */
  refuseConnections (options: RefuseOptions = {}): void {
    clearTimeout(this.#refuseTimer)
    this.#hub.faults.refusal = { status: options.status ?? 503, body: options.body ?? '', headers: options.headers ?? {} }
    if (options.forMs !== undefined) this.#refuseTimer = setTimeout(() => { this.acceptConnections() }, options.forMs)
  }

  acceptConnections (): void {
    clearTimeout(this.#refuseTimer)
    this.#hub.faults.refusal = null
  }

  /**
   * Delays every join and push reply by `ms`; 0 turns it off. Heartbeats are
   * answered at once, except behind a delayed join: a join holds up its
   * connection, as a slow `join/3` does in Phoenix.
   */
  delayReplies (ms: number): void { this.#hub.faults.replyDelayMs = ms }

  /** Sends a frame verbatim, text or binary, to every connection (or one). */
  sendRaw (frame: Frame, connectionId?: number): number {
    const conns = this.#connections().filter((c) => connectionId === undefined || c.id === connectionId)
    for (const c of conns) c.sendFrame(frame)
    return conns.length
  }

  /** Stops the server and listens again on the same port, as a deploy does. */
  async restart (options: RestartOptions = {}): Promise<void> {
    await this.stop(options.mode ?? 'drain')
    if ((options.downMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, options.downMs))
    await this.start()
  }

  /** Stops listening and ends every connection; `start()` brings it back on the same port. */
  async stop (mode: 'abrupt' | 'drain' | number = 'drain'): Promise<void> {
    await this.#lifecycle.stop(mode)
  }

  async start (): Promise<void> {
    await this.#lifecycle.start()
  }
}
