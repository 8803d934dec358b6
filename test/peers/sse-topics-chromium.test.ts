/**
 * The multi-topic stream `GET /v1/events` (issue 12) read by a real
 * browser: headless Chromium, driven by playwright-core, opens one
 * EventSource over a pattern and an exact topic from a page the gateway
 * serves itself (a test-only route: same origin). The page writes each
 * event into the DOM; the test reads the DOM. When its connection is
 * broken, Chromium reconnects by itself with Last-Event-ID, and gets what
 * was published on every topic meanwhile, each message once, in order.
 *
 * playwright-core is loaded through a specifier TypeScript does not
 * resolve (its types need the DOM lib) and typed by the little used here,
 * as in sse-chromium.test.ts.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Daemon } from '../../src/gateway/daemon.ts'
import { channelConfig, stopGateway, type Running } from '../gateway/helpers.ts'
import { DEADLINE_MS, joined, startSseGateway } from '../gateway/sse/helpers.ts'
import { ANY_TOPIC, delivered, eventsPath, openEvents, readyEpoch, seenMessage, seqOfMulti } from '../gateway/sse/topics-support.ts'
import { resumeGate, type ResumeGate } from './sse-helpers.ts'
import { CHROMIUM_ARGS, chromiumLaunch } from '../helpers/chromium.ts'

interface Page {
  goto: (url: string) => Promise<unknown>
  waitForFunction: (expression: string, arg: unknown, options: { timeout: number }) => Promise<unknown>
  evaluate: (expression: string) => Promise<unknown>
}
interface Browser {
  newPage: () => Promise<Page & { close: () => Promise<void> }>
  close: () => Promise<void>
}
interface Playwright { chromium: { launch: (options: { executablePath: string, env: Record<string, string>, headless: boolean, args: string[] }) => Promise<Browser> } }

const PLAYWRIGHT: string = 'playwright-core'
const PAGE = '/__test/sse-topics-page'
const FOLLOW = ['orders:*', 'room:a']
const TOPICS = ['orders:1', 'room:a', 'orders:2']

/** One EventSource over FOLLOW; every named event appended to #log as <li data-event data-id data-data>. */
const html = `<!doctype html>
<meta charset="utf-8"><title>sse topics</title>
<ol id="log"></ol>
<script>
  const log = document.getElementById('log')
  const es = new EventSource(${JSON.stringify(eventsPath(FOLLOW))})
  for (const name of ['ready', 'msg', 'gap', 'joined', 'errored', 'rejoined', 'topic_added', 'topic_removed', 'topic_skipped', 'shutdown', 'overflow']) {
    es.addEventListener(name, (e) => {
      const li = document.createElement('li')
      li.dataset.event = e.type
      li.dataset.id = e.lastEventId
      li.dataset.data = e.data
      li.textContent = e.type + ' ' + e.lastEventId
      log.append(li)
    })
  }
  window.errors = 0
  es.addEventListener('error', () => { window.errors++ })
</script>`

interface Logged { event: string, id: string, data: string }

async function logged (page: Page): Promise<Logged[]> {
  const json = await page.evaluate('JSON.stringify([...document.querySelectorAll("#log li")].map((li) => ({ event: li.dataset.event, id: li.dataset.id, data: li.dataset.data })))')
  assert.equal(typeof json, 'string')
  return JSON.parse(json as string) as Logged[]
}

async function countIs (page: Page, event: string, count: number): Promise<void> {
  const expression = `document.querySelectorAll(${JSON.stringify(`#log li[data-event="${event}"]`)}).length === ${count}`
  await page.waitForFunction(expression, undefined, { timeout: DEADLINE_MS })
}

/** `msg` events on every topic of TOPICS with payload `{ n }`, n from `from` to `to`, each n on every topic in turn. */
function publish (running: Running, from: number, to: number): void {
  for (let n = from; n <= to; n++) for (const topic of TOPICS) running.phoenix.broadcast(topic, 'msg', { n })
}

/** `topic/n` of each logged message, in order. */
function messages (log: readonly Logged[]): string[] {
  return log.filter((e) => e.event === 'msg').map((e) => {
    const { topic, payload } = JSON.parse(e.data) as { topic: string, payload: { n: number } }
    return `${topic}/${payload.n}`
  })
}

let browser: Browser | undefined

before(async () => {
  const { chromium } = await import(PLAYWRIGHT) as Playwright
  browser = await chromium.launch({ ...await chromiumLaunch(), headless: true, args: CHROMIUM_ARGS })
})

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
  await countIs(page, 'ready', 1)

  // room:b first: were it followed by mistake, its message would be among the first 30.
  running.phoenix.broadcast('room:b', 'msg', { n: 1 })
  publish(running, 1, 10)
  await countIs(page, 'msg', 30)
  const first = await logged(page)
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

  await countIs(page, 'msg', 60)
  publish(running, 21, 21)
  await countIs(page, 'msg', 63)
  const all = await logged(page)
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
