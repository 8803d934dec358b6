/**
 * `firehose:*` — on `start` with `{ count, size, binary? }` it replies
 * `{ count }`, then pushes `count` messages (`msg`, `{ seq, data }` with
 * `size` bytes of data, or raw bytes when binary) and finally `done`. It
 * writes only while the socket's send queue is short, so a benchmark
 * measures the client, not the server's own buffering.
 */
import { error, noreply, ok, type ChannelHandler, type ChannelSocket } from '../channel-api.ts'

const HIGH_WATER_BYTES = 256 * 1024

interface StartRequest { count: number, size: number, binary: boolean }

function parseStart (payload: unknown): StartRequest | null {
  if (typeof payload !== 'object' || payload === null) return null
  const { count, size, binary } = payload as Record<string, unknown>
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return null
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) return null
  return { count, size, binary: binary === true }
}

async function pour (socket: ChannelSocket, request: StartRequest): Promise<void> {
  const text = 'x'.repeat(request.size)
  const bytes = Buffer.alloc(request.size, 0x78)
  for (let seq = 0; seq < request.count; seq++) {
    if (socket.bufferedAmount() > HIGH_WATER_BYTES) await socket.drain()
    socket.push('msg', request.binary ? bytes : { seq, data: text })
  }
  socket.push('done', { count: request.count })
}

export const firehoseChannel: ChannelHandler = {
  join () {
    return ok({})
  },
  handleIn (event, payload, socket) {
    if (event !== 'start') return error({ reason: 'unknown event' })
    const request = parseStart(payload)
    if (request === null) return error({ reason: 'start needs integer count and size' })
    socket.sendInfo({ pour: request })
    return ok({ count: request.count })
  },
  async handleInfo (message, socket) {
    const request = (message as { pour?: StartRequest }).pour
    if (request !== undefined) await pour(socket, request)
    return noreply()
  },
}
