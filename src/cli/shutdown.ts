/**
 * Signals for a long-running command: the first SIGTERM or SIGINT starts
 * `close()` and exits 0 when it is done (1 if it fails or overruns its
 * deadline); a second signal exits at once with 1. SIGHUP reloads the
 * config (installReload): it never ends the process.
 */
export interface ShutdownOptions {
  close: () => Promise<void>
  /** The hard limit, after which the process exits 1 whatever is still running. */
  deadlineMs: number
  log: (message: string, fields?: Record<string, unknown>) => void
  exit?: (code: number) => void
}

export function installShutdown (options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let signals = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++
    if (signals > 1) {
      options.log('second signal: exiting now', { signal })
      exit(1)
      return
    }
    options.log('shutting down', { signal })
    const timer = setTimeout(() => {
      options.log('shutdown overran its deadline', { deadlineMs: options.deadlineMs })
      exit(1)
    }, options.deadlineMs)
    timer.unref()
    options.close().then(() => {
      clearTimeout(timer)
      options.log('shutdown complete')
      exit(0)
    }, (err: unknown) => {
      clearTimeout(timer)
      options.log('shutdown failed', { err: err instanceof Error ? err.message : String(err) })
      exit(1)
    })
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}

/**
 * SIGHUP runs `reload()` (its outcome is logged by the caller's observers):
 * the process keeps running whatever the outcome, where Node's default
 * for SIGHUP would have ended it.
 */
export function installReload (reload: () => Promise<unknown>): void {
  process.on('SIGHUP', () => { reload().catch(() => undefined) })
}
