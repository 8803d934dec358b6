/**
 * examples/python/app.py, run with python3 as the README says, against the
 * demo broker: urllib pushes get the channel's replies (ok, error, none in
 * time), the http.client SSE reader gets the broadcasts, and its resume
 * with Last-Event-ID gets what was sent while it was away, nothing lost and
 * nothing twice.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { childEnv, demo, idsFrom, run, seqOf, succeeded } from './helpers.ts'
import { tool } from '../helpers/tools.ts'

test('app.py gets the push replies, reads the events, and resumes with Last-Event-ID without losing or repeating a message', async (t) => {
  if (tool(t, 'python3') === undefined) return
  const running = await demo(t)
  const out = succeeded(await run('python3', ['examples/python/app.py'], childEnv({ BACKCHANNEL_URL: running.backchannelUrl })))
  const lines = out.trimEnd().split('\n')
  const epoch = running.daemon.broker.hub.epoch

  assert.deepEqual(lines.slice(0, 4), [
    'push: HTTP 200 {"status": "ok", "response": {"body": "hi"}}',
    'error reply: HTTP 422 {"status": "error", "response": {"why": "demo"}}',
    'no reply in time: HTTP 504 BC_ERR_TIMEOUT',
    `subscribed: ready {"topic":"room:demo","epoch":"${epoch}","state":"joined"}`,
  ])

  const events = lines.flatMap((line) => {
    const m = /^ {2}(\S+) id=(\S+) (.*)$/.exec(line)
    return m === null ? [] : [{ event: m[1], id: m[2]!, data: m[3] }]
  })
  assert.deepEqual(events.map((e) => [e.event, e.data]), [1, 2, 3, 4].map((n) => ['news', `{"from":"python","n":${n}}`]))
  assert.deepEqual(events.map((e) => e.id), idsFrom(epoch, seqOf(events[0]!.id), 4), 'one id sequence across the resume: no gap, no repeat')

  const lastId = events[1]!.id
  assert.deepEqual(lines.slice(6, 9), [`unsubscribed after id ${lastId}`, `resuming with Last-Event-ID: ${lastId}`, 'subscribed: ready'])
  assert.equal(lines.at(-1), 'done: nothing was lost')
  assert.equal(lines.length, 12)
})

test('app.py exits with a message when BACKCHANNEL_URL is not set', async (t) => {
  if (tool(t, 'python3') === undefined) return
  const env = childEnv()
  delete env['BACKCHANNEL_URL']
  const ran = await run('python3', ['examples/python/app.py'], env)
  assert.equal(ran.code, 1)
  assert.equal(ran.stdout, '')
  assert.match(ran.stderr, /set BACKCHANNEL_URL to the gateway/)
})
