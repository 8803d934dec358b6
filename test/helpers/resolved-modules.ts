/**
 * For child processes that check what a start loads: records the URL of
 * every module the process resolves from now on (modules imported
 * dynamically after the call; static imports have resolved already).
 */
import { registerHooks } from 'node:module'

export function recordResolvedModules (): ReadonlySet<string> {
  const resolved = new Set<string>()
  registerHooks({
    resolve (specifier, context, nextResolve) {
      const result = nextResolve(specifier, context)
      resolved.add(result.url)
      return result
    },
  })
  return resolved
}
