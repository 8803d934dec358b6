/**
 * The gateway's SSE endpoint read by a real browser: headless Chromium,
 * driven by playwright-core, opens an EventSource from a page served by the
 * gateway itself (a test-only route, so the stream is same-origin: the
 * gateway sends no CORS headers). The page writes each event into the DOM;
 * the test reads the DOM. Chromium's own reconnect must send Last-Event-ID
 * and resume without loss.
 *
 * The browser and the page's event log come from test/helpers/browser.ts.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Daemon } from '../../src/gateway/daemon.ts'
import { channelConfig, stopGateway, type Running } from '../gateway/helpers.ts'
import { broadcastNumbered, DEADLINE_MS, joined, numbers, range, SseStream, startSseGateway } from '../gateway/sse/helpers.ts'
import { resumeGate, type ResumeGate } from './sse-helpers.ts'
import { eventLogPage, launchBrowser, loggedCount, loggedEvents, type Browser, type Page } from '../helpers/browser.ts'

const TOPIC = 'room:browser'
const PAGE = '/__test/sse-page'

/** Opens an EventSource and appends every named event to #log as <li data-event data-id data-data>. */
const html = eventLogPage('sse', `/v1/channels/${encodeURIComponent(TOPIC)}/events`, ['ready', 'msg', 'joined', 'errored', 'gap', 'rejoined', 'shutdown', 'overflow'])

/** One browser for the file; each test gets a page of its own (a fresh browser context). */
let browser: Browser | undefined

before(async () => { browser = await launchBrowser() })

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
  await loggedCount(page, 'ready', 1, DEADLINE_MS)
  return { running, resumes: gate!, page }
}

test('Chromium\'s EventSource gets named events in order with their ids, and resumes with Last-Event-ID after the stream is cut', async (t) => {
  const { running, resumes, page } = await pageOnGateway(t)

  broadcastNumbered(running.phoenix, TOPIC, 'msg', 50)
  await loggedCount(page, 'msg', 50, DEADLINE_MS)
  const epoch = running.daemon.broker.hub.epoch
  const first = await loggedEvents(page)
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

  await loggedCount(page, 'msg', 60, DEADLINE_MS)
  broadcastNumbered(running.phoenix, TOPIC, 'msg', 1, 61)
  await loggedCount(page, 'msg', 61, DEADLINE_MS)
  const all = await loggedEvents(page)
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
  await loggedCount(page, 'msg', 1, DEADLINE_MS)

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

  await loggedCount(page, 'msg', 2, DEADLINE_MS)
  const all = await loggedEvents(page)
  assert.deepEqual(all.map((e) => [e.event, e.id]), [
    ['ready', ''], ['msg', `${epoch}-2`], ['ready', `${epoch}-2`], ['errored', `${epoch}-3`], ['gap', `${epoch}-4`], ['rejoined', `${epoch}-5`], ['msg', `${epoch}-6`],
  ])
  assert.equal((JSON.parse(all[4]!.data) as { reason: string }).reason, 'upstream_disconnected')
})
