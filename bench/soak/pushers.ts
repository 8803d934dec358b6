/**
 * Paced HTTP pushes with exact accounting: every push sent gets exactly one
 * answer, counted by class (`200`, `503 BC_ERR_…`), a transport error
 * (the connection failed: the promise of one answer broken), or no answer
 * within the client's own deadline.
 */
import { Agent, request } from 'undici'

export interface PushTally {
  sent: number
  /** Answers by class: the status, and the problem's code when there is one. */
  answered: Record<string, number>
  transportErrors: Record<string, number>
  unanswered: number
}

export interface PushersOptions {
  base: string
  topic: string
  /** Pushes per second over all lanes. */
  ratePerSec: number
  lanes: number
  /** The client's own deadline per push, well above the gateway's push timeout. */
  clientDeadlineMs: number
}

export class Pushers {
  readonly tally: PushTally = { sent: 0, answered: {}, transportErrors: {}, unanswered: 0 }
  readonly #options: PushersOptions
  readonly #agent: Agent
  readonly #state = { running: false }
  #lanes: Array<Promise<void>> = []

  constructor (options: PushersOptions) {
    this.#options = options
    this.#agent = new Agent({ connections: options.lanes, keepAliveTimeout: 4000 })
  }

  start (): void {
    this.#state.running = true
    const { lanes, ratePerSec } = this.#options
    const periodMs = (1000 * lanes) / ratePerSec
    this.#lanes = Array.from({ length: lanes }, async (_v, lane) => this.#lane(lane, periodMs))
  }

  /** Stops sending; resolves when every push sent has its outcome. */
  async stop (): Promise<void> {
    this.#state.running = false
    await Promise.all(this.#lanes)
    await this.#agent.close()
  }

  async #lane (lane: number, periodMs: number): Promise<void> {
    const start = performance.now() + (lane * periodMs) / this.#options.lanes
    for (let i = 0; this.#state.running; i++) {
      const wait = start + i * periodMs - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      // stop() may have come while this lane waited: the push is not sent.
      if (this.#stopped()) break
      await this.#one(lane, i)
    }
  }

  #stopped (): boolean { return !this.#state.running }

  async #one (lane: number, i: number): Promise<void> {
    const { base, topic, clientDeadlineMs } = this.#options
    this.tally.sent++
    try {
      const res = await request(`${base}/v1/channels/${encodeURIComponent(topic)}/push`, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'soak', payload: { lane, i } }),
        headersTimeout: clientDeadlineMs,
        bodyTimeout: clientDeadlineMs,
      })
      const text = await res.body.text()
      let code = ''
      if (res.statusCode !== 200) {
        try {
          const problem = JSON.parse(text) as { error?: { code?: unknown } }
          code = typeof problem.error?.code === 'string' ? problem.error.code : 'no code'
        } catch {
          code = 'unparsable body'
        }
      }
      const key = code === '' ? String(res.statusCode) : `${res.statusCode} ${code}`
      this.tally.answered[key] = (this.tally.answered[key] ?? 0) + 1
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        this.tally.unanswered++
        return
      }
      const key = typeof code === 'string' ? code : String(err)
      this.tally.transportErrors[key] = (this.tally.transportErrors[key] ?? 0) + 1
    }
  }
}
