/**
 * What webhook delivery reports to metrics and logs. `subscription` is the
 * channel's configured name; `id` the message's `<epoch>-<seq>`. Payloads,
 * URLs and header values never appear.
 */
import type { AttemptResult, DeadLetterReason } from './policy.ts'

/** What made a webhook read its signing secrets: its start, a reload, or a change of a secret file. */
export type SigningTrigger = 'start' | 'reload' | 'watch'

export interface WebhookEvents {
  /** One attempt ended: its result, the HTTP status if a response came, and how long it took. */
  attempt: [{ subscription: string, id: string, result: AttemptResult, status: number | null, seconds: number }]
  /** A retry was scheduled after `delayMs`. */
  retry: [{ subscription: string, id: string, attempt: number, delayMs: number }]
  /** The app accepted a message; `seconds` from its arrival at the sidecar. */
  delivered: [{ subscription: string, id: string, attempts: number, seconds: number }]
  /** A message went to the dead letter (`target` is its kind: none, file, url, topic). */
  dead_letter: [{ subscription: string, id: string, reason: DeadLetterReason, attempts: number, status: number | null, error: string | null, target: string }]
  /** Writing a dead-letter record failed: the message is lost (and counted). */
  dead_letter_failed: [{ subscription: string, id: string, reason: DeadLetterReason, target: string, error: string }]
  /** A webhook's signing secrets were read and are in use: `secrets` of them (0: its requests are not signed). */
  signing_keys: [{ subscription: string, secrets: number, trigger: SigningTrigger }]
  /** A webhook's signing secrets could not be read (`error` names the source, never a secret): the ones in use are kept. */
  signing_keys_failed: [{ subscription: string, trigger: SigningTrigger, error: string }]
  /** Shutdown: the sinks stop taking messages and drain. */
  drain_start: [{ held: number, inFlight: number, stopInMs: number }]
  /** Shutdown: every sink drained; `left` messages went to the dead letter with reason shutdown, `kept` stay in the durable outbox for the next start. */
  drain_done: [{ left: number, kept: number, seconds: number }]
  /** At start, the durable outbox gave back `restored` messages to deliver; `expired` had passed their max age (dead-lettered). */
  outbox_restored: [{ subscription: string, restored: number, expired: number }]
  /** At start, the durable outbox held `messages` for a channel that has no webhook now: forgotten. */
  outbox_pruned: [{ subscription: string, messages: number }]
}
