/**
 * What a webhook request carries, seen by a real receiver: a CloudEvents
 * 1.0 envelope (or the raw payload), the idempotency key, topic, event,
 * sequence id, attempt and traceparent headers, the configured headers; and
 * the pure helpers behind them.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { headerText, laneOf, pointer } from '../../../src/gateway/webhook/message.ts'
import { EPOCH, hooked, startSinks } from './harness.ts'
import { Receiver } from './receiver.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/

test('a message is POSTed as a CloudEvents 1.0 structured envelope with the payload in data', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const clock = Date.parse('2025-03-04T05:06:07.089Z')
  const sinks = await startSinks([hooked('room:lobby', receiver.url('/hooks/room?x=1'))], { now: () => clock })
  t.after(() => sinks.close())

  const id = sinks.publish('room:lobby', 'new_msg', { body: 'hi', n: [1, 2] })
  const r = await receiver.waitFor('the request', () => true)
  assert.equal(r.path, '/hooks/room?x=1', 'path and query as configured')
  assert.equal(r.headers['content-type'], 'application/cloudevents+json')
  const body = JSON.parse(r.body) as Record<string, unknown>
  assert.deepEqual(body, {
    specversion: '1.0',
    id: r.key,
    source: 'backchannel/main/room:lobby',
    type: 'new_msg',
    time: '2025-03-04T05:06:07.089Z',
    datacontenttype: 'application/json',
    topic: 'room:lobby',
    pubsubname: 'main',
    traceparent: r.headers['traceparent'],
    backchannelid: id,
    data: { body: 'hi', n: [1, 2] },
  })
  assert.equal(id, `${EPOCH}-1`)
})

test('headers: idempotency key, topic, event, sequence id, attempt, traceparent, and the configured ones', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:a', receiver.url(), { headers: { authorization: 'Bearer s3cret', 'x-app': 'one' } })])
  t.after(() => sinks.close())

  sinks.publish('room:a', 'first', {})
  const id = sinks.publish('room:a', 'second', {})
  const r = await receiver.waitFor('the second message', (x) => x.id === id)
  assert.match(r.key, UUID)
  assert.match(String(r.headers['traceparent']), TRACEPARENT)
  assert.equal(r.headers['x-backchannel-topic'], 'room:a')
  assert.equal(r.headers['x-backchannel-event'], 'second')
  assert.equal(r.headers['x-backchannel-id'], `${EPOCH}-2`)
  assert.equal(r.attempt, 1)
  assert.equal(r.headers['authorization'], 'Bearer s3cret')
  assert.equal(r.headers['x-app'], 'one')
  const first = await receiver.waitFor('the first message', (x) => x.id === `${EPOCH}-1`)
  assert.notEqual(first.key, r.key, 'each message has its own key')
  assert.notEqual(first.headers['traceparent'], r.headers['traceparent'], 'and its own trace')
})

test('format raw sends the payload alone as application/json; binary payloads travel as {"base64"}', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('room:raw', receiver.url(), { format: 'raw' })])
  t.after(() => sinks.close())

  sinks.publish('room:raw', 'ev', { a: 1 })
  sinks.publish('room:raw', 'bin', new Uint8Array([1, 2, 255]))
  const [json, bin] = await receiver.until('two requests', () => receiver.received.length >= 2 ? receiver.received : undefined)
  assert.equal(json?.headers['content-type'], 'application/json')
  assert.deepEqual(JSON.parse(json.body), { a: 1 })
  assert.deepEqual(JSON.parse(bin?.body ?? ''), { base64: Buffer.from([1, 2, 255]).toString('base64') })
  assert.equal(bin?.headers['x-backchannel-event'], 'bin')
})

test('topic and event names that are not printable ASCII are percent-encoded in headers', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const sinks = await startSinks([hooked('salle:été', receiver.url())])
  t.after(() => sinks.close())

  sinks.publish('salle:été', 'né %', {})
  const r = await receiver.waitFor('the request', () => true)
  assert.equal(r.headers['x-backchannel-topic'], 'salle:%C3%A9t%C3%A9')
  assert.equal(decodeURIComponent(String(r.headers['x-backchannel-event'])), 'né %')
  assert.equal((JSON.parse(r.body) as { topic: string }).topic, 'salle:été', 'the body keeps the names as they are')
  assert.equal(headerText('room:lobby 1'), 'room:lobby 1')
  assert.equal(headerText('50%'), '50%25')
})

test('the order key is a JSON Pointer into the payload; strings and other values make distinct lanes', () => {
  const payload = { user: { id: 'u1', 'a/b': 2, 't~': 3 }, list: [10, 20] }
  assert.equal(pointer(payload, '/user/id'), 'u1')
  assert.equal(pointer(payload, '/user/a~1b'), 2)
  assert.equal(pointer(payload, '/user/t~0'), 3)
  assert.equal(pointer(payload, '/list/1'), 20)
  assert.equal(pointer(payload, '/list/01'), undefined)
  assert.equal(pointer(payload, '/missing/x'), undefined)
  assert.equal(pointer(payload, '/user/toString'), undefined, 'own properties only')
  assert.equal(laneOf(null, '{"user":"x"}'), '')
  assert.equal(laneOf('/user', '{"user":"x"}'), 's:x')
  assert.notEqual(laneOf('/user', '{"user":5}'), laneOf('/user', '{"user":"5"}'))
  assert.equal(laneOf('/user', '{"other":1}'), '', 'without the key: the topic\'s own lane')
  assert.equal(laneOf('/user', 'not json'), '')
})
