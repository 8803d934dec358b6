/**
 * The multi-topic stream `GET /v1/events` (issue 12) read by a real
 * browser: headless Chromium, driven by playwright-core, opens one
 * EventSource over a pattern and an exact topic from a page the gateway
 * serves itself (a test-only route: same origin). The page writes each
 * event into the DOM; the test reads the DOM. When its connection is
 * broken, Chromium reconnects by itself with Last-Event-ID, and gets what
 * was published on every topic meanwhile, each message once, in order.
 *
 * The browser and the page's event log come from test/helpers/browser.ts.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Daemon } from '../../src/gateway/daemon.ts'
import { channelConfig, stopGateway, type Running } from '../gateway/helpers.ts'
import { DEADLINE_MS, joined, startSseGateway } from '../gateway/sse/helpers.ts'
import { ANY_TOPIC, delivered, eventsPath, openEvents, readyEpoch, seenMessage, seqOfMulti } from '../gateway/sse/topics-support.ts'
import { resumeGate, type ResumeGate } from './sse-helpers.ts'
import { eventLogPage, launchBrowser, loggedCount, loggedEvents, type Browser, type LoggedEvent } from '../helpers/browser.ts'

const PAGE = '/__test/sse-topics-page'
const FOLLOW = ['orders:*', 'room:a']
const TOPICS = ['orders:1', 'room:a', 'orders:2']

/** One EventSource over FOLLOW; every named event appended to #log as <li data-event data-id data-data>. */
const html = eventLogPage('sse topics', eventsPath(FOLLOW), ['ready', 'msg', 'gap', 'joined', 'errored', 'rejoined', 'topic_added', 'topic_removed', 'topic_skipped', 'shutdown', 'overflow'])

/** `msg` events on every topic of TOPICS with payload `{ n }`, n from `from` to `to`, each n on every topic in turn. */
function publish (running: Running, from: number, to: number): void {
  for (let n = from; n <= to; n++) for (const topic of TOPICS) running.phoenix.broadcast(topic, 'msg', { n })
}

/** `topic/n` of each logged message, in order. */
function messages (log: readonly LoggedEvent[]): string[] {
  return log.filter((e) => e.event === 'msg').map((e) => {
    const { topic, payload } = JSON.parse(e.data) as { topic: string, payload: { n: number } }
    return `${topic}/${payload.n}`
  })
}

let browser: Browser | undefined

before(async () => { browser = await launchBrowser() })

after(async () => { await browser?.close() })

function servePage (daemon: Daemon): void {
  daemon.app.get(PAGE, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html))
}

test('Chromium\'s EventSource follows a pattern and an exact topic in one stream, and after its connection is broken resumes by itself with every message once, in order', async (t) => {
  let gate: ResumeGate | undefined
  const running = await startSseGateway(['orders:1', 'orders:2', 'room:a', 'room:b'].map((topic) => channelConfig(topic)), {
    phoenix: ANY_TOPIC,
    sse: { retryMs: 30 },
    prepare: (daemon) => { servePage(daemon); gate = resumeGate(daemon) },
  })
  t.after(async () => { await stopGateway(running) })
  const resumes = gate!
  for (const topic of [...TOPICS, 'room:b']) await joined(running.daemon, topic)
  if (browser === undefined) throw new Error('the browser did not start')
  const page = await browser.newPage()
  t.after(async () => { await page.close() })
  await page.goto(`${running.base}${PAGE}`)
  await loggedCount(page, 'ready', 1, DEADLINE_MS)

  // room:b first: were it followed by mistake, its message would be among the first 30.
  running.phoenix.broadcast('room:b', 'msg', { n: 1 })
  publish(running, 1, 10)
  await loggedCount(page, 'msg', 30, DEADLINE_MS)
  const first = await loggedEvents(page)
  const ready = JSON.parse(first[0]!.data) as { epoch: string, topics: Array<{ topic: string }>, patterns: string[] }
  assert.deepEqual(ready.topics.map((v) => v.topic).sort(), ['orders:1', 'orders:2', 'room:a'])
  assert.deepEqual(ready.patterns, ['orders:*'])
  const expectedFirst = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((n) => TOPICS.map((topic) => `${topic}/${n}`))
  assert.deepEqual(messages(first), expectedFirst, 'every topic\'s messages, in the order published, none of room:b')
  const lastId = first.at(-1)!.id
  assert.ok(lastId.startsWith(`${ready.epoch}.`), `ids are <epoch>.<n>: ${lastId}`)

  // Break the connection from the server's side; hold Chromium's reconnect until 11..20 are in the rings.
  resumes.hold()
  running.daemon.app.server.closeAllConnections()
  assert.equal(await resumes.resumed(0), lastId, 'Chromium sends the last id it saw')
  const watch = await openEvents(t, running.base, FOLLOW)
  assert.equal(readyEpoch(await watch.event('ready')), ready.epoch)
  publish(running, 11, 20)
  await seenMessage(watch, 'orders:2', 20)
  resumes.release()

  await loggedCount(page, 'msg', 60, DEADLINE_MS)
  publish(running, 21, 21)
  await loggedCount(page, 'msg', 63, DEADLINE_MS)
  const all = await loggedEvents(page)
  assert.deepEqual(all.map((e) => e.event), ['ready', ...Array<string>(30).fill('msg'), 'ready', ...Array<string>(33).fill('msg')], 'no gap: the rings held what was missed')
  const expectedAll = Array.from({ length: 21 }, (_, i) => i + 1).flatMap((n) => TOPICS.map((topic) => `${topic}/${n}`))
  assert.deepEqual(messages(all), expectedAll, 'every message once, in order, over the break')
  const ids = all.filter((e) => e.event === 'msg').map((e) => seqOfMulti(e.id))
  assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'ids increase over all topics and over the break')
  const watched = new Map(delivered(watch.events).map((d) => [`${d.topic}/${d.n}`, d.id]))
  const replayed = all.slice(32).filter((e) => e.event === 'msg').slice(0, 30)
  assert.deepEqual(replayed.map((e) => e.id), messages(replayed).map((key) => watched.get(key)), 'the replay carries the ids a live reader saw')
  assert.deepEqual(resumes.resumes, [lastId])
  assert.ok(Number(await page.evaluate('window.errors')) >= 1, 'the page saw the error that precedes a reconnect')
})
