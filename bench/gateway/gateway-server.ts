/**
 * The gateway under test, in its own process: `createDaemon` with a config
 * built in code (the config file's defaults, from the same validator
 * `serve` uses), pino at level silent, channels `echo:bench` (pushes) and
 * `room:bench` (fan-out) on the fake server at `--endpoint`. Says ready
 * once both channels are joined.
 *
 * Commands (bench/gateway/child.ts): cpu, mem, `streams` (open SSE streams),
 * close (the daemon's shutdown sequence).
 */
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { loadEnv, validateFileConfig, type Config, type ValueSource } from '../../src/gateway/config/index.ts'
import { createDaemon } from '../../src/gateway/daemon.ts'
import { withTimeout } from '../lib/measure.ts'
import { releaseStartupMemory } from '../../src/gateway/startup-memory.ts'
import { serve } from './child.ts'

const { values } = parseArgs({ options: { endpoint: { type: 'string' } } })
if (values.endpoint === undefined) throw new Error('--endpoint is required')

const file = await validateFileConfig({
  upstreams: [{ name: 'main', url: values.endpoint }],
  channels: [{ topic: 'echo:bench', upstream: 'main' }, { topic: 'room:bench', upstream: 'main' }],
}, process.cwd())
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
await withTimeout(joined, 10_000, 'gateway: every channel joined')
releaseStartupMemory() // as `serve` does

await serve({ base }, {
  streams: () => ({ streams: broker.readers.size }),
}, async () => { await daemon.close() })
