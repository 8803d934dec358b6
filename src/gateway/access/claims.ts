/**
 * What a verified token allows, pure: the topic patterns it may subscribe
 * to and push to, read from its claims, and whether they cover a topic or a
 * requested pattern. Claims, shaped as Mercure's:
 *
 *   { "sub": "user-42", "exp": 1767225600,
 *     "backchannel": { "subscribe": ["room:lobby", "user:42:*"], "publish": ["room:lobby"] } }
 *
 * `mercure` with the same shape is read when `backchannel` is absent. A
 * pattern follows the gateway's one rule (dynamic/patterns.ts): `*` stands
 * for one or more characters other than `:`.
 */
import { createHash } from 'node:crypto'
import { matchesPattern, patternProblem } from '../dynamic/patterns.ts'
import { TokenRejectedError, type TopicAction } from '../errors.ts'

/** Patterns one claim may list at most: a token is a header, and each request walks its list. */
export const MAX_CLAIM_PATTERNS = 1000

export interface Grants {
  /** Who it is for: the `sub` claim, or `token:<hash>` for a token without one (a subject of its own). */
  readonly subject: string
  readonly subscribe: readonly string[]
  readonly publish: readonly string[]
  /** When it expires (ms since the epoch, `exp` × 1000), or null for a token without `exp`. */
  readonly expiresAtMs: number | null
}

function patterns (value: unknown): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.length > MAX_CLAIM_PATTERNS) throw new TokenRejectedError('claims')
  for (const item of value) {
    if (typeof item !== 'string' || item === '' || item.length > 1024 || (item.includes('*') && patternProblem(item) !== null)) throw new TokenRejectedError('claims')
  }
  return value as string[]
}

/** The grants of a verified token's claims; throws TokenRejectedError('claims') for claims of the wrong type. */
export function grantsOf (payload: Readonly<Record<string, unknown>>, token: string): Grants {
  const sub = payload['sub']
  if (sub !== undefined && (typeof sub !== 'string' || sub === '')) throw new TokenRejectedError('claims')
  const exp = payload['exp']
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) throw new TokenRejectedError('claims')
  const claim = payload['backchannel'] !== undefined ? payload['backchannel'] : payload['mercure']
  if (claim !== undefined && (typeof claim !== 'object' || claim === null || Array.isArray(claim))) throw new TokenRejectedError('claims')
  const topics = (claim ?? {}) as Record<string, unknown>
  return {
    subject: sub ?? `token:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`,
    subscribe: patterns(topics['subscribe']),
    publish: patterns(topics['publish']),
    expiresAtMs: exp === undefined ? null : exp * 1000,
  }
}

/**
 * True when `claim` (an exact topic or a pattern) covers every topic `wanted` stands for. `wanted` is an exact
 * topic, or a pattern asked for in GET /v1/events: a pattern is covered when the claim matches it read as a
 * topic, its `*` a character like any other. That is sound: a claim's `*` never meets a literal `*` it must
 * equal, so each `*` of `wanted` lies inside a run a claim's `*` covers, and whatever it stands for (one or more
 * characters other than `:`) that run stays one or more characters other than `:`.
 */
export function claimCovers (claim: string, wanted: string): boolean {
  if (claim === wanted) return true
  return claim.includes('*') && matchesPattern(claim, wanted)
}

/** True when the grants let `action` reach `wanted` (a topic, or a pattern of GET /v1/events). */
export function allows (grants: Grants, action: TopicAction, wanted: string): boolean {
  const claims = action === 'subscribe' ? grants.subscribe : grants.publish
  return claims.some((claim) => claimCovers(claim, wanted))
}

/** Checks tokens: their signature with the configured keys, `exp` and `nbf` with leeway, then their claims. */
export interface TokenVerifier {
  /** The token's grants; throws TokenRejectedError (401) or TokenKeysUnavailableError (503). */
  verify: (token: string) => Promise<Grants>
  /** Clock skew allowed on `exp` and `nbf`, ms: a stream ends this long after its token's `exp`. */
  readonly leewayMs: number
}
