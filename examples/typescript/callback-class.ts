/**
 * The client library as a class with callbacks: subclass `Client` and
 * override the callbacks you need (each has a default that does nothing).
 * This one connects to Phoenix directly, joins a room, pushes to it, and
 * logs what the callbacks see: the connect, the join reply, the broadcast
 * of its own push, the push's reply, the leave and the disconnect.
 *
 *   PHOENIX_URL=ws://127.0.0.1:4000/socket npx node examples/typescript/callback-class.ts
 */
import { Client, type Reply } from 'backchannel'

const url = process.env['PHOENIX_URL']
if (url === undefined || url === '') {
  console.error('set PHOENIX_URL to a Phoenix socket endpoint, e.g. ws://127.0.0.1:4000/socket')
  process.exit(1)
}

class Room extends Client {
  override onConnect (socket: number): void {
    console.log(`connected (socket ${socket})`)
  }

  override onDisconnect ({ code }: { socket: number, code: number, reason: string }): void {
    console.log(`disconnected (${code})`)
  }

  override onJoin (topic: string, reply: unknown): void {
    console.log(`joined ${topic}: ${JSON.stringify(reply)}`)
  }

  override onMessage (topic: string, event: string, payload: unknown): void {
    console.log(`message on ${topic}: ${event} ${JSON.stringify(payload)}`)
  }

  override onReply (topic: string, event: string, reply: Reply): void {
    console.log(`reply to ${event} on ${topic}: ${reply.status} ${JSON.stringify(reply.response)}`)
  }

  override onTopicClose (topic: string, reason: 'server_closed' | 'refused'): void {
    console.log(`${topic} ended: ${reason}`)
  }

  override onLeave (topic: string): void {
    console.log(`left ${topic}`)
  }
}

const room = new Room({ url, params: { user: 'callback-class' } })
try {
  await room.connect({ timeout: 5000 })
  await room.join('room:demo', {}, { timeout: 5000 })
  // The room broadcasts every push to everyone in it, this client included:
  // onMessage sees the broadcast, then onReply the reply.
  const heard = room.nextMessage('room:demo', { event: 'shout', timeout: 5000 })
  await room.push('room:demo', 'shout', { text: 'hello from a callback class' }, { timeout: 5000 })
  await heard
  await room.leave('room:demo')
} finally {
  await room.close()
}
