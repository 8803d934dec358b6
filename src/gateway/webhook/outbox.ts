/**
 * One sink's share of the durable outbox (store/state-store.ts): a message
 * is written when the queue accepts it, in the same turn (so it is on disk
 * before the turn ends), and removed when it leaves the queue for good
 * (delivered, dead-lettered, evicted, expired). At start the messages held
 * before come back as deliveries with their id, idempotency key and trace
 * id, their age counted from their first arrival. Without a store every
 * call does nothing.
 */
import type { WebhookOutbox } from '../store/state-store.ts'
import type { Delivery } from './message.ts'

export interface RestoredDelivery { delivery: Delivery, lane: string }

export class SinkOutbox {
  readonly #store: WebhookOutbox | null
  readonly #subscription: string

  constructor (store: WebhookOutbox | null, subscription: string) {
    this.#store = store
    this.#subscription = subscription
  }

  /** Whether messages are kept across a restart. */
  get durable (): boolean { return this.#store !== null }

  /** `d` was accepted into lane `lane` at wall time `at`: keep it (a failed write leaves it in memory only). */
  keep (d: Delivery, lane: string, at: number): void {
    if (this.#store === null) return
    d.storeId = this.#store.add(this.#subscription, { seq: d.seq, id: d.id, event: d.event, body: d.body, key: d.key, traceparent: d.traceparent, lane, at })
  }

  /** `d` left the queue for good. */
  forget (d: Delivery): void {
    if (this.#store === null || d.storeId === null) return
    this.#store.remove(d.storeId)
    d.storeId = null
  }

  /**
   * What the outbox held at start, oldest first (`wallNow` and `perfNow`
   * place each arrival on this process's clock): `live` to queue again, and
   * `expired`, older than `maxAgeMs`, forgotten (the caller dead-letters them).
   */
  restore (wallNow: number, perfNow: number, maxAgeMs: number): { live: RestoredDelivery[], expired: Delivery[] } {
    const live: RestoredDelivery[] = []
    const expired: Delivery[] = []
    for (const held of this.#held(wallNow, perfNow)) {
      if (perfNow - held.delivery.arrivedAt <= maxAgeMs) {
        live.push(held)
        continue
      }
      this.forget(held.delivery)
      expired.push(held.delivery)
    }
    return { live, expired }
  }

  #held (wallNow: number, perfNow: number): RestoredDelivery[] {
    if (this.#store === null) return []
    return this.#store.load(this.#subscription).map((r) => ({
      lane: r.lane,
      delivery: {
        seq: r.seq,
        id: r.id,
        event: r.event,
        body: r.body,
        key: r.key,
        traceparent: r.traceparent,
        arrivedAt: perfNow - Math.max(0, wallNow - r.at),
        attempts: 0,
        lastStatus: null,
        lastError: null,
        dueAt: 0,
        timer: undefined,
        storeId: r.storeId,
      },
    }))
  }
}
