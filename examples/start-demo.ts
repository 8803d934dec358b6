/**
 * What the examples run against: the fake Phoenix server from the test kit
 * and a Backchannel gateway configured from config/demo.json, or from the
 * config file given as the argument (every upstream url replaced by the
 * fake server's), both in this process, as `backchannel demo` starts them.
 * It prints the two URLs as shell exports, serves the browser example at
 * /examples/browser/ (same origin as the API), and runs until Ctrl-C.
 *
 *   npx node examples/start-demo.ts          # PORT=8080 for a fixed port
 *   npx node examples/start-demo.ts examples/webhook-receiver/backchannel.yaml
 *
 * The tests import `startDemo()` to run the examples against it.
 */
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { dirname, extname, join, resolve } from 'node:path'
import { pino } from 'pino'
import { loadEnv } from '../src/gateway/config/env.ts'
import { parseConfigText, validateFileConfig } from '../src/gateway/config/file.ts'
import { resolveValue } from '../src/gateway/config/sources.ts'
import { createDaemon, type Daemon } from '../src/gateway/daemon.ts'
import { startFakePhoenix, type FakePhoenix } from '../src/testing/index.ts'

const root = join(import.meta.dirname, '..')

/** Where the browser example is served. */
export const BROWSER_PAGE = '/examples/browser/'

/** The demo's config file, when none is given. */
export const DEMO_CONFIG = join(root, 'config', 'demo.json')

/** A config file as parsed, before it is validated: what `editConfig` may change. */
export interface ConfigData {
  upstreams: Array<{ url: string }>
  channels?: Array<{ topic: string, webhook?: { url: string, signingSecrets?: Array<string | { env: string } | { file: string }>, deadLetter?: { file?: string } | null } }>
}

export interface Demo {
  phoenix: FakePhoenix
  daemon: Daemon
  /** The gateway's base URL, e.g. http://127.0.0.1:8080 */
  backchannelUrl: string
  /** The fake Phoenix socket endpoint, as phoenix.js and the client take it. */
  phoenixUrl: string
  close: () => Promise<void>
}

export interface DemoOptions {
  /** TCP port of the gateway; 0 (the default) picks a free one. */
  port?: number
  /** pino level of the gateway's logs, written to stderr (default silent). */
  logLevel?: string
  /** Runs after the gateway is built and before it listens (tests add hooks here). */
  prepare?: (daemon: Daemon) => void
  /** How long to wait for the gateway to join every channel, ms. */
  joinTimeoutMs?: number
  /** The gateway's config file, YAML or JSON (default config/demo.json); relative paths in it are relative to it. */
  configFile?: string
  /** Changes the parsed config before it is validated (tests point webhooks at receivers on free ports). */
  editConfig?: (data: ConfigData) => void
}

/** Starts the fake Phoenix server and the broker, and resolves once every channel of the config is joined. */
export async function startDemo (options: DemoOptions = {}): Promise<Demo> {
  const phoenix = await startFakePhoenix()
  try {
    const configFile = resolve(root, options.configFile ?? DEMO_CONFIG)
    const data = parseConfigText(await readFile(configFile, 'utf8'), extname(configFile) === '.json' ? 'json' : 'yaml') as ConfigData
    for (const upstream of data.upstreams) upstream.url = phoenix.endpoint
    options.editConfig?.(data)
    const file = await validateFileConfig(data, dirname(configFile))
    const env = loadEnv({ PORT: String(options.port ?? 0), LOG_LEVEL: options.logLevel ?? 'silent' })
    const daemon = await createDaemon({ ...file, env }, {
      logger: pino({ level: env.logLevel }, process.stderr),
      resolve: async (source) => String(await resolveValue(source, process.env)),
    })
    const page = await readFile(join(root, 'examples', 'browser', 'index.html'), 'utf8')
    daemon.app.get(BROWSER_PAGE, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page))
    options.prepare?.(daemon)
    const joined = everyChannelJoined(daemon, options.joinTimeoutMs ?? 10_000)
    let backchannelUrl: string
    try {
      [backchannelUrl] = await Promise.all([daemon.start(), joined.promise])
    } catch (err) {
      joined.cancel()
      await daemon.close()
      throw err
    }
    return {
      phoenix,
      daemon,
      backchannelUrl,
      phoenixUrl: phoenix.endpoint,
      close: async () => {
        await daemon.close()
        await phoenix.close()
      },
    }
  } catch (err) {
    await phoenix.close()
    throw err
  }
}

/** A promise that resolves when every configured channel has been joined (listening starts now, before the gateway does). */
function everyChannelJoined (daemon: Daemon, timeoutMs: number): { promise: Promise<void>, cancel: () => void } {
  const waiting = new Set(daemon.broker.config.channels.map((c) => `${c.upstream}\u0000${c.topic}`))
  const cleanups: Array<() => void> = []
  const cancel = (): void => { for (const cleanup of cleanups) cleanup() }
  const promise = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cancel()
      reject(new Error(`the gateway did not join ${[...waiting].map((w) => w.split('\u0000')[1]).join(', ')} within ${timeoutMs} ms`))
    }, timeoutMs)
    cleanups.push(() => { clearTimeout(timer) })
    for (const [name, client] of daemon.broker.clients) {
      const onJoin = (e: { topic: string }): void => {
        waiting.delete(`${name}\u0000${e.topic}`)
        if (waiting.size > 0) return
        cancel()
        resolve()
      }
      client.events.on('join_ok', onJoin)
      cleanups.push(() => { client.events.off('join_ok', onJoin) })
    }
  })
  return { promise, cancel }
}

if (import.meta.main) {
  const port = Number(process.env['PORT'] ?? '0')
  const configFile = process.argv[2]
  const demo = await startDemo({ port, logLevel: process.env['LOG_LEVEL'] ?? 'silent', ...(configFile === undefined ? {} : { configFile }) })
  process.stdout.write([
    `export BACKCHANNEL_URL=${demo.backchannelUrl}`,
    `export PHOENIX_URL=${demo.phoenixUrl}`,
    `# the browser example: ${demo.backchannelUrl}${BROWSER_PAGE}`,
    '# Ctrl-C stops both.',
    '',
  ].join('\n'))
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])
  await demo.close()
}
