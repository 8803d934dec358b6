/**
 * Topic patterns of the dynamic allow-list, pure. A pattern is a topic in
 * which `*` stands for one or more characters other than `:`; every other
 * character stands for itself. So a star never crosses a `:`: `room:*`
 * allows `room:lobby`, not `room:` nor `room:a:b`. Matching splits both at
 * `:` and compares segment by segment, each in O(pattern × topic) at worst:
 * no regular expression, so no pattern can make matching blow up.
 */

/** The topic Phoenix keeps for heartbeats: never joined, whatever a pattern says. */
export const RESERVED_TOPIC = 'phoenix'

/** What is wrong with a pattern, or null when it is usable. */
export function patternProblem (pattern: string): string | null {
  if (pattern.includes('**')) return 'must not hold "**" (one "*" already stands for one or more characters)'
  if (!/[^*:]/.test(pattern)) return 'must hold at least one character other than "*" and ":"'
  if (pattern === RESERVED_TOPIC) return `"${RESERVED_TOPIC}" is reserved for heartbeats`
  return null
}

/** One segment (no `:`): `*` matches one or more characters. */
function segmentMatches (pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text
  // can[j]: the pattern so far matches text[0, j).
  let can = new Array<boolean>(text.length + 1).fill(false)
  can[0] = true
  for (const ch of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false)
    if (ch === '*') {
      // One or more characters: text[0, j) matches if some k < j had the prefix matched.
      let seen = false
      for (let j = 1; j <= text.length; j++) {
        seen ||= can[j - 1] === true
        next[j] = seen
      }
    } else {
      for (let j = 1; j <= text.length; j++) next[j] = can[j - 1] === true && text[j - 1] === ch
    }
    can = next
  }
  return can[text.length] === true
}

/** True when `topic` is allowed by `pattern`. */
export function matchesPattern (pattern: string, topic: string): boolean {
  if (topic === RESERVED_TOPIC) return false
  const parts = pattern.split(':')
  const segments = topic.split(':')
  if (parts.length !== segments.length) return false
  return parts.every((part, i) => segmentMatches(part, segments[i] ?? ''))
}

/** The first entry (in config order) whose pattern allows `topic`, on `upstream` when one is named. */
export function firstMatch<T extends { pattern: string, upstream: string }> (entries: readonly T[], topic: string, upstream?: string): T | undefined {
  return entries.find((e) => (upstream === undefined || e.upstream === upstream) && matchesPattern(e.pattern, topic))
}
