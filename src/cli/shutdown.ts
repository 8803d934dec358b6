/**
 * Signals for a long-running command: the first SIGTERM or SIGINT starts
 * `close()`, logs its outcome as the last line and exits with its status:
 * 0 when nothing was cut short, 3 when the drain finished within its budget
 * but cut work short (its fields say what), 1 when it failed or overran the
 * hard deadline; a second signal exits at once with 1. SIGHUP reloads the
 * config (installReload): it never ends the process.
 */

/** Exit status: the drain finished in its budget but cut work short (pushes cut, deliveries dead-lettered, a step forced). */
export const EXIT_CUT_SHORT = 5

/** What `close()` reports: `clean` when nothing was cut short; `fields` go into the last log line. */
export interface ShutdownOutcome {
  clean: boolean
  fields: Record<string, unknown>
}

export interface ShutdownOptions {
  close: () => Promise<ShutdownOutcome | undefined>
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
      options.log('second signal: exiting now', { signal, exitCode: 1 })
      exit(1)
      return
    }
    options.log('shutting down', { signal })
    const timer = setTimeout(() => {
      options.log('shutdown overran its deadline', { deadlineMs: options.deadlineMs, exitCode: 1 })
      exit(1)
    }, options.deadlineMs)
    timer.unref()
    options.close().then((outcome) => {
      clearTimeout(timer)
      const clean = outcome?.clean ?? true
      const exitCode = clean ? 0 : EXIT_CUT_SHORT
      options.log(clean ? 'shutdown complete' : 'shutdown cut work short', { ...outcome?.fields, exitCode })
      exit(exitCode)
    }, (err: unknown) => {
      clearTimeout(timer)
      options.log('shutdown failed', { err: err instanceof Error ? err.message : String(err), exitCode: 1 })
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
