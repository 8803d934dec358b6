/**
 * Guarantee: an SSE stream never outlives its browser token (Mercure's
 * streams did, #666). On both SSE routes, a stream whose token expires
 * ends with a final `token_expired` event naming the last id it sent, and
 * a retry hint; the reconnect with a new token resumes from that id without
 * loss. The timer is one per stream, cleared when the stream ends (checked
 * with mocked timers), and an expiry beyond setTimeout's range is reached
 * in steps.
 */
import { mock, test } from 'node:test'
import assert from 'node:assert/strict'
import { endAtExpiry, MAX_TIMER_MS } from '../../src/gateway/access/expiry.ts'
import { callEndListener, type EndListener, type EndReason, type OpenStream } from '../../src/gateway/hub/reader.ts'
import { channelConfig } from '../gateway/helpers.ts'
import { http, joined } from '../gateway/http/support.ts'
import { numbers, SseStream } from '../gateway/sse/helpers.ts'
import { API_TOKEN, bearer, nowSeconds, sign, startTokenGw, tokensConfig } from '../gateway/access/support.ts'

const TOPIC = 'room:lobby'
const claims = { sub: 'u', backchannel: { subscribe: ['room:*'] } }

for (const shape of ['topic', 'topics'] as const) {
  test(`a ${shape === 'topic' ? 'per-topic' : 'multi-topic'} stream ends with token_expired when its token expires, and a new token resumes it without loss`, async (t) => {
    const gw = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ leewayMs: 0 }), sse: { retryMs: 25 } })
    await joined(gw, TOPIC)
    /** The `n` of each message, from a per-topic stream's data or a multi-topic stream's `payload`. */
    const ns = (s: SseStream): number[] => s.named('msg').map((e) => {
      const data = JSON.parse(e.data) as { n?: number, payload?: { n: number } }
      return data.n ?? data.payload?.n ?? -1
    })
    const open = async (token: string, lastEventId?: string): Promise<SseStream> => {
      const options = { headers: bearer(token), ...(lastEventId === undefined ? {} : { lastEventId }) }
      const stream = shape === 'topic' ? await SseStream.open(gw.base, TOPIC, options) : await SseStream.openTopics(gw.base, [TOPIC], options)
      t.after(() => { stream.close() })
      return stream
    }
    // A reader with the API token sees what the gateway holds, whatever happens to the page's streams.
    const watch = await SseStream.open(gw.base, TOPIC, { headers: bearer(API_TOKEN) })
    t.after(() => { watch.close() })
    await watch.event('ready')
    // exp has a one-second grain: two seconds ahead is one to two seconds of life.
    const first = await open(await sign({ ...claims, exp: nowSeconds() + 2 }))
    assert.equal(first.status, 200)
    await first.event('ready')
    gw.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
    await first.until('message 1', (s) => ns(s).includes(1))
    const final = await first.event('token_expired', 0, 10_000)
    await first.endedWithin()
    const last = first.named('msg').at(-1)?.id
    assert.deepEqual(JSON.parse(final.data), { lastEventId: last, reason: 'token_expired' })
    assert.equal(final.retry, 25)
    assert.equal(gw.daemon.broker.readers.size, 1, 'the stream is gone; the API token\'s reader stays')

    // Published while the page had no stream; the reconnect with a fresh token and the last id gets it.
    gw.phoenix.broadcast(TOPIC, 'msg', { n: 2 })
    await watch.until('message 2 in the gateway', (s) => numbers(s.events).includes(2))
    const second = await open(await sign({ ...claims, exp: nowSeconds() + 600 }), last)
    await second.until('message 2 replayed', (s) => ns(s).includes(2))
    assert.deepEqual(ns(second), [2])

    const metrics = await http(gw.base, '/metrics', { headers: bearer(API_TOKEN) })
    if (shape === 'topic') assert.match(metrics.text, /backchannel_sse_disconnects_total\{subscription="room:lobby",reason="token_expired"\} 1/)
  })
}

test('a token past its exp but within the leeway opens a stream, which ends when the leeway runs out', async (t) => {
  const gw = await startTokenGw(t, [channelConfig(TOPIC)], { tokens: tokensConfig({ leewayMs: 3000 }) })
  await joined(gw, TOPIC)
  // Expired one second ago, within the leeway (3 s): accepted, then ended when the leeway runs out.
  const stream = await SseStream.open(gw.base, TOPIC, { headers: bearer(await sign({ ...claims, exp: nowSeconds() - 1 })) })
  t.after(() => { stream.close() })
  assert.equal(stream.status, 200)
  await stream.event('token_expired', 0, 10_000)
  await stream.endedWithin()
})

/** A stream stand-in: records its end and runs its end listeners. */
type FakeStream = OpenStream & { endings: EndReason[] }
function fakeStream (): FakeStream {
  const listeners: Array<EndListener<FakeStream>> = []
  const stream = {
    ended: false,
    waiting: false,
    bufferedBytes: 0,
    endings: [] as EndReason[],
    end (reason: EndReason) {
      if (stream.ended) return
      stream.ended = true
      stream.endings.push(reason)
      for (const listener of listeners) callEndListener<FakeStream>(listener, reason, stream)
    },
    onEnd (listener: EndListener<FakeStream>) { listeners.push(listener) },
  }
  return stream
}

test('one timer per stream: it fires at the expiry, not before; a stream ended first leaves no timer behind', (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 })
  t.after(() => { mock.timers.reset() })
  const expiring = fakeStream()
  endAtExpiry(expiring, 1_000_000 + 5000, 100)
  mock.timers.tick(4999)
  assert.deepEqual(expiring.endings, [])
  mock.timers.tick(1)
  assert.deepEqual(expiring.endings, ['token_expired'])

  const closed = fakeStream()
  const cleared = mock.method(globalThis, 'clearTimeout')
  endAtExpiry(closed, Date.now() + 5000, 100)
  closed.end('client_closed', {})
  assert.equal(cleared.mock.callCount(), 1, 'its timer is cleared when it ends')
  mock.timers.tick(10_000)
  assert.deepEqual(closed.endings, ['client_closed'], 'nothing fires after it ended')
})

test('an expiry beyond setTimeout\'s range is reached in steps, not at once', (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 })
  t.after(() => { mock.timers.reset() })
  const stream = fakeStream()
  endAtExpiry(stream, MAX_TIMER_MS * 2 + 10, 100)
  mock.timers.tick(MAX_TIMER_MS)
  mock.timers.tick(MAX_TIMER_MS)
  assert.deepEqual(stream.endings, [])
  mock.timers.tick(10)
  assert.deepEqual(stream.endings, ['token_expired'])
})
