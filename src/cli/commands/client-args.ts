/**
 * Options shared by the scripting commands (push, listen): where the
 * Phoenix socket is and how to connect to it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { ClientOptions } from '../../client/client.ts'
import { UsageError } from '../usage-error.ts'

export const CLIENT_HELP = `  --url URL             the Phoenix socket endpoint, e.g. wss://app.example/socket (required)
  --topic TOPIC         the channel topic (required)
  --param KEY=VALUE     a connect param; repeat for more
  --join-param K=V      a join param; repeat for more
  --auth-token TOKEN    Phoenix 1.8 auth token (or the BACKCHANNEL_AUTH_TOKEN variable)
  --timeout MS          deadline for connect, join and each reply (default 10000)`

const clientOptions = {
  url: { type: 'string' },
  topic: { type: 'string' },
  param: { type: 'string', multiple: true },
  'join-param': { type: 'string', multiple: true },
  'auth-token': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options']

function pairs (list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of list ?? []) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new UsageError(`--${flag} takes KEY=VALUE, got "${item}"`)
    out[item.slice(0, eq)] = item.slice(eq + 1)
  }
  return out
}

export interface ClientArgs<T> {
  help: boolean
  client: ClientOptions
  topic: string
  joinParams: Record<string, string>
  timeoutMs: number
  extra: T
  positionals: string[]
}

export function parseClientArgs (args: string[], extraOptions: NonNullable<ParseArgsConfig['options']>): ClientArgs<Record<string, unknown>> {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...clientOptions, ...extraOptions }, strict: true, allowPositionals: true })
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  const v = parsed.values as Record<string, unknown>
  const help = v['help'] === true
  const url = typeof v['url'] === 'string' ? v['url'] : ''
  const topic = typeof v['topic'] === 'string' ? v['topic'] : ''
  if (!help && (url === '' || topic === '')) throw new UsageError('--url and --topic are required')
  const timeoutMs = v['timeout'] === undefined ? 10_000 : Number(v['timeout'])
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout takes a positive whole number of ms, got "${String(v['timeout'])}"`)
  const token = typeof v['auth-token'] === 'string' ? v['auth-token'] : process.env['BACKCHANNEL_AUTH_TOKEN']
  return {
    help,
    topic,
    timeoutMs,
    joinParams: pairs(v['join-param'] as string[] | undefined, 'join-param'),
    client: {
      url,
      params: pairs(v['param'] as string[] | undefined, 'param'),
      connectTimeoutMs: timeoutMs,
      joinTimeoutMs: timeoutMs,
      pushTimeoutMs: timeoutMs,
      ...(token === undefined ? {} : { authToken: token }),
    },
    extra: v,
    positionals: parsed.positionals,
  }
}
