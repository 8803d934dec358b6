/**
 * Guarantee: integer headers are integers. `x-backchannel-timeout-ms` is
 * documented as an integer from 1 to 300000: anything else (an exponent, a
 * hex or decimal form, signs, spaces) is 400 BC_ERR_BAD_REQUEST, and the
 * push is never sent.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig } from '../gateway/helpers.ts'
import { assertProblem, http, joined, startGw } from '../gateway/http/support.ts'

test('x-backchannel-timeout-ms takes digits only', async (t) => {
  const gw = await startGw(t, [channelConfig('echo:a')])
  await joined(gw, 'echo:a')
  const sent: string[] = []
  gw.phoenix.events.on('frame', (f) => { if (f.message.event === 'bin') sent.push(String(f.message.ref)) })
  const binary = async (timeout: string): Promise<Awaited<ReturnType<typeof http>>> => http(gw.base, '/v1/channels/echo:a/push', {
    body: new Uint8Array([1, 2, 3]),
    headers: { 'content-type': 'application/octet-stream', 'x-backchannel-event': 'bin', 'x-backchannel-timeout-ms': timeout },
  })
  for (const bad of ['1e3', '0x10', '1000.0', '+1000', '-5', '0', '300001', '1_000', '', '01000']) {
    assertProblem(await binary(bad), 400, 'BC_ERR_BAD_REQUEST')
  }
  assert.deepEqual(sent, [], 'no refused push reached Phoenix')
  assert.equal((await binary('1000')).status, 200)
  assert.equal((await binary('300000')).status, 200)
  assert.equal(sent.length, 2)
})
