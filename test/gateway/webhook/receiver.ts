/**
 * A webhook receiver for tests: a real node:http server on 127.0.0.1 port
 * 0 that records every request and answers it as the test's script says
 * (a status, a body, headers, or later: a held answer the test releases).
 * It knows whether each answer reached the client whole, and how many
 * requests were open at once (overall and per topic).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEADLINE_MS } from '../sse/helpers.ts'
import { Wakeups } from '../../helpers/wakeups.ts'

export interface Answer {
  status: number
  body?: string
  headers?: Record<string, string>
}

export interface Received {
  /** 1 for the first request this receiver got. */
  n: number
  path: string
  headers: IncomingHttpHeaders
  body: string
  /** The body's bytes as they arrived. */
  raw: Buffer
  /** performance.now() when the body had arrived. */
  at: number
  topic: string
  id: string
  key: string
  attempt: number
  /** The client's port: the same for requests on one kept-alive connection. */
  port: number
  /** The answer was written to the end; null while pending. */
  answered: boolean | null
  /** The client closed the connection before the answer was complete. */
  aborted: boolean
}

/** How the receiver answers a request; a promise holds the answer back. */
export type Script = (req: Received) => Answer | Promise<Answer>

const header = (headers: IncomingHttpHeaders, name: string): string => {
  const value = headers[name]
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
}

/** A promise the test settles by hand. */
export class Gate<T = Answer> {
  readonly promise: Promise<T>
  #resolve: (value: T) => void = () => {}
  constructor () {
    this.promise = new Promise<T>((resolve) => { this.#resolve = resolve })
  }

  open (value: T): void { this.#resolve(value) }
}

export class Receiver {
  readonly received: Received[] = []
  readonly #server: Server
  readonly #wakeups = new Wakeups()
  script: Script
  #open = 0
  #openByTopic = new Map<string, number>()
  /** Most requests open at once, overall and per topic. */
  maxOpen = 0
  readonly maxOpenByTopic = new Map<string, number>()

  private constructor (script: Script) {
    this.script = script
    this.#server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => { this.#handle(req.url ?? '/', req.headers, Buffer.concat(chunks), req.socket.remotePort ?? 0, res) })
    })
  }

  static async start (script: Script = () => ({ status: 200 })): Promise<Receiver> {
    const r = new Receiver(script)
    await new Promise<void>((resolve) => r.#server.listen(0, '127.0.0.1', resolve))
    return r
  }

  url (path = '/hook'): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${path}`
  }

  /** Requests for one topic, in arrival order. */
  of (topic: string): Received[] {
    return this.received.filter((r) => r.topic === topic)
  }

  /** The first request (received already or later) that matches. */
  async waitFor (what: string, match: (r: Received) => boolean, ms = DEADLINE_MS): Promise<Received> {
    return this.until(what, () => this.received.find(match), ms)
  }

  /** Resolves when `check` returns a value, checking after every request and answer. */
  async until<T> (what: string, check: () => T | undefined, ms = DEADLINE_MS): Promise<T> {
    return this.#wakeups.until(what, check, ms)
  }

  async close (): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => { resolve() }))
  }

  #wake (): void {
    this.#wakeups.wake()
  }

  #handle (path: string, headers: IncomingHttpHeaders, raw: Buffer, port: number, res: ServerResponse): void {
    const topic = header(headers, 'x-backchannel-topic')
    const r: Received = {
      n: this.received.length + 1,
      path,
      headers,
      body: raw.toString('utf8'),
      raw,
      at: performance.now(),
      topic,
      id: header(headers, 'x-backchannel-id'),
      key: header(headers, 'idempotency-key'),
      attempt: Number(header(headers, 'x-backchannel-attempt')),
      port,
      answered: null,
      aborted: false,
    }
    this.received.push(r)
    this.#open++
    this.maxOpen = Math.max(this.maxOpen, this.#open)
    const open = (this.#openByTopic.get(topic) ?? 0) + 1
    this.#openByTopic.set(topic, open)
    this.maxOpenByTopic.set(topic, Math.max(this.maxOpenByTopic.get(topic) ?? 0, open))
    let done = false
    const finish = (answered: boolean): void => {
      if (done) return
      done = true
      r.answered = answered
      this.#open--
      this.#openByTopic.set(topic, (this.#openByTopic.get(topic) ?? 1) - 1)
      this.#wake()
    }
    res.on('finish', () => { finish(true) })
    res.on('close', () => {
      if (!res.writableFinished) {
        r.aborted = true
        finish(false)
      }
    })
    this.#wake()
    Promise.resolve(this.script(r)).then((answer) => {
      if (res.destroyed) return
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      res.end(answer.body ?? '')
    }, () => { res.destroy() })
  }
}

/** A script answering each request with the next answer of a list (the last repeats). */
export function sequence (...answers: Array<Answer | (() => Answer | Promise<Answer>)>): Script {
  let i = 0
  return () => {
    const next = answers[Math.min(i++, answers.length - 1)] ?? { status: 200 }
    return typeof next === 'function' ? next() : next
  }
}

export const OK: Answer = { status: 200 }
export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({ status, body: JSON.stringify(value), headers })
export { header }
