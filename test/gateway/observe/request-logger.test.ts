/**
 * The per-request logger stands in for pino's child: the lines it writes are
 * the lines pino's child would write, and it builds that child only when a
 * line is actually written.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { pino, type Logger } from 'pino'
import { RequestLogger } from '../../../src/gateway/observe/request-logger.ts'

function capture (level: string): { logger: Logger, lines: Array<Record<string, unknown>>, children: () => number } {
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done() } })
  const logger = pino({ level, base: null, timestamp: false }, sink)
  let built = 0
  const child = logger.child.bind(logger)
  logger.child = ((...args: Parameters<typeof child>) => { built++; return child(...args) }) as typeof logger.child
  return { logger, lines, children: () => built }
}

test('a request that writes nothing below the level builds no child logger', () => {
  const { logger, lines, children } = capture('info')
  const log = new RequestLogger(logger, { reqId: 'req-1' })
  log.debug({ route: '/x' }, 'request')
  log.trace('detail')
  assert.equal(children(), 0)
  assert.equal(lines.length, 0)
  assert.equal(log.level, 'info')
})

test('a written line carries the request bindings, the fields and the message, as pino child lines do', () => {
  const { logger, lines, children } = capture('info')
  const log = new RequestLogger(logger, { reqId: 'req-2' })
  log.warn({ status: 404 }, 'request %s', 'rejected')
  log.error('second')
  assert.equal(children(), 1)
  assert.deepEqual(lines, [
    { level: 40, reqId: 'req-2', status: 404, msg: 'request rejected' },
    { level: 50, reqId: 'req-2', msg: 'second' },
  ])
})

test('a child of the request logger keeps both bindings and stays lazy', () => {
  const { logger, lines, children } = capture('info')
  const traced = new RequestLogger(logger, { reqId: 'req-3' }).child({ traceparent: '00-abc-def-01' })
  traced.debug('not written')
  assert.equal(children(), 0)
  traced.info({ pushed: true }, 'push')
  assert.deepEqual(lines, [{ level: 30, reqId: 'req-3', traceparent: '00-abc-def-01', pushed: true, msg: 'push' }])
})

test('changing the level applies to this request only', () => {
  const { logger, lines } = capture('info')
  const log = new RequestLogger(logger, { reqId: 'req-4' })
  log.level = 'debug'
  log.debug('now written')
  new RequestLogger(logger, { reqId: 'req-5' }).debug('not written')
  assert.deepEqual(lines, [{ level: 20, reqId: 'req-4', msg: 'now written' }])
})
