/**
 * The client library's promise API, in a script: connect, join, push and
 * get the reply, tell an error reply from a missing one, read broadcasts,
 * leave and close. Every wait has a deadline.
 *
 *   PHOENIX_URL=ws://127.0.0.1:4000/socket npx node examples/typescript/script.ts
 */
import { Client, ReplyError, TimeoutError } from 'backchannel'

const url = process.env['PHOENIX_URL']
if (url === undefined || url === '') {
  console.error('set PHOENIX_URL to a Phoenix socket endpoint, e.g. ws://127.0.0.1:4000/socket')
  process.exit(1)
}

const client = new Client({ url, params: { user: 'script' }, joinTimeoutMs: 5000, pushTimeoutMs: 5000 })
try {
  await client.connect({ timeout: 5000 })
  console.log('connected')

  // echo:demo replies with what it is sent.
  await client.join('echo:demo')
  console.log('push:', await client.push('echo:demo', 'hello', { body: 'hi' }))

  // A reply whose status is not ok throws ReplyError, with the response.
  try {
    await client.push('echo:demo', 'error_reply', { why: 'demo' })
  } catch (err) {
    if (!(err instanceof ReplyError)) throw err
    console.log('error reply:', err.status, err.response)
  }

  // request() returns the reply whatever its status.
  console.log('request:', await client.request('echo:demo', 'error_reply', { why: 'demo' }))

  // No reply within the deadline is a TimeoutError.
  try {
    await client.push('echo:demo', 'no_reply', {}, { timeout: 100 })
  } catch (err) {
    if (!(err instanceof TimeoutError)) throw err
    console.log('no reply:', err.code)
  }

  // room:demo broadcasts every push to the room, this client included.
  await client.join('room:demo')
  const news = client.messages('room:demo', { event: 'news' })
  for (const n of [1, 2, 3]) await client.push('room:demo', 'news', { from: 'script', n })
  // The broadcasts came before the replies, so all three are queued already.
  for await (const message of news) {
    console.log('message:', message.event, message.payload)
    if ((message.payload as { n: number }).n === 3) break
  }

  const { socketsConnected, topicsJoined } = client.stats()
  console.log('stats:', socketsConnected, 'socket,', topicsJoined, 'topics joined')
  await client.leave('room:demo')
  await client.leave('echo:demo')
} finally {
  await client.close()
}
console.log('closed')
