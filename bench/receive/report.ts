/**
 * The receive benchmark's Markdown: per workload and side, the receiver's
 * CPU per message and the fake server's send-queue peak (medians over the
 * rounds, with min–max), then the goals as ratios of those medians, each
 * measured in the same run.
 */
import { median } from '../lib/measure.ts'
import type { ReceiveConfig, SideName, Step } from './scenarios.ts'

/** Steps by workload (`${size}x${count}`), then by side. */
export type ReceiveResults = Map<string, Map<SideName, Step[]>>

export function workloadKey (size: number, count: number): string {
  return `${size}x${count}`
}

function fmt (n: number, digits = 2): string {
  if (!Number.isFinite(n)) return '–'
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function fmtInt (n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–'
}

function table (header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

function sizeLabel (size: number): string {
  return size >= 1000 ? `${size / 1000} KB` : `${size} B`
}

interface Figures {
  cpu: number[]
  user: number[]
  system: number[]
  rate: number[]
  frames: number[]
  bytes: number[]
  server: number[]
}

function figures (steps: readonly Step[], count: number): Figures {
  return {
    cpu: steps.map((s) => (s.cpu.user + s.cpu.system) / count),
    user: steps.map((s) => s.cpu.user / count),
    system: steps.map((s) => s.cpu.system / count),
    rate: steps.map((s) => (1000 * count) / s.wallMs),
    frames: steps.map((s) => s.queuePeak.frames),
    bytes: steps.map((s) => s.queuePeak.bytes),
    server: steps.map((s) => (s.serverCpu.user + s.serverCpu.system) / count),
  }
}

function spread (values: readonly number[], show: (n: number) => string): string {
  return `${show(median(values))} (${show(Math.min(...values))}–${show(Math.max(...values))})`
}

const MB = 1024 * 1024

interface Goal { figure: string, gateway: number, other: number, otherName: string, limit: number | null, digits?: number }

export function render (config: ReceiveConfig, results: ReceiveResults): string {
  const rows: string[][] = []
  const med = new Map<string, Map<SideName, Figures>>()
  for (const w of config.workloads) {
    const bySide = results.get(workloadKey(w.size, w.count))
    if (bySide === undefined) continue
    const m = new Map<SideName, Figures>()
    med.set(workloadKey(w.size, w.count), m)
    for (const [name, steps] of bySide) {
      if (steps.length === 0) continue
      const f = figures(steps, w.count)
      m.set(name, f)
      rows.push([
        `${sizeLabel(w.size)} × ${fmtInt(w.count)}`,
        name,
        fmtInt(median(f.rate)),
        spread(f.cpu, (n) => fmt(n)),
        `${fmt(median(f.user))} / ${fmt(median(f.system))}`,
        spread(f.frames, fmtInt),
        fmt(median(f.bytes) / MB, 1),
        fmt(median(f.server)),
        fmtInt(steps.reduce((a, x) => a + w.count - x.received, 0)),
      ])
    }
  }
  const goals: Goal[] = []
  const pick = (size: number, count: number, side: SideName, key: keyof Figures): number => {
    const f = med.get(workloadKey(size, count))?.get(side)
    return f === undefined ? Number.NaN : median(f[key])
  }
  for (const w of config.workloads) {
    const limit = w.size <= 100 ? 1.0 : 0.5
    goals.push({ figure: `receiver CPU µs/msg, ${sizeLabel(w.size)}`, gateway: pick(w.size, w.count, 'gateway', 'cpu'), other: pick(w.size, w.count, 'phoenix.js', 'cpu'), otherName: 'phoenix.js', limit })
  }
  for (const w of config.workloads) {
    goals.push({ figure: `(info) receiver CPU µs/msg, ${sizeLabel(w.size)}`, gateway: pick(w.size, w.count, 'gateway', 'cpu'), other: pick(w.size, w.count, 'Backchannel Client', 'cpu'), otherName: 'Backchannel Client', limit: null })
  }
  for (const w of config.workloads) {
    goals.push({ figure: `(info) receiver CPU µs/msg, ${sizeLabel(w.size)}`, gateway: pick(w.size, w.count, 'gateway', 'cpu'), other: pick(w.size, w.count, 'relay floor', 'cpu'), otherName: 'relay floor', limit: null })
    goals.push({ figure: `(info) relay floor's CPU µs/msg ÷ phoenix.js's, ${sizeLabel(w.size)}`, gateway: pick(w.size, w.count, 'relay floor', 'cpu'), other: pick(w.size, w.count, 'phoenix.js', 'cpu'), otherName: 'phoenix.js', limit: null })
  }
  for (const w of config.workloads) {
    const goal = w.size >= 10_000
    const tag = goal ? '' : '(info) '
    goals.push({ figure: `${tag}send-queue peak, frames, ${sizeLabel(w.size)} × ${fmtInt(w.count)}`, gateway: pick(w.size, w.count, 'gateway', 'frames'), other: pick(w.size, w.count, 'Backchannel Client', 'frames'), otherName: 'Backchannel Client', limit: goal ? 1.2 : null, digits: 0 })
    goals.push({ figure: `${tag}send-queue peak, MB, ${sizeLabel(w.size)} × ${fmtInt(w.count)}`, gateway: pick(w.size, w.count, 'gateway', 'bytes') / MB, other: pick(w.size, w.count, 'Backchannel Client', 'bytes') / MB, otherName: 'Backchannel Client', limit: goal ? 1.2 : null })
  }
  const goalRows = goals.map((g) => {
    const ratio = g.gateway / g.other
    const verdict = g.limit === null ? 'info' : ratio <= g.limit || g.gateway <= g.other ? 'PASS' : '**FAIL**'
    return [g.figure, g.otherName, fmt(g.other, g.digits), fmt(g.gateway, g.digits), fmt(ratio), g.limit === null ? '–' : `≤ ${fmt(g.limit, 1)}×`, verdict]
  })
  return [
    '### Per workload (medians over the rounds; min–max in brackets)',
    '',
    `Unpaced: the fake server broadcasts ${config.batch} at a time with a turn of its event loop between. "Receiver CPU" is the receiving process's \`process.cpuUsage()\` (user + system) over the step ÷ messages: the gateway child (upstream → one SSE reader), or the client child. "Queue peak" is the most the fake server had queued for that connection and not yet written (frames; MB), sampled after each batch. "Missed": messages that never reached the receiver's end, summed over the rounds (the gateway tells its SSE reader with a \`gap\` when the reader fell more than the topic's ring behind).`,
    '',
    table(['workload', 'receiver', 'msgs/s', 'receiver CPU µs/msg', 'user / system', 'queue peak, frames', 'queue peak, MB', 'fake server CPU µs/msg', 'missed, all rounds'], rows),
    '',
    '### Goals (gateway ÷ the other, ratio of the medians)',
    '',
    table(['figure', 'against', 'the other', 'gateway', 'ratio', 'goal', 'result'], goalRows),
    '',
  ].join('\n')
}
