/**
 * The push floor: a bare fastify handler that does a phoenix.js push and
 * answers with its reply. No schema, no metrics, no logging: the least an
 * HTTP→Phoenix push can cost. POST /push `{ event, payload }` on topic
 * `echo:floor` of the fake server at `--endpoint`.
 */
import { parseArgs } from 'node:util'
import { fastify } from 'fastify'
import { Socket } from 'phoenix'
import { WebSocket } from 'ws'
import { withTimeout } from '../lib/measure.ts'
import { serve } from './child.ts'

const { values } = parseArgs({ options: { endpoint: { type: 'string' } } })
if (values.endpoint === undefined) throw new Error('--endpoint is required')

const socket = new Socket(values.endpoint, { transport: WebSocket, timeout: 10_000 })
socket.connect()
const channel = socket.channel('echo:floor', {})
await withTimeout(new Promise<void>((resolve, reject) => {
  channel.join().receive('ok', () => { resolve() }).receive('error', () => { reject(new Error('join refused')) })
}), 10_000, 'floor-push: join')

const app = fastify({ logger: false })
app.post<{ Body: { event: string, payload: object } }>('/push', async (request, reply) => {
  const { event, payload } = request.body
  return new Promise((resolve) => {
    channel.push(event, payload)
      .receive('ok', (response: unknown) => { resolve({ status: 'ok', response }) })
      .receive('error', (response: unknown) => { resolve(reply.code(422).send({ status: 'error', response })) })
      .receive('timeout', () => { resolve(reply.code(504).send({ status: 'timeout' })) })
  })
})
const base = await app.listen({ port: 0, host: '127.0.0.1' })

await serve({ base }, {}, async () => {
  await app.close()
  socket.disconnect()
})
