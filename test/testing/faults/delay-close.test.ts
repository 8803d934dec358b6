/**
 * faults.delayReplies holds join and push replies back; when the socket
 * closes, what it held is dropped at once, so a long delay never outlives
 * the connection nor keeps the test process alive (a 60 s delay used to
 * hold a test file open for a minute after its last test).
 *
 * Run in a child process: it must exit by itself, soon after the client
 * and the server are closed, with a join and a push still held.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { childEnv, run } from '../../examples/helpers.ts'

const src = join(import.meta.dirname, '..', '..', '..', 'src')
const url = (path: string): string => JSON.stringify(pathToFileURL(join(src, path)).href)

const SCRIPT = `
import { WebSocket } from 'ws'
import { startFakePhoenix } from ${url('testing/index.ts')}
const server = await startFakePhoenix()
const ws = new WebSocket(server.url + '?vsn=2.0.0')
await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
const joined = server.waitFor('join', (j) => j.topic === 'echo:held' && j.status === 'ok', 5000)
ws.send(JSON.stringify(['1', '1', 'echo:held', 'phx_join', {}]))
await joined
server.faults.delayReplies(60_000)
const pushed = server.waitFor('frame', (f) => f.message.event === 'held', 5000)
ws.send(JSON.stringify(['1', '2', 'echo:held', 'held', {}]))
ws.send(JSON.stringify(['3', '3', 'echo:other', 'phx_join', {}]))
await pushed
ws.on('message', (data) => { if (JSON.parse(String(data))[1] !== '1') console.log('unexpected reply ' + data) })
ws.close()
await new Promise((resolve) => { ws.once('close', resolve) })
await server.close()
console.log('closed')
`

test('a closed socket drops the replies delayReplies held, so nothing keeps the process alive', async () => {
  // A held 60 s reply would keep the child past the run's deadline, which kills it (code null).
  const ran = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], childEnv(), 15_000)
  assert.equal(ran.code, 0, ran.stderr)
  assert.equal(ran.stdout, 'closed\n', 'no held reply was sent after the close')
})
