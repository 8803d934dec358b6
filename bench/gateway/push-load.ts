/**
 * Push round trips at a fixed concurrency for a fixed time: `concurrency`
 * workers, each sending its next push as soon as its last is answered.
 * Over HTTP with an undici Pool of `concurrency` connections (no
 * pipelining), or directly with a phoenix.js channel in this process.
 */
import type { Channel } from 'phoenix'
import { Pool } from 'undici'

export interface PushRound {
  /** Answered pushes (status 200 / ok). */
  count: number
  /** Anything else: another HTTP status, an error reply, a timeout, a transport error. */
  errors: number
  wallMs: number
  /** Latency of each answered push, µs. */
  latencies: number[]
}

/** One way to push: resolves true when the push was answered ok. */
export type PushOnce = () => Promise<boolean>

/** Runs `concurrency` closed-loop workers of `push` for `durationMs`. */
export async function pushRound (push: PushOnce, concurrency: number, durationMs: number): Promise<PushRound> {
  const round: PushRound = { count: 0, errors: 0, wallMs: 0, latencies: [] }
  const t0 = performance.now()
  const end = t0 + durationMs
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const start = performance.now()
      let ok = false
      try {
        ok = await push()
      } catch {
        ok = false
      }
      if (ok) {
        round.count++
        round.latencies.push((performance.now() - start) * 1000)
      } else {
        round.errors++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  round.wallMs = performance.now() - t0
  return round
}

/** An HTTP pusher: POST `body` (JSON) to `base` + `path` through a pool of `connections`. */
export function httpPusher (base: string, path: string, body: string, connections: number): { push: PushOnce, close: () => Promise<void> } {
  const pool = new Pool(base, { connections, pipelining: 1 })
  const headers = { 'content-type': 'application/json' }
  return {
    async push () {
      const res = await pool.request({ path, method: 'POST', headers, body })
      await res.body.text()
      return res.statusCode === 200
    },
    async close () { await pool.close() },
  }
}

/** A direct pusher: phoenix.js `channel.push(event, payload)` answered ok. */
export function directPusher (channel: Channel, event: string, payload: object): PushOnce {
  return async () => new Promise<boolean>((resolve) => {
    channel.push(event, payload, 10_000)
      .receive('ok', () => { resolve(true) })
      .receive('error', () => { resolve(false) })
      .receive('timeout', () => { resolve(false) })
  })
}
