/**
 * Guarantee: nothing a peer sends throws past the handling of that one
 * message. An upstream frame nested ~5,000 levels deep (JSON.parse reads
 * it; JSON.stringify runs out of stack) is dropped, counted, logged once per
 * topic, and its readers get a `gap` in its place; the socket, the process
 * and every other topic carry on. Bodies nested too deep are refused with
 * 400, a reply nested too deep answers 502, a webhook receiver's poison
 * answer and a malformed presence diff change nothing else; a client's
 * throwing callback and a throwing listener do not kill the socket, nor
 * does a throwing listener kill the fake server's connection.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Client } from '../../src/client/client.ts'
import type { ClientEvents } from '../../src/client/events.ts'
import { ProtocolError } from '../../src/phoenix/errors.ts'
import { builtinChannels, noreply, ok, startFakePhoenix } from '../../src/testing/index.ts'
import { channelConfig } from '../gateway/helpers.ts'
import { assertProblem, clientOf, http, joined, REQUEST_DEADLINE_MS, startGw, type Gw } from '../gateway/http/support.ts'
import { scrape } from '../gateway/observe/support.ts'
import { SseStream, seqOf } from '../gateway/sse/helpers.ts'
import { hooked, Recorder } from '../gateway/webhook/harness.ts'
import { Receiver } from '../gateway/webhook/receiver.ts'
import { dynamicEntry, put } from '../gateway/dynamic/support.ts'
import { nextEvent } from '../helpers/wait.ts'

/** JSON arrays nested `depth` levels: 2 bytes a level. */
const nested = (depth: number, inner = ''): string => '['.repeat(depth) + inner + ']'.repeat(depth)
const POISON = nested(5000)
const frame = (topic: string, event: string, payloadJson: string): string => `[null,null,${JSON.stringify(topic)},${JSON.stringify(event)},${payloadJson}]`
const DROPPED_LOG = 'upstream message dropped: it could not be handled'

/** Counts the gateway's disconnects from now on. */
function disconnects (gw: Gw): () => number {
  let n = 0
  gw.phoenix.events.on('disconnect', () => { n++ })
  clientOf(gw).events.on('disconnect', () => { n++ })
  return () => n
}

async function reader (t: { after: (fn: () => void) => void }, gw: Gw, topic: string): Promise<SseStream> {
  const stream = await SseStream.open(gw.base, topic)
  t.after(() => { stream.close() })
  await stream.event('ready')
  return stream
}

const payloads = (s: SseStream, event = 'msg'): unknown[] => s.named(event).map((e) => JSON.parse(e.data) as unknown)

describe('an upstream message nested too deep', () => {
  test('is dropped with a gap for its readers, counted and logged; the socket and the other topic carry on', async (t) => {
    const gw = await startGw(t, [channelConfig('room:a'), channelConfig('room:b')])
    await joined(gw, 'room:a')
    await joined(gw, 'room:b')
    const a = await reader(t, gw, 'room:a')
    const b = await reader(t, gw, 'room:b')
    const lost = disconnects(gw)

    assert.equal(gw.phoenix.faults.sendRaw(frame('room:a', 'msg', POISON)), 1)
    gw.phoenix.broadcast('room:a', 'msg', { n: 2 })
    gw.phoenix.broadcast('room:b', 'msg', { n: 1 })
    await a.until('the message after the poison', (s) => s.named('msg').length === 1)
    await b.until('the other topic\'s message', (s) => s.named('msg').length === 1)

    const gap = a.named('gap')
    assert.equal(gap.length, 1)
    const data = JSON.parse(gap[0]?.data ?? '') as Record<string, unknown>
    assert.deepEqual({ ...data, at: typeof data['at'] }, { reason: 'message_dropped', event: 'msg', cause: 'too_deep', at: 'string' })
    const [gapEvent, next] = a.events.slice(-2)
    assert.equal(gapEvent?.event, 'gap', 'the gap stands where the message was')
    assert.equal(seqOf(next?.id), seqOf(gapEvent.id) + 1, 'in the sequence, with an id: a resume replays it')
    assert.deepEqual(payloads(a), [{ n: 2 }])
    assert.deepEqual(payloads(b), [{ n: 1 }])
    assert.equal(b.named('gap').length, 0)

    const m = await scrape(gw.base)
    assert.equal(m.value('backchannel_upstream_messages_dropped_total', { upstream: 'main', reason: 'too_deep' }), 1)
    assert.equal(m.value('backchannel_sse_gaps_total', { subscription: 'room:a', reason: 'message_dropped' }), 1)
    const lines = gw.logs.filter((l) => l.msg === DROPPED_LOG)
    assert.equal(lines.length, 1)
    assert.equal((lines[0] as { topic?: string }).topic, 'room:a')
    assert.equal(lost(), 0, 'the socket stayed up')
    assert.equal(clientOf(gw).pool.connections[0]?.state, 'open')
  })

  test('a flood of them: each counted and shown as a gap, one log line for the topic', async (t) => {
    const gw = await startGw(t, [channelConfig('room:f', { replay: 500 })])
    await joined(gw, 'room:f')
    const s = await reader(t, gw, 'room:f')
    for (let i = 0; i < 200; i++) gw.phoenix.faults.sendRaw(frame('room:f', 'msg', nested(5000 + i)))
    gw.phoenix.broadcast('room:f', 'msg', { n: 'after' })
    await s.until('the message after the flood', (x) => x.named('msg').length === 1)
    assert.equal(s.named('gap').length, 200)
    const m = await scrape(gw.base)
    assert.equal(m.value('backchannel_upstream_messages_dropped_total', { upstream: 'main', reason: 'too_deep' }), 200)
    assert.equal(gw.logs.filter((l) => l.msg === DROPPED_LOG).length, 1)
    assert.equal(gw.logs.filter((l) => l.msg === 'gap: messages may be missing').length, 0, 'no second line per message')
  })
})

describe('HTTP bodies and replies nested too deep', () => {
  test('a push body is refused with 400 BC_ERR_TOO_DEEP and never reaches Phoenix; 512 levels still pass', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:1')])
    await joined(gw, 'echo:1')
    const pushes: string[] = []
    gw.phoenix.events.on('frame', (f) => { if (f.message.topic === 'echo:1' && !f.message.event.startsWith('phx_')) pushes.push(f.message.event) })
    const headers = { 'content-type': 'application/json' }
    const deep = await http(gw.base, '/v1/channels/echo:1/push', { method: 'POST', headers, body: `{"event":"deep","payload":${POISON}}` })
    assertProblem(deep, 400, 'BC_ERR_TOO_DEEP')
    const limit = await http(gw.base, '/v1/channels/echo:1/push', { method: 'POST', headers, body: `{"event":"limit","payload":${nested(511)}}` })
    assert.equal(limit.status, 200, limit.text)
    assert.deepEqual(pushes, ['limit'])
  })

  test('a PUT body with params nested too deep is refused with 400 BC_ERR_TOO_DEEP and nothing is joined', async (t) => {
    const gw = await startGw(t, [], { config: { dynamic: [dynamicEntry('room:*')] } })
    const res = await http(gw.base, '/v1/channels/room:deep', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: `{"params":{"x":${POISON}}}` })
    assertProblem(res, 400, 'BC_ERR_TOO_DEEP')
    assert.equal(gw.joins.length, 0)
    assert.equal((await put(gw, 'room:fine', { params: { x: 1 } })).status, 201)
  })

  test('a reply nested too deep answers 502 BC_ERR_PROTOCOL; the socket carries on', async (t) => {
    const quiet = { join: () => ok(), handleIn: () => noreply() }
    const gw = await startGw(t, [channelConfig('quiet:1'), channelConfig('echo:2')], { phoenix: { channels: { ...builtinChannels(), 'quiet:*': quiet } } })
    await joined(gw, 'quiet:1')
    await joined(gw, 'echo:2')
    const lost = disconnects(gw)
    const asked = gw.phoenix.waitFor('frame', (f) => f.message.event === 'ask', REQUEST_DEADLINE_MS)
    const pushing = http(gw.base, '/v1/channels/quiet:1/push', { method: 'POST', json: { event: 'ask' } })
    const { message } = await asked
    gw.phoenix.faults.sendRaw(`[${JSON.stringify(message.joinRef)},${JSON.stringify(message.ref)},"quiet:1","phx_reply",{"status":"ok","response":${POISON}}]`)
    assertProblem(await pushing, 502, 'BC_ERR_PROTOCOL')
    const after = await http(gw.base, '/v1/channels/echo:2/push', { method: 'POST', json: { event: 'hi', payload: { n: 1 } } })
    assert.equal(after.status, 200)
    assert.equal(lost(), 0)
  })
})

test('a webhook receiver answering poison bodies changes nothing but its own verdict', async (t) => {
  const bodies = [`{"status":${POISON}}`, POISON, `{"status":"RETRY","x":${nested(100_000)}}`.slice(0, 60_000), '\u0000\uffff{{{', '{"STATUS":{"toString":1}}']
  const receiver = await Receiver.start((x) => ({ status: 200, body: bodies[x.n - 1] ?? '' }))
  t.after(() => receiver.close())
  const gw = await startGw(t, [hooked('room:w', receiver.url()), channelConfig('room:x')])
  const delivered = new Recorder(gw.daemon.webhooks.events)
  await joined(gw, 'room:w')
  const x = await reader(t, gw, 'room:x')
  for (let n = 1; n <= bodies.length + 1; n++) gw.phoenix.broadcast('room:w', 'msg', { n })
  gw.phoenix.broadcast('room:x', 'msg', { n: 1 })
  await x.until('the other topic', (s) => s.named('msg').length === 1)
  await delivered.count('delivered', bodies.length + 1)
  const m = await scrape(gw.base)
  // Dapr's rule: a 2xx body that is not an object with a string status is ignored, so each one is a success.
  assert.equal(m.value('backchannel_webhook_attempts_total', { subscription: 'room:w', result: 'success' }), bodies.length + 1)
  assert.equal(m.value('backchannel_webhook_attempts_total', { subscription: 'room:w', result: 'retry' }), undefined)
  assert.equal(clientOf(gw).pool.connections[0]?.state, 'open')
})

describe('presence messages that are malformed', () => {
  test('a diff nested too deep is dropped with a gap; odd but well-formed diffs do no harm; presence carries on', async (t) => {
    const gw = await startGw(t, [channelConfig('presence:lobby', { presence: true, params: { user_id: 'gateway' } })])
    await joined(gw, 'presence:lobby')
    const s = await reader(t, gw, 'presence:lobby')
    await s.event('presence_state')
    const lost = disconnects(gw)
    const diff = (joins: string, leaves = '{}'): string => frame('presence:lobby', 'presence_diff', `{"joins":${joins},"leaves":${leaves}}`)
    gw.phoenix.faults.sendRaw(diff(`{"u1":{"metas":[{"phx_ref":"r1","deep":${POISON}}]}}`))
    gw.phoenix.faults.sendRaw(diff('{}', '{"ghost":{"metas":[{"phx_ref":"nobody"}]}}'))
    gw.phoenix.faults.sendRaw(diff('{"__proto__":{"metas":[{"phx_ref":"p"}]},"constructor":{"metas":[]}}'))
    gw.phoenix.faults.sendRaw(diff('{"u1":{"metas":"not a list"}}'))
    gw.phoenix.faults.sendRaw(frame('presence:lobby', 'presence_state', `{"u2":{"metas":[{"phx_ref":"r2","deep":${POISON}}]}}`))
    gw.phoenix.faults.sendRaw(diff('{"u9":{"metas":[{"phx_ref":"r9"}]}}'))
    await s.until('u9 joined', (x) => x.named('presence_join').some((e) => (JSON.parse(e.data) as { key: string }).key === 'u9'))
    const gaps = s.named('gap').map((e) => JSON.parse(e.data) as { reason: string, event: string, cause: string })
    assert.deepEqual(gaps.map((g) => [g.reason, g.event, g.cause]), [['message_dropped', 'presence_diff', 'too_deep'], ['message_dropped', 'presence_state', 'too_deep']])
    const state = await http(gw.base, '/v1/channels/presence:lobby/presence')
    assert.equal(state.status, 200, state.text)
    const m = await scrape(gw.base)
    assert.equal(m.value('backchannel_upstream_messages_dropped_total', { upstream: 'main', reason: 'too_deep' }), 2)
    assert.equal(lost(), 0)
  })
})

describe('the client library', () => {
  test('an overridden callback that throws is reported as callback_error; the socket and the other listeners carry on', async (t) => {
    const phoenix = await startFakePhoenix()
    t.after(async () => { await phoenix.close() })
    class Throwing extends Client {
      override onMessage (): void { throw new Error('user bug') }
      override onReply (): void { throw new Error('user bug in onReply') }
    }
    const client = new Throwing({ url: phoenix.endpoint, reconnectDelay: () => 5 })
    t.after(async () => { await client.close() })
    await client.connect()
    await client.join('echo:c')
    const errors: Array<ClientEvents['callback_error'][0]> = []
    client.events.on('callback_error', (e) => { errors.push(e) })
    let disconnected = 0
    client.events.on('disconnect', () => { disconnected++ })
    const next = client.nextMessage('echo:c', { timeout: 5000 })
    phoenix.broadcast('echo:c', 'msg', { n: 1 })
    assert.deepEqual((await next).payload, { n: 1 }, 'waiters still get the message')
    assert.deepEqual(await client.push('echo:c', 'ping', {}), {}, 'the reply still resolves the push')
    assert.deepEqual(errors.map((e) => [e.callback, e.topic, (e.error as Error).message]), [['onMessage', 'echo:c', 'user bug'], ['onReply', 'echo:c', 'user bug in onReply']])
    assert.equal(disconnected, 0)
  })

  test('a push whose payload nests too deeply to be encoded fails with ProtocolError too_deep; the socket carries on', async (t) => {
    const phoenix = await startFakePhoenix()
    t.after(async () => { await phoenix.close() })
    const client = new Client({ url: phoenix.endpoint, reconnectDelay: () => 5 })
    t.after(async () => { await client.close() })
    await client.connect()
    await client.join('echo:d')
    await assert.rejects(client.push('echo:d', 'deep', JSON.parse(POISON)), (err: unknown) => err instanceof ProtocolError && err.fault === 'too_deep')
    assert.deepEqual(await client.push('echo:d', 'fine', { n: 1 }), { n: 1 })
  })

  test('a listener that throws on a message: message_dropped is reported and the socket carries on', async (t) => {
    const phoenix = await startFakePhoenix()
    t.after(async () => { await phoenix.close() })
    const client = new Client({ url: phoenix.endpoint, reconnectDelay: () => 5 })
    t.after(async () => { await client.close() })
    await client.connect()
    await client.join('room:l')
    client.pool.on('message', (_socket, _topic, event) => { if (event === 'boom') throw new Error('listener bug') })
    const dropped = nextEvent(client.events, 'message_dropped', () => true, 5000)
    let disconnected = 0
    client.events.on('disconnect', () => { disconnected++ })
    phoenix.broadcast('room:l', 'boom', {})
    assert.deepEqual(await dropped, { socket: 0, topic: 'room:l', event: 'boom', reason: 'handler_error' })
    const next = client.nextMessage('room:l', { timeout: 5000 })
    phoenix.broadcast('room:l', 'fine', { n: 2 })
    assert.deepEqual((await next).payload, { n: 2 })
    assert.equal(disconnected, 0)
  })
})

test('the fake server: a listener that throws on a client frame is reported; the connection carries on', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(async () => { await phoenix.close() })
  phoenix.events.on('frame', (f) => { if (f.message.event === 'boom') throw new Error('test-kit user bug') })
  const reported = phoenix.waitFor('protocolError', () => true, 5000)
  const client = new Client({ url: phoenix.endpoint, reconnectDelay: () => 5 })
  t.after(async () => { await client.close() })
  await client.connect()
  await client.join('echo:f')
  const boom = client.request('echo:f', 'boom', {}, { timeout: 5000 })
  assert.equal((await reported).error.message, 'test-kit user bug')
  assert.equal((await boom).status, 'ok', 'the frame is still handled')
  assert.deepEqual(await client.push('echo:f', 'again', { n: 1 }), { n: 1 })
})
