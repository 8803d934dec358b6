/**
 * `backchannel push`: one push from a shell script, through the client's
 * promise API. Prints the reply as JSON; exits 0 for an ok reply, 1 for any
 * other status or failure (with the error code on stderr).
 */
import { Client } from '../../client/client.ts'
import { UsageError } from '../usage-error.ts'
import { CLIENT_HELP, parseClientArgs } from './client-args.ts'

const HELP = `usage: backchannel push --url URL --topic TOPIC --event EVENT [--payload JSON] [options]

${CLIENT_HELP}
  --event EVENT         the event to push (required)
  --payload JSON        the payload (default {})

Prints {"status": …, "response": …}; exit 0 when the status is ok.`

export async function runPush (args: string[]): Promise<number> {
  const parsed = parseClientArgs(args, { event: { type: 'string' }, payload: { type: 'string' } })
  if (parsed.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const event = parsed.extra['event']
  if (typeof event !== 'string' || event === '') throw new UsageError('--event is required')
  let payload: unknown = {}
  const raw = parsed.extra['payload']
  if (typeof raw === 'string') {
    try {
      payload = JSON.parse(raw)
    } catch {
      throw new UsageError('--payload must be JSON')
    }
  }
  const client = new Client(parsed.client)
  try {
    await client.connect({ timeout: parsed.timeoutMs })
    await client.join(parsed.topic, parsed.joinParams, { timeout: parsed.timeoutMs })
    const reply = await client.request(parsed.topic, event, payload, { timeout: parsed.timeoutMs })
    process.stdout.write(`${JSON.stringify(reply)}\n`)
    return reply.status === 'ok' ? 0 : 1
  } finally {
    await client.close()
  }
}
