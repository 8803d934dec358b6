/**
 * The topics benchmark's tables: every round, the medians per scenario, and
 * the goal (the one stream at most 0.5× the per-topic streams) as ratios of
 * the medians, with the range of the ratios of the rounds run side by side.
 */
import { median } from '../lib/measure.ts'

export type ScenarioKey = 'A' | 'B'

export interface RoundResult {
  scenario: ScenarioKey
  round: number
  pid: number
  streams: number
  /** Events of the measured delivery (every reader's together). */
  events: number
  wallMs: number
  userUs: number
  systemUs: number
  /** VmRSS as it is, bytes: channels joined and no stream open; streams open, no message yet; every message delivered. */
  idleRss: number
  openRss: number
  endRss: number
  /** The same after full collections (the child's `mem`), and V8's heap in use. */
  idleRssGc: number
  endRssGc: number
  idleHeap: number
  endHeap: number
  /** Pages V8's young generation holds (new space, physical) after the full collections, bytes: it grows under a burst of allocation and is not given back. */
  idleYoung: number
  endYoung: number
}

interface Figure {
  name: string
  unit: string
  of: (r: RoundResult) => number
  digits: number
  /** Judged against the goal (else shown for context). */
  goal: boolean
}

const MB = 2 ** 20
const cpuPerEvent = (r: RoundResult): number => (r.userUs + r.systemUs) / r.events

const FIGURES: Figure[] = [
  { name: 'sidecar CPU per delivered event', unit: 'µs', of: cpuPerEvent, digits: 2, goal: true },
  { name: 'sidecar user CPU per delivered event', unit: 'µs', of: (r) => r.userUs / r.events, digits: 2, goal: false },
  { name: 'sidecar system CPU per delivered event', unit: 'µs', of: (r) => r.systemUs / r.events, digits: 2, goal: false },
  { name: 'sidecar RSS growth, joined → streams open and messages delivered', unit: 'MB', of: (r) => (r.endRss - r.idleRss) / MB, digits: 1, goal: true },
  { name: 'sidecar RSS, streams open and messages delivered', unit: 'MB', of: (r) => r.endRss / MB, digits: 1, goal: true },
  { name: 'sidecar RSS growth, joined → streams open (no message yet)', unit: 'MB', of: (r) => (r.openRss - r.idleRss) / MB, digits: 1, goal: false },
  { name: 'sidecar RSS growth after full GCs', unit: 'MB', of: (r) => (r.endRssGc - r.idleRssGc) / MB, digits: 1, goal: false },
  { name: 'sidecar V8 heap growth after full GCs', unit: 'MB', of: (r) => (r.endHeap - r.idleHeap) / MB, digits: 1, goal: false },
  { name: 'V8 young generation held after full GCs, growth', unit: 'MB', of: (r) => (r.endYoung - r.idleYoung) / MB, digits: 1, goal: false },
  { name: 'events delivered per second', unit: '/s', of: (r) => r.events / (r.wallMs / 1000), digits: 0, goal: false },
]

function fmt (value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

const LABEL: Record<ScenarioKey, string> = { A: 'A: per-topic streams', B: 'B: one stream' }

/** The rounds' table, the medians with the ratio B/A, and the goals. */
export function render (rounds: readonly RoundResult[]): string {
  const lines = [
    '### Every round (a fresh sidecar each)',
    '',
    '| round | scenario | streams | events | CPU µs/event (user / system) | events/s | RSS MB joined → streams open → delivered (growth) | after full GCs: RSS MB (growth), heap growth MB |',
    '| ---: | --- | ---: | ---: | --- | ---: | --- | --- |',
    ...rounds.map((r) => `| ${r.round} | ${LABEL[r.scenario]} | ${fmt(r.streams, 0)} | ${fmt(r.events, 0)} | ${fmt(cpuPerEvent(r), 2)} (${fmt(r.userUs / r.events, 2)} / ${fmt(r.systemUs / r.events, 2)}) | ${fmt(r.events / (r.wallMs / 1000), 0)} | ${fmt(r.idleRss / MB, 1)} → ${fmt(r.openRss / MB, 1)} → ${fmt(r.endRss / MB, 1)} (${fmt((r.endRss - r.idleRss) / MB, 1)}) | ${fmt(r.idleRssGc / MB, 1)} → ${fmt(r.endRssGc / MB, 1)} (${fmt((r.endRssGc - r.idleRssGc) / MB, 1)}), ${fmt((r.endHeap - r.idleHeap) / MB, 1)} |`),
    '',
  ]
  const a = rounds.filter((r) => r.scenario === 'A')
  const b = rounds.filter((r) => r.scenario === 'B')
  lines.push(
    '### Medians and the goal (B at most 0.5× A)',
    '',
    '| figure | A: per-topic streams, median (min–max) | B: one stream, median (min–max) | B / A | B / A, rounds side by side | goal ≤ 0.5× |',
    '| --- | --- | --- | ---: | --- | --- |'
  )
  for (const f of FIGURES) {
    const cell = (rs: readonly RoundResult[]): string => {
      if (rs.length === 0) return '–'
      const values = rs.map(f.of)
      return `${fmt(median(values), f.digits)} ${f.unit} (${fmt(Math.min(...values), f.digits)}–${fmt(Math.max(...values), f.digits)})`
    }
    const ratio = a.length > 0 && b.length > 0 ? median(b.map(f.of)) / median(a.map(f.of)) : Number.NaN
    const pairs = Array.from({ length: Math.min(a.length, b.length) }, (_v, i) => f.of(b[i]!) / f.of(a[i]!))
    const range = pairs.length === 0 ? '–' : `${fmt(Math.min(...pairs), 2)}–${fmt(Math.max(...pairs), 2)}`
    const verdict = !f.goal || Number.isNaN(ratio) ? 'info' : ratio <= 0.5 ? 'PASS' : '**FAIL**'
    lines.push(`| ${f.name} | ${cell(a)} | ${cell(b)} | ${Number.isNaN(ratio) ? '–' : fmt(ratio, 2)} | ${range} | ${verdict} |`)
  }
  lines.push('')
  return lines.join('\n')
}
