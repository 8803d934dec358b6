/**
 * One subscription's webhook sink: takes the channel's messages, queues
 * them in ordering lanes, POSTs them through the origin's undici Pool with
 * at most `maxInFlight` attempts at once, retries by the policy, and sends
 * what cannot be delivered to the dead letter. Delivery is at least once:
 * a message leaves the sink only when the app accepted it or its dead-letter
 * record was handed to the target.
 *
 * `close(stopAt)` drains: messages arriving from then on go straight to
 * the dead letter (reason `shutdown`); queued messages and retries due
 * before `stopAt` are still tried; at `stopAt` no new attempt starts,
 * everything not in flight goes to the dead letter with reason `shutdown`,
 * and the attempts in flight finish (each within its own deadline, none is
 * aborted; one that fails then goes to the dead letter too). Messages arriving once the drain is over are reported as
 * dead letters (logged and counted) but no longer written to the target.
 */
import type { KeyObject } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import type { Dispatcher } from 'undici'
import type { WebhookConfig } from '../config/types.ts'
import type { MessageSink } from '../hub/reader.ts'
import type { RingEntry } from '../hub/ring.ts'
import type { DeadLetterTarget } from './dead-letter.ts'
import type { WebhookEvents } from './events.ts'
import { attemptHeaders, contentType, deadLetterRecord, headerText, laneOf, newKey, newTraceparent, requestBody, type Delivery } from './message.ts'
import { errorResult, giveUp, retryAfterMs, retryDelay, verdictOf, type AttemptResult, type DeadLetterReason } from './policy.ts'
import { LaneQueue, type Entry } from './queue.ts'
import { readVerdictBody } from './verdict-body.ts'

export interface SinkContext {
  subscription: string
  topic: string
  upstream: string
  epoch: string
  /** The origin's pool. */
  dispatcher: Dispatcher
  deadLetter: DeadLetterTarget
  events: EventEmitter<WebhookEvents>
  random: () => number
  /** Wall clock, ms (CloudEvents time, Retry-After dates). */
  now: () => number
}

interface Outcome { result: AttemptResult, status: number | null, retryAfter: number | null, error: string | null }

export interface SinkStats {
  /** Messages held: queued, in flight and waiting for a retry. */
  held: number
  inFlight: number
  /** Messages waiting for a retry. */
  waiting: number
}

export class WebhookSink implements MessageSink {
  #config: WebhookConfig
  #ctx: SinkContext
  readonly #queue: LaneQueue<Delivery>
  #path: string
  readonly #topicHeader: string
  #headers: Record<string, string>
  /** HMAC keys of the signing secrets, in order; none: requests are not signed. */
  #signingKeys: readonly KeyObject[] = []
  readonly #pendingDeadLetters = new Set<Promise<void>>()
  #closing: Promise<void> | null = null
  #stopAt = Number.POSITIVE_INFINITY
  #stopped = false
  #left = 0
  #wakeIdle: (() => void) | null = null
  /** Drained, its dead-letter target closed: later messages are only reported. */
  #closed = false

  constructor (config: WebhookConfig, ctx: SinkContext) {
    this.#config = config
    this.#ctx = ctx
    this.#queue = new LaneQueue<Delivery>(config.queueSize, config.overflow)
    const url = new URL(config.url)
    this.#path = `${url.pathname}${url.search}`
    this.#topicHeader = headerText(ctx.topic)
    this.#headers = { 'content-type': contentType(config.format) }
  }

  get config (): WebhookConfig { return this.#config }

  /**
   * A reload changed the webhook: messages held stay in their lanes (their
   * bodies as already formatted), and the new URL, limits, retry policy and
   * dead letter apply from the next attempt on. A smaller queue sends what
   * no longer fits to the dead letter (reason overflow). Call setHeaders next.
   */
  reconfigure (config: WebhookConfig, ctx: SinkContext): void {
    this.#config = config
    this.#ctx = ctx
    const url = new URL(config.url)
    this.#path = `${url.pathname}${url.search}`
    for (const e of this.#queue.resize(config.queueSize, config.overflow)) {
      clearTimeout(e.value.timer)
      this.#deadLetter(e.value, 'overflow')
    }
    this.#pump()
  }

  /** The configured headers, resolved (at start-up). */
  setHeaders (headers: Record<string, string>): void {
    this.#headers = { ...headers, 'content-type': contentType(this.#config.format) }
  }

  /** The signing secrets' keys (at start-up, and when a reload or a secret file changes them); from the next attempt on. */
  setSigningKeys (keys: readonly KeyObject[]): void {
    this.#signingKeys = keys
  }

  stats (): SinkStats {
    return { held: this.#queue.size, inFlight: this.#queue.inFlight, waiting: this.#queue.waiting }
  }

  /** Messages sent to the dead letter with reason shutdown by the drain. */
  get left (): number { return this.#left }

  offer (message: RingEntry): void {
    const { seq, event, data } = message
    const ctx = this.#ctx
    const id = `${ctx.epoch}-${seq}`
    const key = newKey()
    const tp = newTraceparent()
    const body = requestBody({ topic: ctx.topic, upstream: ctx.upstream, format: this.#config.format }, id, key, event, data, new Date(ctx.now()).toISOString(), tp)
    const d: Delivery = { seq, id, event, body, key, traceparent: tp, arrivedAt: performance.now(), attempts: 0, lastStatus: null, lastError: null, dueAt: 0, timer: undefined }
    if (this.#closing !== null) {
      this.#deadLetter(d, 'shutdown')
      return
    }
    const { accepted, evicted } = this.#queue.offer(d, laneOf(this.#config.orderKey, data))
    if (evicted !== null) {
      clearTimeout(evicted.value.timer)
      this.#deadLetter(evicted.value, 'overflow')
    }
    if (accepted === null) this.#deadLetter(d, 'overflow')
    else this.#pump()
  }

  /** Drains (see the module comment); `stopAt` is a performance.now() time. Idempotent. */
  async close (stopAt: number): Promise<void> {
    this.#closing ??= this.#drain(stopAt).finally(() => { this.#closed = true })
    return this.#closing
  }

  async #drain (stopAt: number): Promise<void> {
    this.#stopAt = stopAt
    // Retries that could not happen before stopAt: their lanes go to the dead letter now, in order.
    for (const e of this.#queue.entries()) if (e.state === 'waiting' && e.value.dueAt > stopAt) this.#shutdownLane(e)
    const timer = setTimeout(() => { this.#stop() }, Math.max(0, stopAt - performance.now()))
    try {
      if (this.#queue.size > 0) await new Promise<void>((resolve) => { this.#wakeIdle = resolve })
    } finally {
      clearTimeout(timer)
    }
    while (this.#pendingDeadLetters.size > 0) await Promise.all(this.#pendingDeadLetters)
  }

  /** The stop time: everything not in flight goes to the dead letter now; attempts in flight finish. */
  #stop (): void {
    this.#stopped = true
    for (const e of this.#queue.entries()) {
      if (e.state === 'in_flight') continue
      clearTimeout(e.value.timer)
      this.#queue.remove(e)
      this.#left++
      this.#deadLetter(e.value, 'shutdown')
    }
    this.#settle()
  }

  #shutdownLane (head: Entry<Delivery>): void {
    for (const e of this.#queue.laneFrom(head)) {
      clearTimeout(e.value.timer)
      this.#queue.remove(e)
      this.#left++
      this.#deadLetter(e.value, 'shutdown')
    }
  }

  #settle (): void {
    if (this.#queue.size === 0 && this.#wakeIdle !== null) {
      const wake = this.#wakeIdle
      this.#wakeIdle = null
      wake()
    }
  }

  #pump (): void {
    while (!this.#stopped && this.#queue.inFlight < this.#config.maxInFlight) {
      const entry = this.#queue.take()
      if (entry === null) break
      if (performance.now() - entry.value.arrivedAt > this.#config.maxAgeMs) {
        this.#queue.remove(entry)
        this.#deadLetter(entry.value, 'max_age')
        continue
      }
      this.#attempt(entry)
    }
    this.#settle()
  }

  #attempt (entry: Entry<Delivery>): void {
    entry.value.attempts++
    const started = performance.now()
    this.#send(entry.value).then((outcome) => { this.#attempted(entry, outcome, started) }, (err: unknown) => {
      this.#attempted(entry, { result: 'error', status: null, retryAfter: null, error: String(err) }, started)
    })
  }

  #attempted (entry: Entry<Delivery>, outcome: Outcome, started: number): void {
    const d = entry.value
    const ended = performance.now()
    const subscription = this.#ctx.subscription
    d.lastStatus = outcome.status
    d.lastError = outcome.error
    this.#ctx.events.emit('attempt', { subscription, id: d.id, result: outcome.result, status: outcome.status, seconds: (ended - started) / 1000 })
    if (outcome.result === 'success') {
      this.#queue.remove(entry)
      this.#ctx.events.emit('delivered', { subscription, id: d.id, attempts: d.attempts, seconds: (ended - d.arrivedAt) / 1000 })
    } else if (outcome.result === 'drop') {
      this.#queue.remove(entry)
      this.#deadLetter(d, 'dropped')
    } else {
      this.#retry(entry, outcome.retryAfter, ended)
    }
    this.#pump()
  }

  #retry (entry: Entry<Delivery>, retryAfter: number | null, now: number): void {
    const d = entry.value
    const delay = retryDelay(this.#config.backoff, d.attempts, this.#ctx.random, retryAfter)
    const reason = giveUp(this.#config, d.attempts, now - d.arrivedAt, delay)
    if (reason !== null) {
      this.#queue.remove(entry)
      this.#deadLetter(d, reason)
      return
    }
    if (this.#stopped || now + delay > this.#stopAt) {
      this.#shutdownLane(entry)
      return
    }
    this.#queue.wait(entry)
    d.dueAt = now + delay
    d.timer = setTimeout(() => {
      d.timer = undefined
      this.#queue.release(entry)
      this.#pump()
    }, delay)
    this.#ctx.events.emit('retry', { subscription: this.#ctx.subscription, id: d.id, attempt: d.attempts + 1, delayMs: delay })
  }

  async #send (d: Delivery): Promise<Outcome> {
    const timeoutMs = this.#config.timeoutMs
    const abort = new AbortController()
    const timer = setTimeout(() => { abort.abort() }, timeoutMs)
    const headers = attemptHeaders(this.#headers, this.#topicHeader, d, Math.floor(this.#ctx.now() / 1000), this.#signingKeys)
    try {
      const res = await this.#ctx.dispatcher.request({
        method: 'POST',
        path: this.#path,
        headers,
        body: d.body,
        signal: abort.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
      const ok = res.statusCode >= 200 && res.statusCode <= 299
      const length = res.headers['content-length']
      let text = ''
      if (ok) text = await readVerdictBody(res.body, typeof length === 'string' ? length : undefined)
      else await res.body.dump()
      const result = verdictOf(res.statusCode, text)
      return { result, status: res.statusCode, retryAfter: result === 'retry' ? retryAfterMs(res.headers['retry-after'], this.#ctx.now()) : null, error: null }
    } catch (err) {
      const result = errorResult(err, abort.signal.aborted)
      const code = (err as { code?: unknown }).code
      return { result, status: null, retryAfter: null, error: result === 'timeout' ? `no answer within ${timeoutMs} ms` : typeof code === 'string' ? code : (err as Error).name }
    } finally {
      clearTimeout(timer)
    }
  }

  #deadLetter (d: Delivery, reason: DeadLetterReason): void {
    const ctx = this.#ctx
    const target = ctx.deadLetter
    const kind = this.#closed ? 'none' : target.kind
    ctx.events.emit('dead_letter', { subscription: ctx.subscription, id: d.id, reason, attempts: d.attempts, status: d.lastStatus, error: d.lastError, target: kind })
    if (kind === 'none') return
    const record = deadLetterRecord({ reason, subscription: ctx.subscription, topic: ctx.topic, upstream: ctx.upstream, at: new Date(ctx.now()).toISOString() }, d, this.#config.format)
    const write = target.write(record).catch((err: unknown) => {
      ctx.events.emit('dead_letter_failed', { subscription: ctx.subscription, id: d.id, reason, target: target.kind, error: err instanceof Error ? err.message : String(err) })
    })
    this.#pendingDeadLetters.add(write)
    write.then(() => { this.#pendingDeadLetters.delete(write) }, () => undefined)
  }
}
