/**
 * Small measuring tools: deadlines, CPU and wall time around an async step,
 * percentiles, and the V8 heap after a full collection.
 */

/** Rejects when `promise` has not settled within `ms`. */
export async function withTimeout<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`${what}: not done within ${ms} ms`)) }, ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** Milliseconds since the epoch, with sub-millisecond precision; comparable across processes. */
export function wallClock (): number {
  return performance.timeOrigin + performance.now()
}

export interface Measured<T> {
  result: T
  wallMs: number
  /** CPU of this whole process (all threads: JS, GC, I/O), user + system, in µs. */
  cpuUs: number
  userUs: number
  systemUs: number
}

/** Runs `step` and measures wall time and this process's CPU time around it. */
export async function measure<T> (step: () => Promise<T>): Promise<Measured<T>> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await step()
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { result, wallMs, cpuUs: cpu.user + cpu.system, userUs: cpu.user, systemUs: cpu.system }
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]!
}

export function median (values: readonly number[]): number {
  return percentile(values, 50)
}

/** Runs the collector until the heap stops shrinking, then returns V8's heap used, in bytes. */
export async function heapAfterGc (): Promise<number> {
  const gc = globalThis.gc
  if (gc === undefined) throw new Error('run node with --expose-gc')
  let last = Number.POSITIVE_INFINITY
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    const used = process.memoryUsage().heapUsed
    if (used >= last - 1024) return used
    last = used
  }
  return last
}

/** A full collection before a measured step, so earlier garbage is not charged to it. */
export function collect (): void {
  globalThis.gc?.()
}
