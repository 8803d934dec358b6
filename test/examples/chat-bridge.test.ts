/**
 * examples/chat-bridge: room:lobby on the fake Phoenix server, the real
 * gateway built from the example's backchannel.yaml with its webhook on the
 * bridge (bridge.py, run with python3), and members of the room using
 * phoenix.js. What members say reaches the bridge in order; the bridge's
 * answer, pushed through the gateway's HTTP API, reaches the members.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Socket, type Channel, type Push } from 'phoenix'
import { WebSocket } from 'ws'
import { backgroundFor, childEnv, demo, freePort, run, succeeded, type Background } from './helpers.ts'
import { tool } from '../helpers/tools.ts'
import type { Demo } from '../../examples/start-demo.ts'

const CONFIG = 'examples/chat-bridge/backchannel.yaml'
const TOPIC = 'room:lobby'
const DEADLINE_MS = 10_000

interface Said { user: string, text: string }

/** The gateway with its webhook on a free port, and the bridge listening there, replying through the gateway. */
async function startBridge (t: TestContext): Promise<{ running: Demo, bridge: Background }> {
  const port = await freePort()
  const running = await demo(t, {
    configFile: CONFIG,
    editConfig: (data) => {
      const webhook = data.channels?.find((c) => c.topic === TOPIC)?.webhook
      assert.ok(webhook !== undefined, `${CONFIG} has a webhook on ${TOPIC}`)
      const url = new URL(webhook.url)
      assert.equal(url.pathname, '/webhook', 'the config posts to the path the bridge serves')
      url.port = String(port)
      webhook.url = url.href
    },
  })
  const bridge = backgroundFor(t, 'python3', ['examples/chat-bridge/bridge.py'], childEnv({ PORT: String(port), BACKCHANNEL_URL: running.backchannelUrl }))
  await bridge.until('listens', (s) => s.includes(`listening on http://127.0.0.1:${port}/webhook`))
  return { running, bridge }
}

async function settled (push: Push): Promise<unknown> {
  return new Promise((resolve, reject) => {
    push.receive('ok', resolve).receive('error', reject).receive('timeout', () => { reject(new Error('timeout')) })
  })
}

/** A phoenix.js member of the room; what it hears is recorded in order. */
async function member (t: TestContext, endpoint: string): Promise<{ room: Channel, heard: Said[], hear: (check: (s: Said) => boolean) => Promise<Said> }> {
  const socket = new Socket(endpoint, { transport: WebSocket, timeout: DEADLINE_MS })
  socket.connect()
  t.after(() => { socket.disconnect() })
  const room = socket.channel(TOPIC, {})
  const heard: Said[] = []
  const waiters = new Set<(s: Said) => void>()
  room.on('say', (said: Said) => {
    heard.push(said)
    for (const w of [...waiters]) w(said)
  })
  await settled(room.join())
  const hear = async (check: (s: Said) => boolean): Promise<Said> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { waiters.delete(waiter); reject(new Error(`not heard within ${DEADLINE_MS} ms; heard ${JSON.stringify(heard)}`)) }, DEADLINE_MS)
    const waiter = (s: Said): void => {
      if (!check(s)) return
      clearTimeout(timer)
      waiters.delete(waiter)
      resolve(s)
    }
    waiters.add(waiter)
  })
  return { room, heard, hear }
}

/** The bridge's mirror lines: `[room:lobby] say alice: hello`. */
function mirrored (stdout: string): string[] {
  return [...stdout.matchAll(/^\[room:lobby\] say (.*)$/gm)].map((m) => m[1] ?? '')
}

test('what two members say reaches the bridge in order; its answer, pushed over HTTP, reaches the other member', async (t) => {
  if (tool(t, 'python3') === undefined) return
  const { running, bridge } = await startBridge(t)
  const alice = await member(t, running.phoenixUrl)
  const bob = await member(t, running.phoenixUrl)

  // Said without waiting for each reply: the room's order is what the bridge must keep.
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`)
  await Promise.all(lines.map(async (text) => settled(alice.room.push('say', { user: 'alice', text }))))
  await settled(bob.room.push('say', { user: 'bob', text: '@bridge are you there?' }))

  const answer = await alice.hear((s) => s.user === 'bridge')
  assert.deepEqual(answer, { user: 'bridge', text: 'bob, I have mirrored 21 messages of room:lobby' })
  await bob.hear((s) => s.user === 'bridge')
  const expected = [...lines.map((text) => `alice: ${text}`), 'bob: @bridge are you there?']
  assert.deepEqual(alice.heard.map((s) => `${s.user}: ${s.text}`), [...expected, `bridge: ${answer.text}`], 'alice heard the room in order, then the answer')

  const out = await bridge.until('mirrored its own answer', (s) => mirrored(s).includes(`bridge: ${answer.text}`))
  assert.deepEqual(mirrored(out), [...expected, `bridge: ${answer.text}`], 'the bridge got every message once, in the room\'s order')
  assert.ok(out.includes(`  replied: ${answer.text}\n`), out)
  assert.equal(out.match(/replied:/g)?.length, 1, 'it does not answer itself')
})

test('member.ts, as the README runs it, hears the bridge answer it', async (t) => {
  if (tool(t, 'python3') === undefined) return
  const { running, bridge } = await startBridge(t)
  const out = succeeded(await run(process.execPath, ['examples/chat-bridge/member.ts', 'alice', 'hello, room', '@bridge how many?'], childEnv({ PHOENIX_URL: running.phoenixUrl })))
  assert.equal(out, [
    'alice joined room:lobby',
    'alice: hello, room',
    'alice: @bridge how many?',
    'bridge: alice, I have mirrored 2 messages of room:lobby',
    '',
  ].join('\n'))
  await bridge.until('mirrored the three', (s) => mirrored(s).length === 3)
})

test('bridge.py exits with a message when BACKCHANNEL_URL is not set', async (t) => {
  if (tool(t, 'python3') === undefined) return
  const env = childEnv()
  delete env['BACKCHANNEL_URL']
  const ran = await run('python3', ['examples/chat-bridge/bridge.py'], env)
  assert.equal(ran.code, 1)
  assert.match(ran.stderr, /set BACKCHANNEL_URL to the gateway/)
})
