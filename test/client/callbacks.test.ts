/**
 * The callback interface: a subclass overriding every callback hears each
 * call with the right arguments; the base class defaults do nothing and do
 * not throw.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Client, type Reply } from '../../src/client/client.ts'
import { builtinChannels } from '../../src/testing/index.ts'
import { DEADLINE_MS, fast, harness } from './helpers.ts'
import { nextEvent } from '../helpers/wait.ts'

type Call =
  | ['connect', number]
  | ['disconnect', { socket: number, code: number, reason: string }]
  | ['join', string, unknown]
  | ['message', string, string, unknown]
  | ['reply', string, string, Reply]
  | ['topicClose', string, string]
  | ['leave', string]

class Recorder extends Client {
  readonly calls: Call[] = []
  override onConnect (socket: number): void { this.calls.push(['connect', socket]) }
  override onDisconnect (info: { socket: number, code: number, reason: string }): void { this.calls.push(['disconnect', info]) }
  override onJoin (topic: string, reply: unknown): void { this.calls.push(['join', topic, reply]) }
  override onMessage (topic: string, event: string, payload: unknown): void { this.calls.push(['message', topic, event, payload]) }
  override onReply (topic: string, event: string, reply: Reply): void { this.calls.push(['reply', topic, event, reply]) }
  override onTopicClose (topic: string, reason: 'server_closed' | 'refused'): void { this.calls.push(['topicClose', topic, reason]) }
  override onLeave (topic: string): void { this.calls.push(['leave', topic]) }
}

describe('callbacks', () => {
  test('a subclass hears every callback with the right arguments, in order', async (t) => {
    const { server, track } = await harness(t, {
      channels: { ...builtinChannels(), 'greet:*': { join: (topic) => ({ kind: 'reply', status: 'ok', response: { welcome: topic } }), handleIn: (_e, payload) => ({ kind: 'reply', status: 'error', response: payload }) } },
    })
    const c = track(new Recorder({ url: server.endpoint, ...fast }))
    await c.connect()
    assert.deepEqual(c.calls, [['connect', 0]])

    assert.deepEqual(await c.join('greet:ada'), { welcome: 'greet:ada' })
    assert.deepEqual(c.calls.at(-1), ['join', 'greet:ada', { welcome: 'greet:ada' }])

    await c.join('room:cb')
    const heard = c.nextMessage('room:cb', { timeout: DEADLINE_MS })
    server.broadcast('room:cb', 'news', { n: 1 })
    await heard
    assert.deepEqual(c.calls.at(-1), ['message', 'room:cb', 'news', { n: 1 }])

    assert.deepEqual(await c.request('greet:ada', 'ask', { why: 'no' }), { status: 'error', response: { why: 'no' } })
    assert.deepEqual(c.calls.at(-1), ['reply', 'greet:ada', 'ask', { status: 'error', response: { why: 'no' } }])

    await c.join('echo:stop')
    const ended = nextEvent(c.events, 'leave', (e) => e.topic === 'echo:stop' && e.reason === 'server_closed')
    await c.push('echo:stop', 'stop', {})
    await ended
    assert.deepEqual(c.calls.slice(-2), [['reply', 'echo:stop', 'stop', { status: 'ok', response: {} }], ['topicClose', 'echo:stop', 'server_closed']])

    await c.leave('room:cb')
    assert.deepEqual(c.calls.at(-1), ['leave', 'room:cb'])

    const reopened = nextEvent(c.events, 'connect_ok')
    server.faults.closeAll(1011, 'crashed')
    await reopened
    const tail = c.calls.slice(c.calls.findIndex((call) => call[0] === 'disconnect'))
    assert.deepEqual(tail, [['disconnect', { socket: 0, code: 1011, reason: 'crashed' }], ['connect', 0]])
  })

  test('onTopicClose hears refused once the refusals are used up; onLeave does not', async (t) => {
    const { server, track } = await harness(t)
    const c = track(new Recorder({ url: server.endpoint, ...fast, maxJoinRefusals: 1 }))
    await c.connect()
    await assert.rejects(c.join('echo:refused', { refuse: 'no' }))
    assert.deepEqual(c.calls.slice(1), [['topicClose', 'echo:refused', 'refused']])
  })

  test('each socket of a pool reports onConnect with its index', async (t) => {
    const { server, track } = await harness(t)
    const c = track(new Recorder({ url: server.endpoint, ...fast, size: 3 }))
    const all = Promise.all([0, 1, 2].map(async (socket) => nextEvent(c.events, 'connect_ok', (e) => e.socket === socket)))
    await c.connect()
    await all
    assert.deepEqual(c.calls.map((call) => call[1]).sort(), [0, 1, 2])
  })

  test('the base class defaults do nothing and do not throw', async (t) => {
    const { server, connected } = await harness(t)
    const base = new Client({ url: server.endpoint })
    base.onConnect(0)
    base.onDisconnect({ socket: 0, code: 1000, reason: '' })
    base.onJoin('t', {})
    base.onMessage('t', 'e', {})
    base.onReply('t', 'e', { status: 'ok', response: {} })
    base.onTopicClose('t', 'server_closed')
    base.onLeave('t')
    await base.close()

    // And a plain client goes through every callback path without a subclass.
    const c = await connected()
    await c.join('room:plain')
    const news = c.nextMessage('room:plain', { timeout: DEADLINE_MS })
    await c.push('room:plain', 'news', {})
    await news
    await c.join('echo:plain')
    const ended = nextEvent(c.events, 'leave', (e) => e.topic === 'echo:plain')
    await c.push('echo:plain', 'stop', {})
    await ended
    await c.leave('room:plain')
    const back = nextEvent(c.events, 'connect_ok')
    server.faults.closeAll(1001)
    await back
  })
})
