/**
 * `backchannel listen`: a channel's messages as JSON lines on stdout, one
 * per message, until interrupted or `--count` messages have arrived.
 */
import { once } from 'node:events'
import { Client } from '../../client/client.ts'
import { UsageError } from '../usage-error.ts'
import { CLIENT_HELP, parseClientArgs } from './client-args.ts'

const HELP = `usage: backchannel listen --url URL --topic TOPIC [--event EVENT] [--count N] [options]

${CLIENT_HELP}
  --event EVENT         only this event
  --count N             exit 0 after N messages

Each line: {"topic": …, "event": …, "payload": …, "at": ISO-8601}.`

export async function runListen (args: string[]): Promise<number> {
  const parsed = parseClientArgs(args, { event: { type: 'string' }, count: { type: 'string' } })
  if (parsed.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const only = parsed.extra['event']
  const rawCount = parsed.extra['count']
  const count = rawCount === undefined ? Number.POSITIVE_INFINITY : Number(rawCount)
  if (!(count > 0) || (Number.isFinite(count) && !Number.isInteger(count))) throw new UsageError('--count takes a positive whole number')
  const client = new Client(parsed.client)
  const stop = new AbortController()
  process.once('SIGINT', () => { stop.abort() })
  process.once('SIGTERM', () => { stop.abort() })
  try {
    await client.connect({ timeout: parsed.timeoutMs })
    const messages = client.messages(parsed.topic, typeof only === 'string' ? { event: only } : {})
    await client.join(parsed.topic, parsed.joinParams, { timeout: parsed.timeoutMs })
    process.stderr.write(`${JSON.stringify({ msg: 'listening', topic: parsed.topic })}\n`)
    let seen = 0
    const aborted = once(stop.signal, 'abort').then(() => null)
    while (seen < count) {
      const next = await Promise.race([messages.next(), aborted])
      if (next === null || next.done === true) break
      seen++
      process.stdout.write(`${JSON.stringify({ topic: parsed.topic, event: next.value.event, payload: next.value.payload, at: new Date().toISOString() })}\n`)
    }
    await messages.return?.()
    return 0
  } finally {
    await client.close()
  }
}
