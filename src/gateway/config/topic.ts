/**
 * What a topic may be, wherever it comes from: a configured channel (the
 * config file's schema says the same), a dynamic topic named in a request
 * path, or a PUT. 1 to 1,024 characters, no control characters (they would
 * reach Phoenix in a frame and the logs), and not `phoenix`, the topic of
 * heartbeats.
 */

export const MAX_TOPIC_LENGTH = 1024

/** The config schema's `pattern` for topics and names: no C0 control character and no DEL. */
const CONTROL = /[\u0000-\u001f\u007f]/ // eslint-disable-line no-control-regex

/** The topic Phoenix keeps for heartbeats. */
export const HEARTBEAT_TOPIC = 'phoenix'

function codePoints (text: string): number {
  let n = 0
  for (const _ of text) n++ // eslint-disable-line @typescript-eslint/no-unused-vars
  return n
}

/** What is wrong with `topic`, or null when it is a valid topic. */
export function topicProblem (topic: string): string | null {
  if (topic.length === 0) return 'must not be empty'
  // Counted in code points, as the schema's maxLength is.
  if (topic.length > MAX_TOPIC_LENGTH && codePoints(topic) > MAX_TOPIC_LENGTH) return `must be at most ${MAX_TOPIC_LENGTH} characters`
  if (CONTROL.test(topic)) return 'must not hold control characters'
  if (topic === HEARTBEAT_TOPIC) return `"${HEARTBEAT_TOPIC}" is reserved for heartbeats`
  return null
}
