/**
 * One replica's link to Redis: a command connection and a second one for
 * blocking reads (an XREAD BLOCK holds its connection, and lease renewals
 * must never wait behind it). The link is `ready` when both are.
 *
 * It never wedges and never queues: while Redis is unreachable every call
 * fails at once with SharedHistoryUnavailableError (`offline`), a call that
 * gets no reply fails at its deadline (`timeout`), and the client
 * reconnects in the background with jittered back-off. `state` events tell
 * the owner (the hub) when to fall back to local history and when to come
 * back.
 */
import { EventEmitter } from 'node:events'
import { createClient, ClientClosedError, ClientOfflineError, ErrorReply, TimeoutError, TimeoutReadError } from '@redis/client'
import { SharedHistoryUnavailableError } from './errors.ts'
import type { RedisConnectOptions } from './config.ts'
import type { Script } from './scripts.ts'

export type LinkState = 'connecting' | 'ready' | 'down' | 'closed'

export interface RedisLinkOptions {
  readonly connect: RedisConnectOptions
  readonly commandTimeoutMs: number
  readonly reconnectMinMs: number
  readonly reconnectMaxMs: number
  /** Shown by CLIENT LIST, e.g. the replica id. */
  readonly name?: string
  readonly random?: () => number
}

/** A RESP2 reply as the client hands it over with no transformation. */
export type RawReply = string | number | null | RawReply[]

/** The part of a node-redis client this module uses. */
interface Connection {
  sendCommand: (args: readonly string[], options?: { timeout?: number, rejectInFlight?: boolean, abortSignal?: AbortSignal }) => Promise<unknown>
  connect: () => Promise<unknown>
  destroy: () => void
  on: (event: string, listener: (...args: unknown[]) => void) => unknown
}

/** Jittered exponential back-off: between half and all of min·2^retries, capped. */
export function reconnectDelay (retries: number, minMs: number, maxMs: number, random: () => number): number {
  const full = Math.min(maxMs, minMs * 2 ** Math.min(retries, 30))
  return Math.round(full / 2 + random() * full / 2)
}

/** The typed error for whatever a call failed with. */
export function unavailable (err: unknown, what: string): SharedHistoryUnavailableError {
  if (err instanceof SharedHistoryUnavailableError) return err
  if (err instanceof TimeoutError || err instanceof TimeoutReadError) return new SharedHistoryUnavailableError('timeout', what, err)
  if (err instanceof ClientClosedError) return new SharedHistoryUnavailableError('closed', what, err)
  if (err instanceof ErrorReply) return new SharedHistoryUnavailableError('refused', what, err)
  if (err instanceof ClientOfflineError) return new SharedHistoryUnavailableError('offline', what, err)
  return new SharedHistoryUnavailableError('offline', what, err)
}

export class RedisLink extends EventEmitter<{ state: [LinkState] }> {
  readonly #options: RedisLinkOptions
  readonly #commands: Connection
  readonly #blocking: Connection
  readonly #ready = new Set<Connection>()
  #state: LinkState = 'connecting'
  /** The last connection error, for health output; never holds a secret (node-redis errors do not). */
  lastError: Error | undefined

  constructor (options: RedisLinkOptions) {
    super()
    this.#options = options
    this.#commands = this.#open()
    this.#blocking = this.#open()
  }

  get state (): LinkState { return this.#state }

  #open (): Connection {
    const { connect, reconnectMinMs, reconnectMaxMs } = this.#options
    const random = this.#options.random ?? Math.random
    const client = createClient({
      url: connect.url,
      RESP: 2,
      disableOfflineQueue: true,
      commandsQueueMaxLength: 10_000,
      credentialsProvider: { type: 'async-credentials-provider', credentials: connect.credentials },
      ...(this.#options.name === undefined ? {} : { name: this.#options.name }),
      socket: {
        connectTimeout: this.#options.commandTimeoutMs,
        reconnectStrategy: (retries: number) => reconnectDelay(retries, reconnectMinMs, reconnectMaxMs, random),
        ...(connect.tls ? { tls: true as const, ...(connect.ca === undefined ? {} : { ca: connect.ca }) } : {}),
      },
    }) as unknown as Connection
    const down = (): void => {
      this.#ready.delete(client)
      this.#setState('down')
    }
    client.on('error', (err) => {
      this.lastError = err instanceof Error ? err : new Error(String(err))
      down()
    })
    client.on('ready', () => {
      this.#ready.add(client)
      if (this.#ready.size === 2) this.#setState('ready')
    })
    client.on('reconnecting', down)
    client.on('end', down)
    client.connect().catch((err: unknown) => { this.lastError = err instanceof Error ? err : new Error(String(err)) })
    return client
  }

  #setState (state: LinkState): void {
    if (this.#state === state || this.#state === 'closed') return
    this.#state = state
    this.emit('state', state)
  }

  async #send (connection: Connection, what: string, args: readonly string[], timeoutMs: number, blocking: boolean): Promise<RawReply> {
    if (this.#state === 'closed') throw new SharedHistoryUnavailableError('closed', what)
    const abort = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((resolve, reject) => {
      // The client's own timeout does not cover a blocking command once sent; this one covers everything.
      timer = setTimeout(() => {
        abort.abort()
        reject(new SharedHistoryUnavailableError('timeout', what))
      }, timeoutMs + (blocking ? 0 : 50))
    })
    try {
      const options = blocking ? { abortSignal: abort.signal, rejectInFlight: true } : { timeout: timeoutMs, rejectInFlight: true, abortSignal: abort.signal }
      return await Promise.race([connection.sendCommand(args, options) as Promise<RawReply>, late])
    } catch (err) {
      // Our own deadline aborted it (the client then rejects with its abort error, before `late`).
      if (abort.signal.aborted) throw new SharedHistoryUnavailableError('timeout', what, err)
      throw unavailable(err, what)
    } finally {
      clearTimeout(timer)
    }
  }

  /** One command with the command deadline. `what` names it in errors. */
  async call (what: string, args: readonly string[]): Promise<RawReply> {
    return this.#send(this.#commands, what, args, this.#options.commandTimeoutMs, false)
  }

  /** A script by its sha; loaded with EVAL when Redis does not know it (first use, after a restart). */
  async script (what: string, script: Script, keys: readonly string[], args: readonly string[]): Promise<RawReply> {
    const tail = [String(keys.length), ...keys, ...args]
    try {
      return await this.#send(this.#commands, what, ['EVALSHA', script.sha1, ...tail], this.#options.commandTimeoutMs, false)
    } catch (err) {
      const cause = err instanceof SharedHistoryUnavailableError ? err.cause : undefined
      if (!(cause instanceof ErrorReply) || !cause.message.startsWith('NOSCRIPT')) throw err
      return this.#send(this.#commands, what, ['EVAL', script.source, ...tail], this.#options.commandTimeoutMs, false)
    }
  }

  /** A blocking command (XREAD BLOCK `blockMs`) on the blocking connection; its deadline is blockMs plus the command deadline. */
  async blocking (what: string, args: readonly string[], blockMs: number): Promise<RawReply> {
    return this.#send(this.#blocking, what, args, blockMs + this.#options.commandTimeoutMs, true)
  }

  /** Closes both connections at once (nothing is left to flush: every write is acknowledged or failed). */
  close (): void {
    this.#setState('closed')
    this.#commands.destroy()
    this.#blocking.destroy()
  }
}
