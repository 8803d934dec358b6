/**
 * How busy the rest of the machine was during a run (Linux): the CPU time
 * of every process (/proc/stat) minus this process's and its waited-for
 * children's (/proc/self/stat utime, stime, cutime, cstime). The benchmark
 * shares its cores with whatever else runs; this says how much did.
 */
import { readFileSync } from 'node:fs'

export interface CpuSample { busy: number, total: number, own: number }

/** Clock ticks; null when /proc is not there. */
export function sampleCpu (): CpuSample | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0)
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0)
    const self = readFileSync('/proc/self/stat', 'utf8')
    const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number)
    // After the name: state is field 3; utime, stime, cutime, cstime are fields 14–17.
    const own = (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0)
    return { busy: total - idle, total, own }
  } catch {
    return null
  }
}

/** Share of the machine's CPU capacity used by other processes between two samples, 0..1. */
export function othersShare (a: CpuSample | null, b: CpuSample | null): number | null {
  if (a === null || b === null || b.total === a.total) return null
  return Math.max(0, (b.busy - a.busy) - (b.own - a.own)) / (b.total - a.total)
}
