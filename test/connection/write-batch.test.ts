/**
 * WriteBatch holds the frames of one loop turn in the socket (corked) and
 * lets them go together in the check phase, in order, nested corks included.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, connect, type Socket } from 'node:net'
import { setImmediate as nextCheck } from 'node:timers/promises'
import { WriteBatch } from '../../src/connection/write-batch.ts'

async function socketPair (t: { after: (fn: () => Promise<void> | void) => void }): Promise<{ client: Socket, received: () => string, waitFor: (text: string) => Promise<void> }> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  const client = connect(address.port, '127.0.0.1')
  const [peer] = await once(server, 'connection') as [Socket]
  await once(client, 'connect')
  let text = ''
  const waiters: Array<() => void> = []
  peer.on('data', (chunk: Buffer) => { text += chunk.toString(); for (const w of waiters.splice(0)) w() })
  t.after(async () => {
    client.destroy()
    peer.destroy()
    server.close()
    await once(server, 'close')
  })
  const waitFor = async (expected: string): Promise<void> => {
    const deadline = AbortSignal.timeout(5000)
    while (!text.includes(expected)) {
      if (deadline.aborted) throw new Error(`"${expected}" not received within 5000 ms; got "${text}"`)
      await new Promise<void>((resolve) => { waiters.push(resolve); deadline.addEventListener('abort', () => { resolve() }, { once: true }) })
    }
  }
  return { client, received: () => text, waitFor }
}

test('writes of one loop turn stay in the socket until the check phase, then go out together in order', async (t) => {
  const { client, waitFor, received } = await socketPair(t)
  const batch = new WriteBatch(client)
  for (const frame of ['one;', 'two;', 'three;']) {
    batch.open()
    client.write(frame)
  }
  assert.equal(client.writableCorked, 1, 'one cork for the whole turn')
  assert.equal(client.writableLength, 'one;two;three;'.length, 'nothing written yet')
  await nextCheck()
  assert.equal(client.writableCorked, 0)
  await waitFor('three;')
  assert.equal(received(), 'one;two;three;')
})

test('a writer that corks around its own writes (as ws does) is held by the batch and keeps its order', async (t) => {
  const { client, waitFor, received } = await socketPair(t)
  const batch = new WriteBatch(client)
  for (const [header, payload] of [['h1', 'p1;'], ['h2', 'p2;']] as const) {
    batch.open()
    client.cork()
    client.write(header)
    client.write(payload)
    client.uncork()
  }
  assert.equal(client.writableLength, 'h1p1;h2p2;'.length, 'the inner uncork does not flush')
  await nextCheck()
  await waitFor('p2;')
  assert.equal(received(), 'h1p1;h2p2;')
})

test('each loop turn gets its own batch', async (t) => {
  const { client, waitFor } = await socketPair(t)
  const batch = new WriteBatch(client)
  batch.open()
  client.write('a;')
  await nextCheck()
  assert.equal(client.writableCorked, 0)
  batch.open()
  client.write('b;')
  assert.equal(client.writableCorked, 1, 'a new turn corks again')
  await nextCheck()
  await waitFor('a;b;')
})
