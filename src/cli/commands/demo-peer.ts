/**
 * A minimal Phoenix peer for the demo: one ws socket, our serializers, and
 * waits with deadlines. Not a client: no heartbeats, no reconnects.
 */
import { WebSocket } from 'ws'
import type { Message } from '../../phoenix/message.ts'
import { v2 } from '../../phoenix/serializer.ts'

export class DemoPeer {
  readonly #ws: WebSocket
  readonly #inbox: Message[] = []
  readonly #wake = new Set<() => void>()
  #ref = 0

  private constructor (ws: WebSocket) {
    this.#ws = ws
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.#inbox.push(v2.decodeFromServer(isBinary ? new Uint8Array(data) : data.toString('utf8')))
      for (const wake of this.#wake) wake()
    })
  }

  static async open (url: string): Promise<DemoPeer> {
    const ws = new WebSocket(`${url}?vsn=2.0.0`, { handshakeTimeout: 2000 })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    return new DemoPeer(ws)
  }

  async closed (timeoutMs: number): Promise<number> {
    if (this.#ws.readyState === WebSocket.CLOSED) return 1006
    return this.#within(new Promise((resolve) => this.#ws.once('close', resolve)), timeoutMs, 'close')
  }

  send (joinRef: string | null, topic: string, event: string, payload: unknown): string {
    const ref = String(++this.#ref)
    this.#ws.send(v2.encodeToServer({ joinRef: joinRef ?? (event === 'phx_join' ? ref : null), ref, topic, event, payload }))
    return ref
  }

  async next (match: (m: Message) => boolean, timeoutMs = 2000): Promise<Message> {
    const take = (): Message | undefined => {
      const i = this.#inbox.findIndex(match)
      return i === -1 ? undefined : this.#inbox.splice(i, 1)[0]
    }
    const now = take()
    if (now !== undefined) return now
    let wake = (): void => {}
    const found = new Promise<Message>((resolve) => {
      wake = () => { const m = take(); if (m !== undefined) resolve(m) }
      this.#wake.add(wake)
    })
    try {
      return await this.#within(found, timeoutMs, 'message')
    } finally {
      this.#wake.delete(wake)
    }
  }

  close (): void {
    this.#ws.close(1000)
  }

  async #within<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`no ${what} within ${ms} ms`)) }, ms) })
    try {
      return await Promise.race([promise, deadline])
    } finally {
      clearTimeout(timer)
    }
  }
}
