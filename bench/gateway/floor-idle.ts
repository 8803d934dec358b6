/**
 * The memory floor: a bare Node process with fastify, ws, prom-client and
 * pino loaded and listening (a fastify app on 127.0.0.1, a silent pino
 * logger, a prom-client registry, a ws server attached to it), nothing
 * else. Loaded the same way as the gateway child (a .ts file, Node's type
 * stripping), so both pay the same loader.
 */
import { fastify } from 'fastify'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { WebSocketServer } from 'ws'
import { releaseStartupMemory } from '../../src/gateway/startup-memory.ts'
import { serve } from './child.ts'

const logger = pino({ level: 'silent' })
const registry = new Registry()
const app = fastify({ logger: false })
app.get('/livez', async () => ({ status: 'ok' }))
app.get('/metrics', async () => registry.metrics())
const base = await app.listen({ port: 0, host: '127.0.0.1' })
const wss = new WebSocketServer({ noServer: true })
logger.info({ base }, 'listening')
// As `serve` does after start-up (and the gateway child below): the comparison is of what each holds.
releaseStartupMemory()

await serve({ base }, {}, async () => {
  wss.close()
  await app.close()
})
