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
 * With a durable outbox (`ctx.outbox`), a message is kept from its
 * acceptance until it leaves the queue, and a drain that stops the sidecar
 * (`close(stopAt, true)`) keeps what it has not delivered for the next start
 * instead of dead-lettering it; `restore()` takes it back at start.
 */
import type { KeyObject } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import type { Dispatcher } from 'undici'
import type { WebhookConfig } from '../config/types.ts'
import type { MessageSink } from '../hub/reader.ts'
import type { RingEntry } from '../hub/ring.ts'
import { sendAttempt, type AttemptOutcome } from './attempt.ts'
import { sendToDeadLetter, type DeadLetterTarget } from './dead-letter.ts'
import type { WebhookEvents } from './events.ts'
import { attemptHeaders, contentType, headerText, laneOf, newKey, newTraceparent, requestBody, type Delivery } from './message.ts'
import { giveUp, retryDelay, type DeadLetterReason } from './policy.ts'
import { LaneQueue, type Entry } from './queue.ts'
import type { SinkOutbox } from './outbox.ts'

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
  /** Where accepted messages are kept across a restart (does nothing without a store). */
  outbox: SinkOutbox
}

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
  #kept = 0
  /** The drain keeps what it does not deliver in the durable outbox. */
  #keep = false
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
      ctx.outbox.forget(e.value)
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
  /** Messages the drain kept in the durable outbox for the next start. */
  get kept (): number { return this.#kept }

  /** Takes back what the durable outbox held at start, in order per lane; what passed its max age is dead-lettered. */
  restore (): { restored: number, expired: number } {
    const { live, expired } = this.#ctx.outbox.restore(this.#ctx.now(), performance.now(), this.#config.maxAgeMs)
    for (const d of expired) this.#deadLetter(d, 'max_age')
    for (const { delivery, lane } of live) this.#accept(delivery, lane, null)
    this.#pump()
    return { restored: live.length, expired: expired.length }
  }

  offer (message: RingEntry): void {
    const { seq, event, data } = message
    const ctx = this.#ctx
    const id = `${ctx.epoch}-${seq}`
    const key = newKey()
    const tp = newTraceparent()
    const body = requestBody({ topic: ctx.topic, upstream: ctx.upstream, format: this.#config.format }, id, key, event, data, new Date(ctx.now()).toISOString(), tp)
    const d: Delivery = { seq, id, event, body, key, traceparent: tp, arrivedAt: performance.now(), attempts: 0, lastStatus: null, lastError: null, dueAt: 0, timer: undefined, storeId: null }
    const lane = laneOf(this.#config.orderKey, data)
    if (this.#closing !== null) {
      // A stopping sidecar keeps it for the next start; otherwise nobody will deliver it.
      if (this.#keep && this.#ctx.outbox.durable) this.#ctx.outbox.keep(d, lane, ctx.now())
      if (d.storeId !== null) this.#kept++
      else this.#deadLetter(d, 'shutdown')
      return
    }
    if (this.#accept(d, lane, ctx.now())) this.#pump()
  }

  /** Queues `d` (kept in the outbox at `at` unless it is there already: null); false when the queue refused it. */
  #accept (d: Delivery, lane: string, at: number | null): boolean {
    const { accepted, evicted } = this.#queue.offer(d, lane)
    if (evicted !== null) {
      clearTimeout(evicted.value.timer)
      this.#ctx.outbox.forget(evicted.value)
      this.#deadLetter(evicted.value, 'overflow')
    }
    if (accepted === null) {
      this.#ctx.outbox.forget(d)
      this.#deadLetter(d, 'overflow')
      return false
    }
    if (at !== null) this.#ctx.outbox.keep(d, lane, at)
    return true
  }

  /** Drains (see the module comment); `stopAt` is a performance.now() time; `keep`: the sidecar stops, keep what is left in the durable outbox. Idempotent. */
  async close (stopAt: number, keep = false): Promise<void> {
    if (this.#closing === null) this.#keep = keep
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
    for (const e of this.#queue.entries()) if (e.state !== 'in_flight') this.#leave(e)
    this.#settle()
  }

  #shutdownLane (head: Entry<Delivery>): void {
    for (const e of this.#queue.laneFrom(head)) this.#leave(e)
  }

  /** The drain is over for `e`: kept for the next start when the sidecar stops with a durable outbox, else dead-lettered. */
  #leave (e: Entry<Delivery>): void {
    clearTimeout(e.value.timer)
    this.#queue.remove(e)
    if (this.#keep && e.value.storeId !== null) {
      this.#kept++
      return
    }
    this.#ctx.outbox.forget(e.value)
    this.#left++
    this.#deadLetter(e.value, 'shutdown')
  }

  /** `entry` leaves the queue for good. */
  #remove (entry: Entry<Delivery>): void {
    this.#queue.remove(entry)
    this.#ctx.outbox.forget(entry.value)
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
        this.#remove(entry)
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

  #attempted (entry: Entry<Delivery>, outcome: AttemptOutcome, started: number): void {
    const d = entry.value
    const ended = performance.now()
    const subscription = this.#ctx.subscription
    d.lastStatus = outcome.status
    d.lastError = outcome.error
    this.#ctx.events.emit('attempt', { subscription, id: d.id, result: outcome.result, status: outcome.status, seconds: (ended - started) / 1000 })
    if (outcome.result === 'success') {
      this.#remove(entry)
      this.#ctx.events.emit('delivered', { subscription, id: d.id, attempts: d.attempts, seconds: (ended - d.arrivedAt) / 1000 })
    } else if (outcome.result === 'drop') {
      this.#remove(entry)
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
      this.#remove(entry)
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

  async #send (d: Delivery): Promise<AttemptOutcome> {
    const headers = attemptHeaders(this.#headers, this.#topicHeader, d, Math.floor(this.#ctx.now() / 1000), this.#signingKeys)
    return sendAttempt(this.#ctx.dispatcher, { path: this.#path, headers, body: d.body, timeoutMs: this.#config.timeoutMs }, this.#ctx.now)
  }

  #deadLetter (d: Delivery, reason: DeadLetterReason): void {
    const write = sendToDeadLetter(this.#ctx, d, reason, this.#config.format, this.#closed)
    if (write === null) return
    this.#pendingDeadLetters.add(write)
    write.then(() => { this.#pendingDeadLetters.delete(write) }, () => undefined)
  }
}
