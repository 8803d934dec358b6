/**
 * The gateway's SSE endpoint read by the npm `eventsource` package, a
 * WHATWG EventSource for Node: named events with their ids as lastEventId,
 * and the client's own reconnect with Last-Event-ID after the gateway ends
 * or drops the connection, resuming without loss or duplicates.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventSource } from 'eventsource'
import { channelConfig, stopGateway } from '../gateway/helpers.ts'
import { broadcastNumbered, DEADLINE_MS, joined, numbers, range, SseStream, startSseGateway, type SseMessage } from '../gateway/sse/helpers.ts'
import { resumeGate } from './sse-helpers.ts'
import { within } from '../helpers/wait.ts'

const TOPIC = 'room:peer'
const NAMES = ['ready', 'msg', 'joined', 'errored', 'gap', 'rejoined', 'shutdown', 'overflow']

interface Seen { event: string, data: string, lastEventId: string }

/** Every named event an EventSource dispatches, in order. */
class Recorder {
  readonly seen: Seen[] = []
  readonly errors: number[] = []
  readonly #wakers = new Set<() => void>()

  constructor (es: EventSource) {
    for (const name of NAMES) {
      es.addEventListener(name, (ev: MessageEvent) => {
        const data: unknown = ev.data
        this.seen.push({ event: ev.type, data: typeof data === 'string' ? data : '', lastEventId: ev.lastEventId })
        this.#wake()
      })
    }
    es.addEventListener('error', () => { this.errors.push(es.readyState); this.#wake() })
  }

  named (event: string): Seen[] { return this.seen.filter((e) => e.event === event) }

  async until (what: string, cond: (r: Recorder) => boolean, ms = DEADLINE_MS): Promise<void> {
    if (cond(this)) return
    await within<undefined>(ms, what, (resolve) => {
      const wake = (): void => { if (cond(this)) resolve(undefined) }
      this.#wakers.add(wake)
      return () => { this.#wakers.delete(wake) }
    })
  }

  #wake (): void { for (const wake of [...this.#wakers]) wake() }
}

const asMessages = (seen: readonly Seen[]): SseMessage[] => seen.map((s) => ({ id: s.lastEventId, lastEventId: s.lastEventId, event: s.event, data: s.data, retry: undefined }))

for (const cut of ['ends the stream with a final event', 'drops the connection'] as const) {
  test(`eventsource receives named events with their ids, and after the gateway ${cut} resumes by itself with Last-Event-ID`, async (t) => {
    let gate: ReturnType<typeof resumeGate> | undefined
    const running = await startSseGateway([channelConfig(TOPIC)], { sse: { retryMs: 30 }, prepare: (daemon) => { gate = resumeGate(daemon) } })
    t.after(async () => { await stopGateway(running) })
    const resumes = gate!
    await joined(running.daemon, TOPIC)

    const es = new EventSource(`${running.base}/v1/channels/${encodeURIComponent(TOPIC)}/events`)
    t.after(() => { es.close() })
    const rec = new Recorder(es)
    await rec.until('ready', (r) => r.named('ready').length === 1)
    broadcastNumbered(running.phoenix, TOPIC, 'msg', 3)
    await rec.until('messages 1..3', (r) => r.named('msg').length === 3)
    const epoch = running.daemon.broker.hub.epoch
    const first = rec.named('msg')
    assert.deepEqual(first.map((e) => e.lastEventId), [2, 3, 4].map((seq) => `${epoch}-${seq}`))
    assert.deepEqual(first.map((e) => JSON.parse(e.data) as unknown), [{ n: 1 }, { n: 2 }, { n: 3 }])
    assert.equal(es.readyState, EventSource.OPEN)

    // The gateway cuts the stream; the client's reconnect is held until 4..6 are in the ring.
    resumes.hold()
    const streams = running.daemon.broker.readers
    assert.equal(streams.size, 1)
    if (cut === 'drops the connection') running.daemon.app.server.closeAllConnections()
    else for (const stream of streams) stream.end('shutdown', { reason: 'test' }, 30)
    const lastEventId = await resumes.resumed(0)
    assert.equal(lastEventId, `${epoch}-4`, 'the reconnect carries the last id the client saw')

    const watch = await SseStream.open(running.base, TOPIC)
    t.after(() => { watch.close() })
    await watch.event('ready')
    broadcastNumbered(running.phoenix, TOPIC, 'msg', 3, 4)
    await watch.until('message 6 in the gateway', (s) => numbers(s.events).includes(6))
    assert.equal(rec.named('msg').length, 3, 'nothing reached the client while it was away')
    resumes.release()

    await rec.until('messages 4..6 replayed', (r) => r.named('msg').length === 6)
    broadcastNumbered(running.phoenix, TOPIC, 'msg', 1, 7)
    await rec.until('message 7 live', (r) => r.named('msg').length === 7)

    assert.deepEqual(numbers(asMessages(rec.seen)), range(1, 7), 'every message once, in order')
    assert.deepEqual(rec.named('msg').map((e) => e.lastEventId), range(2, 7).map((seq) => `${epoch}-${seq}`))
    const expected = cut === 'drops the connection' ? ['ready', 'msg', 'msg', 'msg', 'ready', 'msg', 'msg', 'msg', 'msg'] : ['ready', 'msg', 'msg', 'msg', 'shutdown', 'ready', 'msg', 'msg', 'msg', 'msg']
    assert.deepEqual(rec.seen.map((e) => e.event), expected, 'no gap: the ring covered the outage')
    assert.ok(rec.errors.length >= 1 && rec.errors.every((state) => state === EventSource.CONNECTING), 'the client reported the drop and kept reconnecting')
    assert.deepEqual(resumes.resumes, [`${epoch}-4`])
    assert.equal(es.readyState, EventSource.OPEN)
  })
}

test('eventsource gets the lifecycle of an upstream outage as named events, each with an id', async (t) => {
  const running = await startSseGateway([channelConfig(TOPIC)])
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const es = new EventSource(`${running.base}/v1/channels/${encodeURIComponent(TOPIC)}/events?events=msg`)
  t.after(() => { es.close() })
  const rec = new Recorder(es)
  await rec.until('ready', (r) => r.named('ready').length === 1)

  running.phoenix.faults.dropAll()
  await rec.until('rejoined', (r) => r.named('rejoined').length === 1)
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  await rec.until('message 1', (r) => r.named('msg').length === 1)

  const epoch = running.daemon.broker.hub.epoch
  assert.deepEqual(rec.seen.map((e) => [e.event, e.lastEventId]), [
    ['ready', ''], ['errored', `${epoch}-2`], ['gap', `${epoch}-3`], ['rejoined', `${epoch}-4`], ['msg', `${epoch}-5`],
  ])
  assert.equal((JSON.parse(rec.named('gap')[0]!.data) as { reason: string }).reason, 'upstream_disconnected')
})
