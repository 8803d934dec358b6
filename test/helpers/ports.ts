/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a server that must
 * be named before it starts (a config naming a webhook's URL, a redis-server
 * child, which cannot take port 0). The server that takes it fails loudly if
 * something else took it meanwhile.
 */
import { once } from 'node:events'
import { createServer } from 'node:net'

export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}
