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
  process.once('SIGINT', () => { stop.abort() })
  process.once('SIGTERM', () => { stop.abort() })
  let seen = 0
  // Aborted when the deadline passes, so a connect or join under way stops waiting.
  const cancel = new AbortController()
  const work = (async (): Promise<number> => {
    await client.connect({ timeout: parsed.timeoutMs, signal: cancel.signal })
    const messages = client.messages(parsed.topic, typeof only === 'string' ? { event: only } : {})
    await client.join(parsed.topic, parsed.joinParams, { timeout: parsed.timeoutMs, signal: cancel.signal })
    process.stderr.write(`${JSON.stringify({ msg: 'listening', topic: parsed.topic })}\n`)
    const aborted = once(stop.signal, 'abort').then(() => null)
    while (seen < count) {
      const next = await Promise.race([messages.next(), aborted])
      if (next === null || next.done === true) break
      seen++
      process.stdout.write(`${JSON.stringify({ topic: parsed.topic, event: next.value.event, payload: next.value.payload, at: new Date().toISOString() })}\n`)
    }
    await messages.return?.()
    return 0
  })()
  try {
    if (!Number.isFinite(count)) return await work
    // The deadline covers connecting and joining too; once it passes, closing the client ends the work.
    const expired = AbortSignal.timeout(deadlineMs)
    const late = once(expired, 'abort').then(() => 'late' as const)
    const outcome = await Promise.race([work, late])
    if (outcome !== 'late') return outcome
    work.catch(() => undefined)
    cancel.abort()
    process.stderr.write(`${JSON.stringify({ msg: 'deadline passed', topic: parsed.topic, received: seen, count, deadlineMs })}\n`)
    return EXIT_DEADLINE
  } finally {
    await client.close()
  }
}
