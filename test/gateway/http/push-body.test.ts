/**
 * The push body: JSON validated by its schema (unknown fields rejected, not
 * stripped; no type coercion), 400 for bad JSON, 413 over maxBodyBytes, 415
 * for other media types. Binary pushes go as application/octet-stream with
 * the event in x-backchannel-event; a binary reply comes back as bytes.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { channelConfig } from '../helpers.ts'
import { assertProblem, assertQuietLogs, http, joined, push, startGw, type Gw } from './support.ts'

/** Records the events of pushes (not control messages) the fake server receives. */
function serverPushes (gw: Gw): string[] {
  const seen: string[] = []
  gw.phoenix.events.on('frame', (e) => { if (!e.message.event.startsWith('phx_') && e.message.topic !== 'phoenix') seen.push(e.message.event) })
  return seen
}

describe('400 for a bad JSON body', () => {
  const cases: Array<[string, string]> = [
    ['a body that is not JSON', '{"event": "x",'],
    ['an empty JSON body', ''],
    ['a JSON body that is not an object', '["x"]'],
    ['a missing event', '{"payload": {}}'],
    ['an empty event', '{"event": ""}'],
    ['an unknown field (rejected, not stripped)', '{"event": "x", "payload": {}, "extra": true}'],
    ['an event that is not a string (no coercion)', '{"event": 5}'],
    ['a timeoutMs that is a string (no coercion)', '{"event": "x", "timeoutMs": "100"}'],
    ['a timeoutMs that is not an integer', '{"event": "x", "timeoutMs": 1.5}'],
    ['a timeoutMs below 1', '{"event": "x", "timeoutMs": 0}'],
  ]
  for (const [name, body] of cases) {
    test(`${name} is 400 BC_ERR_BAD_REQUEST and nothing is pushed`, async (t) => {
      const gw = await startGw(t, [channelConfig('echo:lobby')])
      await joined(gw, 'echo:lobby')
      const seen = serverPushes(gw)
      const res = await http(gw.base, '/v1/channels/echo:lobby/push', { method: 'POST', body, headers: { 'content-type': 'application/json' } })
      assertProblem(res, 400, 'BC_ERR_BAD_REQUEST')
      // A valid push afterwards is the first and only one the server sees.
      assert.equal((await push(gw, 'echo:lobby', { event: 'valid' })).status, 200)
      assert.deepEqual(seen, ['valid'])
      assertQuietLogs(gw)
    })
  }

  test('the validation message names the offending field', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    const extra = assertProblem(await push(gw, 'echo:lobby', { event: 'x', extra: 1 }), 400, 'BC_ERR_BAD_REQUEST')
    assert.equal(extra.message, 'body has an unknown field "extra"')
    const missing = assertProblem(await push(gw, 'echo:lobby', { payload: {} }), 400, 'BC_ERR_BAD_REQUEST')
    assert.equal(missing.message, 'body is missing the required field "event"')
    const misspelt = assertProblem(await push(gw, 'echo:lobby', { evnt: 'x', payload: {} }), 400, 'BC_ERR_BAD_REQUEST')
    assert.equal(misspelt.message, 'body has an unknown field "evnt" (did you mean "event"?); body is missing the required field "event"')
    const wrong = assertProblem(await push(gw, 'echo:lobby', { event: 'x', timeoutMs: 'soon' }), 400, 'BC_ERR_BAD_REQUEST')
    assert.equal(wrong.message, 'body/timeoutMs must be integer')
  })

  test('an unknown query parameter is 400', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    const problem = assertProblem(await push(gw, 'echo:lobby', { event: 'x' }, { query: '?upstrem=main' }), 400, 'BC_ERR_BAD_REQUEST')
    assert.equal(problem.message, 'querystring has an unknown query parameter "upstrem"')
  })
})

describe('size and media type', () => {
  test('a JSON body over maxBodyBytes is 413 BC_ERR_PAYLOAD_TOO_LARGE; one just under passes', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')], { config: { maxBodyBytes: 1024 } })
    await joined(gw, 'echo:lobby')
    const seen = serverPushes(gw)
    const body = (size: number): string => {
      const shell = JSON.stringify({ event: 'big', payload: '' })
      return JSON.stringify({ event: 'big', payload: 'x'.repeat(size - shell.length) })
    }
    assert.equal(Buffer.byteLength(body(1025)), 1025)
    assertProblem(await http(gw.base, '/v1/channels/echo:lobby/push', { body: body(1025), headers: { 'content-type': 'application/json' } }), 413, 'BC_ERR_PAYLOAD_TOO_LARGE')
    const fits = await http(gw.base, '/v1/channels/echo:lobby/push', { body: body(1024), headers: { 'content-type': 'application/json' } })
    assert.equal(fits.status, 200)
    assert.deepEqual(seen, ['big'])
  })

  test('a binary body over maxBodyBytes is 413 too', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')], { config: { maxBodyBytes: 1024 } })
    const res = await http(gw.base, '/v1/channels/echo:lobby/push', {
      body: new Uint8Array(1025), headers: { 'content-type': 'application/octet-stream', 'x-backchannel-event': 'bin' },
    })
    assertProblem(res, 413, 'BC_ERR_PAYLOAD_TOO_LARGE')
  })

  for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
    test(`a ${type} body is 415 BC_ERR_UNSUPPORTED_MEDIA_TYPE, and the upstream socket is untouched`, async (t) => {
      const gw = await startGw(t, [channelConfig('echo:lobby')])
      await joined(gw, 'echo:lobby')
      const seen = serverPushes(gw)
      const broken: number[] = []
      gw.phoenix.events.on('disconnect', (e) => { broken.push(e.code) })
      const res = await http(gw.base, '/v1/channels/echo:lobby/push', { body: '{"event": "x"}', headers: { 'content-type': type } })
      const problem = assertProblem(res, 415, 'BC_ERR_UNSUPPORTED_MEDIA_TYPE')
      assert.equal(problem.message, 'the body\'s content type is not accepted here; send application/json or application/octet-stream')
      assert.deepEqual(problem.details, { accepted: ['application/json', 'application/octet-stream'] })
      assert.equal((await push(gw, 'echo:lobby', { event: 'valid' })).status, 200)
      assert.deepEqual(seen, ['valid'])
      assert.deepEqual(broken, [], 'the upstream connection stayed up')
    })
  }

  test('a POST without a body is 400', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    assertProblem(await http(gw.base, '/v1/channels/echo:lobby/push', { method: 'POST' }), 400, 'BC_ERR_BAD_REQUEST')
    assertQuietLogs(gw)
  })
})

describe('binary pushes', () => {
  const bytes = Uint8Array.from([0, 1, 2, 250, 255, 0x7b, 0x22])

  test('an octet-stream push gets a binary reply: the same bytes, application/octet-stream, x-backchannel-status ok', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const frame = gw.phoenix.waitFor('frame', (e) => e.message.event === 'bin')
    const res = await http(gw.base, '/v1/channels/echo%3Alobby/push', {
      body: bytes, headers: { 'content-type': 'application/octet-stream', 'x-backchannel-event': 'bin' },
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/octet-stream')
    assert.equal(res.headers.get('x-backchannel-status'), 'ok')
    assert.deepEqual(new Uint8Array(res.bytes), bytes)
    const payload = (await frame).message.payload
    assert.ok(payload instanceof Uint8Array, 'the server got a binary frame')
    assert.deepEqual(new Uint8Array(payload), bytes)
  })

  test('a binary error reply is 422 with the bytes and x-backchannel-status error', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const res = await http(gw.base, '/v1/channels/echo:lobby/push', {
      body: bytes, headers: { 'content-type': 'application/octet-stream', 'x-backchannel-event': 'error_reply' },
    })
    assert.equal(res.status, 422)
    assert.equal(res.headers.get('x-backchannel-status'), 'error')
    assert.deepEqual(new Uint8Array(res.bytes), bytes)
  })

  test('x-backchannel-timeout-ms sets the deadline of a binary push', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    await joined(gw, 'echo:lobby')
    const res = await http(gw.base, '/v1/channels/echo:lobby/push', {
      body: bytes, headers: { 'content-type': 'application/octet-stream', 'x-backchannel-event': 'no_reply', 'x-backchannel-timeout-ms': '60' },
    })
    assertProblem(res, 504, 'BC_ERR_TIMEOUT')
  })

  const badHeaders: Array<[string, Record<string, string>]> = [
    ['without x-backchannel-event', {}],
    ['with an empty x-backchannel-event', { 'x-backchannel-event': '' }],
    ['with an event over 255 characters', { 'x-backchannel-event': 'e'.repeat(256) }],
    ['with a bad x-backchannel-timeout-ms', { 'x-backchannel-event': 'bin', 'x-backchannel-timeout-ms': 'soon' }],
    ['with x-backchannel-timeout-ms 0', { 'x-backchannel-event': 'bin', 'x-backchannel-timeout-ms': '0' }],
  ]
  for (const [name, headers] of badHeaders) {
    test(`a binary push ${name} is 400 and nothing is pushed`, async (t) => {
      const gw = await startGw(t, [channelConfig('echo:lobby')])
      await joined(gw, 'echo:lobby')
      const seen = serverPushes(gw)
      const res = await http(gw.base, '/v1/channels/echo:lobby/push', { body: bytes, headers: { 'content-type': 'application/octet-stream', ...headers } })
      const problem = assertProblem(res, 400, 'BC_ERR_BAD_REQUEST')
      assert.match(problem.message, /x-backchannel-/)
      assert.equal((await push(gw, 'echo:lobby', { event: 'valid' })).status, 200)
      assert.deepEqual(seen, ['valid'])
    })
  }
})
