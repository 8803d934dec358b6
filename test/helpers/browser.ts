/**
 * Headless Chromium for the tests that read SSE with a real browser: the
 * browser (Chromium from npm, driven by playwright-core), a page that logs
 * every named event of an EventSource into the DOM, and the calls that
 * read that log back.
 *
 * playwright-core's type declarations need the DOM lib, which this project
 * does not compile with, so it is loaded through a specifier TypeScript does
 * not resolve and typed here by the little the tests use.
 */
import assert from 'node:assert/strict'
import { CHROMIUM_ARGS, chromiumLaunch } from './chromium.ts'

export interface Page {
  goto: (url: string) => Promise<unknown>
  fill: (selector: string, value: string) => Promise<void>
  click: (selector: string) => Promise<void>
  waitForFunction: (expression: string, arg: unknown, options: { timeout: number }) => Promise<unknown>
  evaluate: (expression: string) => Promise<unknown>
  close: () => Promise<void>
}

export interface Browser {
  newPage: () => Promise<Page>
  close: () => Promise<void>
}

interface Playwright { chromium: { launch: (options: { executablePath: string, env: Record<string, string>, headless: boolean, args: string[] }) => Promise<Browser> } }

const PLAYWRIGHT: string = 'playwright-core'

/** Headless Chromium from npm (test/helpers/chromium.ts), so a browser test runs wherever npm ci ran. */
export async function launchBrowser (): Promise<Browser> {
  const { chromium } = await import(PLAYWRIGHT) as Playwright
  return await chromium.launch({ ...await chromiumLaunch(), headless: true, args: CHROMIUM_ARGS })
}

/** An event as a page listed it: `<li data-event data-id data-data>`. */
export interface LoggedEvent { event: string, id: string, data: string }

/** How `eventLogPage` opens its stream: a cookie to set first (name=value), and EventSource's `withCredentials`. */
export interface EventLogOptions { cookie?: string, withCredentials?: boolean }

/**
 * A page that opens an EventSource on `url` and appends each event named in `names` to `#log`; `window.errors` counts
 * its `error` events. With `cookie`, the page sets it (path /, SameSite=Lax) before opening the stream.
 */
export function eventLogPage (title: string, url: string, names: readonly string[], options: EventLogOptions = {}): string {
  return `<!doctype html>
<meta charset="utf-8"><title>${title}</title>
<ol id="log"></ol>
<script>
  ${options.cookie === undefined ? '' : `document.cookie = ${JSON.stringify(`${options.cookie}; path=/; SameSite=Lax`)}`}
  const log = document.getElementById('log')
  const es = new EventSource(${JSON.stringify(url)}${options.withCredentials === true ? ', { withCredentials: true }' : ''})
  for (const name of ${JSON.stringify(names)}) {
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
}

/** The events the page lists under `list` (an `<ol>` of `<li data-event data-id data-data>`), in order. */
export async function loggedEvents (page: Page, list = '#log'): Promise<LoggedEvent[]> {
  const json = await page.evaluate(`JSON.stringify([...document.querySelectorAll(${JSON.stringify(`${list} li`)})].map((li) => ({ event: li.dataset.event, id: li.dataset.id, data: li.dataset.data })))`)
  assert.equal(typeof json, 'string')
  return JSON.parse(json as string) as LoggedEvent[]
}

/** Waits up to `ms` until the page lists exactly `count` events named `event` under `list`. */
export async function loggedCount (page: Page, event: string, count: number, ms: number, list = '#log'): Promise<void> {
  // A string is evaluated as an expression (a function in a string would be truthy at once).
  const expression = `document.querySelectorAll(${JSON.stringify(`${list} li[data-event="${event}"]`)}).length === ${count}`
  await page.waitForFunction(expression, undefined, { timeout: ms })
}
