/**
 * The `dynamic` section of the config file: defaults, the checks after the
 * schema (usable patterns, an existing upstream, names unique among
 * channels and entries), unknown keys refused, and the summary of
 * check-config.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { explainConfig, validateFileConfig, type FileConfig } from '../../../src/gateway/config/index.ts'
import { minimal, problemsOf } from '../config/helpers.ts'

const validate = async (data: unknown): Promise<FileConfig> => validateFileConfig(data, '/cfg')
const problems = async (data: unknown): Promise<readonly string[]> => problemsOf(() => validate(data))
const two = [{ name: 'a', url: 'ws://a/socket' }, { name: 'b', url: 'ws://b/socket' }]

describe('dynamic entries', () => {
  test('none by default', async () => {
    assert.deepEqual((await validate(minimal)).dynamic, [])
  })

  test('defaults: name is the pattern, the only upstream, linger 30 s, 100 topics, replay 100, no presence', async () => {
    const file = await validate({ ...minimal, dynamic: [{ pattern: 'room:*' }] })
    assert.deepEqual(file.dynamic, [{ pattern: 'room:*', name: 'room:*', upstream: 'app', params: {}, lingerMs: 30000, maxTopics: 100, replay: 100, presence: false }])
  })

  test('every setting can be given', async () => {
    const entry = { pattern: 'user:*:inbox', name: 'inboxes', upstream: 'b', params: { v: 2 }, lingerMs: 0, maxTopics: 5, replay: 0, presence: true, traceField: 'tp' }
    assert.deepEqual((await validate({ upstreams: two, dynamic: [entry] })).dynamic, [entry])
  })

  test('unusable patterns are named by path', async () => {
    assert.deepEqual(await problems({ ...minimal, dynamic: [{ pattern: 'room:**' }, { pattern: '*:*', name: 'x' }, { pattern: 'phoenix' }] }), [
      '/dynamic/0/pattern: must not hold "**" (one "*" already stands for one or more characters)',
      '/dynamic/1/pattern: must hold at least one character other than "*" and ":"',
      '/dynamic/2/pattern: "phoenix" is reserved for heartbeats',
    ])
  })

  test('the upstream must exist, and be named when there are several', async () => {
    assert.deepEqual(await problems({ upstreams: two, dynamic: [{ pattern: 'room:*' }, { pattern: 'chat:*', upstream: 'c' }] }), [
      '/dynamic/0: missing required key "upstream" (there are 2 upstreams)',
      '/dynamic/1/upstream: no upstream is named "c" (known: "a", "b")',
    ])
  })

  test('names are metrics labels: unique among entries, and apart from channel names', async () => {
    assert.deepEqual(await problems({ ...minimal, channels: [{ topic: 'rooms' }], dynamic: [{ pattern: 'room:*', name: 'rooms' }, { pattern: 'a:*', name: 'x' }, { pattern: 'b:*', name: 'x' }] }), [
      '/dynamic/2/name: duplicate dynamic entry name "x" (a dynamic entry\'s name defaults to its pattern) (also /dynamic/1/name)',
      '/dynamic/0/name: "rooms" is also the name of /channels/0 (names are metrics labels: make them unique)',
    ])
  })

  test('unknown keys and wrong types are refused by the schema', async () => {
    assert.deepEqual(await problems({ ...minimal, dynamic: [{ pattern: 'room:*', lingerMS: 5 }] }), ['/dynamic/0: unknown key "lingerMS" (did you mean "lingerMs"?)'])
    assert.deepEqual(await problems({ ...minimal, dynamic: [{ pattern: 'room:*', maxTopics: 0 }] }), ['/dynamic/0/maxTopics: must be >= 1'])
    assert.deepEqual(await problems({ ...minimal, dynamic: [{ name: 'x' }] }), ['/dynamic/0: missing required key "pattern"'])
  })

  test('check-config explains them', async () => {
    const file = await validate({ ...minimal, dynamic: [{ pattern: 'room:*', name: 'rooms', maxTopics: 7, lingerMs: 100, params: { token: 'x' } }] })
    const text = explainConfig(file)
    assert.match(text, /Dynamic topics \(1 pattern\(s\); anything else is refused\):/)
    assert.match(text, /room:\* as "rooms" on app: at most 7 topics, linger 100 ms, replay 100, join params: token/)
    assert.doesNotMatch(explainConfig(await validate(minimal)), /Dynamic/)
  })
})
