/**
 * The webhook benchmark: deliveries per second from the gateway's hub,
 * through the webhook sinks and undici, to a local receiver that answers
 * 200 at once, with per-topic order checked by the receiver. The receiver
 * is a child process (node:http), so the gateway and the app each have a
 * core of a 2-core machine. See bench/README.md, "Webhook benchmark".
 *
 *   npm run bench:webhook                       # 16 topics, 200 000 measured deliveries
 *   npx node bench/webhook.ts --quick           # a smoke run; its figures mean nothing
 *   npx node bench/webhook.ts --topics=4 --messages=100000 --window=500
 *   npx node bench/webhook.ts --order-key       # 64 keys per topic, maxInFlight 16 (lanes per key)
 *   npx node bench/webhook.ts --signed          # every request signed (Standard Webhooks, one secret)
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { ChannelConfig } from '../src/gateway/config/types.ts'
import { Hub } from '../src/gateway/hub/hub.ts'
import { Webhooks } from '../src/gateway/webhook/webhooks.ts'
import { LineChild } from './lib/server-child.ts'

const GOAL_PER_S = 10_000

/**
 * The receiver child: answers every POST with an empty 200 and checks
 * order: each topic's ids come in sequence (1, 2, 3…), or with --order-key
 * each (topic, key)'s payload numbers only grow.
 */
async function receiver (byKey: boolean): Promise<void> {
  const last = new Map<string, number>()
  const lastByKey = new Map<string, number>()
  let received = 0
  let outOfOrder = 0
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const topic = String(req.headers['x-backchannel-topic'])
    const id = String(req.headers['x-backchannel-id'])
    const seq = Number(id.slice(id.lastIndexOf('-') + 1))
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => { if (byKey) chunks.push(c) })
    req.on('end', () => {
      received++
      if (byKey) {
        const { n, k } = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { n: number, k: number } }).data
        if (n <= (lastByKey.get(`${topic} ${k}`) ?? 0)) outOfOrder++
        lastByKey.set(`${topic} ${k}`, n)
        last.set(topic, Math.max(last.get(topic) ?? 0, seq))
      } else {
        if (seq !== (last.get(topic) ?? 0) + 1) outOfOrder++
        last.set(topic, seq)
      }
      res.writeHead(200, { 'content-length': '0' })
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const say = (value: Record<string, unknown>): void => { process.stdout.write(`${JSON.stringify(value)}\n`) }
  say({ ready: true, port: (server.address() as AddressInfo).port })
  for await (const line of createInterface({ input: process.stdin })) {
    const { id, cmd } = JSON.parse(line) as { id: number, cmd: string }
    if (cmd === 'cpu') say({ id, ...process.cpuUsage() })
    else if (cmd === 'stats') say({ id, received, outOfOrder, topics: Object.fromEntries(last) })
    else if (cmd === 'close') {
      server.closeAllConnections()
      server.close()
      say({ id })
      break
    } else say({ id, error: `unknown command ${cmd}` })
  }
}

interface Options { topics: number, messages: number, warmup: number, window: number, orderKey: boolean, payloadBytes: number, signed: boolean }

/** A Standard Webhooks secret for --signed: 32 bytes, base64. */
const BENCH_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`

interface Run { deliveries: number, seconds: number, cpuMs: number, receiverCpuMs: number, p50: number, p99: number, deadLetters: number }

function percentile (sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0)
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      topics: { type: 'string', default: '16' },
      messages: { type: 'string' },
      window: { type: 'string', default: '64' },
      'order-key': { type: 'boolean', default: false },
      signed: { type: 'boolean', default: false },
      payload: { type: 'string', default: '100' },
    },
  })
  const messages = Number(values.messages ?? (values.quick ? 20_000 : 200_000))
  const options: Options = { topics: Number(values.topics), messages, warmup: Math.max(2000, Math.floor(messages / 10)), window: Number(values.window), orderKey: values['order-key'], payloadBytes: Number(values.payload), signed: values.signed }

  const child = await LineChild.start(fileURLToPath(import.meta.url), ['--receiver', ...(options.orderKey ? ['--order-key'] : [])])
  const url = `http://127.0.0.1:${Number(child.ready['port'])}/hook`
  const channels: ChannelConfig[] = Array.from({ length: options.topics }, (_, i) => ({
    name: `t${i}`,
    topic: `bench:${i}`,
    upstream: 'main',
    params: {},
    required: false,
    replay: 100,
    webhook: {
      url,
      headers: { authorization: 'Bearer bench' },
      signingSecrets: options.signed ? [BENCH_SECRET] : [],
      format: 'cloudevents',
      timeoutMs: 10_000,
      maxAttempts: 10,
      maxAgeMs: 600_000,
      backoff: { initialMs: 100, maxMs: 1000, multiplier: 2 },
      maxInFlight: 16,
      queueSize: 10_000,
      overflow: 'drop-newest',
      orderKey: options.orderKey ? '/k' : null,
      deadLetter: null,
    },
  }))
  const hub = new Hub(channels, { epoch: 'bench', now: Date.now })
  const webhooks = new Webhooks(hub, { clients: new Map(), resolve: async (s) => typeof s === 'object' ? '' : String(s), random: Math.random, now: Date.now })
  await webhooks.start()
  let delivered = 0
  let deadLetters = 0
  let latencies = new Float64Array(options.messages)
  let wake: (() => void) | null = null
  let target = 0
  webhooks.events.on('delivered', (e) => {
    if (delivered < latencies.length) latencies[delivered] = e.seconds
    delivered++
    if (delivered >= target && wake !== null) wake()
  })
  webhooks.events.on('dead_letter', () => { deadLetters++ })
  const pad = 'x'.repeat(options.payloadBytes)
  const sent = new Array<number>(options.topics).fill(0)
  let offered = 0
  let budget = 0
  const publish = (i: number): void => {
    const n = ++sent[i]!
    offered++
    hub.onMessage('main', `bench:${i}`, 'msg', { n, k: n % 64, p: pad })
  }
  // As Phoenix would: each topic has `window` messages outstanding; each delivery brings the next one.
  webhooks.events.on('delivered', (e) => {
    if (offered < budget) publish(Number(e.subscription.slice(1)))
  })

  /** Publishes `count` messages and resolves when all are delivered. */
  const run = async (count: number): Promise<Run> => {
    delivered = 0
    deadLetters = 0
    latencies = new Float64Array(count)
    target = count
    offered = 0
    budget = count
    const cpu0 = process.cpuUsage()
    const rcpu0 = await child.cpu()
    const started = performance.now()
    const done = new Promise<void>((resolve) => { wake = resolve })
    for (let k = 0; k < Math.min(count, options.window * options.topics); k++) publish(k % options.topics)
    await done
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpu0)
    const rcpu = await child.cpu()
    const sorted = latencies.slice(0, Math.min(count, latencies.length)).sort()
    return {
      deliveries: count,
      seconds,
      cpuMs: (cpu.user + cpu.system) / 1000,
      receiverCpuMs: (rcpu.user + rcpu.system - rcpu0.user - rcpu0.system) / 1000,
      p50: percentile(sorted, 0.5) * 1000,
      p99: percentile(sorted, 0.99) * 1000,
      deadLetters,
    }
  }

  await run(options.warmup)
  const measured = await run(options.messages)
  const stats = await child.call('stats')
  await webhooks.close(performance.now() + 5000)
  await child.close()

  const rate = measured.deliveries / measured.seconds
  const lastSeen = stats['topics'] as Record<string, number>
  const expected = options.warmup + options.messages
  // Every topic's last id is the last message published on it, and none came out of order.
  const orderKept = Number(stats['outOfOrder']) === 0 && Number(stats['received']) === expected && sent.every((n, i) => lastSeen[`bench:${i}`] === n)
  const lines = [
    `## Webhook delivery — ${new Date().toISOString()}`,
    '',
    `Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Config: ${options.topics} topics, ${options.orderKey ? 'order per (topic, key) with 64 keys, maxInFlight 16' : 'order per topic (one lane each)'}, window ${options.window} held per topic, payload ${options.payloadBytes} B of padding, CloudEvents body${options.signed ? ', signed' : ''}; ${options.warmup} warm-up deliveries, then ${options.messages} measured.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| deliveries/s | ${Math.round(rate).toLocaleString('en-US')} |`,
    `| wall time | ${measured.seconds.toFixed(2)} s |`,
    `| gateway CPU per delivery | ${(measured.cpuMs * 1000 / measured.deliveries).toFixed(1)} µs (${Math.round(100 * measured.cpuMs / 1000 / measured.seconds)} % of a core) |`,
    `| receiver CPU per delivery | ${(measured.receiverCpuMs * 1000 / measured.deliveries).toFixed(1)} µs (${Math.round(100 * measured.receiverCpuMs / 1000 / measured.seconds)} % of a core) |`,
    `| delivery latency p50 / p99 (arrival → 200) | ${measured.p50.toFixed(2)} / ${measured.p99.toFixed(2)} ms |`,
    `| dead letters | ${measured.deadLetters} |`,
    `| received / out of order | ${String(stats['received'])} / ${String(stats['outOfOrder'])} |`,
    '',
    `Goal ≥ ${GOAL_PER_S.toLocaleString('en-US')} deliveries/s: ${rate >= GOAL_PER_S ? 'PASS' : 'FAIL'}. ${options.orderKey ? 'Per-(topic, key) order kept (each key\'s messages arrived in the order published' : 'Per-topic order kept (each topic\'s ids arrived 1, 2, 3… up to its last, no gap, no repeat'}; ${expected} in all): ${orderKept ? 'PASS' : 'FAIL'}.`,
    '',
  ]
  process.stdout.write(lines.join('\n'))
  if (rate < GOAL_PER_S || !orderKept || measured.deadLetters > 0) process.exitCode = 1
}

if (process.argv.includes('--receiver')) await receiver(process.argv.includes('--order-key'))
else await main()
