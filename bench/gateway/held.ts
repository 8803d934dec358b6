/**
 * The held phase: what a topic's held events take on the gateway's heap per
 * message, read by one SSE stream and by two. A short event's SSE text is
 * kept beside it only while the topic has more than one reader (a fan-out
 * then writes one string), so the two rows differ by that text. The
 * gateway's heap after full collections, before and after `messages`
 * broadcasts of `eventSize` padding to `room:bench` that every reader has
 * received; its ring holds them all (16 MiB at the default config).
 */
import { untilOpenStreams } from '../lib/server-child.ts'
import { GATEWAY_EVENTS, baseOf, latencyBuffer, memoryOf, type GatewayBenchConfig, type Servers } from './scenarios.ts'
import { Capture, SseReaders } from './sse-readers.ts'

export interface HeldRow { readers: number, messages: number, heapPerMessage: number }

const MESSAGES = 20_000

export async function heldPhase (s: Servers, config: GatewayBenchConfig): Promise<HeldRow[]> {
  const rows: HeldRow[] = []
  for (const n of [1, 2]) {
    process.stderr.write(`held: ${MESSAGES} messages held, ${n} reader(s)\n`)
    const readers = await SseReaders.open(baseOf(s.broker), GATEWAY_EVENTS, n)
    try {
      await untilOpenStreams(s.broker, n)
      const before = memoryOf(await s.broker.call('mem', { gc: true }))
      const capture = new Capture(n, MESSAGES, latencyBuffer)
      readers.capture = capture
      await s.fake.broadcast({ topic: 'room:bench', event: 'tick', count: MESSAGES, from: 0, size: config.eventSize })
      await Promise.race([capture.until(MESSAGES, 60_000), readers.cut])
      readers.capture = null
      const after = memoryOf(await s.broker.call('mem', { gc: true }))
      rows.push({ readers: n, messages: MESSAGES, heapPerMessage: (after.heapUsed - before.heapUsed) / MESSAGES })
    } finally {
      readers.close()
      await untilOpenStreams(s.broker, 0)
    }
  }
  return rows
}

export function heldSection (config: GatewayBenchConfig, rows: readonly HeldRow[]): string {
  return [
    '### Held events',
    '',
    `Payload \`{ t, s, p: ${config.eventSize} × "x" }\`. The gateway's V8 heap used after full collections, before and after ${rows[0]?.messages.toLocaleString('en-US') ?? '–'} broadcasts to \`room:bench\` that every reader received (its ring holds them all), per message.`,
    '',
    '| SSE readers of the topic | heap per held message, B |',
    '| ---: | ---: |',
    ...rows.map((r) => `| ${r.readers} | ${Math.round(r.heapPerMessage)} |`),
  ].join('\n')
}
