/**
 * examples/typescript/*.ts, run with this Node as the README says (with
 * --conditions=backchannel-source, so `backchannel` resolves to this
 * repository's sources), against the demo's fake Phoenix server: the
 * callback class logs each callback in order, the promise script prints
 * each outcome. Each opens one connection of its own and closes it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FakePhoenix } from '../../src/testing/index.ts'
import { childEnv, demo, run, succeeded } from './helpers.ts'

/** The connections the fake server accepts from now on, and how each ended. */
function watchConnections (phoenix: FakePhoenix): { opened: number[], closeCode: (id: number) => Promise<number>, stop: () => void } {
  const opened: number[] = []
  const closed = new Map<number, number>()
  const onConnect = (e: { connectionId: number }): void => { opened.push(e.connectionId) }
  const onDisconnect = (e: { connectionId: number, code: number }): void => { closed.set(e.connectionId, e.code) }
  phoenix.events.on('connect', onConnect)
  phoenix.events.on('disconnect', onDisconnect)
  return {
    opened,
    closeCode: async (id) => closed.get(id) ?? (await phoenix.waitFor('disconnect', (e) => e.connectionId === id, 5000)).code,
    stop: () => {
      phoenix.events.off('connect', onConnect)
      phoenix.events.off('disconnect', onDisconnect)
    },
  }
}

async function runExample (file: string, phoenixUrl: string): Promise<string> {
  return succeeded(await run(process.execPath, ['--conditions=backchannel-source', file], childEnv({ PHOENIX_URL: phoenixUrl })))
}

test('callback-class.ts: the overridden callbacks see the connect, the join, the broadcast, the reply, the leave and the disconnect, in order', async (t) => {
  const running = await demo(t)
  const connections = watchConnections(running.phoenix)
  t.after(() => { connections.stop() })
  const out = await runExample('examples/typescript/callback-class.ts', running.phoenixUrl)
  assert.deepEqual(out.trimEnd().split('\n'), [
    'connected (socket 0)',
    'joined room:demo: {}',
    'message on room:demo: shout {"text":"hello from a callback class"}',
    'reply to shout on room:demo: ok {}',
    'left room:demo',
    'disconnected (1000)',
  ])
  assert.equal(connections.opened.length, 1, 'one connection of its own')
  assert.equal(await connections.closeCode(connections.opened[0]!), 1000, 'closed on purpose')
})

test('script.ts: the promise API gets the reply, the error reply, the timeout and the broadcasts, then leaves and closes', async (t) => {
  const running = await demo(t)
  const connections = watchConnections(running.phoenix)
  t.after(() => { connections.stop() })
  const out = await runExample('examples/typescript/script.ts', running.phoenixUrl)
  assert.deepEqual(out.trimEnd().split('\n'), [
    'connected',
    'push: { body: \'hi\' }',
    'error reply: error { why: \'demo\' }',
    'request: { status: \'error\', response: { why: \'demo\' } }',
    'no reply: BC_ERR_TIMEOUT',
    'message: news { from: \'script\', n: 1 }',
    'message: news { from: \'script\', n: 2 }',
    'message: news { from: \'script\', n: 3 }',
    'stats: 1 socket, 2 topics joined',
    'closed',
  ])
  assert.equal(connections.opened.length, 1, 'one connection of its own')
  assert.equal(await connections.closeCode(connections.opened[0]!), 1000, 'closed on purpose')
})

test('the TypeScript examples stop with a message when PHOENIX_URL is not set', async () => {
  const env = childEnv()
  delete env['PHOENIX_URL']
  for (const file of ['examples/typescript/callback-class.ts', 'examples/typescript/script.ts']) {
    const ran = await run(process.execPath, ['--conditions=backchannel-source', file], env)
    assert.equal(ran.code, 1, file)
    assert.match(ran.stderr, /set PHOENIX_URL to a Phoenix socket endpoint/, file)
  }
})
