/**
 * SSE event ids: `<epoch>-<seq>`. The epoch is new for every process, so a
 * client resuming against a restarted sidecar is recognised; seq counts
 * a topic's events from 1; a topic held again (a new subscription) goes on
 * above every seq the hub has given out, so no id is ever given out twice.
 *
 * A stream over several topics numbers its events `<epoch>.<order>`
 * instead: the order is one sequence over every topic of the hub, so one
 * small id marks a place in all of them.
 */
export function newEpoch (now: number, random: () => number): string {
  return `${now.toString(36)}${Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0')}`
}

export function formatEventId (epoch: string, seq: number): string {
  return `${epoch}-${seq}`
}

export function parseEventId (id: string): { epoch: string, seq: number } | null {
  const dash = id.lastIndexOf('-')
  if (dash <= 0) return null
  const digits = id.slice(dash + 1)
  if (!/^\d+$/.test(digits)) return null
  const seq = Number(digits)
  if (!Number.isSafeInteger(seq)) return null
  return { epoch: id.slice(0, dash), seq }
}

export function formatStreamEventId (epoch: string, order: number): string {
  return `${epoch}.${order}`
}

export function parseStreamEventId (id: string): { epoch: string, order: number } | null {
  const dot = id.lastIndexOf('.')
  if (dot <= 0) return null
  const digits = id.slice(dot + 1)
  if (!/^\d+$/.test(digits)) return null
  const order = Number(digits)
  if (!Number.isSafeInteger(order)) return null
  return { epoch: id.slice(0, dot), order }
}
