/**
 * Reload of a channel's webhook: changed in place (the same sink, its held
 * messages kept, the next deliveries to the new URL with the new
 * headers), added to a channel that had none, and removed (the sink stops
 * taking messages and drains).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { joined } from '../sse/helpers.ts'
import { Receiver } from '../webhook/receiver.ts'
import { startReloadable, upstream } from './support.ts'

test('a changed webhook URL and headers apply in place: the same sink sends the next messages to the new receiver', async (t) => {
  const a = await Receiver.start()
  const b = await Receiver.start()
  t.after(async () => { await a.close(); await b.close() })
  const file = (url: string, token: string): object => ({
    upstreams: [upstream(r.phoenix.endpoint)],
    channels: [{ topic: 'room:w', webhook: { url, timeoutMs: 1000, headers: { authorization: token } } }],
  })
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:w', webhook: { url: a.url(), timeoutMs: 1000, headers: { authorization: 'one' } } }] }))
  await joined(r.daemon, 'room:w')
  r.phoenix.broadcast('room:w', 'msg', { n: 1 })
  const first = await a.waitFor('the first message', (x) => x.topic === 'room:w')
  assert.equal(first.headers['authorization'], 'one')
  const sink = r.daemon.webhooks.sinks.get('room:w')

  await r.write(file(b.url('/other'), 'two'))
  const diff = await r.daemon.reload()
  assert.deepEqual(diff.channels.changed.map((c) => c.fields), [['webhook']])
  assert.equal(r.daemon.webhooks.sinks.get('room:w'), sink, 'changed in place')
  r.phoenix.broadcast('room:w', 'msg', { n: 2 })
  const second = await b.waitFor('the second message', (x) => x.topic === 'room:w')
  assert.equal(second.path, '/other')
  assert.equal(second.headers['authorization'], 'two')
  assert.match(second.body, /"n":2/)
  assert.equal(a.received.length, 1)
})

test('a webhook added to a channel starts delivering; a removed one stops', async (t) => {
  const a = await Receiver.start()
  t.after(async () => { await a.close() })
  const r = await startReloadable(t, (p) => ({ upstreams: [upstream(p.endpoint)], channels: [{ topic: 'room:w' }] }))
  await joined(r.daemon, 'room:w')
  assert.equal(r.daemon.webhooks.sinks.size, 0)

  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:w', webhook: { url: a.url(), timeoutMs: 1000 } }] })
  await r.daemon.reload()
  r.phoenix.broadcast('room:w', 'msg', { n: 1 })
  await a.waitFor('a message', (x) => x.topic === 'room:w')

  await r.write({ upstreams: [upstream(r.phoenix.endpoint)], channels: [{ topic: 'room:w' }] })
  await r.daemon.reload()
  assert.equal(r.daemon.webhooks.sinks.size, 0)
  assert.equal(r.daemon.broker.hub.get('main', 'room:w')?.sinks.size, 0, 'the channel feeds no sink')
  assert.deepEqual(r.daemon.webhooks.stats(), [])
})
