/**
 * A short event's SSE text is kept beside it in the topic only while the
 * topic has more than one SSE reader: the others then write the same
 * string, and a topic read by one stream (a sidecar's app) holds each
 * message once. Either way every reader gets the same text, and one that
 * resumes later gets the held events formatted again, byte for byte as the
 * live readers got them.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig } from '../helpers.ts'
import { joined, startGw } from '../http/support.ts'
import { SseStream, subscription } from './helpers.ts'

test('a topic read by one stream keeps no SSE text beside its events; read by two, it keeps the text both wrote', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a')])
  await joined(gw, 'room:a')
  const sub = subscription(gw.daemon, 'room:a')
  const messages = (stream: SseStream): string => stream.text.slice(stream.text.indexOf('event: msg'))

  const alone = await SseStream.open(gw.base, 'room:a')
  t.after(() => { alone.close() })
  await alone.event('ready')
  for (let i = 1; i <= 3; i++) assert.equal(gw.phoenix.faults.sendRaw(`[null,null,"room:a","msg",{"i":${i}}]`), 1)
  await alone.until('three messages', (s) => s.events.filter((e) => e.event === 'msg').length === 3)
  const held = (): Array<string | undefined> => sub.ring.since(0).filter((e) => e.event === 'msg').map((e) => e.sseText)
  assert.deepEqual(held(), [undefined, undefined, undefined], 'one reader: nothing kept beside the events')

  const second = await SseStream.open(gw.base, 'room:a')
  t.after(() => { second.close() })
  await second.event('ready')
  for (let i = 4; i <= 6; i++) assert.equal(gw.phoenix.faults.sendRaw(`[null,null,"room:a","msg",{"i":${i}}]`), 1)
  await alone.until('six messages', (s) => s.events.filter((e) => e.event === 'msg').length === 6)
  await second.until('three messages', (s) => s.events.filter((e) => e.event === 'msg').length === 3)
  const kept = held().slice(3)
  assert.equal(kept.length, 3)
  for (const text of kept) assert.ok(text !== undefined && second.text.includes(text) && alone.text.includes(text), 'two readers: the text both wrote is kept')

  // A reader resuming from the start gets every held event again, as the first reader got them.
  const resumed = await SseStream.open(gw.base, 'room:a', { lastEventId: `${gw.daemon.broker.hub.epoch}-0` })
  t.after(() => { resumed.close() })
  await resumed.until('six messages', (s) => s.events.filter((e) => e.event === 'msg').length === 6)
  assert.equal(messages(resumed), messages(alone))
})
