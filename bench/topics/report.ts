/**
 * The topics benchmark's tables: every round, the medians per scenario, and
 * the goal (the one stream at most 0.5× the per-topic streams) as ratios of
 * the medians, with the range of the ratios of the rounds run side by side;
 * then the same above the baseline without readers (scenario 0, run in the
 * same rounds): what the readers themselves cost.
 */
import { median } from '../lib/measure.ts'

export type ScenarioKey = '0' | 'A' | 'B'

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
  /** Also shown above the baseline without readers. */
  beyondBaseline?: boolean
}

const MB = 2 ** 20
const cpuPerEvent = (r: RoundResult): number => (r.userUs + r.systemUs) / r.events

const FIGURES: Figure[] = [
  { name: 'sidecar CPU per delivered event', unit: 'µs', of: cpuPerEvent, digits: 2, goal: true, beyondBaseline: true },
  { name: 'sidecar user CPU per delivered event', unit: 'µs', of: (r) => r.userUs / r.events, digits: 2, goal: false },
  { name: 'sidecar system CPU per delivered event', unit: 'µs', of: (r) => r.systemUs / r.events, digits: 2, goal: false },
  { name: 'sidecar RSS growth, joined → streams open and messages delivered', unit: 'MB', of: (r) => (r.endRss - r.idleRss) / MB, digits: 1, goal: true },
  { name: 'sidecar RSS, streams open and messages delivered', unit: 'MB', of: (r) => r.endRss / MB, digits: 1, goal: true, beyondBaseline: true },
  { name: 'sidecar RSS growth, joined → streams open (no message yet)', unit: 'MB', of: (r) => (r.openRss - r.idleRss) / MB, digits: 1, goal: false },
  { name: 'sidecar RSS growth after full GCs', unit: 'MB', of: (r) => (r.endRssGc - r.idleRssGc) / MB, digits: 1, goal: false },
  { name: 'sidecar V8 heap growth after full GCs', unit: 'MB', of: (r) => (r.endHeap - r.idleHeap) / MB, digits: 1, goal: false },
  { name: 'V8 young generation held after full GCs, growth', unit: 'MB', of: (r) => (r.endYoung - r.idleYoung) / MB, digits: 1, goal: false },
  { name: 'events delivered per second', unit: '/s', of: (r) => r.events / (r.wallMs / 1000), digits: 0, goal: false },
]

function fmt (value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

const LABEL: Record<ScenarioKey, string> = { 0: '0: no reader (baseline)', A: 'A: per-topic streams', B: 'B: one stream' }

/** A figure's cell: median (min–max), or – without rounds. */
function cell (values: readonly number[], f: Figure): string {
  if (values.length === 0) return '–'
  return `${fmt(median(values), f.digits)} ${f.unit} (${fmt(Math.min(...values), f.digits)}–${fmt(Math.max(...values), f.digits)})`
}

/** B / A of the medians, the range of B / A of the rounds run side by side, and the verdict. */
function ratioCells (a: readonly number[], b: readonly number[], goal: boolean): string {
  const ratio = a.length > 0 && b.length > 0 ? median(b) / median(a) : Number.NaN
  const pairs = Array.from({ length: Math.min(a.length, b.length) }, (_v, i) => b[i]! / a[i]!)
  const range = pairs.length === 0 ? '–' : `${fmt(Math.min(...pairs), 2)}–${fmt(Math.max(...pairs), 2)}`
  const verdict = !goal || Number.isNaN(ratio) ? 'info' : ratio <= 0.5 ? 'PASS' : '**FAIL**'
  return `${Number.isNaN(ratio) ? '–' : fmt(ratio, 2)} | ${range} | ${verdict}`
}

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
  const of = (key: ScenarioKey): RoundResult[] => rounds.filter((r) => r.scenario === key)
  const [base, a, b] = [of('0'), of('A'), of('B')]
  lines.push(
    '### Medians and the goal (B at most 0.5× A)',
    '',
    '| figure | 0: no reader, median (min–max) | A: per-topic streams, median (min–max) | B: one stream, median (min–max) | B / A | B / A, rounds side by side | goal ≤ 0.5× |',
    '| --- | --- | --- | --- | ---: | --- | --- |'
  )
  for (const f of FIGURES) {
    lines.push(`| ${f.name} | ${cell(base.map(f.of), f)} | ${cell(a.map(f.of), f)} | ${cell(b.map(f.of), f)} | ${ratioCells(a.map(f.of), b.map(f.of), f.goal)} |`)
  }
  lines.push('')
  if (base.length > 0) {
    lines.push(
      '### Above the baseline without readers (each round less the same round\'s scenario 0): what the readers cost',
      '',
      '| figure | A − 0, median (min–max) | B − 0, median (min–max) | (B − 0) / (A − 0) | rounds side by side | ≤ 0.5× |',
      '| --- | --- | --- | ---: | --- | --- |'
    )
    for (const f of FIGURES.filter((x) => x.beyondBaseline === true)) {
      const less = (rs: readonly RoundResult[]): number[] => rs.flatMap((r) => {
        const zero = base.find((z) => z.round === r.round)
        return zero === undefined ? [] : [f.of(r) - f.of(zero)]
      })
      lines.push(`| ${f.name} | ${cell(less(a), f)} | ${cell(less(b), f)} | ${ratioCells(less(a), less(b), true)} |`)
    }
    lines.push('')
  }
  return lines.join('\n')
}
