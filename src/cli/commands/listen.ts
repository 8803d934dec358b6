/**
 * `backchannel listen`: a channel's messages as JSON lines on stdout, one
 * per message, until interrupted or `--count` messages have arrived. With
 * `--count`, `--deadline` bounds the whole wait: a quiet topic ends it with
 * exit status 4 instead of waiting forever.
 */
import { once } from 'node:events'
import { Client } from '../../client/client.ts'
import { UsageError } from '../usage-error.ts'
import { CLIENT_HELP, parseClientArgs } from './client-args.ts'

const HELP = `usage: backchannel listen --url URL --topic TOPIC [--event EVENT] [--count N [--deadline MS]] [options]

${CLIENT_HELP}
  --event EVENT         only this event
  --count N             exit 0 after N messages
  --deadline MS         with --count: give up when N messages have not arrived
                        within MS of the start (default 60000); exit 4

Each line: {"topic": …, "event": …, "payload": …, "at": ISO-8601}.
Without --count it listens until SIGINT or SIGTERM.
Exit status: 0 done, 1 failure (connect, join), 2 bad usage, 4 deadline passed.`

/** Exit status when `--count` messages did not arrive before `--deadline` (docs/cli.md). */
export const EXIT_DEADLINE = 4
const DEFAULT_DEADLINE_MS = 60_000

export async function runListen (args: string[]): Promise<number> {
  const parsed = parseClientArgs(args, { event: { type: 'string' }, count: { type: 'string' }, deadline: { type: 'string' } })
  if (parsed.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const only = parsed.extra['event']
  const rawCount = parsed.extra['count']
  const count = rawCount === undefined ? Number.POSITIVE_INFINITY : Number(rawCount)
  if (!(count > 0) || (Number.isFinite(count) && !Number.isInteger(count))) throw new UsageError('--count takes a positive whole number')
  const rawDeadline = parsed.extra['deadline']
  if (rawDeadline !== undefined && rawCount === undefined) throw new UsageError('--deadline needs --count (without it, listen runs until interrupted)')
  const deadlineMs = rawDeadline === undefined ? DEFAULT_DEADLINE_MS : Number(rawDeadline)
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0 || deadlineMs > 2_147_483_647) throw new UsageError(`--deadline takes a positive whole number of ms, got "${String(rawDeadline)}"`)
  const client = new Client(parsed.client)
  const stop = new AbortController()
  const expired = Number.isFinite(count) ? AbortSignal.timeout(deadlineMs) : null
  process.once('SIGINT', () => { stop.abort() })
  process.once('SIGTERM', () => { stop.abort() })
  try {
    await client.connect({ timeout: parsed.timeoutMs })
    const messages = client.messages(parsed.topic, typeof only === 'string' ? { event: only } : {})
    await client.join(parsed.topic, parsed.joinParams, { timeout: parsed.timeoutMs })
    process.stderr.write(`${JSON.stringify({ msg: 'listening', topic: parsed.topic })}\n`)
    let seen = 0
    const aborted = once(stop.signal, 'abort').then(() => null)
    const late = expired === null ? null : once(expired, 'abort').then(() => 'late' as const)
    while (seen < count) {
      const next = await Promise.race(late === null ? [messages.next(), aborted] : [messages.next(), aborted, late])
      if (next === 'late') {
        process.stderr.write(`${JSON.stringify({ msg: 'deadline passed', topic: parsed.topic, received: seen, count, deadlineMs })}\n`)
        await messages.return?.()
        return EXIT_DEADLINE
      }
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
