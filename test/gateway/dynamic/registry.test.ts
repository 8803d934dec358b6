/**
 * The dynamic topics' bookkeeping on its own, with node:test's mock timers
 * standing in for the clock: pinned topics never linger out, on-demand
 * topics are idle only once their last user is gone and the linger has
 * passed, a new user in between keeps them, maxTopics bounds each entry,
 * and close() stops every timer.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Hub } from '../../../src/gateway/hub/hub.ts'
import { dynamicChannel, DynamicTopics } from '../../../src/gateway/dynamic/registry.ts'
import type { Subscription } from '../../../src/gateway/hub/subscription.ts'
import { isBackchannelError } from '../../../src/errors.ts'
import { dynamicEntry } from './support.ts'

const rooms = dynamicEntry('room:*', { name: 'rooms', lingerMs: 1000, maxTopics: 2 })

function setup (t: TestContext): { topics: DynamicTopics, idle: Subscription[], sub: (topic: string) => Subscription } {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const hub = new Hub([], { epoch: 'e', now: () => 0 })
  const idle: Subscription[] = []
  const topics = new DynamicTopics([rooms], (s) => { idle.push(s) })
  return { topics, idle, sub: (topic) => hub.create(dynamicChannel(rooms, topic)) }
}

describe('DynamicTopics', () => {
  test('an on-demand topic is idle once its last user is gone and the linger has passed', (t) => {
    const { topics, idle, sub } = setup(t)
    const a = sub('room:a')
    topics.add(a, rooms, false, 'sse')
    const first = topics.use(a)
    const second = topics.use(a)
    first()
    first()
    t.mock.timers.tick(5000)
    assert.deepEqual(idle, [], 'a user remains (and a release counts once)')
    second()
    t.mock.timers.tick(999)
    assert.deepEqual(idle, [])
    t.mock.timers.tick(1)
    assert.deepEqual(idle, [a])
  })

  test('a new user within the linger keeps the topic; the linger starts again when it leaves', (t) => {
    const { topics, idle, sub } = setup(t)
    const a = sub('room:a')
    topics.add(a, rooms, false, 'push')
    topics.use(a)()
    t.mock.timers.tick(900)
    const reader = topics.use(a)
    t.mock.timers.tick(5000)
    assert.deepEqual(idle, [])
    reader()
    t.mock.timers.tick(999)
    assert.deepEqual(idle, [])
    t.mock.timers.tick(1)
    assert.deepEqual(idle, [a])
  })

  test('a topic added without a user lingers at once; pinning stops that', (t) => {
    const { topics, idle, sub } = setup(t)
    const a = sub('room:a')
    const b = sub('room:b')
    topics.add(a, rooms, false, 'sse')
    topics.add(b, rooms, false, 'sse')
    topics.pin(b)
    t.mock.timers.tick(1000)
    assert.deepEqual(idle, [a])
    topics.use(b)()
    t.mock.timers.tick(60_000)
    assert.deepEqual(idle, [a], 'a pinned topic never lingers out')
    assert.deepEqual([topics.origin(a), topics.origin(b)], ['dynamic-on-demand', 'dynamic-pinned'])
  })

  test('maxTopics: one more is BC_ERR_TOPIC_LIMIT (503) until a topic is forgotten', (t) => {
    const { topics, sub } = setup(t)
    const a = sub('room:a')
    topics.add(a, rooms, true, 'put')
    topics.checkRoom(rooms)
    topics.add(sub('room:b'), rooms, true, 'put')
    assert.throws(() => { topics.checkRoom(rooms) }, (err) => isBackchannelError(err) && err.code === 'BC_ERR_TOPIC_LIMIT' && err.statusCode === 503)
    assert.equal(topics.count('rooms'), 2)
    assert.equal(topics.forget(a, 'deleted'), true)
    assert.equal(topics.forget(a, 'deleted'), false, 'once')
    topics.checkRoom(rooms)
    assert.equal(topics.count('rooms'), 1)
  })

  test('close() stops every linger timer', (t) => {
    const { topics, idle, sub } = setup(t)
    topics.add(sub('room:a'), rooms, false, 'sse')
    topics.close()
    t.mock.timers.tick(60_000)
    assert.deepEqual(idle, [])
  })

  test('a forgotten topic\'s timer never reports it', (t) => {
    const { topics, idle, sub } = setup(t)
    const a = sub('room:a')
    topics.add(a, rooms, false, 'sse')
    const release = topics.use(a)
    topics.forget(a, 'deleted')
    release()
    t.mock.timers.tick(60_000)
    assert.deepEqual(idle, [])
  })

  test('update(): topics whose entry is gone or no longer allows them are returned to leave; the rest take the new settings', (t) => {
    const { topics, sub } = setup(t)
    const a = sub('room:a')
    topics.add(a, rooms, true, 'put')
    const chats = dynamicEntry('chat:*')
    const c = sub('chat:1')
    topics.add(c, chats, true, 'put')
    const longer = { ...rooms, lingerMs: 5000 }
    const { gone, kept } = topics.update([longer])
    assert.deepEqual(gone, [c])
    assert.deepEqual(kept, [{ sub: a, entry: longer }])
    assert.equal(topics.entryOf(a), longer)
    assert.deepEqual(topics.update([{ ...rooms, pattern: 'room:vip' }]).gone, [a, c], 'the pattern no longer allows room:a')
  })
})
