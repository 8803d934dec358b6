/**
 * Behaviour that changed between Phoenix releases (reference Part F, and the
 * Phoenix sources at each tag), as one profile derived from a version
 * string. Each field can also be set alone.
 */
export type StaleJoinRefRule =
  /** ≤ 1.8.2: pushes are delivered whatever join_ref they carry. */
  | 'none'
  /** 1.8.3 – 1.8.11: delivered when the join_ref equals the stored one or the stored one is null; so null is stale for a channel joined with one. */
  | 'null-is-stale'
  /** 1.8.12+: delivered when the join_ref is null or equals the stored one (a null stored join_ref makes any non-null one stale). */
  | 'null-is-fresh'

export interface VersionProfile {
  staleJoinRef: StaleJoinRefRule
  /** Whether a leave with a null join_ref counts as stale (every version before 1.8.12). */
  nullLeaveIsStale: boolean
  /** 100 from 1.7.24 on the 1.7 line and from 1.8.9 on the 1.8 line; unlimited before. */
  maxChannels: number
  /** The `phx_error` payload: `{}` until 1.8.9, `{"reason":"channel_crash"}` from 1.8.10. */
  errorPayload: Record<string, string>
  /** Close code of a `disconnect` broadcast: 1001 from 1.8.8, 1000 before. */
  disconnectCode: number
}

export const DEFAULT_PHOENIX_VERSION = '1.8.12'

type Version = [number, number, number]

function parse (version: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)
  if (match === null) throw new TypeError(`phoenixVersion must look like 1.8.12, got "${version}"`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

function compare (a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/**
 * Whether `v` has a change that first shipped in each of `firsts`, one per
 * release line it reached (a fix backported to an older line ships there
 * too): `v` has it from that release on in its own line, and in every line
 * newer than the newest of them.
 */
function hasChange (v: Version, ...firsts: string[]): boolean {
  const releases = firsts.map(parse).sort(compare)
  const newest = releases[releases.length - 1]
  const sameLine = releases.find((r) => r[0] === v[0] && r[1] === v[1])
  if (sameLine !== undefined) return v[2] >= sameLine[2]
  return newest !== undefined && compare(v, newest) > 0
}

export function versionProfile (version: string = DEFAULT_PHOENIX_VERSION): VersionProfile {
  const v = parse(version)
  let staleJoinRef: StaleJoinRefRule = 'none'
  if (hasChange(v, '1.8.12')) staleJoinRef = 'null-is-fresh'
  else if (hasChange(v, '1.8.3')) staleJoinRef = 'null-is-stale'
  return {
    staleJoinRef,
    nullLeaveIsStale: !hasChange(v, '1.8.12'),
    maxChannels: hasChange(v, '1.7.24', '1.8.9') ? 100 : Number.POSITIVE_INFINITY,
    errorPayload: hasChange(v, '1.8.10') ? { reason: 'channel_crash' } : {},
    disconnectCode: hasChange(v, '1.8.8') ? 1001 : 1000,
  }
}
