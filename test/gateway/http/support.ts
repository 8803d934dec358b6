/**
 * Shared helpers for the HTTP API tests: a gateway in-process against a fake
 * Phoenix server (both on port 0), its warnings and errors captured, requests
 * over real HTTP with a deadline each, waits on the gateway's client events,
 * and the one problem shape checked on every error.
 */
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { pino } from 'pino'
import type { Client } from '../../../src/client/client.ts'
import type { ChannelConfig, Config, UpstreamConfig } from '../../../src/gateway/config/types.ts'
import { createDaemon, type Daemon } from '../../../src/gateway/daemon.ts'
import type { SubscriptionState } from '../../../src/gateway/hub/subscription.ts'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../../src/testing/index.ts'
import { channelConfig, gatewayConfig, literal, upstreamConfig } from '../helpers.ts'
import { nextEvent } from '../../helpers/wait.ts'

/** Every request gets an answer within this, or the test fails (generous: it only guards against hangs). */
export const REQUEST_DEADLINE_MS = 10_000

export interface LogLine { level: number, msg?: string, status?: number, err?: unknown }

export interface Gw {
  phoenix: FakePhoenix
  daemon: Daemon
  base: string
  /** Log lines at warn and above (requests rejected, upstream trouble, and what must not happen: a double reply, an unexpected error). */
  logs: LogLine[]
  /** Every join the fake server answered, in order. */
  joins: Array<{ topic: string, joinRef: string | null, status: string }>
  /** The wall clock the hub reads (for the readiness grace), when the test controls it. */
  clock: { ms: number }
}

export interface GwOptions {
  phoenix?: FakePhoenixOptions
  config?: Partial<Config>
  upstream?: Partial<UpstreamConfig>
  /** The upstream url the gateway is given, from the fake server's endpoint (default: the endpoint itself). */
  url?: (endpoint: string) => string
  /** Runs after the fake server listens and before the gateway starts. */
  beforeStart?: (phoenix: FakePhoenix) => void
  /** Let the test move the hub's clock (`gw.clock.ms`) instead of the real one. */
  manualClock?: boolean
}

function captureLogger (logs: LogLine[]): ReturnType<typeof pino> {
  return pino({ level: 'warn' }, { write (line: string) { logs.push(JSON.parse(line) as LogLine) } })
}

/** Closes what a test started, last started first, after the test. */
function cleanupStack (t: TestContext): (close: () => Promise<void>) => void {
  const stack: Array<() => Promise<void>> = []
  t.after(async () => { for (const close of stack.reverse()) await close() })
  return (close) => { stack.push(close) }
}

async function startDaemon (defer: (close: () => Promise<void>) => void, config: Config, phoenix: FakePhoenix, options: GwOptions): Promise<Gw> {
  const logs: LogLine[] = []
  const joins: Gw['joins'] = []
  phoenix.events.on('join', (e) => { joins.push({ topic: e.topic, joinRef: e.joinRef, status: e.status }) })
  options.beforeStart?.(phoenix)
  const clock = { ms: Date.now() }
  const daemon = await createDaemon(config, {
    logger: captureLogger(logs),
    resolve: literal,
    ...(options.manualClock === true ? { now: () => clock.ms } : {}),
  })
  defer(async () => { await daemon.close() })
  const base = await daemon.start()
  return { phoenix, daemon, base, logs, joins, clock }
}

/** A gateway with one upstream (`main`) on a fresh fake server; everything is closed after the test. */
export async function startGw (t: TestContext, channels: ChannelConfig[], options: GwOptions = {}): Promise<Gw> {
  const defer = cleanupStack(t)
  const phoenix = await startFakePhoenix(options.phoenix)
  defer(async () => { await phoenix.close() })
  return startDaemon(defer, gatewayConfig(options.url?.(phoenix.endpoint) ?? phoenix.endpoint, channels, options.config, options.upstream), phoenix, options)
}

/** A gateway with two upstreams, `a` and `b`, on two fake servers. */
export async function startTwoUpstreams (t: TestContext, channels: ChannelConfig[], a: FakePhoenixOptions, b: FakePhoenixOptions): Promise<Gw & { phoenixB: FakePhoenix }> {
  const defer = cleanupStack(t)
  const phoenixA = await startFakePhoenix(a)
  defer(async () => { await phoenixA.close() })
  const phoenixB = await startFakePhoenix(b)
  defer(async () => { await phoenixB.close() })
  const config = gatewayConfig(phoenixA.endpoint, channels)
  config.upstreams = [upstreamConfig(phoenixA.endpoint, { name: 'a' }), upstreamConfig(phoenixB.endpoint, { name: 'b' })]
  return { ...await startDaemon(defer, config, phoenixA, {}), phoenixB }
}

export function clientOf (gw: Gw, upstream = 'main'): Client {
  const client = gw.daemon.broker.clients.get(upstream)
  assert.ok(client !== undefined, `no client for upstream ${upstream}`)
  return client
}

export function stateOf (gw: Gw, topic: string, upstream = 'main'): SubscriptionState | undefined {
  return gw.daemon.broker.hub.get(upstream, topic)?.state
}

/** Resolves once the gateway's subscription to `topic` is joined (at once if it already is). */
export async function joined (gw: Gw, topic: string, upstream = 'main'): Promise<void> {
  // Checked and subscribed in the same tick: the join cannot slip in between.
  if (stateOf(gw, topic, upstream) === 'joined') return
  await nextEvent(clientOf(gw, upstream).events, 'join_ok', (e) => e.topic === topic)
}

export interface HttpResult {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown
  bytes: Buffer
}

export interface RequestOptions {
  method?: string
  /** Sent as JSON with content-type application/json. */
  json?: unknown
  body?: string | Uint8Array
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** One HTTP request over a real socket, with a deadline. */
export async function http (base: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers }
  let body: string | Uint8Array | undefined = options.body
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = JSON.stringify(options.json)
  }
  const deadline = AbortSignal.timeout(REQUEST_DEADLINE_MS)
  const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal])
  const res = await fetch(`${base}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }), signal })
  const bytes = Buffer.from(await res.arrayBuffer())
  const text = bytes.toString('utf8')
  let json: unknown
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) json = JSON.parse(text)
  return { status: res.status, headers: res.headers, text, json, bytes }
}

/** POST /v1/channels/{topic}/push with a JSON body; `topic` goes into the path as given (encode it yourself). */
export async function push (gw: Gw, topic: string, body: unknown, options: Omit<RequestOptions, 'json' | 'body'> & { query?: string } = {}): Promise<HttpResult> {
  return http(gw.base, `/v1/channels/${topic}/push${options.query ?? ''}`, { ...options, method: 'POST', json: body })
}

/**
 * The one problem shape: `{ error: { code, message, details? } }` and
 * nothing else, a stable BC_ERR_ code, JSON content type, and no stack or
 * source paths anywhere in the body.
 */
export function assertProblem (res: HttpResult, status: number, code: string): { code: string, message: string, details?: unknown } {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${res.status}: ${res.text}`)
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  const body = res.json as Record<string, unknown>
  assert.deepEqual(Object.keys(body), ['error'])
  const error = body['error'] as Record<string, unknown>
  assert.deepEqual(Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k)), [], 'only code, message and details')
  assert.equal(error['code'], code)
  assert.match(code, /^BC_ERR_[A-Z_]+$/)
  assert.equal(typeof error['message'], 'string')
  assert.notEqual(error['message'], '')
  assert.doesNotMatch(res.text, /\bstack\b|\n\s+at |\.ts:\d+|node_modules|\/work\//, 'no stack or internal detail')
  if (status === 503) assert.match(res.headers.get('retry-after') ?? '', /^\d+$/, 'a 503 carries Retry-After')
  return error as { code: string, message: string, details?: unknown }
}

/**
 * Nothing went wrong inside the broker: no unexpected error (a 500), no
 * second reply to one request (fastify warns "Reply was already sent"),
 * nothing fatal. Expected warnings (a request rejected, an upstream down)
 * are fine.
 */
export function assertQuietLogs (gw: Gw): void {
  const bad = gw.logs.filter((l) => l.msg === 'unexpected error' || /already sent/i.test(l.msg ?? '') || l.status === 500 || l.level >= 60)
  assert.deepEqual(bad, [], 'no unexpected error, double reply or fatal log')
}

/** A gateway whose channel `topic` joined, then lost its upstream (the fake server stopped abruptly). */
export async function gatewayWithUpstreamDown (t: TestContext, topic: string, options: GwOptions = {}): Promise<Gw> {
  const gw = await startGw(t, [channelConfig(topic)], options)
  await joined(gw, topic)
  const down = nextEvent(clientOf(gw).events, 'disconnect')
  await gw.phoenix.faults.stop('abrupt')
  await down
  return gw
}
