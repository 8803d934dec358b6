/**
 * A raw TCP connection to the gateway for the connection-limit faults: it
 * writes exactly the bytes a test gives (half a header, a body that stops),
 * records what comes back, and says when the server closed it. Every wait
 * has a deadline.
 */
import { connect, type Socket } from 'node:net'
import { DEADLINE_MS } from '../gateway/sse/helpers.ts'
import { within } from '../helpers/wait.ts'
import { Wakeups } from '../helpers/wakeups.ts'

export class RawHttp {
  readonly socket: Socket
  readonly #chunks: Buffer[] = []
  readonly #wakeups = new Wakeups()
  #closed = false
  #error: string | null = null

  private constructor (socket: Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => { this.#chunks.push(chunk); this.#wakeups.wake() })
    socket.on('error', (err: NodeJS.ErrnoException) => { this.#error = err.code ?? err.message })
    socket.on('close', () => { this.#closed = true; this.#wakeups.wake() })
  }

  /** Connects to `base` (http://host:port). */
  static async open (base: string): Promise<RawHttp> {
    const url = new URL(base)
    const socket = connect(Number(url.port), url.hostname)
    const raw = new RawHttp(socket)
    await within<undefined>(DEADLINE_MS, 'the TCP connect', (resolve, reject) => {
      socket.once('connect', () => { resolve(undefined) })
      socket.once('error', reject)
      return undefined
    })
    return raw
  }

  get closed (): boolean { return this.#closed }
  /** The socket error the connection ended with (ECONNRESET…), if any. */
  get error (): string | null { return this.#error }
  /** Everything received, as text. */
  get text (): string { return Buffer.concat(this.#chunks).toString('utf8') }

  write (text: string): void {
    this.socket.write(text)
  }

  /** The first response: status, headers (lower-case names) and body, once its head and `content-length` bytes are in. */
  response (): { status: number, headers: Record<string, string>, body: string } | undefined {
    const text = this.text
    const split = text.indexOf('\r\n\r\n')
    if (split === -1) return undefined
    const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n')
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(':')
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    const body = text.slice(split + 4)
    const length = Number(headers['content-length'] ?? '0')
    if (Buffer.byteLength(body) < length) return undefined
    return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, length) }
  }

  /** Resolves with the first response, waiting for it. */
  async nextResponse (ms = DEADLINE_MS): Promise<{ status: number, headers: Record<string, string>, body: string }> {
    return this.#wakeups.until('a response', () => this.response(), ms)
  }

  /** Resolves once the server closed the connection. */
  async closedWithin (ms = DEADLINE_MS): Promise<void> {
    await this.#wakeups.until('the server to close the connection', () => this.#closed ? true : undefined, ms)
  }

  destroy (): void {
    this.socket.destroy()
  }
}
