/**
 * Helpers for the SSE endpoint's tests: a spec-following Server-Sent Events
 * parser, a reader over a real HTTP connection whose waits always have a
 * deadline, a raw TCP reader that stops reading, and a gateway started
 * in-process against the fake Phoenix server, with a chance to add
 * test-only hooks or routes before it listens.
 */
import assert from 'node:assert/strict'
import { request, type Agent, type IncomingHttpHeaders, type ClientRequest } from 'node:http'
import { connect, type Socket } from 'node:net'
import { pino } from 'pino'
import type { ChannelConfig, Config, UpstreamConfig } from '../../../src/gateway/config/types.ts'
import { createDaemon, type Daemon } from '../../../src/gateway/daemon.ts'
import type { Subscription } from '../../../src/gateway/hub/subscription.ts'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import type { TestContext } from 'node:test'
import { gatewayConfig, literal, stopGateway, type Running } from '../helpers.ts'
import { within } from '../../helpers/wait.ts'

/** How long any single wait in these tests may take. */
export const DEADLINE_MS = 5000

export interface SseMessage {
  /** The `id:` field of this event's block, if it had one. */
  id: string | undefined
  /** The last event id after this event, as EventSource keeps it. */
  lastEventId: string
  event: string
  data: string
  retry: number | undefined
}

/** The WHATWG event-stream parser (HTML §9.2.6), fed text as it arrives. */
export class SseParser {
  readonly events: SseMessage[] = []
  readonly comments: string[] = []
  #buffer = ''
  #lastEventId = ''
  #block: { id?: string, event?: string, data: string[], retry?: number } = { data: [] }
  #trailingCr = false

  feed (text: string): void {
    let input = text
    if (this.#trailingCr && input.startsWith('\n')) input = input.slice(1)
    this.#trailingCr = input.endsWith('\r')
    this.#buffer += input
    const lines = this.#buffer.split(/\r\n|\r|\n/)
    this.#buffer = lines.pop() ?? ''
    for (const line of lines) this.#line(line)
  }

  #line (line: string): void {
    if (line === '') {
      const block = this.#block
      this.#block = { data: [] }
      if (block.id !== undefined) this.#lastEventId = block.id
      if (block.data.length === 0) return
      this.events.push({ id: block.id, lastEventId: this.#lastEventId, event: block.event ?? 'message', data: block.data.join('\n'), retry: block.retry })
      return
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trimStart())
      return
    }
    const colon = line.indexOf(':')
    const name = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (name === 'event') this.#block.event = value
    else if (name === 'data') this.#block.data.push(value)
    else if (name === 'id' && !value.includes('\u0000')) this.#block.id = value
    else if (name === 'retry' && /^\d+$/.test(value)) this.#block.retry = Number(value)
  }
}

export interface OpenOptions {
  lastEventId?: string
  query?: Record<string, string>
  /** An agent to share connections with (default: a connection of its own). */
  agent?: Agent
  /** More request headers (a token, a cookie, an Origin). */
  headers?: Record<string, string>
}

/** One SSE response read over its own HTTP connection. */
export class SseStream {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly parser = new SseParser()
  /** Everything received, as text. */
  text = ''
  ended = false
  /** The TCP connection the response came on. */
  readonly socket: Socket
  readonly #req: ClientRequest
  readonly #wakers = new Set<() => void>()

  private constructor (req: ClientRequest, socket: Socket, status: number, headers: IncomingHttpHeaders) {
    this.#req = req
    this.socket = socket
    this.status = status
    this.headers = headers
  }

  get events (): SseMessage[] { return this.parser.events }

  /** Opens `GET /v1/channels/:topic/events` and resolves once the response headers are in. */
  static async open (base: string, topic: string, options: OpenOptions = {}): Promise<SseStream> {
    const query = new URLSearchParams(options.query ?? {}).toString()
    return await SseStream.openUrl(`${base}/v1/channels/${encodeURIComponent(topic)}/events${query === '' ? '' : `?${query}`}`, options)
  }

  /** Opens `GET /v1/events` over `topics` (exact topics and patterns) and resolves once the response headers are in. */
  static async openTopics (base: string, topics: readonly string[], options: OpenOptions = {}): Promise<SseStream> {
    const query = new URLSearchParams([...topics.map((t): [string, string] => ['topic', t]), ...Object.entries(options.query ?? {})]).toString()
    return await SseStream.openUrl(`${base}/v1/events?${query}`, options)
  }

  static async openUrl (url: string, options: OpenOptions = {}): Promise<SseStream> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers }
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId
    const req = request(url, { agent: options.agent ?? false, headers })
    return within<SseStream>(DEADLINE_MS, `SSE response from ${url}`, (resolve, reject) => {
      req.once('error', reject)
      req.once('response', (res) => {
        const stream = new SseStream(req, res.socket, res.statusCode ?? 0, res.headers)
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          stream.text += chunk
          stream.parser.feed(chunk)
          stream.#wake()
        })
        const end = (): void => { stream.ended = true; stream.#wake() }
        res.once('end', end)
        res.once('close', end)
        res.once('error', end)
        req.on('error', end)
        resolve(stream)
      })
      req.end()
      return undefined
    })
  }

  /** Resolves when `cond` holds (checked now and at every chunk); fails after the deadline. */
  async until (what: string, cond: (s: SseStream) => boolean, ms = DEADLINE_MS): Promise<void> {
    if (cond(this)) return
    await within<undefined>(ms, what, (resolve, reject) => {
      const wake = (): void => {
        if (cond(this)) resolve(undefined)
        else if (this.ended) reject(new Error(`${what}: the stream ended first (${this.events.map((e) => e.event).join(',')})`))
      }
      this.#wakers.add(wake)
      return () => { this.#wakers.delete(wake) }
    })
  }

  /** The first event named `event` at or after index `from`, waiting for it if need be. */
  async event (event: string, from = 0, ms = DEADLINE_MS): Promise<SseMessage> {
    const find = (): SseMessage | undefined => this.events.slice(from).find((e) => e.event === event)
    await this.until(`event "${event}"`, () => find() !== undefined, ms)
    return find()!
  }

  /** Events named `event`. */
  named (event: string): SseMessage[] {
    return this.events.filter((e) => e.event === event)
  }

  /** Resolves when the server ended the response. */
  async endedWithin (ms = DEADLINE_MS): Promise<void> {
    await this.until('the end of the stream', (s) => s.ended, ms)
  }

  close (): void {
    this.#req.destroy()
  }

  #wake (): void {
    for (const wake of [...this.#wakers]) wake()
  }
}

/** The gateway's end of each connection from now on, by the client's port. */
export function serverSockets (running: Running): Map<number, Socket> {
  const sockets = new Map<number, Socket>()
  running.daemon.app.server.on('connection', (socket: Socket) => { if (socket.remotePort !== undefined) sockets.set(socket.remotePort, socket) })
  return sockets
}

/** The subscription a test topic maps to. */
export function subscription (daemon: Daemon, topic: string): Subscription {
  const sub = daemon.broker.hub.find(topic)
  if (sub === undefined || sub === 'ambiguous') throw new Error(`no single subscription for ${topic}`)
  return sub
}

/** Resolves once the gateway has joined `topic` (now or later). */
export async function joined (daemon: Daemon, topic: string, ms = DEADLINE_MS): Promise<void> {
  const sub = subscription(daemon, topic)
  if (sub.state === 'joined') return
  const client = daemon.broker.clients.get(sub.config.upstream)
  if (client === undefined) throw new Error(`no client for ${sub.config.upstream}`)
  await within<undefined>(ms, `join of ${topic}`, (resolve) => {
    const onJoin = (e: { topic: string }): void => { if (e.topic === topic) resolve(undefined) }
    client.events.on('join_ok', onJoin)
    return () => { client.events.off('join_ok', onJoin) }
  })
}

export interface SseGatewayOptions {
  phoenix?: FakePhoenixOptions | FakePhoenix
  config?: Partial<Config>
  sse?: Partial<Config['sse']>
  upstream?: Partial<UpstreamConfig>
  /** Runs after the daemon is built and before it listens: add hooks or test routes here. */
  prepare?: (daemon: Daemon) => void
}

/** A gateway in-process against a fake Phoenix server (started here unless one is given). */
export async function startSseGateway (channels: ChannelConfig[], options: SseGatewayOptions = {}): Promise<Running> {
  const given = options.phoenix
  const phoenix = given !== undefined && 'broadcast' in given ? given : await startFakePhoenix(given)
  const base = gatewayConfig(phoenix.endpoint, channels, options.config, options.upstream)
  const config: Config = { ...base, sse: { ...base.sse, ...options.sse } }
  const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal })
  options.prepare?.(daemon)
  const address = await daemon.start()
  return { phoenix, daemon, base: address }
}

/** Broadcasts `count` messages `event` with payload `{ n }`, n from `first`. */
export function broadcastNumbered (phoenix: FakePhoenix, topic: string, event: string, count: number, first = 1): void {
  for (let n = first; n < first + count; n++) phoenix.broadcast(topic, event, { n })
}

/** The `n` of each `event` message, in arrival order. */
export function numbers (events: readonly SseMessage[], event = 'msg'): number[] {
  return events.filter((e) => e.event === event).map((e) => (JSON.parse(e.data) as { n: number }).n)
}

/** The sequence number of an `<epoch>-<seq>` id. */
export function seqOf (id: string | undefined): number {
  if (id === undefined) throw new Error('the event has no id')
  return Number(id.slice(id.lastIndexOf('-') + 1))
}

/** 1..n or first..first+count-1. */
export function range (first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i)
}

/** Decodes an HTTP/1.1 response with a chunked body as far as it has come. */
export function decodeChunked (raw: Buffer): { head: string, body: string, complete: boolean } {
  const split = raw.indexOf('\r\n\r\n')
  assert.ok(split > 0, 'a response head')
  const head = raw.subarray(0, split).toString('latin1')
  const parts: Buffer[] = []
  let at = split + 4
  let complete = false
  for (;;) {
    const eol = raw.indexOf('\r\n', at)
    if (eol === -1) break
    const size = parseInt(raw.subarray(at, eol).toString('latin1'), 16)
    if (size === 0) complete = raw.length >= eol + 4
    if (!(size > 0) || raw.length < eol + 2 + size) break
    parts.push(raw.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
  return { head, body: Buffer.concat(parts).toString('utf8'), complete }
}

/** A raw TCP SSE client: sends the GET, reads up to the ready event, then stops reading until `resume()`. */
export class StalledReader {
  readonly socket: Socket
  readonly chunks: Buffer[] = []
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>
  readonly #wakers = new Set<() => void>()

  private constructor (socket: Socket) {
    this.socket = socket
    this.closed = new Promise<void>((resolve) => { socket.once('close', () => { resolve() }) })
    socket.on('error', () => { /* close follows */ })
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk)
      for (const wake of [...this.#wakers]) wake()
    })
  }

  static async open (base: string, topic: string): Promise<StalledReader> {
    return StalledReader.openPath(base, `/v1/channels/${encodeURIComponent(topic)}/events`)
  }

  /** Sends `GET <path>` with `headers` besides Host and Accept, reads up to the ready event, then stops reading. */
  static async openPath (base: string, path: string, headers: Record<string, string> = {}): Promise<StalledReader> {
    const url = new URL(base)
    const reader = new StalledReader(connect(Number(url.port), url.hostname))
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
    reader.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n${extra}\r\n`)
    await reader.#until('the ready event', () => Buffer.concat(reader.chunks).includes('event: ready'))
    reader.socket.pause()
    return reader
  }

  /** Starts reading again. */
  resume (): void {
    this.socket.resume()
  }

  /** The response so far. */
  response (): { head: string, body: string, complete: boolean } {
    return decodeChunked(Buffer.concat(this.chunks))
  }

  /** Resolves once the last chunk of the response has been read. */
  async completeWithin (ms = DEADLINE_MS): Promise<void> {
    await this.#until('the end of the response', () => this.response().complete, ms)
  }

  async #until (what: string, cond: () => boolean, ms = DEADLINE_MS): Promise<void> {
    if (cond()) return
    await within<undefined>(ms, what, (resolve) => {
      const wake = (): void => { if (cond()) resolve(undefined) }
      this.#wakers.add(wake)
      return () => { this.#wakers.delete(wake) }
    })
  }
}

/**
 * A gateway joined to `channels[0]` with one SSE reader past its `ready`
 * event; both are closed after the test.
 */
export async function readyStream (t: TestContext, channels: ChannelConfig[], options: SseGatewayOptions = {}): Promise<{ running: Running, stream: SseStream }> {
  const topic = channels[0]?.topic ?? ''
  const running = await startSseGateway(channels, options)
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, topic)
  const stream = await SseStream.open(running.base, topic)
  t.after(() => { stream.close() })
  await stream.event('ready')
  return { running, stream }
}
