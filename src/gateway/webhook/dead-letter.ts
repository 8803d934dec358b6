/**
 * Dead-letter targets: where a message goes when it cannot be delivered,
 * as one JSON record (see docs/webhooks.md). A file gets the record as one
 * line appended; a URL gets one POST (no retries: a failure is reported);
 * a Phoenix topic gets one push, which must be answered ok. With no target
 * the record is only reported (logged and counted by the caller).
 */
import type { EventEmitter } from 'node:events'
import { open, type FileHandle } from 'node:fs/promises'
import type { Client } from '../../client/client.ts'
import type { DeadLetterConfig } from '../config/types.ts'
import type { WebhookEvents } from './events.ts'
import { deadLetterRecord, type BodyFormat, type Delivery } from './message.ts'
import type { DeadLetterReason } from './policy.ts'
import type { WebhookPools } from './pools.ts'

export interface DeadLetterTarget {
  /** `none`, `file`, `url` or `topic`, for logs. */
  readonly kind: 'none' | DeadLetterConfig['kind']
  /** Longest a write may take, ms. */
  readonly timeoutMs: number
  /** Writes one record (JSON text); rejects when it could not. */
  write: (record: string) => Promise<void>
  close: () => Promise<void>
}

class NoTarget implements DeadLetterTarget {
  readonly kind = 'none'
  readonly timeoutMs = 0
  async write (): Promise<void> {}
  async close (): Promise<void> {}
}

/** Appends records as JSON lines; writes are serialised so lines never interleave. */
class FileTarget implements DeadLetterTarget {
  readonly kind = 'file'
  readonly timeoutMs = 0
  readonly #path: string
  #handle: Promise<FileHandle> | null = null
  #tail: Promise<unknown> = Promise.resolve()

  constructor (path: string) { this.#path = path }

  async write (record: string): Promise<void> {
    this.#handle ??= open(this.#path, 'a')
    const handle = this.#handle
    const done = this.#tail.then(async () => { await (await handle).appendFile(`${record}\n`) })
    this.#tail = done.catch(() => undefined)
    await done
  }

  async close (): Promise<void> {
    await this.#tail
    const handle = this.#handle
    this.#handle = null
    if (handle !== null) await (await handle).close().catch(() => undefined)
  }
}

class UrlTarget implements DeadLetterTarget {
  readonly kind = 'url'
  readonly timeoutMs: number
  readonly #url: URL
  readonly #pools: WebhookPools
  readonly #headers: () => Record<string, string>

  constructor (url: string, timeoutMs: number, pools: WebhookPools, headers: () => Record<string, string>) {
    this.#url = new URL(url)
    this.timeoutMs = timeoutMs
    this.#pools = pools
    this.#headers = headers
  }

  async write (record: string): Promise<void> {
    const abort = new AbortController()
    const timer = setTimeout(() => { abort.abort() }, this.timeoutMs)
    try {
      const res = await this.#pools.get(this.#url.href).request({
        method: 'POST',
        path: `${this.#url.pathname}${this.#url.search}`,
        headers: { ...this.#headers(), 'content-type': 'application/json' },
        body: record,
        signal: abort.signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      })
      await res.body.dump()
      if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`the dead-letter URL answered ${res.statusCode}`)
    } catch (err) {
      if (abort.signal.aborted) throw new Error(`the dead-letter URL did not answer within ${this.timeoutMs} ms`, { cause: err })
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  async close (): Promise<void> {}
}

class TopicTarget implements DeadLetterTarget {
  readonly kind = 'topic'
  readonly timeoutMs: number
  readonly #clients: ReadonlyMap<string, Client>
  readonly #upstream: string
  readonly #topic: string
  readonly #event: string

  constructor (clients: ReadonlyMap<string, Client>, config: { upstream: string, topic: string, event: string, timeoutMs: number }) {
    this.#clients = clients
    this.#upstream = config.upstream
    this.#topic = config.topic
    this.#event = config.event
    this.timeoutMs = config.timeoutMs
  }

  async write (record: string): Promise<void> {
    // Looked up at each write: a reload may have replaced the upstream's client.
    const client = this.#clients.get(this.#upstream)
    if (client === undefined) throw new Error(`no client for upstream "${this.#upstream}"`)
    const reply = await client.request(this.#topic, this.#event, JSON.parse(record), { timeout: this.timeoutMs })
    if (reply.status !== 'ok') throw new Error(`the dead-letter topic replied "${reply.status}"`)
  }

  async close (): Promise<void> {}
}

export interface DeadLetterDeps {
  pools: WebhookPools
  clients: ReadonlyMap<string, Client>
  /** The URL target's resolved headers (read at start-up). */
  headers: () => Record<string, string>
}

export function deadLetterTarget (config: DeadLetterConfig | null, deps: DeadLetterDeps): DeadLetterTarget {
  if (config === null) return new NoTarget()
  switch (config.kind) {
    case 'file': return new FileTarget(config.file)
    case 'url': return new UrlTarget(config.url, config.timeoutMs, deps.pools, deps.headers)
    case 'topic': {
      if (!deps.clients.has(config.upstream)) throw new Error(`no client for upstream "${config.upstream}"`)
      return new TopicTarget(deps.clients, config)
    }
  }
}

/** What a sink tells about the message it dead-letters, and where to. */
export interface DeadLetterContext {
  subscription: string
  topic: string
  upstream: string
  deadLetter: DeadLetterTarget
  events: EventEmitter<WebhookEvents>
  /** Wall clock, ms. */
  now: () => number
}

/**
 * Reports `d` as dead-lettered and writes its record to the target; the
 * write (settled either way, a failure reported), or null when nothing is
 * written (no target, or `closed`: the sink's drain is over).
 */
export function sendToDeadLetter (ctx: DeadLetterContext, d: Delivery, reason: DeadLetterReason, format: BodyFormat, closed: boolean): Promise<void> | null {
  const target = ctx.deadLetter
  const kind = closed ? 'none' : target.kind
  ctx.events.emit('dead_letter', { subscription: ctx.subscription, id: d.id, reason, attempts: d.attempts, status: d.lastStatus, error: d.lastError, target: kind })
  if (kind === 'none') return null
  const record = deadLetterRecord({ reason, subscription: ctx.subscription, topic: ctx.topic, upstream: ctx.upstream, at: new Date(ctx.now()).toISOString() }, d, format)
  return target.write(record).catch((err: unknown) => {
    ctx.events.emit('dead_letter_failed', { subscription: ctx.subscription, id: d.id, reason, target: target.kind, error: err instanceof Error ? err.message : String(err) })
  })
}
