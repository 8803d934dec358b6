/**
 * `backchannel demo`: starts the fake Phoenix server and walks through the
 * protocol step by step, printing each frame pair. Exits 0 when every step
 * behaved as Phoenix does; `--keep` leaves the server up afterwards.
 */
import { parseArgs } from 'node:util'
import { once } from 'node:events'
import { isReplyPayload, type Message } from '../../phoenix/message.ts'
import { startFakePhoenix } from '../../testing/index.ts'
import { UsageError } from '../usage-error.ts'
import { DemoPeer } from './demo-peer.ts'

const say = (text: string): void => { process.stdout.write(`${text}\n`) }
const bytes = (value: unknown): unknown => value instanceof Uint8Array ? `<${value.length} bytes: ${Buffer.from(value).toString('hex')}>` : value
const show = (m: Message): string => {
  const p = m.payload
  const payload = isReplyPayload(p) ? { response: bytes(p.response), status: p.status } : bytes(p)
  return JSON.stringify([m.joinRef, m.ref, m.topic, m.event, payload])
}
const replyTo = (ref: string) => (m: Message) => m.event === 'phx_reply' && m.ref === ref

function expect (condition: boolean, what: string): void {
  if (!condition) throw new Error(`demo step failed: ${what}`)
}

export async function runDemo (args: string[]): Promise<number> {
  let keep = false
  let port = 0
  try {
    const { values } = parseArgs({ args, options: { keep: { type: 'boolean' }, port: { type: 'string' } }, strict: true })
    keep = values.keep === true
    port = values.port === undefined ? 0 : Number(values.port)
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  const server = await startFakePhoenix({ port })
  say(`1. fake Phoenix server listening at ${server.url}`)

  const alice = await DemoPeer.open(server.url)
  const joinRef = alice.send(null, 'echo:demo', 'phx_join', {})
  say(`2. join  → ${show(await alice.next(replyTo(joinRef)))}`)

  const pushRef = alice.send(joinRef, 'echo:demo', 'hello', { body: 'hi' })
  const reply = await alice.next(replyTo(pushRef))
  say(`3. push  → ${show(reply)}`)
  expect(JSON.stringify(reply.payload) === '{"response":{"body":"hi"},"status":"ok"}', 'echo reply')

  const bob = await DemoPeer.open(server.url)
  const aliceRoom = alice.send(null, 'room:demo', 'phx_join', {})
  const bobRoom = bob.send(null, 'room:demo', 'phx_join', {})
  await alice.next(replyTo(aliceRoom))
  await bob.next(replyTo(bobRoom))
  alice.send(aliceRoom, 'room:demo', 'shout', { text: 'hello room' })
  say(`4. broadcast seen by the other peer → ${show(await bob.next((m) => m.event === 'shout'))}`)

  const binRef = alice.send(joinRef, 'echo:demo', 'bytes', new Uint8Array([1, 2, 3]))
  say(`5. binary push → ${show(await alice.next(replyTo(binRef)))}`)

  say('6. the server restarts, as in a deploy: sockets with channels get close 1012')
  const closing = alice.closed(3000)
  await server.faults.restart()
  const code = await closing
  say(`   alice saw close code ${code}; reconnecting and rejoining`)
  expect(code === 1012, 'drain close code')
  const again = await DemoPeer.open(server.url)
  const rejoin = again.send(null, 'echo:demo', 'phx_join', {})
  say(`   rejoined → ${show(await again.next(replyTo(rejoin)))}`)

  for (const peer of [again, bob]) peer.close()
  say('demo complete: every step behaved as Phoenix does')
  if (keep) {
    say(`--keep: the fake server stays up at ${server.url}; Ctrl-C stops it`)
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])
  }
  await server.close()
  return 0
}
