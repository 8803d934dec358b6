/**
 * Request bodies nested too deeply are refused at the edge with 400
 * BC_ERR_TOO_DEEP: JSON.parse reads any depth, but encoding such a value
 * for Phoenix (or anything else that recurses) would run out of stack.
 */
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../phoenix/depth.ts'
import { TooDeepError } from '../errors.ts'

/** The error for a body nested deeper than MAX_JSON_DEPTH, or null when it is not. */
export function tooDeep (body: unknown): TooDeepError | null {
  if (!nestedDeeperThan(body, MAX_JSON_DEPTH)) return null
  return new TooDeepError(MAX_JSON_DEPTH)
}
