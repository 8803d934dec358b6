/**
 * Reading channel messages with promises: nextMessage (event filter,
 * deadline), the messages() iterator (order, bounded queue), what close()
 * does to both, and cancelling with an AbortSignal.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Client, type Reply } from '../../src/client/client.ts'
import { MessageOverflowError } from '../../src/client/message-waiters.ts'
import { AbortedError, ClosedError, TimeoutError } from '../../src/phoenix/errors.ts'
import { DEADLINE_MS, fast, harness, isError, record } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

describe('nextMessage', () => {
  test('with an event filter it skips other events and resolves with the first match', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:next')
    const wanted = c.nextMessage('room:next', { event: 'b', timeout: DEADLINE_MS })
    const any = c.nextMessage('room:next', { timeout: DEADLINE_MS })
    server.broadcast('room:next', 'a', { n: 1 })
    server.broadcast('room:next', 'b', { n: 2 })
    assert.deepEqual(await any, { event: 'a', payload: { n: 1 } })
    assert.deepEqual(await wanted, { event: 'b', payload: { n: 2 } })
  })

  test('only messages of its topic count', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:mine')
    await c.join('room:theirs')
    const mine = c.nextMessage('room:mine', { timeout: DEADLINE_MS })
    server.broadcast('room:theirs', 'x', { n: 1 })
    server.broadcast('room:mine', 'y', { n: 2 })
    assert.deepEqual(await mine, { event: 'y', payload: { n: 2 } })
  })

  test('nothing within the timeout: TimeoutError kind message', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:silent')
    const started = performance.now()
    const wait = c.nextMessage('room:silent', { event: 'never', timeout: 40 })
    server.broadcast('room:silent', 'other', {})
    await assert.rejects(wait, isError(TimeoutError, (err) => err.kind === 'message'))
    assert.ok(performance.now() - started >= 35)
  })

  test('an AbortSignal cancels the wait with AbortedError', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    const controller = new AbortController()
    const wait = c.nextMessage('room:abort', { signal: controller.signal })
    controller.abort(new Error('not needed'))
    await assert.rejects(wait, isError(AbortedError, (err) => err.code === 'BC_ERR_ABORTED'))
  })
})

describe('messages()', () => {
  test('the iterator yields every message in order', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:iter')
    const it = c.messages('room:iter')
    for (let n = 0; n < 20; n++) server.broadcast('room:iter', n % 2 === 0 ? 'even' : 'odd', { n })
    const got: number[] = []
    for await (const m of it) {
      got.push((m.payload as { n: number }).n)
      if (got.length === 20) break
    }
    assert.deepEqual(got, Array.from({ length: 20 }, (_, n) => n))
  })

  test('an event filter keeps only that event', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:filter')
    const it = c.messages('room:filter', { event: 'keep' })
    server.broadcast('room:filter', 'drop', { n: 0 })
    server.broadcast('room:filter', 'keep', { n: 1 })
    server.broadcast('room:filter', 'keep', { n: 2 })
    assert.deepEqual((await it.next()).value, { event: 'keep', payload: { n: 1 } })
    assert.deepEqual((await it.next()).value, { event: 'keep', payload: { n: 2 } })
    await it.return?.()
  })

  test('a reader more than queueSize behind gets the queued messages, then MessageOverflowError', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    await c.join('room:flood')
    const it = c.messages('room:flood', { queueSize: 3 })
    const last = c.nextMessage('room:flood', { event: 'm4', timeout: DEADLINE_MS })
    for (let n = 0; n < 5; n++) server.broadcast('room:flood', `m${n}`, { n })
    await last
    const read: unknown[] = []
    for (let i = 0; i < 3; i++) read.push((await it.next()).value)
    assert.deepEqual(read, [0, 1, 2].map((n) => ({ event: `m${n}`, payload: { n } })))
    await assert.rejects(it.next(), isError(MessageOverflowError, (err) => err.code === 'BC_ERR_MESSAGE_OVERFLOW'))
  })

  test('close() ends the iterators and rejects pending nextMessage calls with ClosedError', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('room:end')
    const it = c.messages('room:end')
    const pending = it.next()
    const waiting = c.nextMessage('room:end')
    const rejected = assert.rejects(waiting, isError(ClosedError))
    await c.close()
    assert.deepEqual(await pending, { done: true, value: undefined })
    await rejected
    assert.throws(() => c.messages('room:end'), isError(ClosedError))
    await assert.rejects(c.nextMessage('room:end'), isError(ClosedError))
  })
})

describe('AbortSignal on a push', () => {
  test('aborting a sent push rejects it with AbortedError; its later reply is ignored', async (t) => {
    class Replies extends Client {
      readonly replies: Array<[string, Reply]> = []
      override onReply (_topic: string, event: string, reply: Reply): void { this.replies.push([event, reply]) }
    }
    const { server, track } = await harness(t)
    const c = track(new Replies({ url: server.endpoint, ...fast }))
    await c.connect()
    await c.join('echo:abort')
    server.faults.delayReplies(60)
    const outcomes = record(c, 'reply')
    const controller = new AbortController()
    const sent = nextEvent(c.events, 'push_sent', (e) => e.event === 'first')
    const first = c.push('echo:abort', 'first', { n: 1 }, { signal: controller.signal })
    await sent
    controller.abort()
    await assert.rejects(first, isError(AbortedError))
    // Same delay, sent later: when its reply is here, the first reply came and was dropped.
    assert.deepEqual(await c.push('echo:abort', 'second', { n: 2 }), { n: 2 })
    assert.deepEqual(outcomes.map((o) => [o.event, o.outcome]), [['first', 'BC_ERR_ABORTED'], ['second', 'ok']])
    assert.deepEqual(c.replies, [['second', { status: 'ok', response: { n: 2 } }]])
  })

  test('aborting a buffered push removes it: it is never sent', async (t) => {
    const { server, connected } = await harness(t)
    const c = await connected()
    server.faults.delayReplies(40)
    const sent = record(c, 'push_sent')
    const joined = c.join('echo:buffered-abort')
    const controller = new AbortController()
    const dropped = c.push('echo:buffered-abort', 'dropped', {}, { signal: controller.signal })
    const kept = c.push('echo:buffered-abort', 'kept', { k: 1 })
    controller.abort()
    await assert.rejects(dropped, isError(AbortedError))
    await joined
    assert.deepEqual(await kept, { k: 1 })
    assert.deepEqual(sent.map((s) => s.event), ['kept'])
    assert.equal(c.stats().bufferedPushes, 0)
  })

  test('an already aborted signal fails the push at once, nothing is sent', async (t) => {
    const { connected } = await harness(t)
    const c = await connected()
    await c.join('echo:pre-aborted')
    const sent = record(c, 'push_sent')
    await assert.rejects(c.push('echo:pre-aborted', 'x', {}, { signal: AbortSignal.abort() }), isError(AbortedError))
    assert.deepEqual(await c.push('echo:pre-aborted', 'y', {}), {})
    assert.deepEqual(sent.map((s) => s.event), ['y'])
  })
})
