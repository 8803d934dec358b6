/**
 * The `dynamic` entries as the schema leaves them, completed and
 * cross-checked: the upstream defaults to the only one and must exist, the
 * name defaults to the pattern, and the pattern must be usable (see
 * dynamic/patterns.ts).
 */
import { patternProblem } from '../dynamic/patterns.ts'
import type { DynamicConfig, UpstreamConfig } from './types.ts'

export type RawDynamic = Omit<DynamicConfig, 'name' | 'upstream'> & { name?: string, upstream?: string }

export function completeDynamic (raw: RawDynamic, index: number, upstreams: readonly UpstreamConfig[], problems: string[]): DynamicConfig {
  const at = `/dynamic/${index}`
  let upstream = raw.upstream
  if (upstream === undefined) {
    if (upstreams.length === 1) upstream = upstreams[0]?.name ?? ''
    else problems.push(`${at}: missing required key "upstream" (there are ${upstreams.length} upstreams)`)
  } else if (!upstreams.some((u) => u.name === upstream)) {
    problems.push(`${at}/upstream: no upstream is named "${upstream}" (known: ${upstreams.map((u) => `"${u.name}"`).join(', ')})`)
  }
  const problem = patternProblem(raw.pattern)
  if (problem !== null) problems.push(`${at}/pattern: ${problem}`)
  return { ...raw, name: raw.name ?? raw.pattern, upstream: upstream ?? '' }
}
