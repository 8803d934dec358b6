/**
 * Behaviour that changed between Phoenix releases (reference Part F), as one
 * profile derived from a version string. Each field can also be set alone.
 */
export type StaleJoinRefRule =
  /** ≤ 1.8.2: pushes are delivered whatever join_ref they carry. */
  | 'none'
  /** 1.8.3 – 1.8.11: a different join_ref, or null for a channel joined with one, is dropped. */
  | 'null-is-stale'
  /** 1.8.12+: null is accepted, a different non-null join_ref is dropped. */
  | 'null-is-fresh'

export interface VersionProfile {
  staleJoinRef: StaleJoinRefRule
  /** Whether a leave with a null join_ref counts as stale (every version before 1.8.12). */
  nullLeaveIsStale: boolean
  /** 1.8.9+: 100; before: unlimited. */
  maxChannels: number
  /** The `phx_error` payload: `{}` until 1.8.9, `{"reason":"channel_crash"}` from 1.8.10. */
  errorPayload: Record<string, string>
  /** Close code of a `disconnect` broadcast: 1001 from 1.8.8, 1000 before. */
  disconnectCode: number
}

export const DEFAULT_PHOENIX_VERSION = '1.8.12'

function parse (version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)
  if (match === null) throw new TypeError(`phoenixVersion must look like 1.8.12, got "${version}"`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

function atLeast (v: [number, number, number], major: number, minor: number, patch: number): boolean {
  if (v[0] !== major) return v[0] > major
  if (v[1] !== minor) return v[1] > minor
  return v[2] >= patch
}

export function versionProfile (version: string = DEFAULT_PHOENIX_VERSION): VersionProfile {
  const v = parse(version)
  let staleJoinRef: StaleJoinRefRule = 'none'
  if (atLeast(v, 1, 8, 12)) staleJoinRef = 'null-is-fresh'
  else if (atLeast(v, 1, 8, 3)) staleJoinRef = 'null-is-stale'
  return {
    staleJoinRef,
    nullLeaveIsStale: !atLeast(v, 1, 8, 12),
    maxChannels: atLeast(v, 1, 8, 9) ? 100 : Number.POSITIVE_INFINITY,
    errorPayload: atLeast(v, 1, 8, 10) ? { reason: 'channel_crash' } : {},
    disconnectCode: atLeast(v, 1, 8, 8) ? 1001 : 1000,
  }
}
