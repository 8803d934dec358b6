/**
 * Guarantee (issue 12): a reader of one stream over many topics
 * (`GET /v1/events`) that is cut off and resumes with the id it was given
 * loses nothing silently and gets nothing twice: every message published on
 * every topic is either received exactly once, in its topic's order, or
 * covered by a `gap` for its topic at the start of the resume that skipped
 * it. A topic whose ring still holds what came after the id is replayed
 * exactly, with no gap.
 *
 * A real gateway on port 0 with small topic buffers and short replays, the
 * fake Phoenix server publishing bursts over 12 busy topics (in an order
 * drawn from a seeded PRNG) and a few messages on 4 quiet ones, all
 * followed by one pattern. The reader stops reading each round (a raw TCP
 * client), is cut off (`overflow`), reads what it was given, and comes back
 * with the id `overflow` named; a live reader beside it that keeps up is the
 * reference for what was published and under which id.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { channelConfig, stopGateway, type Running } from '../gateway/helpers.ts'
import { joined, SseParser, startSseGateway, type SseMessage } from '../gateway/sse/helpers.ts'
import { ANY_TOPIC, dataOf, delivered, openEvents, readersSince, seenMessage, stalledEvents } from '../gateway/sse/topics-support.ts'
import { mulberry32 } from '../helpers/prng.ts'

const SEED = 1207
const BUSY = Array.from({ length: 12 }, (_, i) => `burst:b${i}`)
const QUIET = Array.from({ length: 4 }, (_, i) => `burst:q${i}`)
const ROUNDS = 3
/** Messages a busy topic gets in one chunk of a burst; a chunk is published, then the live reader is waited for. */
const PER_CHUNK = 10
const PAD = 'x'.repeat(2048)
/** A burst ends when the reader is cut off; this many chunks (some 70 MB) without a cut fail the test. */
const MAX_CHUNKS = 300

/** Everything published, per topic: the last n given out. */
class Published {
  readonly last = new Map<string, number>()
  next (topic: string): number {
    const n = (this.last.get(topic) ?? 0) + 1
    this.last.set(topic, n)
    return n
  }
}

function publishOne (running: Running, published: Published, topic: string): number {
  const n = published.next(topic)
  running.phoenix.broadcast(topic, 'msg', { n, pad: PAD })
  return n
}

/** One chunk of the burst: PER_CHUNK messages on every busy topic, the topics in a random order; the last topic and n published. */
function chunk (running: Running, published: Published, random: () => number): { topic: string, n: number } {
  let last = { topic: '', n: 0 }
  for (let i = 0; i < PER_CHUNK; i++) {
    const order = [...BUSY]
    for (let j = order.length - 1; j > 0; j--) {
      const k = Math.floor(random() * (j + 1))
      ;[order[j], order[k]] = [order[k]!, order[j]!]
    }
    for (const topic of order) last = { topic, n: publishOne(running, published, topic) }
  }
  return last
}

/** One round of the cut-off reader: what it received, in order, and the id `overflow` named. */
interface Round { events: SseMessage[], resumedFrom: string | null, overflowId: string | null }

async function stalledRound (t: TestContext, running: Running, published: Published, watch: Awaited<ReturnType<typeof openEvents>>, random: () => number, resumeFrom: string | null): Promise<Round & { chunks: number }> {
  const before = new Set(running.daemon.broker.readers)
  const reader = await stalledEvents(t, running.base, ['burst:*'], resumeFrom ?? undefined)
  const end = readersSince(running.daemon, before)
  let chunks = 0
  while (end.reason() === null) {
    assert.ok(chunks < MAX_CHUNKS, `the stalled reader was not cut off after ${chunks} chunks`)
    const last = chunk(running, published, random)
    chunks++
    await seenMessage(watch, last.topic, last.n, 20_000)
  }
  assert.equal(end.reason(), 'overflow')
  // After the cut, before the next resume: a message on each quiet topic, which its ring still holds then.
  for (const topic of QUIET) publishOne(running, published, topic)
  await seenMessage(watch, QUIET.at(-1)!, published.last.get(QUIET.at(-1)!)!, 20_000)

  reader.resume()
  await reader.completeWithin(20_000)
  const parser = new SseParser()
  parser.feed(reader.response().body)
  const events = parser.events
  const final = events.at(-1)
  assert.equal(final?.event, 'overflow', `the round ends with overflow (got ${events.slice(-2).map((e) => e.event).join(',')})`)
  const named = (JSON.parse(final.data) as { lastEventId: string | null }).lastEventId
  const lastGiven = events.findLast((e) => e.id !== undefined)?.id ?? resumeFrom
  assert.equal(named, lastGiven, 'overflow names the last id the reader was given')
  return { events: events.slice(0, -1), resumedFrom: resumeFrom, overflowId: named, chunks }
}

/** Gaps of a resumed round come before anything else; returns the topics they name. */
function leadingGapTopics (round: Round, what: string): Set<string> {
  const body = round.events.filter((e) => e.event !== 'ready')
  const lead = body.findIndex((e) => e.event !== 'gap')
  const gaps = lead === -1 ? body : body.slice(0, lead)
  assert.equal(body.filter((e) => e.event === 'gap').length, gaps.length, `${what}: gaps come before anything else`)
  const topics = new Set<string>()
  for (const gap of gaps) {
    const { topic, payload } = dataOf(gap)
    assert.equal(topics.has(topic), false, `${what}: one gap for ${topic}`)
    assert.equal((payload as { lastEventId: string }).lastEventId, round.resumedFrom, `${what}: the gap names the id resumed from`)
    assert.ok(['replay_exhausted', 'topic_restarted'].includes((payload as { reason: string }).reason), `${what}: ${JSON.stringify(payload)}`)
    topics.add(topic)
  }
  return topics
}

test('a multi-topic reader cut off again and again under a burst over 16 topics: every message is received exactly once or covered by a gap for its topic', async (t) => {
  const random = mulberry32(SEED)
  const running = await startSseGateway([...BUSY, ...QUIET].map((topic) => channelConfig(topic, { replay: 20 })), {
    phoenix: ANY_TOPIC,
    sse: { topicBufferBytes: 64 * 1024, stallTimeoutMs: 2000, keepAliveMs: 100, lingerMs: 30_000 },
  })
  t.after(async () => { await stopGateway(running) })
  for (const topic of [...BUSY, ...QUIET]) await joined(running.daemon, topic)
  const watch = await openEvents(t, running.base, ['burst:*'])
  await watch.event('ready')
  const published = new Published()

  const rounds: Round[] = []
  let resumeFrom: string | null = null
  for (let i = 0; i < ROUNDS; i++) {
    const round = await stalledRound(t, running, published, watch, random, resumeFrom)
    t.diagnostic(`round ${i}: cut off after ${round.chunks} chunks, having received ${delivered(round.events).length} messages`)
    rounds.push(round)
    resumeFrom = round.overflowId
  }

  // The last resume reads as fast as it can; one more message on every topic marks the end.
  assert.ok(resumeFrom !== null)
  const last = await openEvents(t, running.base, ['burst:*'], { lastEventId: resumeFrom })
  await last.event('ready')
  for (const topic of [...BUSY, ...QUIET]) publishOne(running, published, topic)
  for (const topic of [...BUSY, ...QUIET]) {
    await seenMessage(last, topic, published.last.get(topic)!, 20_000)
    await seenMessage(watch, topic, published.last.get(topic)!, 20_000)
  }
  rounds.push({ events: [...last.events], resumedFrom: resumeFrom, overflowId: null })
  assert.equal(watch.named('overflow').length, 0, 'the live reader was never cut off')

  // Walk each topic's events over the rounds: each message once, in order; a message skipped only after a gap of its topic.
  const watched = new Map(delivered(watch.events).map((d) => [`${d.topic}/${d.n}`, d.id]))
  const gapsByTopic = new Map<string, number>()
  for (const topic of [...BUSY, ...QUIET]) {
    let expected = 1
    let skipped = 0
    // A gap covers what its resume did not replay: the messages up to the topic's next one received, in that round or a later one.
    let covered = false
    for (const [i, round] of rounds.entries()) {
      if (round.resumedFrom !== null && leadingGapTopics(round, `round ${i}`).has(topic)) {
        gapsByTopic.set(topic, (gapsByTopic.get(topic) ?? 0) + 1)
        covered = true
      }
      for (const d of delivered(round.events, topic)) {
        assert.equal(d.id, watched.get(`${topic}/${d.n}`), `${topic}/${d.n}: the id the live reader saw`)
        assert.ok(d.n >= expected, `${topic}/${d.n} in round ${i}: received twice or out of order (expected ${expected} or later)`)
        if (d.n > expected) {
          assert.ok(covered, `${topic}: ${expected}..${d.n - 1} were lost by round ${i} without a gap for the topic`)
          skipped += d.n - expected
        }
        expected = d.n + 1
        covered = false
      }
    }
    assert.equal(expected, published.last.get(topic)! + 1, `${topic}: everything up to its last message was accounted for`)
    if (skipped > 0) t.diagnostic(`${topic}: ${skipped} messages covered by gaps`)
  }
  for (const topic of QUIET) assert.equal(gapsByTopic.get(topic), undefined, `${topic}: its ring held everything, so no gap`)
  assert.ok(BUSY.some((topic) => (gapsByTopic.get(topic) ?? 0) > 0), 'some busy topic lost messages to a gap (the test reached the case it is about)')
  const quietReplayed = rounds.slice(1).reduce((sum, round) => sum + QUIET.reduce((s, topic) => s + delivered(round.events, topic).length, 0), 0)
  assert.ok(quietReplayed >= QUIET.length * ROUNDS, 'the quiet topics\' messages came by exact replay')
})
