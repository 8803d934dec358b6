/**
 * A reader that stops reading is cut off, and the gateway's memory does not
 * grow with it. The gateway runs in a child process (slow-reader-gateway.ts)
 * so its resident memory can be read from /proc apart from the fake server
 * and the readers, which run here. The stalled reader is a raw TCP client
 * that sends the GET and then stops reading its socket; it reads again once
 * the gateway has cut it off, within the time the gateway gives the final
 * event to flush (connection.test.ts covers a reader that never reads).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startFakePhoenix } from '../../../src/testing/index.ts'
import { DEADLINE_MS, numbers, range, seqOf, SseParser, SseStream, StalledReader } from './helpers.ts'
import type { FromChild, ToChild } from './slow-reader-gateway.ts'
import { deadline, within } from '../../helpers/wait.ts'

const TOPIC = 'room:slow'
const MESSAGES = 4000
const PAD = 'x'.repeat(10 * 1024)
const BATCH = 20
const CLIENT_QUEUE = 50

/** The gateway child and the messages it sent, in order. */
class ChildGateway {
  readonly process: ChildProcess
  readonly messages: FromChild[] = []
  readonly exited: Promise<number | null>
  readonly #wakers = new Set<() => void>()

  constructor (endpoint: string) {
    const script = fileURLToPath(new URL('./slow-reader-gateway.ts', import.meta.url))
    this.process = spawn(process.execPath, [script, endpoint, TOPIC, String(CLIENT_QUEUE), '10'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.process.on('message', (message: FromChild) => {
      this.messages.push(message)
      for (const wake of [...this.#wakers]) wake()
    })
    this.exited = new Promise((resolve) => { this.process.once('exit', (code) => { resolve(code) }) })
  }

  get pid (): number {
    if (this.process.pid === undefined) throw new Error('the gateway child did not start')
    return this.process.pid
  }

  send (message: ToChild): void {
    this.process.send(message)
  }

  /** The first message from index `from` on that satisfies `match`. */
  async message<T extends FromChild> (what: string, match: (m: FromChild) => m is T, from = 0, ms = DEADLINE_MS): Promise<T> {
    const find = (): T | undefined => this.messages.slice(from).find(match)
    const found = find()
    if (found !== undefined) return found
    return within<T>(ms, what, (resolve) => {
      const wake = (): void => { const m = find(); if (m !== undefined) resolve(m) }
      this.#wakers.add(wake)
      return () => { this.#wakers.delete(wake) }
    })
  }

  async stats (): Promise<Extract<FromChild, { type: 'stats' }>> {
    const from = this.messages.length
    this.send({ type: 'stats' })
    return this.message('stats', (m): m is Extract<FromChild, { type: 'stats' }> => m.type === 'stats', from)
  }
}

/** Resident memory of a process, in bytes, from /proc. */
function memory (pid: number): { rss: number, hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

const MB = 1024 * 1024

test('a reader that stops reading is cut off with `overflow`; fast readers get everything; the gateway\'s memory stays bounded', async (t) => {
  const phoenix = await startFakePhoenix()
  t.after(async () => { await phoenix.close() })
  const child = new ChildGateway(phoenix.endpoint)
  t.after(() => { if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill() })
  const { base } = await child.message('ready', (m): m is Extract<FromChild, { type: 'ready' }> => m.type === 'ready', 0, 10_000)

  const fast = await SseStream.open(base, TOPIC)
  t.after(() => { fast.close() })
  await fast.event('ready')
  const slow = await StalledReader.open(base, TOPIC)
  t.after(() => { slow.socket.destroy() })
  child.send({ type: 'watch' })
  const watching = await child.message('watching', (m): m is Extract<FromChild, { type: 'watching' }> => m.type === 'watching')
  assert.equal(watching.streams, 2)

  // The moment the gateway cuts the stalled reader off, it starts reading again.
  child.process.on('message', (m: FromChild) => { if (m.type === 'end') slow.resume() })

  const before = memory(child.pid)
  let peak = before.rss
  let published = 0
  for (let first = 1; first <= MESSAGES; first += BATCH) {
    for (let n = first; n < first + BATCH; n++) {
      phoenix.broadcast(TOPIC, 'msg', { n, pad: PAD })
      published += PAD.length
    }
    const last = first + BATCH - 1
    await fast.until(`message ${last} on the fast reader`, (s) => s.events.at(-1)?.event === 'msg' && numbers([s.events.at(-1)!])[0] === last)
    peak = Math.max(peak, memory(child.pid).rss)
  }
  const after = memory(child.pid)
  const growth = peak - before.rss
  t.diagnostic(`gateway RSS: before ${(before.rss / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, after ${(after.rss / MB).toFixed(1)} MB, VmHWM ${(after.hwm / MB).toFixed(1)} MB; published ${(published / MB).toFixed(1)} MB`)

  const cut = await child.message('the stalled reader\'s end', (m): m is Extract<FromChild, { type: 'end' }> => m.type === 'end')
  assert.equal(cut.reason, 'overflow')
  await slow.completeWithin()
  const stats = await child.stats()
  assert.deepEqual({ streams: stats.streams, subscribers: stats.subscribers }, { streams: 1, subscribers: 1 }, 'only the fast reader is left')

  // What the stalled reader gets when it finally reads: a prefix of the messages, then `overflow`.
  const { head, body } = slow.response()
  assert.match(head, /^HTTP\/1\.1 200 /)
  const parser = new SseParser()
  parser.feed(body)
  const events = parser.events
  const final = events.at(-1)
  assert.equal(final?.event, 'overflow', `the last event is overflow (got ${events.length} events)`)
  const overflow = JSON.parse(final.data) as { lastEventId: string, reason: string }
  assert.equal(overflow.reason, 'slow_reader')
  const received = events.filter((e) => e.event === 'msg')
  assert.ok(received.length > 0 && received.length < MESSAGES, `the stalled reader got ${received.length} messages before the cut`)
  assert.deepEqual(numbers(received), range(1, received.length), 'a prefix, in order, without holes')
  const named = received.findIndex((e) => e.id === overflow.lastEventId)
  assert.ok(named !== -1, `overflow names ${overflow.lastEventId}, an id the reader received`)
  assert.ok(seqOf(overflow.lastEventId) <= seqOf(received.at(-1)!.id), 'resuming from it loses nothing')

  // The fast reader on the same topic got every message, in order, with consecutive ids.
  const all = fast.named('msg')
  assert.deepEqual(numbers(all), range(1, MESSAGES))
  assert.deepEqual(all.map((e) => seqOf(e.id)), range(seqOf(all[0]!.id), MESSAGES))
  assert.equal(all[0]!.id, received[0]!.id, 'both readers saw the same ids')
  t.diagnostic(`the stalled reader got ${received.length} messages (${(body.length / MB).toFixed(1)} MB) before the cut`)

  assert.ok(published >= 20 * MB, 'at least 20 MB went to the topic')
  assert.ok(growth < 50 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MB`)

  child.send({ type: 'close' })
  assert.equal(await deadline(child.exited, 'the gateway child to exit'), 0)
})
