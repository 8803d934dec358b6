/**
 * The dropped-message log, with a clock the test moves: the first drop of
 * a topic is logged at once, the rest within the window only counted, and
 * the next line says how many were left out; topics are remembered up to a
 * bound.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { DropLog } from '../../../src/gateway/observe/drop-log.ts'

function capture (): { lines: Array<Record<string, unknown>>, log: ReturnType<typeof pino> } {
  const lines: Array<Record<string, unknown>> = []
  return { lines, log: pino({ level: 'warn' }, { write (line: string) { lines.push(JSON.parse(line) as Record<string, unknown>) } }) }
}

const drop = (topic: string): { upstream: string, topic: string, subscription: string, event: string, reason: 'too_deep' } =>
  ({ upstream: 'main', topic, subscription: topic, event: 'msg', reason: 'too_deep' })

test('one line per topic per window; the next says how many were suppressed', () => {
  const { lines, log } = capture()
  const clock = { ms: 0 }
  const drops = new DropLog(log, { windowMs: 1000, now: () => clock.ms })
  for (let i = 0; i < 100; i++) drops.dropped(drop('room:a'))
  drops.dropped(drop('room:b'))
  assert.deepEqual(lines.map((l) => [l['topic'], l['suppressed']]), [['room:a', undefined], ['room:b', undefined]])
  assert.equal(lines[0]?.['level'], 40)
  assert.equal(lines[0]['reason'], 'too_deep')
  clock.ms = 1000
  drops.dropped(drop('room:a'))
  assert.deepEqual(lines.map((l) => [l['topic'], l['suppressed']]).at(-1), ['room:a', 99])
})

test('remembers at most maxTopics topics, the stalest forgotten first', () => {
  const { lines, log } = capture()
  const drops = new DropLog(log, { windowMs: 60_000, maxTopics: 2, now: () => 0 })
  drops.dropped(drop('t1'))
  drops.dropped(drop('t2'))
  drops.dropped(drop('t3')) // forgets t1
  drops.dropped(drop('t2')) // still remembered: suppressed
  drops.dropped(drop('t1')) // forgotten: logged again
  assert.deepEqual(lines.map((l) => l['topic']), ['t1', 't2', 't3', 't1'])
})
