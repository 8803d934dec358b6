/**
 * Series of browser access: SSE streams refused before they opened, by
 * reason (a limit, no valid token, a topic the token does not cover),
 * requests refused for their credentials, by reason, and reads of a JWKS by
 * result. Labels are reasons and results only: never a subject, an address
 * or a topic.
 */
import { Counter, type Registry } from 'prom-client'
import type { Broker, SseRefusal } from '../broker.ts'
import type { RefreshingKeySet } from '../access/key-set.ts'

const REFUSALS: readonly SseRefusal[] = ['max_clients', 'subject_limit', 'address_limit', 'unauthorized', 'forbidden']

export function accessMetrics (registry: Registry, broker: Broker, keySet: RefreshingKeySet | null): void {
  const registers = [registry]
  const refused = new Counter({ name: 'backchannel_sse_refused_total', help: 'SSE streams refused before they opened, by reason: max_clients (sse.maxClients, 503), subject_limit and address_limit (sse.maxClientsPerSubject, sse.maxClientsPerAddress, 429), unauthorized (no valid token, 401), forbidden (a topic the token does not cover, 403)', labelNames: ['reason'] as const, registers })
  for (const reason of REFUSALS) refused.inc({ reason }, 0)
  broker.events.on('sse_refused', (e) => { refused.inc({ reason: e.reason }) })
  const rejected = new Counter({ name: 'backchannel_auth_rejected_total', help: 'Requests answered 401, by reason: unauthorized (no token, or not the API token), or the browser token\'s fault: malformed, algorithm, signature, expired, not_yet_valid, claims', labelNames: ['reason'] as const, registers })
  broker.events.on('token_rejected', (e) => { rejected.inc({ reason: e.reason }) })
  const reads = new Counter({ name: 'backchannel_jwks_reads_total', help: 'Reads of tokens.jwks by result (ok, failed: the last good set is kept) and trigger (start, unknown_kid, max_age)', labelNames: ['result', 'trigger'] as const, registers })
  if (keySet === null) return
  keySet.events.on('keys_loaded', (e) => { reads.inc({ result: 'ok', trigger: e.trigger }) })
  keySet.events.on('keys_failed', (e) => { reads.inc({ result: 'failed', trigger: e.trigger }) })
}
