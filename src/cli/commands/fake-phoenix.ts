/**
 * `backchannel fake-phoenix`: the test kit's fake Phoenix server as a
 * process, for trying the sidecar or another client by hand.
 */
import { parseArgs } from 'node:util'
import { once } from 'node:events'
import { startFakePhoenix } from '../../testing/index.ts'
import { UsageError } from '../usage-error.ts'

const HELP = `usage: backchannel fake-phoenix [options]

  --port N              port to listen on (default 4000; 0 picks a free one)
  --host ADDR           address to listen on (default 127.0.0.1)
  --mount PATH          socket mount (default /socket)
  --phoenix-version V   Phoenix release to behave like (default 1.8.12)
  --idle-timeout-ms N   close connections silent for this long (default 60000)
  --auth-token          read the Phoenix 1.8 auth token from Sec-WebSocket-Protocol
  --compress            accept permessage-deflate

Channels: echo:*, room:*, firehose:*, presence:* (see docs/testing.md).`

function integer (value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number, got "${value}"`)
  return n
}

export async function runFakePhoenix (args: string[]): Promise<number> {
  let values
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        mount: { type: 'string' },
        'phoenix-version': { type: 'string' },
        'idle-timeout-ms': { type: 'string' },
        'auth-token': { type: 'boolean' },
        compress: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const server = await startFakePhoenix({
    port: integer(values.port, 'port', 4000),
    host: values.host ?? '127.0.0.1',
    mount: values.mount ?? '/socket',
    idleTimeoutMs: integer(values['idle-timeout-ms'], 'idle-timeout-ms', 60_000),
    authToken: values['auth-token'] === true,
    compress: values.compress === true,
    ...(values['phoenix-version'] === undefined ? {} : { phoenixVersion: values['phoenix-version'] }),
  })
  process.stdout.write(`${JSON.stringify({ msg: 'fake Phoenix listening', url: server.url, endpoint: server.endpoint })}\n`)
  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])
  process.stdout.write(`${JSON.stringify({ msg: 'stopping', signal: String(signal[0] ?? '') })}\n`)
  await server.close()
  return 0
}
