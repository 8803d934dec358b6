/**
 * The gateway's SSE endpoint read by a real browser: headless Chromium,
 * driven by playwright-core, opens an EventSource from a page served by the
 * gateway itself (a test-only route, so the stream is same-origin: the
 * gateway sends no CORS headers). The page writes each event into the DOM;
 * the test reads the DOM. Chromium's own reconnect must send Last-Event-ID
 * and resume without loss.
 *
 * playwright-core's type declarations need the DOM lib, which this project
 * does not compile with, so it is loaded through a specifier TypeScript does
 * not resolve and typed here by the little this test uses.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Daemon } from '../../src/gateway/daemon.ts'
import { channelConfig, stopGateway, type Running } from '../gateway/helpers.ts'
import { broadcastNumbered, DEADLINE_MS, joined, numbers, range, SseStream, startSseGateway } from '../gateway/sse/helpers.ts'
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
const TOPIC = 'room:browser'
const PAGE = '/__test/sse-page'

/** Opens an EventSource and appends every named event to #log as <li data-event data-id data-data>. */
const html = `<!doctype html>
<meta charset="utf-8"><title>sse</title>
<ol id="log"></ol>
<script>
  const log = document.getElementById('log')
  const es = new EventSource('/v1/channels/${encodeURIComponent(TOPIC)}/events')
  for (const name of ['ready', 'msg', 'joined', 'errored', 'gap', 'rejoined', 'shutdown', 'overflow']) {
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
  // A string is evaluated as an expression (a function in a string would be truthy at once).
  const expression = `document.querySelectorAll(${JSON.stringify(`#log li[data-event="${event}"]`)}).length === ${count}`
  await page.waitForFunction(expression, undefined, { timeout: DEADLINE_MS })
}

/** One browser for the file; each test gets a page of its own (a fresh browser context). */
let browser: Browser | undefined

before(async () => {
  const { chromium } = await import(PLAYWRIGHT) as Playwright
  // Chromium from npm (test/helpers/chromium.ts), so the test runs wherever npm ci ran.
  browser = await chromium.launch({ ...await chromiumLaunch(), headless: true, args: CHROMIUM_ARGS })
})

after(async () => { await browser?.close() })

async function newPage (t: { after: (fn: () => Promise<void>) => void }): Promise<Page> {
  if (browser === undefined) throw new Error('the browser did not start')
  const page = await browser.newPage()
  t.after(async () => { await page.close() })
  return page
}

function servePage (daemon: Daemon): void {
  daemon.app.get(PAGE, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html))
}

/** A gateway serving the test page, with Chromium on it and its stream ready; Chromium's resumes can be held. */
async function pageOnGateway (t: { after: (fn: () => Promise<void>) => void }): Promise<{ running: Running, resumes: ResumeGate, page: Page }> {
  let gate: ResumeGate | undefined
  const running = await startSseGateway([channelConfig(TOPIC)], {
    sse: { retryMs: 30 },
    prepare: (daemon) => { servePage(daemon); gate = resumeGate(daemon) },
  })
  t.after(async () => { await stopGateway(running) })
  await joined(running.daemon, TOPIC)
  const page = await newPage(t)
  await page.goto(`${running.base}${PAGE}`)
  await countIs(page, 'ready', 1)
  return { running, resumes: gate!, page }
}

test('Chromium\'s EventSource gets named events in order with their ids, and resumes with Last-Event-ID after the stream is cut', async (t) => {
  const { running, resumes, page } = await pageOnGateway(t)

  broadcastNumbered(running.phoenix, TOPIC, 'msg', 50)
  await countIs(page, 'msg', 50)
  const epoch = running.daemon.broker.hub.epoch
  const first = await logged(page)
  assert.deepEqual(first.map((e) => e.event), ['ready', ...Array<string>(50).fill('msg')])
  assert.deepEqual(JSON.parse(first[0]!.data), { topic: TOPIC, epoch, state: 'joined' })
  assert.deepEqual(first.slice(1).map((e) => e.id), range(2, 50).map((seq) => `${epoch}-${seq}`))
  assert.deepEqual(first.slice(1).map((e) => JSON.parse(e.data) as unknown), range(1, 50).map((n) => ({ n })))

  // Cut the stream; hold Chromium's reconnect until 51..60 are in the ring.
  resumes.hold()
  assert.equal(running.daemon.broker.readers.size, 1)
  for (const stream of running.daemon.broker.readers) stream.end('shutdown', { reason: 'test' }, 30)
  assert.equal(await resumes.resumed(0), `${epoch}-51`, 'Chromium sends the last id it saw')
  const watch = await SseStream.open(running.base, TOPIC)
  t.after(() => { watch.close() })
  await watch.event('ready')
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 10, 51)
  await watch.until('message 60 in the gateway', (s) => numbers(s.events).includes(60))
  resumes.release()

  await countIs(page, 'msg', 60)
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 1, 61)
  await countIs(page, 'msg', 61)
  const all = await logged(page)
  assert.deepEqual(all.map((e) => e.event), ['ready', ...Array<string>(50).fill('msg'), 'shutdown', 'ready', ...Array<string>(11).fill('msg')])
  const msgs = all.filter((e) => e.event === 'msg')
  assert.deepEqual(msgs.map((e) => (JSON.parse(e.data) as { n: number }).n), range(1, 61), 'every message once, in order')
  assert.deepEqual(msgs.map((e) => e.id), range(2, 61).map((seq) => `${epoch}-${seq}`))
  assert.deepEqual(JSON.parse(all[51]!.data), { lastEventId: `${epoch}-51`, reason: 'test' })
  assert.deepEqual(resumes.resumes, [`${epoch}-51`])
  assert.ok(Number(await page.evaluate('window.errors')) >= 1, 'the page saw the error that precedes a reconnect')
})

test('Chromium\'s EventSource sees an upstream outage as errored, gap and rejoined, and its reconnect after a dropped connection replays them', async (t) => {
  const { running, resumes, page } = await pageOnGateway(t)
  running.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  await countIs(page, 'msg', 1)

  // Drop the browser's connection, then let the upstream fail and recover while it is away.
  resumes.hold()
  running.daemon.app.server.closeAllConnections()
  const epoch = running.daemon.broker.hub.epoch
  assert.equal(await resumes.resumed(0), `${epoch}-2`)
  const watch = await SseStream.open(running.base, TOPIC)
  t.after(() => { watch.close() })
  await watch.event('ready')
  running.phoenix.faults.dropAll()
  await watch.event('rejoined')
  running.phoenix.broadcast(TOPIC, 'msg', { n: 2 })
  await watch.until('message 2 in the gateway', (s) => numbers(s.events).includes(2))
  resumes.release()

  await countIs(page, 'msg', 2)
  const all = await logged(page)
  assert.deepEqual(all.map((e) => [e.event, e.id]), [
    ['ready', ''], ['msg', `${epoch}-2`], ['ready', `${epoch}-2`], ['errored', `${epoch}-3`], ['gap', `${epoch}-4`], ['rejoined', `${epoch}-5`], ['msg', `${epoch}-6`],
  ])
  assert.equal((JSON.parse(all[4]!.data) as { reason: string }).reason, 'upstream_disconnected')
})
