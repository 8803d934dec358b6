/**
 * The one tail loop of a replica: reads every shared topic's stream with
 * one XREAD BLOCK on the link's blocking connection and hands what it reads
 * to the topics (topic.ts publishes it into their rings). One loop per
 * process, whatever the number of readers or topics.
 *
 * A topic is shared once the loop has found its place in the stream (its
 * last entry when first carried; after an outage, where it left off). Any
 * failure (the link down, a call past its deadline) turns every shared
 * topic local, with its gap; a topic whose received messages are not read
 * back within the pending window (no writer could append them) turns local
 * by itself and tries again a window later. Nothing ever waits without a
 * deadline, and a failed pass waits a while before the next.
 */
import { SharedHistoryUnavailableError } from './errors.ts'
import { readAfter, tail, type SharedEntry, type TailPosition } from './reader.ts'
import type { SharedHistory } from './history.ts'
import type { SharedTopic } from './topic.ts'
import { parseEntryId } from './keys.ts'
import type { RawReply, RedisLink } from './redis-link.ts'
import { parseEntry } from './reader.ts'

/** How long one XREAD waits for new entries, ms (a topic added meanwhile is read from the next one). */
const BLOCK_MS = 500
/** Entries read per topic per call. */
const COUNT = 500
/** Entries before its place a topic remembers when it joins the stream (received late, they are given at once). */
const BEFORE = 100

/** Read again after an await: the link may have gone down meanwhile. */
function linkUp (link: RedisLink): boolean {
  return link.state === 'ready'
}

export class TailLoop {
  readonly #history: SharedHistory
  readonly #now: () => number
  #running = false
  #wake: (() => void) | null = null

  constructor (history: SharedHistory, now: () => number) {
    this.#history = history
    this.#now = now
    history.link.on('state', () => { this.wake() })
  }

  run (): void {
    if (this.#running) return
    this.#running = true
    this.#loop().catch(() => undefined)
  }

  stop (): void {
    this.#running = false
    this.wake()
  }

  /** Ends a wait early: a topic was added, the link changed state, or the loop stops. */
  wake (): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  /** Read again after an await: stop() may have run meanwhile. */
  #stopped (): boolean { return !this.#running }

  get #retryMs (): number { return Math.max(50, Math.floor(this.#history.settings.leaseTtlMs / 3)) }

  async #idle (ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>((resolve) => {
      this.#wake = resolve
      timer = setTimeout(resolve, ms)
      timer.unref()
    })
    clearTimeout(timer)
    this.#wake = null
  }

  #allLocal (retryAt: number): void {
    for (const topic of this.#history.topics.values()) topic.toLocal('unavailable', retryAt)
  }

  async #loop (): Promise<void> {
    const { link } = this.#history
    while (this.#running) {
      if (link.state !== 'ready') {
        this.#allLocal(0)
        await this.#idle(60_000)
        continue
      }
      try {
        this.#history.followJoins()
        await this.#join()
        this.#checkStalled()
        const shared = [...this.#history.topics.values()].filter((t) => t.mode === 'shared' && t.position !== null)
        if (shared.length === 0) {
          await this.#idle(BLOCK_MS)
          continue
        }
        await this.#read(shared)
      } catch (err) {
        if (this.#stopped()) return
        // A call past its deadline while the link stays up (a slow or stalled Redis, a busy event loop): try again;
        // a topic whose messages wait longer than the pending window goes local by itself (#checkStalled).
        if (err instanceof SharedHistoryUnavailableError && err.reason === 'timeout' && linkUp(link)) continue
        // Redis failed a call otherwise: every topic goes local until the next pass finds it again.
        this.#allLocal(this.#now() + this.#retryMs)
        await this.#idle(this.#retryMs)
      }
    }
  }

  /** Finds the place in the stream of every local topic due to try shared history again, and turns it shared. */
  async #join (): Promise<void> {
    const now = this.#now()
    for (const topic of [...this.#history.topics.values()]) {
      if (!this.#running || topic.mode === 'shared' || topic.retryAt > now || !this.#carried(topic)) continue
      if (topic.position === null) await this.#firstPlace(topic)
      else await this.#readOn(topic)
      if (this.#carried(topic) && !this.#stopped()) topic.toShared()
    }
  }

  #carried (topic: SharedTopic): boolean {
    return this.#history.topics.get(topic.sub) === topic
  }

  /** A topic new to this replica starts after the stream's last entry; the entries just before are remembered. */
  async #firstPlace (topic: SharedTopic): Promise<void> {
    const { link } = this.#history
    const epoch = await link.call('epoch', ['GET', topic.keys.epoch])
    const last = await link.call('last entries', ['XREVRANGE', topic.keys.stream, '+', '-', 'COUNT', String(BEFORE)])
    const epochText = typeof epoch === 'string' ? epoch : ''
    const entries = Array.isArray(last) ? last.map((raw: RawReply) => parseEntry(raw, epochText)).reverse() : []
    topic.noteBefore(entries)
    topic.position = { epoch: epochText, after: entries.at(-1)?.entryId ?? '0-0' }
  }

  /** Reads a topic's stream on from its place (after an outage, or an epoch change), page by page. */
  async #readOn (topic: SharedTopic): Promise<void> {
    const { link } = this.#history
    for (;;) {
      const position = topic.position
      if (position === null || !this.#running) return
      const from = position.epoch === '' ? null : `${position.epoch}:${position.after}`
      const result = await readAfter(link, topic.keys, from, COUNT)
      if (!this.#carried(topic)) return
      // Redis lost the stream (a new epoch), or trimmed it past this replica's place.
      if (result.gap) topic.restarted(result.epoch)
      else if (result.epoch !== position.epoch) topic.position = { epoch: result.epoch, after: position.after }
      topic.fromStream(result.entries, result.epoch)
      this.#lag(result.entries)
      if (result.entries.length < COUNT) return
    }
  }

  /** One blocking read over every shared topic. */
  async #read (shared: readonly SharedTopic[]): Promise<void> {
    const byStream = new Map<string, SharedTopic>()
    const positions: TailPosition[] = []
    for (const topic of shared) {
      const position = topic.position
      if (position === null) continue
      byStream.set(topic.keys.stream, topic)
      positions.push({ topic: topic.keys.stream, keys: topic.keys, epoch: position.epoch, afterEntryId: position.after })
    }
    const results = await tail(this.#history.link, positions, BLOCK_MS, COUNT)
    for (const [stream, result] of results) {
      const topic = byStream.get(stream)
      if (topic === undefined || !this.#carried(topic) || topic.position === null) continue
      if ('epochChanged' in result) {
        await this.#readOn(topic)
        continue
      }
      topic.fromStream(result.entries, topic.position.epoch)
      this.#lag(result.entries)
    }
  }

  /** A shared topic whose received messages were not read back within the pending window goes local, and tries again a window later. */
  #checkStalled (): void {
    const now = this.#now()
    const stallMs = this.#history.stallMs
    for (const topic of this.#history.topics.values()) {
      const oldest = topic.oldestWaiting
      if (topic.mode === 'shared' && oldest !== null && now - oldest > stallMs) topic.toLocal('stalled', now + stallMs)
    }
  }

  #lag (entries: readonly SharedEntry[]): void {
    const last = entries.at(-1)
    if (last === undefined) return
    const id = parseEntryId(last.entryId)
    if (id !== null) this.#history.events.emit('tail', { entries: entries.length, lagMs: Math.max(0, this.#now() - Number(id.ms)) })
  }
}
