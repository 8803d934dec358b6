/**
 * The part of the client a long-lived host (the broker) uses instead of
 * waiting on promises: a listener of every message with its payload (as the
 * text received, or the value on demand), start()
 * without waiting, joins and leaves with callbacks, and what it asks about a
 * topic (channelInfo, socketOf), the pool size and the URL to log.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Client, type ChannelInfo } from '../../src/client/client.ts'
import { ChannelLimitError } from '../../src/connection/pool.ts'
import { ClosedError, JoinRefusedError } from '../../src/phoenix/errors.ts'
import type { JoinOutcome } from '../../src/phoenix/session-types.ts'
import { nextEvent } from '../helpers/wait.ts'
import { DEADLINE_MS, fast, harness, record } from './helpers.ts'

/** The outcome `requestJoin` hands to its callback, as a promise with a deadline. */
async function joinOutcome (c: Client, topic: string, params: unknown = {}): Promise<JoinOutcome> {
  return new Promise<JoinOutcome>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no join outcome for ${topic} within ${DEADLINE_MS} ms`)) }, DEADLINE_MS)
    c.requestJoin(topic, params, (outcome) => {
      clearTimeout(timer)
      resolve(outcome)
    })
  })
}

describe('addMessageListener', () => {
  test('hears every channel message with its payload and its size, the same size the message event reports', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:a')
    await c.join('room:b')
    const heard: Array<[string, string, unknown, number]> = []
    c.addMessageListener((topic, event, received, bytes) => { heard.push([topic, event, received.payload, bytes]) })
    const sizes = record(c, 'message')
    const last = nextEvent(c.events, 'message', (e) => e.event === 'two')
    server.broadcast('room:a', 'one', { n: 1 })
    server.broadcast('room:b', 'two', { n: 2 })
    await last
    assert.deepEqual(heard.map(([topic, event, payload]) => [topic, event, payload]), [['room:a', 'one', { n: 1 }], ['room:b', 'two', { n: 2 }]])
    assert.deepEqual(heard.map(([, , , bytes]) => bytes), sizes.map((e) => e.bytes))
    assert.ok(heard.every(([, , , bytes]) => bytes > 0))
  })

  test('a text frame\'s payload is handed over as the exact text received, and its value parsed from it on demand; bytes have no text', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ keepPayloadText: true })
    await c.join('room:t')
    const heard: Array<{ text: string | undefined, payload: unknown }> = []
    c.addMessageListener((_topic, _event, received) => { heard.push({ text: received.payloadText, payload: received.payload }) })
    const odd = '{ "n" :\t1 , "s": "a\\u0041]\\"" ,"deep":[[{}]] }'
    server.faults.sendRaw(`[null, null, "room:t", "raw", ${odd} ]`)
    server.broadcast('room:t', 'bin', Buffer.from([1, 2, 3]))
    await c.nextMessage('room:t', { event: 'bin', timeout: DEADLINE_MS })
    assert.deepEqual(heard.map((h) => h.text), [odd, undefined], 'the text as received, whitespace and escapes included; none for bytes')
    assert.deepEqual(heard.map((h) => h.payload instanceof Uint8Array ? [...h.payload] : h.payload), [{ n: 1, s: 'aA]"', deep: [[{}]] }, [1, 2, 3]])
  })

  test('a payload text is marked ASCII only when its frame holds nothing but ASCII', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected({ keepPayloadText: true })
    await c.join('room:t')
    const heard: Array<{ text: string | undefined, ascii: boolean | undefined }> = []
    c.addMessageListener((_topic, _event, received) => { heard.push({ text: received.payloadText, ascii: received.payloadTextAscii }) })
    const payloads = ['{"s":"plain \\u00e9"}', '{"s":"é"}', '{"s":"𝄞"}', '{"s":"plain"}']
    server.faults.sendRaw(`[null,null,"room:t","a",${payloads[0]}]`)
    server.faults.sendRaw(`[null,null,"room:t","b",${payloads[1]}]`)
    server.faults.sendRaw(`[null,null,"room:t","c",${payloads[2]}]`)
    // Only the event name holds a non-ASCII character: the frame is not ASCII, and its payload is not said to be.
    server.faults.sendRaw(`[null,null,"room:t","dé",${payloads[3]}]`)
    server.broadcast('room:t', 'bin', Buffer.from([1, 2, 3]))
    await c.nextMessage('room:t', { event: 'bin', timeout: DEADLINE_MS })
    assert.deepEqual(heard, [
      { text: payloads[0], ascii: true },
      { text: payloads[1], ascii: false },
      { text: payloads[2], ascii: false },
      { text: payloads[3], ascii: false },
      { text: undefined, ascii: undefined },
    ])
  })

  test('the returned function removes the listener; one removed while a message is handed out does not make another miss it', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:x')
    const first: string[] = []
    const second: string[] = []
    const removeFirst = c.addMessageListener((_topic, event) => {
      first.push(event)
      removeFirst()
    })
    c.addMessageListener((_topic, event) => { second.push(event) })
    const removed = c.addMessageListener(() => { assert.fail('a removed listener was called') })
    removed()
    server.broadcast('room:x', 'a', {})
    server.broadcast('room:x', 'b', {})
    await c.nextMessage('room:x', { event: 'b', timeout: DEADLINE_MS })
    assert.deepEqual(first, ['a'])
    assert.deepEqual(second, ['a', 'b'])
  })

  test('a listener that throws loses that message only: message_dropped, and the socket goes on', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:bad')
    c.addMessageListener((_topic, event) => { if (event === 'boom') throw new Error('listener bug') })
    const dropped = nextEvent(c.events, 'message_dropped')
    server.broadcast('room:bad', 'boom', {})
    assert.deepEqual(await dropped, { socket: 0, topic: 'room:bad', event: 'boom', reason: 'handler_error' })
    const next = c.nextMessage('room:bad', { timeout: DEADLINE_MS })
    server.broadcast('room:bad', 'fine', { ok: true })
    assert.deepEqual(await next, { event: 'fine', payload: { ok: true } })
  })
})

describe('start, requestJoin, requestLeave', () => {
  test('start() returns at once and the sockets connect; after close() it throws ClosedError', async (t) => {
    const { client } = await harness(t)
    const c = client({ size: 2 })
    const opened = record(c, 'connect_ok')
    const both = nextEvent(c.events, 'connect_ok', () => opened.length === 2)
    c.start()
    await both
    assert.deepEqual(opened.map((e) => e.socket).sort(), [0, 1])
    await c.close()
    assert.throws(() => { c.start() }, ClosedError)
  })

  test('requestJoin hands the join reply to its callback; channelInfo and socketOf then show the channel', async (t) => {
    const { client } = await harness(t)
    const c = client()
    c.start()
    assert.deepEqual(c.channelInfo('room:j'), { state: 'closed', joinRef: null, socket: null } satisfies ChannelInfo)
    const outcome = await joinOutcome(c, 'room:j')
    assert.equal(outcome.kind, 'joined')
    const info = c.channelInfo('room:j')
    assert.equal(info.state, 'joined')
    assert.equal(typeof info.joinRef, 'string')
    assert.equal(info.socket, 0)
    assert.equal(c.socketOf('room:j'), 0)
    assert.equal(c.socketOf('room:never'), undefined)
  })

  test('a refused join, a full pool and a closed client are failed outcomes with typed errors', async (t) => {
    const { connected } = await harness(t)
    const c = await connected({ maxChannelsPerSocket: 1, rejoinDelay: () => 10_000 })
    const refused = await joinOutcome(c, 'echo:no', { refuse: 'not allowed' })
    assert.ok(refused.kind === 'failed' && refused.error instanceof JoinRefusedError, JSON.stringify(refused))
    await c.leave('echo:no')
    assert.equal((await joinOutcome(c, 'room:one')).kind, 'joined')
    const full = await joinOutcome(c, 'room:two')
    assert.ok(full.kind === 'failed' && full.error instanceof ChannelLimitError)
    await c.close()
    const closed = await joinOutcome(c, 'room:three')
    assert.ok(closed.kind === 'failed' && closed.error instanceof ClosedError)
  })

  test('requestLeave returns at once with the leave under way; its callback hears the end', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('room:l')
    const left = nextEvent(c.events, 'leave', (e) => e.topic === 'room:l')
    await new Promise<void>((resolve) => { c.requestLeave('room:l', resolve) })
    assert.deepEqual(await left, { socket: 0, topic: 'room:l', reason: 'left' })
    assert.equal(c.channelInfo('room:l').state, 'closed')
  })
})

describe('what a host logs and counts', () => {
  test('safeUrl is scheme://host/path: no query, no user or password', (t) => {
    const c = new Client({ url: 'wss://user:secret@phoenix.example:4443/socket?token=TOPSECRET', ...fast })
    t.after(async () => { await c.close() })
    assert.equal(c.safeUrl, 'wss://phoenix.example:4443/socket')
  })

  test('socketCount is the pool size, open or not', (t) => {
    const c = new Client({ url: 'ws://127.0.0.1:1/socket', ...fast, size: 3 })
    t.after(async () => { await c.close() })
    assert.equal(c.socketCount, 3)
  })
})
