/**
 * What a stream over several topics follows, for any outlet: the request's
 * exact topics, held while the stream lasts (a topic the dynamic
 * allow-list allows is joined on demand, as for a per-topic stream), and
 * every held topic its patterns match, now and as topics come to be held
 * later (patterns never join anything). At most `limit` topics: more at
 * open is refused, a later match past it is skipped with a notice.
 */
import type { Broker, InUse } from './broker.ts'
import { patternProblem, matchesPattern } from './dynamic/patterns.ts'
import { BadRequestError, DrainingError, TooManyTopicsError } from './errors.ts'
import type { OpenStream } from './hub/reader.ts'
import type { Subscription } from './hub/subscription.ts'
import type { TopicMerge } from './hub/topic-merge.ts'

export interface TopicsRequest {
  /** Exact topics and patterns (`*` stands for one or more characters other than `:`). */
  topics: readonly string[]
  /** Only topics of this upstream, when named. */
  upstream: string | undefined
  /** The stream id to resume after (`<epoch>.<order>`), or null. */
  lastEventId: string | null
  /** Topics followed at most (sse.maxTopicsPerStream). */
  limit: number
}

export function isPattern (topic: string): boolean { return topic.includes('*') }

/** Checks the request and resolves its exact topics and patterns, holding the exact ones; throws (holding nothing) when it cannot be served. */
export function resolveTopics (broker: Broker, request: TopicsRequest): { subs: Subscription[], held: Map<Subscription, InUse[]>, patterns: string[] } {
  if (broker.draining) throw new DrainingError()
  const names = [...new Set(request.topics)]
  if (names.length === 0) throw new BadRequestError('name at least one topic or pattern: ?topic=room:lobby&topic=orders:*')
  if (names.length > request.limit) throw new TooManyTopicsError(names.length, request.limit)
  const patterns = names.filter(isPattern)
  for (const pattern of patterns) {
    const problem = patternProblem(pattern)
    if (problem !== null) throw new BadRequestError(`pattern ${JSON.stringify(pattern)} ${problem}`)
  }
  const exact = names.filter((t) => !isPattern(t))
  // Every exact topic is checked before any is joined: a refused stream joins nothing.
  for (const topic of exact) broker.checkUsable(topic, request.upstream)
  const held = new Map<Subscription, InUse[]>()
  const releaseAll = (): void => { for (const uses of held.values()) for (const use of uses) use.release() }
  try {
    for (const topic of exact) {
      const use = broker.use(topic, request.upstream, 'sse')
      held.set(use.sub, [...(held.get(use.sub) ?? []), use])
    }
    const subs = new Set(held.keys())
    for (const sub of broker.hub.all()) if (matches(sub, patterns, request.upstream)) subs.add(sub)
    if (subs.size > request.limit) throw new TooManyTopicsError(subs.size, request.limit)
    return { subs: [...subs], held, patterns }
  } catch (err) {
    releaseAll()
    throw err
  }
}

function matches (sub: Subscription, patterns: readonly string[], upstream: string | undefined): boolean {
  return (upstream === undefined || sub.config.upstream === upstream) && patterns.some((p) => matchesPattern(p, sub.config.topic))
}

/**
 * Follows the resolved topics with `merge` (resuming after the request's id) and opens it; from then on,
 * topics the patterns match are followed as they come to be held, until `stream` ends. Each exact topic is
 * released once no longer followed.
 */
export function followTopics (broker: Broker, merge: TopicMerge, stream: OpenStream, request: TopicsRequest, resolved: ReturnType<typeof resolveTopics>): void {
  const { hub } = broker
  for (const sub of resolved.subs) {
    const reader = merge.follow(sub, request.lastEventId)
    const uses = resolved.held.get(sub) ?? []
    for (const use of uses) {
      if (reader === null) use.release()
      else reader.onEnd(use.release)
    }
  }
  merge.open()
  if (resolved.patterns.length === 0) return
  const onHeld = (sub: Subscription): void => {
    if (stream.ended || merge.follows(sub) || !matches(sub, resolved.patterns, request.upstream)) return
    if (merge.size >= request.limit) merge.skipped(sub, request.limit)
    else merge.follow(sub, null)
  }
  hub.topics.on('held', onHeld)
  stream.onEnd(() => { hub.topics.off('held', onHeld) })
}
