/**
 * examples/curl/run.sh, run with bash as the README says, against the demo
 * broker: the push gets its reply, the subscription gets the broadcasts,
 * and the resume with Last-Event-ID gets what was sent while nobody
 * listened, nothing lost and nothing twice.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { childEnv, demo, idsFrom, run, seqOf, succeeded } from './helpers.ts'
import { tool } from '../helpers/tools.ts'

interface Printed { id?: string, event?: string, retry?: string, data?: string }

/** The SSE events run.sh echoed (`   id: …`, `   event: …`, `   data: …` lines), each ended by its data line. */
function printedEvents (lines: readonly string[]): Printed[] {
  const events: Printed[] = []
  let current: Printed = {}
  for (const line of lines) {
    const field = /^ {3}(id|event|retry|data): (.*)$/.exec(line)
    if (field === null) continue
    current[field[1] as keyof Printed] = field[2]!
    if (field[1] === 'data') {
      events.push(current)
      current = {}
    }
  }
  return events
}

test('run.sh pushes and prints the reply, subscribes, and resumes with Last-Event-ID without losing or repeating a message', async (t) => {
  if (tool(t, 'curl') === undefined) return
  const running = await demo(t)
  const out = succeeded(await run('bash', ['examples/curl/run.sh'], childEnv({ BACKCHANNEL_URL: running.backchannelUrl })))
  const lines = out.trimEnd().split('\n')
  const epoch = running.daemon.broker.hub.epoch

  assert.equal(lines[1], '   {"status":"ok","response":{"body":"hi"}} (HTTP 200)', 'the echo channel\'s reply, as the HTTP response')
  assert.equal(lines[3], '   {"status":"error","response":{"why":"demo"}} (HTTP 422)', 'an error reply is a 422')

  const resumeAt = lines.findIndex((l) => l.startsWith('4. resume'))
  assert.ok(resumeAt > 0, out)
  const first = printedEvents(lines.slice(0, resumeAt))
  const resumed = printedEvents(lines.slice(resumeAt))
  const ready = { event: 'ready', retry: '2000', data: JSON.stringify({ topic: 'room:demo', epoch, state: 'joined' }) }
  assert.deepEqual(first[0], ready)
  assert.deepEqual(resumed[0], ready)

  const news = (events: Printed[]): Printed[] => events.slice(1)
  assert.deepEqual(news(first).map((e) => [e.event, e.data]), [['news', '{"from":"curl","n":1}'], ['news', '{"from":"curl","n":2}']])
  assert.deepEqual(news(resumed).map((e) => [e.event, e.data]), [['news', '{"from":"curl","n":3}'], ['news', '{"from":"curl","n":4}']])
  const firstSeq = seqOf(first[1]!.id!)
  assert.deepEqual([...news(first), ...news(resumed)].map((e) => e.id), idsFrom(epoch, firstSeq, 4), 'one id sequence across the resume: no gap, no repeat')

  const lastId = first[2]!.id!
  assert.ok(lines.includes(`3. unsubscribed after id ${lastId}; two messages arrive meanwhile`), out)
  assert.ok(lines.includes(`4. resume with Last-Event-ID: ${lastId}`), out)
  assert.equal(lines.at(-1), 'done: nothing was lost')

  // The ids are the gateway's: its last event on room:demo is the last one run.sh printed.
  const channels = await (await fetch(`${running.backchannelUrl}/v1/channels`)).json() as { channels: Array<{ topic: string, lastEventId: string, subscribers: number }> }
  const room = channels.channels.find((c) => c.topic === 'room:demo')
  assert.equal(room?.lastEventId, resumed[2]!.id)
})

test('run.sh stops at once with a message when BACKCHANNEL_URL is not set', async (t) => {
  if (tool(t, 'curl') === undefined) return
  const env = childEnv()
  delete env['BACKCHANNEL_URL']
  const ran = await run('bash', ['examples/curl/run.sh'], env)
  assert.notEqual(ran.code, 0)
  assert.equal(ran.stdout, '')
  assert.match(ran.stderr, /set BACKCHANNEL_URL to the gateway/)
})

test('run.sh fails, rather than waits for ever, when the gateway is not there', async (t) => {
  if (tool(t, 'curl') === undefined) return
  const running = await demo(t)
  const url = running.backchannelUrl
  await running.close()
  const ran = await run('bash', ['examples/curl/run.sh'], childEnv({ BACKCHANNEL_URL: url }))
  assert.notEqual(ran.code, 0)
  assert.match(ran.stderr, /curl: \(7\)/)
})
