/**
 * The `dynamic` entries as the schema leaves them, completed and
 * cross-checked: the upstream defaults to the only one and must exist, the
 * name defaults to the pattern, and the pattern must be usable (see
 * dynamic/patterns.ts).
 */
import { patternProblem } from '../dynamic/patterns.ts'
import { resolveUpstream } from './checks.ts'
import type { RawDynamic } from './file-types.generated.ts'
import type { DynamicConfig, UpstreamConfig } from './types.ts'

export function completeDynamic (raw: RawDynamic, index: number, upstreams: readonly UpstreamConfig[], problems: string[]): DynamicConfig {
  const at = `/dynamic/${index}`
  const upstream = resolveUpstream(raw.upstream, at, upstreams, problems)
  const problem = patternProblem(raw.pattern)
  if (problem !== null) problems.push(`${at}/pattern: ${problem}`)
  return { ...raw, name: raw.name ?? raw.pattern, upstream }
}
