/**
 * A member of room:lobby, with phoenix.js as a browser would use it: joins
 * the room, says each line given, and prints every `say` it hears. It
 * waits for the bridge's answer to each line addressed to the bridge
 * ("@bridge ..."), then leaves. Every wait has a deadline.
 *
 *   PHOENIX_URL=ws://127.0.0.1:4000/socket npx node examples/chat-bridge/member.ts alice "hello" "@bridge hi"
 */
import { Socket, type Channel, type Push } from 'phoenix'
import { WebSocket } from 'ws'

const TOPIC = 'room:lobby'
const DEADLINE_MS = 10_000

const url = process.env['PHOENIX_URL']
const [name, ...lines] = process.argv.slice(2)
if (url === undefined || url === '' || name === undefined) {
  console.error('usage: PHOENIX_URL=ws://host/socket member.ts NAME [LINE...]')
  process.exit(1)
}

/** A join or push as a promise: its ok response, or an error for an error reply or a timeout. */
async function settled (push: Push): Promise<unknown> {
  return new Promise((resolve, reject) => {
    push.receive('ok', resolve)
      .receive('error', (reason: unknown) => { reject(new Error(`refused: ${JSON.stringify(reason)}`)) })
      .receive('timeout', () => { reject(new Error('no reply in time')) })
  })
}

interface Said { user: string, text: string }

const socket = new Socket(url, { transport: WebSocket, timeout: DEADLINE_MS })
const deadline = setTimeout(() => {
  console.error(`${name}: the bridge did not answer within ${DEADLINE_MS} ms`)
  process.exit(1)
}, DEADLINE_MS)
socket.connect()

const room: Channel = socket.channel(TOPIC, {})
let awaited = lines.filter((line) => line.startsWith('@bridge')).length
let allAnswered: () => void = () => {}
const answered = new Promise<void>((resolve) => { allAnswered = resolve })
room.on('say', (said: Said) => {
  console.log(`${said.user}: ${said.text}`)
  if (said.user === 'bridge' && said.text.startsWith(`${name},`) && --awaited === 0) allAnswered()
})

await settled(room.join())
console.log(`${name} joined ${TOPIC}`)
for (const text of lines) await settled(room.push('say', { user: name, text }))
if (awaited > 0) await answered
await settled(room.leave())
clearTimeout(deadline)
socket.disconnect()
