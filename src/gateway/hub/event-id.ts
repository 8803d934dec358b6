/**
 * SSE event ids: `<epoch>-<seq>`. The epoch is new for every process, so a
 * client resuming against a restarted sidecar is recognised; seq counts
 * a topic's events from 1; a topic held again (a new subscription) goes on
 * above every seq the hub has given out, so no id is ever given out twice.
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
