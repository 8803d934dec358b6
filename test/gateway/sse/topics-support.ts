/**
 * Helpers for the multi-topic stream `GET /v1/events` (issue 12): its
 * URL with repeated `topic` parameters, opening it as an SseStream or a
 * StalledReader, its ids (`<epoch>.<n>`, n increasing over all topics) and
 * its data (`{ topic, payload }`).
 */
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { Daemon } from '../../../src/gateway/daemon.ts'
import type { EndReason, OpenStream } from '../../../src/gateway/hub/reader.ts'
import { builtinChannels, roomChannel, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import { within } from '../../helpers/wait.ts'
import { DEADLINE_MS, SseStream, StalledReader, type OpenOptions, type SseMessage } from './helpers.ts'

/** The fake server with its demo channels, and any other topic a room that joins: these tests name topics of their own. */
export const ANY_TOPIC: FakePhoenixOptions = { channels: { ...builtinChannels(), '*': roomChannel } }

export interface EventsQuery {
  events?: string
  lastEventId?: string
  upstream?: string
}

/** `/v1/events?topic=…&topic=…[&events=…][&lastEventId=…][&upstream=…]`. */
export function eventsPath (topics: readonly string[], query: EventsQuery = {}): string {
  const params = new URLSearchParams()
  for (const topic of topics) params.append('topic', topic)
  for (const name of ['events', 'lastEventId', 'upstream'] as const) {
    const value = query[name]
    if (value !== undefined) params.append(name, value)
  }
  const text = params.toString()
  return `/v1/events${text === '' ? '' : `?${text}`}`
}

/** Opens `GET /v1/events` over its own connection; closed after the test. `lastEventId` in options is the header. */
export async function openEvents (t: TestContext, base: string, topics: readonly string[], options: Omit<OpenOptions, 'query'> & { query?: EventsQuery } = {}): Promise<SseStream> {
  const { query, ...open } = options
  const stream = await SseStream.openUrl(`${base}${eventsPath(topics, query)}`, open)
  t.after(() => { stream.close() })
  return stream
}

/** Opens `GET /v1/events` as a raw client that stops reading after `ready`; destroyed after the test. */
export async function stalledEvents (t: TestContext, base: string, topics: readonly string[], lastEventId?: string): Promise<StalledReader> {
  const reader = await StalledReader.openPath(base, eventsPath(topics), lastEventId === undefined ? {} : { 'last-event-id': lastEventId })
  t.after(() => { reader.socket.destroy() })
  return reader
}

/** The n of a multi-topic id `<epoch>.<n>`. */
export function seqOfMulti (id: string | undefined): number {
  assert.ok(id !== undefined, 'the event has an id')
  const match = /^(.+)\.(\d+)$/.exec(id)
  assert.ok(match !== null, `${id} is <epoch>.<n>`)
  return Number(match[2])
}

/** The epoch of a multi-topic id `<epoch>.<n>`. */
export function epochOfMulti (id: string): string {
  return id.slice(0, id.lastIndexOf('.'))
}

export interface TopicData { topic: string, payload: unknown }

/** The `epoch` of a stream's `ready` event. */
export function readyEpoch (ready: SseMessage): string {
  assert.equal(ready.event, 'ready')
  const { epoch } = JSON.parse(ready.data) as { epoch: unknown }
  assert.equal(typeof epoch, 'string')
  return epoch as string
}

/** Each event's data parsed once: the waits below look at every event received so far on each chunk. */
const parsed = new WeakMap<SseMessage, TopicData>()

/** The `{ topic, payload }` data of an event of the stream. */
export function dataOf (event: SseMessage): TopicData {
  const known = parsed.get(event)
  if (known !== undefined) return known
  const data = JSON.parse(event.data) as TopicData
  assert.equal(typeof data.topic, 'string', `${event.event} names its topic: ${event.data.slice(0, 200)}`)
  parsed.set(event, data)
  return data
}

/** The payload of an event whose data is `{ topic, payload }`. */
export function payloadOf (event: SseMessage): unknown {
  return dataOf(event).payload
}

export interface Delivered { topic: string, n: number, id: string | undefined }

/** The `msg` events (payload `{ n }`) with their topic, in arrival order; of `topic` only when given. */
export function delivered (events: readonly SseMessage[], topic?: string, event = 'msg'): Delivered[] {
  return events.filter((e) => e.event === event).map((e) => {
    const data = dataOf(e)
    return { topic: data.topic, n: (data.payload as { n: number }).n, id: e.id }
  }).filter((d) => topic === undefined || d.topic === topic)
}

/** The `n` of each `msg` of `topic`, in arrival order. */
export function numbersOf (events: readonly SseMessage[], topic: string): number[] {
  return delivered(events, topic).map((d) => d.n)
}

/** Waits until `stream` has message `n` of `topic` (looking at each event once, however long the stream). */
export async function seenMessage (stream: SseStream, topic: string, n: number, ms = DEADLINE_MS): Promise<void> {
  let from = 0
  const found = (s: SseStream): boolean => {
    for (; from < s.events.length; from++) {
      const e = s.events[from]!
      if (e.event !== 'msg') continue
      const data = dataOf(e)
      if (data.topic === topic && (data.payload as { n: number }).n === n) return true
    }
    return false
  }
  await stream.until(`message ${n} of ${topic}`, found, ms)
}

/** The ids of `events` that have one, as numbers, and asserts that they strictly increase. */
export function assertIncreasingIds (events: readonly SseMessage[], what: string): number[] {
  const seqs = events.filter((e) => e.id !== undefined).map((e) => seqOfMulti(e.id))
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `${what}: ids increase (${seqs[i - 1]} then ${seqs[i]})`)
  return seqs
}

/** The end of the gateway's readers of one stream: the first reason one of them ended with. */
export interface StreamEnd {
  readonly readers: OpenStream[]
  /** The reason, once one has ended. */
  reason: () => EndReason | null
  /** Resolves with the reason once one has ended (now or later); rejects after `ms`. */
  ended: (ms?: number) => Promise<EndReason>
}

/** The readers the gateway opened for the stream opened after `before` (a copy of `daemon.broker.readers`) was taken. */
export function readersSince (daemon: Daemon, before: ReadonlySet<OpenStream>): StreamEnd {
  const readers = [...daemon.broker.readers].filter((r) => !before.has(r))
  assert.ok(readers.length > 0, 'the gateway holds a reader for the new stream')
  let reason: EndReason | null = null
  const wakers = new Set<() => void>()
  for (const reader of readers) {
    reader.onEnd((r) => {
      reason ??= r
      for (const wake of [...wakers]) wake()
    })
  }
  return {
    readers,
    reason: () => reason,
    ended: async (ms = DEADLINE_MS) => {
      if (reason !== null) return reason
      return within<EndReason>(ms, 'the stream\'s end on the gateway', (resolve) => {
        const wake = (): void => { if (reason !== null) resolve(reason) }
        wakers.add(wake)
        return () => { wakers.delete(wake) }
      })
    },
  }
}
