/**
 * Start-up allocates in a burst (the route schemas compiled, the config
 * read, the modules loaded), and V8 keeps the young generation it grew for
 * that burst committed long after: about 15 MB of empty pages at idle. One
 * full collection once start-up is over, of the kind V8 runs under memory
 * pressure, gives those pages back, so an idle sidecar holds what it uses
 * (bench/README.md, idle RSS). It blocks for a few milliseconds, once.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

interface GcOptions { type: 'major', execution: 'sync', flavor: 'last-resort' }
type Gc = (options: GcOptions) => void

/** V8's collector: the global one under --expose-gc, else one exposed for this call only. */
function collector (): Gc {
  const exposed = (globalThis as { gc?: Gc }).gc
  if (exposed !== undefined) return exposed
  setFlagsFromString('--expose-gc')
  try {
    return runInNewContext('gc') as Gc
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
}

/**
 * Collects everything collectable and shrinks the young generation; returns
 * the time it took, ms, or null when this Node offers no way to ask (an
 * optimisation never stops the sidecar from serving).
 */
export function releaseStartupMemory (): number | null {
  const started = performance.now()
  try {
    collector()({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  } catch {
    return null
  }
  return performance.now() - started
}
