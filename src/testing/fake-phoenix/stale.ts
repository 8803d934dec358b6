/**
 * Phoenix's stale join_ref rules (reference A9, Part F; Phoenix's
 * `Phoenix.Socket` handle_in clauses at each tag). The socket keeps, per
 * joined topic, the join_ref its join carried (null stays null) and
 * compares each later message's join_ref with it; a stale message is
 * dropped without an answer.
 */
import type { StaleJoinRefRule } from './version.ts'

/** Whether a push (any event but join and leave) to a joined topic is dropped. */
export function isStalePush (rule: StaleJoinRefRule, stored: string | null, sent: string | null): boolean {
  switch (rule) {
    case 'none': return false
    case 'null-is-stale': return stored !== null && sent !== stored
    case 'null-is-fresh': return sent !== null && sent !== stored
  }
}

/**
 * Whether a leave of a joined topic is ignored. Before 1.8.12 a null stored
 * join_ref accepts any leave and a non-null one only its equal; from 1.8.12
 * a null or equal join_ref is accepted, whatever was stored.
 */
export function isStaleLeave (nullLeaveIsStale: boolean, stored: string | null, sent: string | null): boolean {
  if (sent === stored) return false
  return nullLeaveIsStale ? stored !== null : sent !== null
}
