/**
 * A bare Phoenix client for protocol tests: one ws socket, frames in and out
 * through our serializers, and waits that always have a deadline. It does
 * nothing on its own (no heartbeats, no rejoin), so tests see the server's
 * behaviour alone.
 */
import { WebSocket, type ClientOptions } from 'ws'
import type { Frame, Message } from '../../src/phoenix/message.ts'
import { v1, v2, type Serializer } from '../../src/phoenix/serializer.ts'
import { within } from './wait.ts'

export interface RawClientOptions {
  /** Query params besides vsn. */
  params?: Record<string, string>
  vsn?: '1.0.0' | '2.0.0'
  protocols?: string[]
  ws?: ClientOptions
}

export interface Closed { code: number, reason: string }

export class RawClient {
  readonly ws: WebSocket
  readonly serializer: Serializer
  /** Every message received, in order. */
  readonly received: Message[] = []
  /** Every raw frame received, in order. */
  readonly frames: Frame[] = []
  readonly closed: Promise<Closed>
  readonly #waiters = new Set<() => void>()
  #ref = 0

  private constructor (ws: WebSocket, serializer: Serializer) {
    this.ws = ws
    this.serializer = serializer
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame: Frame = isBinary ? new Uint8Array(data) : data.toString('utf8')
      this.frames.push(frame)
      this.received.push(serializer.decodeFromServer(frame))
      for (const wake of this.#waiters) wake()
    })
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        resolve({ code, reason: reason.toString('utf8') })
        for (const wake of this.#waiters) wake()
      })
    })
    ws.on('error', () => { /* close follows */ })
  }

  static async connect (url: string, options: RawClientOptions = {}): Promise<RawClient> {
    const vsn = options.vsn ?? '2.0.0'
    const query = new URLSearchParams({ ...options.params, vsn }).toString()
    const ws = new WebSocket(`${url}?${query}`, options.protocols ?? [], options.ws)
    const client = new RawClient(ws, vsn === '1.0.0' ? v1 : v2)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => { resolve() })
      ws.once('error', reject)
      ws.once('unexpected-response', (_req, res) => { reject(new Error(`upgrade refused: HTTP ${String(res.statusCode)}`)) })
    })
    return client
  }

  nextRef (): string {
    this.#ref += 1
    return String(this.#ref)
  }

  send (message: Message): void {
    this.ws.send(this.serializer.encodeToServer(message))
  }

  sendFrame (frame: Frame): void {
    this.ws.send(frame, { binary: typeof frame !== 'string' })
  }

  /** Sends a phx_join with join_ref = ref, and returns that ref. */
  join (topic: string, payload: unknown = {}, joinRef?: string | null): string {
    const ref = this.nextRef()
    this.send({ joinRef: joinRef === undefined ? ref : joinRef, ref, topic, event: 'phx_join', payload })
    return ref
  }

  push (topic: string, event: string, payload: unknown, joinRef: string | null): string {
    const ref = this.nextRef()
    this.send({ joinRef, ref, topic, event, payload })
    return ref
  }

  /** The first received message (from `from` on) that matches; rejects after `timeoutMs`. */
  async next (match: (m: Message) => boolean, timeoutMs = 2000, from = 0): Promise<Message> {
    const found = (): Message | undefined => this.received.slice(from).find(match)
    const hit = found()
    if (hit !== undefined) return hit
    return within<Message>(timeoutMs, 'a matching message', (resolve, reject) => {
      const wake = (): void => {
        const m = found()
        if (m !== undefined) resolve(m)
        else if (this.ws.readyState === WebSocket.CLOSED) reject(new Error('socket closed before the expected message'))
      }
      this.#waiters.add(wake)
      return () => { this.#waiters.delete(wake) }
    })
  }

  /** The reply to `ref`. */
  async reply (ref: string, timeoutMs = 2000): Promise<Message> {
    return this.next((m) => m.event === 'phx_reply' && m.ref === ref, timeoutMs)
  }

  /** Resolves once the socket closed, rejecting after `timeoutMs`. */
  async closedWithin (timeoutMs = 2000): Promise<Closed> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`socket still open after ${timeoutMs} ms`)) }, timeoutMs)
    })
    try {
      return await Promise.race([this.closed, deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  close (): void {
    this.ws.close(1000)
  }
}
