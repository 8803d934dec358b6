/**
 * W3C traceparent on a push: carried into the push's log lines, and into
 * the pushed payload when the channel names a traceField. Malformed headers
 * are ignored.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { createDaemon } from '../../../src/gateway/daemon.ts'
import { parseTraceparent, withTraceField } from '../../../src/gateway/http/trace.ts'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { channelConfig, gatewayConfig, literal } from '../helpers.ts'
import { joined } from '../sse/helpers.ts'

const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

test('parseTraceparent accepts version 00 and future versions, and refuses malformed or all-zero ids', () => {
  assert.equal(parseTraceparent(TRACE), TRACE)
  assert.equal(parseTraceparent(` ${TRACE} `), TRACE)
  assert.equal(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra'), '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra')
  for (const bad of [undefined, '', 'nope', `${TRACE}-extra`, 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', ['a', 'b']]) {
    assert.equal(parseTraceparent(bad), null, String(bad))
  }
})

test('withTraceField adds the field to plain objects only', () => {
  assert.deepEqual(withTraceField({ a: 1 }, 'trace', TRACE), { a: 1, trace: TRACE })
  assert.deepEqual(withTraceField({ a: 1 }, undefined, TRACE), { a: 1 })
  assert.deepEqual(withTraceField({ a: 1 }, 'trace', null), { a: 1 })
  assert.deepEqual(withTraceField([1], 'trace', TRACE), [1])
  assert.equal(withTraceField('text', 'trace', TRACE), 'text')
})

test('a push with a traceparent logs it and, with traceField set, carries it in the payload', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(() => phoenix.close())
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'debug' }, { write (line: string) { lines.push(JSON.parse(line) as Record<string, unknown>) } })
  const config = gatewayConfig(phoenix.endpoint, [channelConfig('echo:traced', { traceField: 'traceparent' }), channelConfig('echo:plain')])
  const daemon = await createDaemon(config, { logger, resolve: literal })
  const base = await daemon.start()
  t.after(() => daemon.close())
  await joined(daemon, 'echo:traced')
  await joined(daemon, 'echo:plain')
  const push = async (topic: string, traceparent: string): Promise<unknown> => {
    const res = await fetch(`${base}/v1/channels/${topic}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent },
      body: JSON.stringify({ event: 'echo', payload: { n: 1 } }),
      signal: AbortSignal.timeout(5000),
    })
    return ((await res.json()) as { response: unknown }).response
  }
  assert.deepEqual(await push('echo:traced', TRACE), { n: 1, traceparent: TRACE })
  assert.deepEqual(await push('echo:plain', TRACE), { n: 1 }, 'no traceField: the payload is unchanged')
  assert.deepEqual(await push('echo:traced', 'garbage'), { n: 1 }, 'a malformed header is ignored')
  const requestLines = lines.filter((l) => l['route'] === '/v1/channels/:topic/push')
  assert.equal(requestLines.filter((l) => l['traceparent'] === TRACE).length, 2)
  assert.ok(!lines.some((l) => l['traceparent'] === 'garbage'))
})
