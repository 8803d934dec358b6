/**
 * Browser tokens and CORS in a real browser: headless Chromium loads a page
 * from one origin (a plain HTTP server on one port) and talks to the
 * gateway on another port, as an app's page talks to a sidecar on its own
 * host name.
 *
 *  - EventSource with `withCredentials` sends the token cookie the page
 *    set, and reads the channel's messages;
 *  - a `fetch` with credentials and an Authorization header is preflighted
 *    and succeeds from the allowed origin, and is blocked from another;
 *  - a token that expires ends its stream with `token_expired` (waited on
 *    in the page, not slept on);
 *  - a token whose claims do not cover a topic gets 403 in the problem
 *    shape, readable by the page.
 */
import { after, before, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { channelConfig } from '../gateway/helpers.ts'
import { joined, type Gw } from '../gateway/http/support.ts'
import { DEADLINE_MS } from '../gateway/sse/helpers.ts'
import { eventLogPage, launchBrowser, loggedCount, loggedEvents, type Browser, type Page } from '../helpers/browser.ts'
import { nowSeconds, sign, startTokenGw, tokenFor, tokensConfig } from '../gateway/access/support.ts'

const TOPIC = 'room:lobby'
const SECRET_TOPIC = 'room:staff'

let browser: Browser | undefined
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

/** An HTTP server on port 0 serving one HTML page at `/`; resolves with its origin. */
async function pageServer (t: TestContext, html: () => string): Promise<string> {
  const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html()) })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(async () => { server.closeAllConnections(); server.close() })
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`
}

async function newPage (t: TestContext): Promise<Page> {
  if (browser === undefined) throw new Error('the browser did not start')
  const page = await browser.newPage()
  t.after(async () => { await page.close() })
  return page
}

/** A page that sets the token cookie (when given), then opens an EventSource with credentials on `url`, logging named events to #log. */
function streamPage (url: string, token: string | null, names: readonly string[]): string {
  return eventLogPage('tokens', url, names, { ...(token === null ? {} : { cookie: `backchannel_token=${token}` }), withCredentials: true })
}

/** The gateway, with CORS allowing `origin` with credentials. */
async function gatewayFor (t: TestContext, origin: string, leewayMs = 5000): Promise<Gw> {
  const gw = await startTokenGw(t, [channelConfig(TOPIC), channelConfig(SECRET_TOPIC)], {
    tokens: tokensConfig({ leewayMs }),
    cors: { origins: [origin], credentials: true, maxAgeSeconds: 0 },
    sse: { retryMs: 60_000 },
  })
  await joined(gw, TOPIC)
  return gw
}

const eventsUrl = (gw: Gw, topic: string): string => `${gw.base}/v1/channels/${encodeURIComponent(topic)}/events`

test('EventSource from another origin sends the token cookie (withCredentials) and reads the channel', async (t) => {
  let html = ''
  const origin = await pageServer(t, () => html)
  const gw = await gatewayFor(t, origin)
  html = streamPage(eventsUrl(gw, TOPIC), await tokenFor({ subscribe: [TOPIC] }), ['ready', 'msg'])
  const page = await newPage(t)
  await page.goto(origin)
  await loggedCount(page, 'ready', 1, DEADLINE_MS)
  for (let n = 1; n <= 3; n++) gw.phoenix.broadcast(TOPIC, 'msg', { n })
  await loggedCount(page, 'msg', 3, DEADLINE_MS)
  const events = await loggedEvents(page)
  assert.deepEqual(events.filter((e) => e.event === 'msg').map((e) => JSON.parse(e.data) as unknown), [{ n: 1 }, { n: 2 }, { n: 3 }])
})

test('a fetch with credentials and a bearer token is preflighted and succeeds from the allowed origin, and is blocked from another', async (t) => {
  const origin = await pageServer(t, () => '<!doctype html><title>allowed</title>')
  const elsewhere = await pageServer(t, () => '<!doctype html><title>elsewhere</title>')
  const gw = await gatewayFor(t, origin)
  const token = await tokenFor({ subscribe: [TOPIC], publish: [TOPIC] })
  const pushFrom = (page: Page): Promise<unknown> => page.evaluate(`fetch(${JSON.stringify(`${gw.base}/v1/channels/${encodeURIComponent(TOPIC)}/push`)}, {
      method: 'POST', credentials: 'include',
      headers: { authorization: 'Bearer ${token}', 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'echo', payload: { from: 'page' } }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }), (err) => ({ blocked: err.name }))`)

  const allowed = await newPage(t)
  await allowed.goto(origin)
  const ok = await pushFrom(allowed) as { status: number, body: { status: string, response: unknown } }
  assert.equal(ok.status, 200)
  assert.equal(ok.body.status, 'ok')

  const other = await newPage(t)
  await other.goto(elsewhere)
  assert.deepEqual(await pushFrom(other), { blocked: 'TypeError' }, 'the browser blocks it: the preflight is refused')
})

test('a token that expires ends its stream in the browser with token_expired, naming the last id', async (t) => {
  let html = ''
  const origin = await pageServer(t, () => html)
  const gw = await gatewayFor(t, origin, 0)
  html = streamPage(eventsUrl(gw, TOPIC), await sign({ sub: 'u', exp: nowSeconds() + 2, backchannel: { subscribe: [TOPIC] } }), ['ready', 'msg', 'token_expired'])
  const page = await newPage(t)
  await page.goto(origin)
  await loggedCount(page, 'ready', 1, DEADLINE_MS)
  gw.phoenix.broadcast(TOPIC, 'msg', { n: 1 })
  await loggedCount(page, 'msg', 1, DEADLINE_MS)
  await loggedCount(page, 'token_expired', 1, 10_000)
  const events = await loggedEvents(page)
  const last = events.filter((e) => e.event === 'msg').at(-1)
  assert.deepEqual(JSON.parse(events.at(-1)!.data), { lastEventId: last?.id, reason: 'token_expired' })
})

test('a token whose claims do not cover the topic gets 403 in our problem shape, which the page can read; its EventSource fails', async (t) => {
  let html = ''
  const origin = await pageServer(t, () => html)
  const gw = await gatewayFor(t, origin)
  const token = await tokenFor({ subscribe: [TOPIC] })
  html = streamPage(eventsUrl(gw, SECRET_TOPIC), token, ['ready'])
  const page = await newPage(t)
  await page.goto(origin)
  await page.waitForFunction('window.errors >= 1 && es.readyState === 2', undefined, { timeout: DEADLINE_MS })
  assert.deepEqual(await loggedEvents(page), [], 'no stream opened')
  const answer = await page.evaluate(`fetch(${JSON.stringify(eventsUrl(gw, SECRET_TOPIC))}, { credentials: 'include' }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.json() }))`)
  assert.deepEqual(answer, {
    status: 403,
    type: 'application/json; charset=utf-8',
    body: { error: { code: 'BC_ERR_TOPIC_FORBIDDEN', message: `the token's claims do not let it subscribe to "${SECRET_TOPIC}"`, details: { topic: SECRET_TOPIC, action: 'subscribe' } } },
  })
})
