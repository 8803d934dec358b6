/**
 * SSE readers that open a stream and then never read: raw sockets whose
 * receive side is paused. The gateway must bound what it holds for them
 * and cut them off; this counts how many it has cut (their socket closed
 * by the broker).
 */
import { connect, type Socket } from 'node:net'

export class StalledReaders {
  readonly #sockets: Socket[] = []
  cutByGateway = 0

  constructor (base: string, topics: readonly string[], count: number) {
    const { hostname, port } = new URL(base)
    for (let i = 0; i < count; i++) {
      const topic = topics[i % topics.length] ?? ''
      const socket = connect({ host: hostname, port: Number(port) })
      socket.write(`GET /v1/channels/${encodeURIComponent(topic)}/events HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`)
      socket.pause()
      socket.on('error', () => undefined)
      socket.on('close', () => { this.cutByGateway++ })
      this.#sockets.push(socket)
    }
  }

  get size (): number { return this.#sockets.length }

  close (): void {
    for (const socket of this.#sockets) {
      socket.removeAllListeners('close')
      socket.destroy()
    }
  }
}
