/**
 * A gateway in a process of its own, for the slow-reader test, so that the
 * test can read this process's memory (VmRSS) apart from the fake server's
 * and the readers'. Run as:
 *
 *   node slow-reader-gateway.ts <fake Phoenix endpoint> <topic> <clientQueue> <replay>
 *
 * with an IPC channel. It sends `{ type: 'ready', base }` once the channel
 * is joined, and answers the parent's messages:
 *
 *   { type: 'watch' } → { type: 'watching', streams }, then { type: 'end', reason } as each open stream ends
 *   { type: 'stats' } → { type: 'stats', streams, subscribers }
 *   { type: 'close' } → closes the daemon and exits
 */
import { pino } from 'pino'
import { createDaemon } from '../../../src/gateway/daemon.ts'
import { channelConfig, gatewayConfig, literal } from '../helpers.ts'
import { joined, subscription } from './helpers.ts'

export type ToChild = { type: 'watch' } | { type: 'stats' } | { type: 'close' }
export type FromChild =
  | { type: 'ready', base: string }
  | { type: 'watching', streams: number }
  | { type: 'end', reason: string }
  | { type: 'stats', streams: number, subscribers: number }

const [endpoint, topic, clientQueue, replay] = process.argv.slice(2)
if (endpoint === undefined || topic === undefined || clientQueue === undefined || replay === undefined) {
  throw new Error('usage: slow-reader-gateway.ts <endpoint> <topic> <clientQueue> <replay>')
}

const send = (message: FromChild): void => { process.send?.(message) }

const base = gatewayConfig(endpoint, [channelConfig(topic, { replay: Number(replay) })])
// The queue of `clientQueue` events of 10 KiB each that this test was written for is now a byte bound on what the
// topic holds for readers that lag behind (the stalled one here): the same bytes.
const config = { ...base, sse: { ...base.sse, clientQueue: Number(clientQueue), topicBufferBytes: Math.max(64 * 1024, Number(clientQueue) * 10 * 1024) } }
const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal })
const address = await daemon.start()
await joined(daemon, topic)

process.on('message', (message: ToChild) => {
  const streams = daemon.broker.readers
  if (message.type === 'watch') {
    for (const stream of streams) stream.onEnd((reason) => { send({ type: 'end', reason }) })
    send({ type: 'watching', streams: streams.size })
  } else if (message.type === 'stats') {
    send({ type: 'stats', streams: streams.size, subscribers: subscription(daemon, topic).readers.size })
  } else {
    daemon.close().then(() => { process.disconnect() }, () => { process.exit(1) })
  }
})
send({ type: 'ready', base: address })
