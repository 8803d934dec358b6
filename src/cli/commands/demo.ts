/**
 * `backchannel demo`: the sidecar with its demo upstream. Starts the fake
 * Phoenix server and the broker, then walks through a push with its
 * reply, an SSE subscription, a Phoenix restart (reconnect, rejoin and the
 * `gap` it may have caused), a resume with Last-Event-ID, and a topic of
 * the dynamic allow-list joined and left over HTTP. Each step
 * prints what happened and the curl line that reproduces it. Exits 0 when
 * every step behaved; `--keep` leaves both running.
 */
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { loadEnv } from '../../gateway/config/env.ts'
import { validateFileConfig } from '../../gateway/config/file.ts'
import { resolveValue } from '../../gateway/config/sources.ts'
import { createDaemon } from '../../gateway/daemon.ts'
import { startFakePhoenix } from '../../testing/index.ts'
import { UsageError } from '../usage-error.ts'
import { SseReader } from './sse-reader.ts'

const HELP = `usage: backchannel demo [--port N] [--keep]

Starts the fake Phoenix server and the sidecar in this process, then walks
through a push with its reply, an SSE subscription, a Phoenix restart with
its gap, a resume with Last-Event-ID, and a topic joined and left over HTTP,
printing the curl line for each step.

  --port N   the sidecar's HTTP port (default 0: a free one)
  --keep     leave both running after the walk-through; Ctrl-C stops them

Exit status: 0 when every step behaved, 1 otherwise, 2 bad usage.`

const say = (text: string): void => { process.stdout.write(`${text}\n`) }

function expect (condition: boolean, what: string): void {
  if (!condition) throw new Error(`demo step failed: ${what}`)
}

async function demoConfig (endpoint: string, port: number): Promise<Parameters<typeof createDaemon>[0]> {
  const root = join(import.meta.dirname, '..', '..', '..')
  const data = JSON.parse(await readFile(join(root, 'config', 'demo.json'), 'utf8')) as { upstreams: Array<{ url: string }> }
  for (const upstream of data.upstreams) upstream.url = endpoint
  const file = await validateFileConfig(data, root)
  return { ...file, env: loadEnv({ PORT: String(port), LOG_LEVEL: 'silent' }) }
}

/** Resolves when the gateway has received `count` messages on `topic`; rejects after 5 s. */
async function messagesArrive (daemon: Awaited<ReturnType<typeof createDaemon>>, topic: string, count: number): Promise<void> {
  const client = daemon.broker.clients.get('demo')
  if (client === undefined) throw new Error('the demo upstream is missing')
  let seen = 0
  await new Promise<void>((resolve, reject) => {
    const remove = client.addMessageListener((t) => {
      if (t !== topic || ++seen < count) return
      clearTimeout(timer)
      remove()
      resolve()
    })
    const timer = setTimeout(() => { remove(); reject(new Error('the gateway did not receive the messages')) }, 5000)
  })
}

export async function runDemo (args: string[]): Promise<number> {
  let keep = false
  let port = 0
  try {
    const { values } = parseArgs({ args, options: { keep: { type: 'boolean' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true })
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`)
      return 0
    }
    keep = values.keep === true
    port = values.port === undefined ? 0 : Number(values.port)
    if (!Number.isInteger(port) || port < 0) throw new UsageError('--port takes a whole number')
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(err instanceof Error ? err.message : String(err))
  }
  const phoenix = await startFakePhoenix()
  const daemon = await createDaemon(await demoConfig(phoenix.endpoint, port), { logger: pino({ level: 'silent' }), resolve: async (source) => String(await resolveValue(source, process.env)) })
  const base = await daemon.start()
  try {
    say(`1. fake Phoenix at ${phoenix.endpoint}; Backchannel at ${base}`)
    await phoenix.waitFor('join', (j) => j.topic === 'room:demo' && j.status === 'ok')
    const ready = await fetch(`${base}/readyz`)
    say(`   readiness: ${ready.status}   curl ${base}/readyz`)

    const body = JSON.stringify({ event: 'hello', payload: { body: 'hi' } })
    const pushed = await fetch(`${base}/v1/channels/echo:demo/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const reply = await pushed.text()
    say(`2. push with its reply: HTTP ${pushed.status} ${reply}`)
    say(`   curl -s -X POST ${base}/v1/channels/echo:demo/push -H 'content-type: application/json' -d '${body}'`)
    expect(pushed.status === 200 && reply === '{"status":"ok","response":{"body":"hi"}}', 'push reply')

    const sse = await SseReader.open(`${base}/v1/channels/room:demo/events`)
    await sse.until('ready')
    say(`3. SSE subscription   curl -N ${base}/v1/channels/room:demo/events`)
    phoenix.broadcast('room:demo', 'news', { n: 1 })
    const first = await sse.until('news')
    say(`   event: ${first.event}  id: ${first.id ?? ''}  data: ${first.data}`)

    say('4. Phoenix restarts, as in a deploy: the socket is closed with 1012')
    await phoenix.faults.restart()
    let lastId = first.id ?? ''
    for (const name of ['errored', 'gap', 'rejoined']) {
      const e = await sse.until(name)
      lastId = e.id ?? lastId
      say(`   event: ${e.event}  id: ${e.id ?? ''}  data: ${e.data}`)
    }

    sse.close()
    say(`5. the reader went away after id ${lastId}; two messages arrive meanwhile`)
    const arrived = messagesArrive(daemon, 'room:demo', 2)
    phoenix.broadcast('room:demo', 'news', { n: 2 })
    phoenix.broadcast('room:demo', 'news', { n: 3 })
    await arrived
    const resumed = await SseReader.open(`${base}/v1/channels/room:demo/events`, lastId)
    say(`   resume:   curl -N ${base}/v1/channels/room:demo/events -H 'Last-Event-ID: ${lastId}'`)
    const seen: string[] = []
    while (!seen.includes('{"n":3}')) {
      const e = await resumed.next()
      if (e.event === 'ready') continue
      seen.push(e.data)
      say(`   event: ${e.event}  id: ${e.id ?? ''}  data: ${e.data}`)
    }
    resumed.close()
    expect(seen.includes('{"n":2}'), 'resume replays what was missed')

    const put = await fetch(`${base}/v1/channels/room:lobby`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })
    const held = await put.json() as { state?: string, origin?: string }
    say(`6. a topic the allow-list ("room:*") allows, joined at run time: HTTP ${put.status} ${held.state ?? ''} (${held.origin ?? ''})`)
    say(`   curl -s -X PUT ${base}/v1/channels/room:lobby -H 'content-type: application/json' -d '{}'`)
    const refused = await fetch(`${base}/v1/channels/admin:all`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })
    const problem = await refused.json() as { error?: { code?: string } }
    say(`   a topic it does not allow: HTTP ${refused.status} ${problem.error?.code ?? ''}`)
    const left = await fetch(`${base}/v1/channels/room:lobby`, { method: 'DELETE' })
    say(`   left again: HTTP ${left.status}   curl -s -X DELETE ${base}/v1/channels/room:lobby`)
    expect(put.status === 201 && held.state === 'joined' && refused.status === 403 && left.status === 204, 'dynamic join, refusal and leave')
    say('demo complete: push, SSE, restart with gap, resume and a dynamic topic all behaved')
    if (keep) {
      say(`--keep: Backchannel stays up at ${base} (fake Phoenix at ${phoenix.endpoint}); Ctrl-C stops it`)
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])
    }
  } finally {
    await daemon.close()
    await phoenix.close()
  }
  return 0
}
