/**
 * A long event whose frame came as ASCII only is written as Latin-1 (the
 * same bytes, neither measured nor encoded again). That is right only if
 * every character of its SSE text is ASCII: a JSON escape in the frame can
 * make the topic or the event name non-ASCII while the frame's bytes are
 * ASCII. Crafted frames over a real gateway, read as bytes and decoded as
 * UTF-8 by the reader: a character written as Latin-1 by mistake would
 * arrive as U+FFFD and not match.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig } from '../helpers.ts'
import { joined, startGw } from '../http/support.ts'
import { SseStream } from './helpers.ts'

const CAFE = 'room:café'
/** Longer than what a stream joins with other writes (4 KiB): such a text goes by itself, as Latin-1 when it may. */
const PAD = 'x'.repeat(5000)

/** A V2 frame with its fields written as given (escapes kept), all ASCII when they are. */
const frame = (topicJson: string, eventJson: string, payloadText: string): string => `[null,null,${topicJson},${eventJson},${payloadText}]`

test('long events from ASCII frames reach per-topic and multi-topic readers exactly, whatever their escapes stand for', async (t) => {
  const gw = await startGw(t, [channelConfig('room:a'), channelConfig(CAFE)])
  await joined(gw, 'room:a')
  await joined(gw, CAFE)
  const [a, cafe, both] = await Promise.all([SseStream.open(gw.base, 'room:a'), SseStream.open(gw.base, CAFE), SseStream.openTopics(gw.base, ['room:*'])])
  t.after(() => { a.close(); cafe.close(); both.close() })
  await Promise.all([a.event('ready'), cafe.event('ready'), both.event('ready')])

  const sent = [
    { topic: 'room:a', event: 'msg', frame: frame('"room:a"', '"msg"', `{"p":"${PAD}"}`), payload: { p: PAD } },
    { topic: CAFE, event: 'msg', frame: frame('"room:caf\\u00e9"', '"msg"', `{"p":"${PAD}"}`), payload: { p: PAD } },
    { topic: 'room:a', event: 'café', frame: frame('"room:a"', '"caf\\u00e9"', `{"p":"${PAD}"}`), payload: { p: PAD } },
    { topic: 'room:a', event: 'msg', frame: frame('"room:a"', '"msg"', `{"p":"\\u00e9${PAD}"}`), payload: { p: `é${PAD}` } },
    { topic: CAFE, event: 'msg', frame: frame(JSON.stringify(CAFE), '"msg"', `{"p":"é✓${PAD}"}`), payload: { p: `é✓${PAD}` } },
  ]
  for (const s of sent) assert.equal(gw.phoenix.faults.sendRaw(s.frame), 1)

  const isMessage = (event: string): boolean => event === 'msg' || event === 'café'
  await a.until('room:a\'s three messages', (s) => s.events.filter((e) => isMessage(e.event)).length === 3)
  await cafe.until(`${CAFE}'s two messages`, (s) => s.events.filter((e) => isMessage(e.event)).length === 2)
  await both.until('all five messages', (s) => s.events.filter((e) => isMessage(e.event)).length === 5)

  const perTopic = (stream: SseStream): Array<{ event: string, payload: unknown }> =>
    stream.events.filter((e) => isMessage(e.event)).map((e) => ({ event: e.event, payload: JSON.parse(e.data) as unknown }))
  const expect = (topic: string): Array<{ event: string, payload: unknown }> =>
    sent.filter((s) => s.topic === topic).map((s) => ({ event: s.event, payload: s.payload }))
  assert.deepEqual(perTopic(a), expect('room:a'))
  assert.deepEqual(perTopic(cafe), expect(CAFE))
  assert.deepEqual(
    both.events.filter((e) => isMessage(e.event)).map((e) => ({ event: e.event, ...(JSON.parse(e.data) as { topic: string, payload: unknown }) })),
    sent.map((s) => ({ event: s.event, topic: s.topic, payload: s.payload }))
  )
  assert.ok(!`${a.text}${cafe.text}${both.text}`.includes('\ufffd'), 'no character was mangled')
})
