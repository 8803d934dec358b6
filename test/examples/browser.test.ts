/**
 * examples/browser/index.html in headless Chromium (driven by
 * playwright-core), served by the demo gateway at /examples/browser/ as
 * examples/start-demo.ts serves it: the form's push gets its reply, the
 * page's EventSource lists the broadcasts, and after the stream is cut
 * Chromium's own reconnect sends Last-Event-ID and the page gets what was
 * sent meanwhile, nothing lost and nothing twice.
 *
 * The browser and the page's event log come from test/helpers/browser.ts.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BROWSER_PAGE } from '../../examples/start-demo.ts'
import { DEADLINE_MS, SseStream } from '../gateway/sse/helpers.ts'
import { resumeGate, type ResumeGate } from '../peers/sse-helpers.ts'
import { demo, idsFrom, seqOf } from './helpers.ts'
import { launchBrowser, loggedCount, loggedEvents, type Browser, type Page } from '../helpers/browser.ts'

let browser: Browser | undefined

before(async () => { browser = await launchBrowser() })

after(async () => { await browser?.close() })

async function textOf (page: Page, selector: string): Promise<string> {
  return String(await page.evaluate(`document.querySelector(${JSON.stringify(selector)}).textContent`))
}

/** Pushes the form's text and waits for the reply to show. */
async function pushFromForm (page: Page, text: string): Promise<string> {
  await page.evaluate('document.getElementById("reply").textContent = ""')
  await page.fill('#text', text)
  await page.click('#send')
  await page.waitForFunction('document.getElementById("reply").textContent !== ""', undefined, { timeout: DEADLINE_MS })
  return textOf(page, '#reply')
}

test('the browser page pushes with its form, lists the events, and Chromium\'s reconnect resumes with Last-Event-ID without loss', async (t) => {
  let gate: ResumeGate | undefined
  const running = await demo(t, { prepare: (daemon) => { gate = resumeGate(daemon) } })
  const resumes = gate!
  if (browser === undefined) throw new Error('the browser did not start')
  const page = await browser.newPage()
  t.after(() => page.close())
  await page.goto(`${running.backchannelUrl}${BROWSER_PAGE}`)
  await loggedCount(page, 'ready', 1, DEADLINE_MS, '#events')
  assert.equal(await textOf(page, '#topic'), 'room:demo')
  await page.waitForFunction('document.getElementById("status").textContent === "open"', undefined, { timeout: DEADLINE_MS })

  assert.equal(await pushFromForm(page, 'one'), 'HTTP 200 {"status":"ok","response":{}}', 'the reply, shown in the page')
  assert.equal(await pushFromForm(page, 'two'), 'HTTP 200 {"status":"ok","response":{}}')
  await loggedCount(page, 'news', 2, DEADLINE_MS, '#events')
  const epoch = running.daemon.broker.hub.epoch
  const before = await loggedEvents(page, '#events')

  // Cut the stream; hold Chromium's reconnect until two more messages are in the replay ring.
  resumes.hold()
  for (const stream of running.daemon.broker.readers) stream.end('shutdown', { reason: 'test' }, 30)
  assert.equal(await resumes.resumed(0), before[2]!.id, 'Chromium sends the id of the last event it saw')
  const watch = await SseStream.open(running.backchannelUrl, 'room:demo')
  t.after(() => { watch.close() })
  for (const text of ['three', 'four']) {
    const pushed = await fetch(`${running.backchannelUrl}/v1/channels/room:demo/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'news', payload: { from: 'test', text } }),
    })
    assert.equal(pushed.status, 200)
  }
  await watch.until('both messages in the gateway', (s) => s.named('news').length === 2)
  resumes.release()

  await loggedCount(page, 'news', 4, DEADLINE_MS, '#events')
  const all = await loggedEvents(page, '#events')
  assert.deepEqual(all.map((e) => e.event), ['ready', 'news', 'news', 'shutdown', 'ready', 'news', 'news'])
  const news = all.filter((e) => e.event === 'news')
  assert.deepEqual(news.map((e) => JSON.parse(e.data) as unknown), [
    { from: 'browser', text: 'one' }, { from: 'browser', text: 'two' }, { from: 'test', text: 'three' }, { from: 'test', text: 'four' },
  ], 'every message once, in order')
  assert.deepEqual(news.map((e) => e.id), idsFrom(epoch, seqOf(news[0]!.id), 4))
  assert.deepEqual(JSON.parse(all[3]!.data), { lastEventId: before[2]!.id, reason: 'test' })
  assert.deepEqual(resumes.resumes, [before[2]!.id])
})

test('the browser page is served from the gateway\'s origin, so its EventSource and fetch need no CORS', async (t) => {
  const running = await demo(t)
  const res = await fetch(`${running.backchannelUrl}${BROWSER_PAGE}`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/)
  const html = await res.text()
  assert.match(html, /new EventSource\(`\$\{api\}\/events`\)/)
  assert.match(html, /const api = `\/v1\/channels\//, 'the page uses paths on its own origin')
})
