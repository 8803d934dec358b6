/**
 * One undici Pool per webhook origin, shared by every sink (and dead-letter
 * URL) that sends there, never the global dispatcher. Its connections are
 * the sum of what its users may have in flight, so no request waits inside
 * the pool for a connection: concurrency is capped by each subscription's
 * `maxInFlight`, not per app. Every timeout is explicit.
 *
 * undici is loaded on the first `get`, not at import: a gateway without
 * webhooks never loads it (about 5 MB of RSS and a doubled young
 * generation at idle, measured in bench/README.md).
 */
import { createRequire } from 'node:module'
import type * as Undici from 'undici'

type Pool = Undici.Pool

let undici: typeof Undici | undefined

function loadUndici (): typeof Undici {
  undici ??= createRequire(import.meta.url)('undici') as typeof Undici
  return undici
}

/** Idle keep-alive sockets are closed after this (below Node's http server default of 5 s). */
export const KEEP_ALIVE_MS = 4000

interface Reservation { connections: number, timeoutMs: number }

export class WebhookPools {
  readonly #reserved = new Map<string, Reservation>()
  readonly #pools = new Map<string, Pool>()

  /** Declares a user of `url`'s origin, before the first `get`. */
  reserve (url: string, connections: number, timeoutMs: number): void {
    const origin = new URL(url).origin
    const r = this.#reserved.get(origin) ?? { connections: 0, timeoutMs: 0 }
    this.#reserved.set(origin, { connections: r.connections + connections, timeoutMs: Math.max(r.timeoutMs, timeoutMs) })
  }

  /** The pool of `url`'s origin. */
  get (url: string): Pool {
    const origin = new URL(url).origin
    let pool = this.#pools.get(origin)
    if (pool === undefined) {
      const r = this.#reserved.get(origin) ?? { connections: 1, timeoutMs: 10_000 }
      pool = new (loadUndici().Pool)(origin, {
        connections: r.connections,
        pipelining: 1,
        connectTimeout: r.timeoutMs,
        headersTimeout: r.timeoutMs,
        bodyTimeout: r.timeoutMs,
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: 60_000,
        keepAliveTimeoutThreshold: 1000,
      })
      this.#pools.set(origin, pool)
    }
    return pool
  }

  /** Closes every pool (after the sinks have drained, nothing is in flight). */
  async close (): Promise<void> {
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map(async (p) => { await p.close() }))
  }
}
