/**
 * The gateway under test, in its own process: `createDaemon` with a config
 * built in code (the config file's defaults, from the same validator
 * `serve` uses), pino at level silent, channels `echo:bench` (pushes) and
 * `room:bench` (fan-out) on the fake server at `--endpoint`; or, with
 * `--config FILE`, the configuration file FILE (JSON, the upstreams' URLs in
 * it) instead. Says ready once every channel is joined.
 *
 * Commands (bench/gateway/child.ts): cpu, mem, `streams` (open SSE streams),
 * `events` (events the hub has numbered, every topic's together), close (the
 * daemon's shutdown sequence).
 */
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { loadEnv, validateFileConfig, type Config, type ValueSource } from '../../src/gateway/config/index.ts'
import { createDaemon } from '../../src/gateway/daemon.ts'
import { withTimeout } from '../lib/measure.ts'
import { releaseStartupMemory } from '../../src/gateway/startup-memory.ts'
import { serve } from './child.ts'

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, config: { type: 'string' } } })

async function fileConfig (): Promise<unknown> {
  if (values.config !== undefined) return JSON.parse(await readFile(values.config, 'utf8')) as unknown
  if (values.endpoint === undefined) throw new Error('--endpoint or --config is required')
  return {
    upstreams: [{ name: 'main', url: values.endpoint }],
    channels: [{ topic: 'echo:bench', upstream: 'main' }, { topic: 'room:bench', upstream: 'main' }],
  }
}

const file = await validateFileConfig(await fileConfig(), values.config === undefined ? process.cwd() : dirname(values.config))
const config: Config = { ...file, env: { ...loadEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', CONFIG_FILE: 'bench' }), configFile: null } }

async function literal (source: ValueSource): Promise<string> {
  if (typeof source === 'object') throw new Error('the bench config has literals only')
  return String(source)
}

const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal })
const { broker } = daemon
const joined = new Promise<void>((resolve) => {
  const check = (): void => { if (broker.hub.all().every((s) => s.state === 'joined')) resolve() }
  for (const client of broker.clients.values()) client.events.on('join_ok', check)
})
const base = await daemon.start()
await withTimeout(joined, 30_000, 'gateway: every channel joined')
releaseStartupMemory() // as `serve` does

await serve({ base }, {
  streams: () => ({ streams: broker.readers.size }),
  events: () => ({ events: broker.hub.all().reduce((sum, sub) => sum + sub.events, 0) }),
}, async () => { await daemon.close() })
