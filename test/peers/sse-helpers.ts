/**
 * Helpers for driving the gateway's SSE endpoint with real EventSource
 * implementations: a gate on resuming requests, so a test can let events
 * reach the replay ring before the client's automatic reconnect is served,
 * and so it sees the Last-Event-ID the client sent.
 */
import type { Daemon } from '../../src/gateway/daemon.ts'
import { DEADLINE_MS } from '../gateway/sse/helpers.ts'
import { within } from '../helpers/wait.ts'

export interface ResumeGate {
  /** Last-Event-ID of every SSE request that carried one, in arrival order. */
  readonly resumes: string[]
  /** Holds resuming requests until `release()`. */
  hold: () => void
  release: () => void
  /** Resolves with the Last-Event-ID of the resume number `index` (0-based) once it arrived. */
  resumed: (index: number, ms?: number) => Promise<string>
}

/** Installs the gate on the daemon's app; call before `daemon.start()`. */
export function resumeGate (daemon: Daemon): ResumeGate {
  const resumes: string[] = []
  const wakers = new Set<() => void>()
  let held: PromiseWithResolvers<undefined> | null = null
  daemon.app.addHook('onRequest', async (request) => {
    const id = request.headers['last-event-id']
    if (!request.url.includes('/events') || typeof id !== 'string') return
    resumes.push(id)
    for (const wake of [...wakers]) wake()
    if (held !== null) await held.promise
  })
  return {
    resumes,
    hold: () => { held = Promise.withResolvers() },
    release: () => { held?.resolve(undefined); held = null },
    resumed: async (index, ms = DEADLINE_MS) => {
      const found = resumes[index]
      if (found !== undefined) return found
      return within<string>(ms, `resume request #${index + 1}`, (resolve) => {
        const wake = (): void => { const id = resumes[index]; if (id !== undefined) resolve(id) }
        wakers.add(wake)
        return () => { wakers.delete(wake) }
      })
    },
  }
}
