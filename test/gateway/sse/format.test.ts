/**
 * The SSE wire format, pure: what formatEvent and formatComment write, and
 * that a spec-following parser reads it back as it was meant.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatComment, formatEvent } from '../../../src/gateway/http/sse/format.ts'
import { SseParser } from './helpers.ts'

test('an event is written as id, event and data lines ended by a blank line', () => {
  assert.equal(formatEvent({ id: 'e1-7', event: 'new_msg', data: '{"a":1}' }), 'id: e1-7\nevent: new_msg\ndata: {"a":1}\n\n')
})

test('fields left out are not written; data alone is one data line', () => {
  assert.equal(formatEvent({ data: 'x' }), 'data: x\n\n')
  assert.equal(formatEvent({ data: '' }), 'data: \n\n')
})

test('data with line breaks of any kind becomes several data lines, and reads back with LF', () => {
  const wire = formatEvent({ event: 'm', data: 'one\ntwo\r\nthree\rfour' })
  assert.equal(wire, 'event: m\ndata: one\ndata: two\ndata: three\ndata: four\n\n')
  const parser = new SseParser()
  parser.feed(wire)
  assert.deepEqual(parser.events.map((e) => e.data), ['one\ntwo\nthree\nfour'])
})

test('a data line that starts with a space or a colon survives the round trip', () => {
  const parser = new SseParser()
  parser.feed(formatEvent({ data: ' leading\n: not a comment' }))
  assert.deepEqual(parser.events.map((e) => e.data), [' leading\n: not a comment'])
  assert.deepEqual(parser.comments, [])
})

test('CR or LF in an id or an event name is refused, as it would break the framing', () => {
  for (const bad of ['a\nb', 'a\rb', 'a\r\nb', '\n']) {
    assert.throws(() => formatEvent({ id: bad, data: 'x' }), { name: 'TypeError', message: /id must not contain line breaks/ })
    assert.throws(() => formatEvent({ event: bad, data: 'x' }), { name: 'TypeError', message: /event must not contain line breaks/ })
  }
})

test('retry is written as whole milliseconds, never negative', () => {
  assert.equal(formatEvent({ event: 'ready', data: '{}', retryMs: 2000 }), 'event: ready\nretry: 2000\ndata: {}\n\n')
  assert.equal(formatEvent({ data: 'x', retryMs: 12.9 }), 'retry: 12\ndata: x\n\n')
  assert.equal(formatEvent({ data: 'x', retryMs: -5 }), 'retry: 0\ndata: x\n\n')
  const parser = new SseParser()
  parser.feed(formatEvent({ data: 'x', retryMs: 1500 }))
  assert.equal(parser.events[0]?.retry, 1500)
})

test('a comment is one line starting with a colon, its line breaks flattened, and no event', () => {
  assert.equal(formatComment('keep-alive'), ': keep-alive\n\n')
  assert.equal(formatComment('a\r\nb\nc'), ': a b c\n\n')
  const parser = new SseParser()
  parser.feed(formatComment('a\nb') + formatEvent({ data: 'after' }))
  assert.deepEqual(parser.comments, ['a b'])
  assert.deepEqual(parser.events.map((e) => e.data), ['after'])
})

test('ids written by formatEvent become the reader\'s last event id; an event without id keeps it', () => {
  const parser = new SseParser()
  parser.feed(formatEvent({ id: 'ep-1', event: 'a', data: '1' }) + formatEvent({ event: 'b', data: '2' }))
  assert.deepEqual(parser.events.map((e) => [e.event, e.id, e.lastEventId]), [['a', 'ep-1', 'ep-1'], ['b', undefined, 'ep-1']])
})
