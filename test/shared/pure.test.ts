/**
 * The pure parts of shared history: key names, ids and the gap rule, the
 * reconnect back-off, and the pending window's bounds and identities.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { batchArguments, batchLength, fieldsBytes, parseBatchReply, withFlush } from '../../src/gateway/shared/batch.ts'
import { formatSharedEventId, parseSharedEventId, topicKeys } from '../../src/gateway/shared/keys.ts'
import { contentHash, PendingWindow } from '../../src/gateway/shared/pending.ts'
import { trimmedAfter } from '../../src/gateway/shared/reader.ts'
import { reconnectDelay } from '../../src/gateway/shared/redis-link.ts'

test('every key of a topic shares its hash tag; shared ids round-trip and never parse as local ones', () => {
  assert.deepEqual(topicKeys('bc:', 'room:1'), { stream: 'bc:{room:1}:stream', lease: 'bc:{room:1}:lease', epoch: 'bc:{room:1}:epoch', seen: 'bc:{room:1}:seen:' })
  const id = formatSharedEventId('k3x9a', '1796653137290-6')
  assert.deepEqual(parseSharedEventId(id), { epoch: 'k3x9a', entryId: '1796653137290-6' })
  assert.equal(parseSharedEventId('lmq4x2b3-7'), null, 'a local per-topic id')
  assert.equal(parseSharedEventId('lmq4x2b3.7'), null, 'a local multi-topic id')
  assert.equal(parseSharedEventId('k3x9a:1-2-3'), null)
})

test('a reader has a gap when the entry after its id was trimmed or deleted', () => {
  assert.equal(trimmedAfter('5-0', '6-0', '0-0'), true, 'its own entry is gone: what followed may be too')
  assert.equal(trimmedAfter('6-0', '6-0', '0-0'), false)
  assert.equal(trimmedAfter('7-0', '6-0', '8-0'), true, 'an entry after it was deleted')
  assert.equal(trimmedAfter('7-0', '', '0-0'), false, 'an empty stream')
})

test('reconnect back-off doubles from the minimum to the cap, jittered between half and all of it', () => {
  assert.equal(reconnectDelay(0, 100, 5000, () => 0), 50)
  assert.equal(reconnectDelay(0, 100, 5000, () => 1), 100)
  assert.equal(reconnectDelay(3, 100, 5000, () => 1), 800)
  assert.equal(reconnectDelay(60, 100, 5000, () => 1), 5000)
})

test('the pending window: identities count repeats of the same content, age and count bound it, a full window counts what it drops', () => {
  const window = new PendingWindow(1000, 3, 5000)
  const h = contentHash('e', '{}')
  assert.notEqual(contentHash('e', '{}'), contentHash('e', new TextEncoder().encode('{}')), 'text and bytes differ')
  const a = window.add(h, ['e', 'e'], 0)
  const b = window.add(h, ['e', 'e'], 10)
  assert.deepEqual([a.identity, b.identity], [`${h}.0`, `${h}.1`], 'a repeat on purpose is another message')
  a.appended = true
  assert.deepEqual(window.unappended(20), [b])
  assert.equal(window.unappended(1011).length, 0, 'older than the window: gone')
  assert.equal(window.add(h, [], 2000).identity, `${h}.2`, 'the count goes on while the content was seen within occurrenceTtlMs')
  assert.equal(window.add(h, [], 9000).identity, `${h}.0`, 'and starts again once it was not')
  window.add(contentHash('x', '1'), [], 9001)
  window.add(contentHash('x', '2'), [], 9002)
  window.add(contentHash('x', '3'), [], 9003)
  assert.equal(window.size, 3)
  assert.equal(window.takeDropped(), 1, 'one unappended message pushed out by a full window')
  assert.equal(window.takeDropped(), 0)
})

test('choosing a batch: the oldest queued messages, at most maxCount and maxBytes, at least one; a takeover\'s flush goes first', () => {
  const limits = { maxCount: 3, maxBytes: 100 }
  assert.equal(batchLength([], limits), 0)
  assert.equal(batchLength([10, 10, 10, 10], limits), 3, 'the count bound')
  assert.equal(batchLength([60, 30, 20], limits), 2, 'the byte bound')
  assert.equal(batchLength([500, 10], limits), 1, 'a message larger than the bound goes alone')
  assert.equal(fieldsBytes(['e', 'é']), 3, 'bytes, not characters')

  const a = { message: 'a' }
  const c = { message: 'c' }
  const merged = withFlush([c, a], ['a', 'b', 'c'], (message) => ({ message }))
  assert.deepEqual(merged.map((i) => i.message), ['a', 'b', 'c'], 'the window\'s order')
  assert.equal(merged[0], a, 'a queued entry is kept (its offer waits on it)')
  assert.deepEqual(withFlush([{ message: 'z' }], ['a'], (message) => ({ message })).map((i) => i.message), ['a', 'z'], 'queued and out of the window: after')

  assert.deepEqual(parseBatchReply(['lost'], 2), { kind: 'lost' })
  assert.deepEqual(parseBatchReply(['ok', 'e1', ['appended', '1-0', 'duplicate', '0-5']], 2),
    { kind: 'ok', epoch: 'e1', results: [{ duplicate: false, id: '1-0' }, { duplicate: true, id: '0-5' }] })
  assert.equal(parseBatchReply(['ok', 'e1', ['appended', '1-0']], 2), null, 'one result per message, or the reply is refused')
  assert.equal(parseBatchReply('OK', 1), null)
  assert.deepEqual(batchArguments([['e', 'x', 'p', '{}'], ['e', 'y']]), ['4', 'e', 'x', 'p', '{}', '2', 'e', 'y'])
})
