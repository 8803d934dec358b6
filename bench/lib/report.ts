/**
 * Turns both sides' results into Markdown tables: the raw figures, then
 * each goal with PASS or FAIL.
 */
import type { Config, HeapResult, ReceiveResult, RejoinResult, RoundTripResult } from './scenarios.ts'

export interface SideResults {
  receive: Map<string, ReceiveResult>
  rt?: RoundTripResult
  heap?: HeapResult
  rejoin?: RejoinResult
}

export interface ReceiveWorkload { key: string, label: string, topics: number, count: number, size: number, spread: boolean }

export function receiveWorkloads (config: Config): ReceiveWorkload[] {
  const out: ReceiveWorkload[] = []
  for (const spread of [false, true]) {
    for (const size of config.sizes) {
      const topics = spread ? config.topics : 1
      const count = spread ? config.perTopic : config.soloCount
      const label = `${bytes(size)} × ${fmtInt(topics)} topic${topics > 1 ? 's' : ''} × ${fmtInt(count)} msgs`
      out.push({ key: `${spread ? 'spread' : 'solo'}-${size}`, label, topics, count, size, spread })
    }
  }
  return out
}

function receiveCells (f: ReceiveResult): string[] {
  return [fmtInt(f.msgsPerSec), `${fmt(f.cpuUsPerMsg)} (${fmt(f.cpuRange[0])}–${fmt(f.cpuRange[1])})`, `${fmt(f.userUsPerMsg)} / ${fmt(f.systemUsPerMsg)}`, fmt(f.serverCpuUsPerMsg)]
}

function singleLabel (config: Config): string {
  return `100 B × ${fmtInt(config.topics)} topics × ${fmtInt(config.perTopic)} msgs, all on ONE socket (no channel limit)`
}

function bytes (n: number): string {
  return n >= 1000 ? `${n / 1000} KB` : `${n} B`
}

function fmtInt (n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

function fmt (n: number | undefined, digits = 2): string {
  if (n === undefined || Number.isNaN(n)) return '–'
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function ratio (ours: number | undefined, theirs: number | undefined): number | undefined {
  return ours === undefined || theirs === undefined || theirs === 0 ? undefined : ours / theirs
}

function verdict (value: number | undefined, limit: number): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a'
  return value <= limit ? 'PASS' : '**FAIL**'
}

function table (header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

export function render (config: Config, ours: SideResults | undefined, theirs: SideResults | undefined): string {
  const sides: Array<[string, SideResults | undefined]> = [['phoenix.js', theirs], ['Backchannel', ours]]
  const receiveRows: string[][] = []
  for (const w of receiveWorkloads(config)) {
    for (const [name, r] of sides) {
      const f = r?.receive.get(w.key)
      if (f !== undefined) receiveRows.push([w.label, name, ...receiveCells(f)])
    }
  }
  for (const [name, r] of sides) {
    const f = r?.receive.get('single-100')
    if (f !== undefined) receiveRows.push([`${singleLabel(config)} (info)`, name, ...receiveCells(f)])
  }
  const iter = ours?.receive.get('iter-solo-100')
  if (iter !== undefined) {
    receiveRows.push([`100 B × 1 topic × ${fmtInt(config.soloCount)} msgs`, 'Backchannel, `messages()` iterator (info)', ...receiveCells(iter)])
  }
  const otherRows: string[][] = []
  for (const [name, r] of sides) {
    if (r?.rt !== undefined) otherRows.push([`push→reply, concurrency 1, ${fmtInt(r.rt.count)} sequential`, name, `p50 ${fmt(r.rt.p50Us, 0)} µs, p99 ${fmt(r.rt.p99Us, 0)} µs, CPU ${fmt(r.rt.cpuUsPerRt, 1)} µs/rt`])
  }
  for (const [name, r] of sides) {
    if (r?.heap !== undefined) otherRows.push([`V8 heap per joined topic (${fmtInt(r.heap.topics)} topics)`, name, `${fmtInt(r.heap.bytesPerTopic)} B (joins took ${fmtInt(r.heap.joinMs)} ms)`])
  }
  for (const [name, r] of sides) {
    if (r?.rejoin !== undefined) {
      otherRows.push([`rejoin ${fmtInt(config.topics)} topics after a restart (median of ${r.rejoin.all.length})`, name,
        `${fmt(r.rejoin.fromUpMs, 1)} ms from server up (${r.rejoin.all.map((v) => fmt(v, 0)).join(', ')}); ${fmt(r.rejoin.fromCloseMs, 1)} ms from disconnect`])
    }
  }

  const goalRows: string[][] = []
  for (const w of receiveWorkloads(config)) {
    const a = theirs?.receive.get(w.key)
    const b = ours?.receive.get(w.key)
    const limit = w.spread ? 0.2 : 1.0
    const q = ratio(b?.cpuUsPerMsg, a?.cpuUsPerMsg)
    const userQ = ratio(b?.userUsPerMsg, a?.userUsPerMsg)
    goalRows.push([`CPU µs/msg, ${w.label}`, fmt(a?.cpuUsPerMsg), fmt(b?.cpuUsPerMsg), `${fmt(q)} (user only: ${fmt(userQ)})`, `≤ ${fmt(limit, 1)}× phoenix.js`, verdict(q, limit)])
  }
  const sa = theirs?.receive.get('single-100')
  const sb = ours?.receive.get('single-100')
  const sq = ratio(sb?.cpuUsPerMsg, sa?.cpuUsPerMsg)
  goalRows.push([`(info) CPU µs/msg, ${singleLabel(config)}`, fmt(sa?.cpuUsPerMsg), fmt(sb?.cpuUsPerMsg),
    `${fmt(sq)} (user only: ${fmt(ratio(sb?.userUsPerMsg, sa?.userUsPerMsg))})`, '≤ 0.2× phoenix.js', `${verdict(sq, 0.2)} (info)`])
  // Issue 13: a lone push's round trip, its tail and its CPU, each no more than phoenix.js's.
  const p50q = ratio(ours?.rt?.p50Us, theirs?.rt?.p50Us)
  goalRows.push(['round trip p50 (µs)', fmt(theirs?.rt?.p50Us, 0), fmt(ours?.rt?.p50Us, 0), fmt(p50q), '≤ 1.0× phoenix.js', verdict(p50q, 1.0)])
  const p99q = ratio(ours?.rt?.p99Us, theirs?.rt?.p99Us)
  goalRows.push(['round trip p99 (µs)', fmt(theirs?.rt?.p99Us, 0), fmt(ours?.rt?.p99Us, 0), fmt(p99q), '≤ 1.0× phoenix.js', verdict(p99q, 1.0)])
  const cpuq = ratio(ours?.rt?.cpuUsPerRt, theirs?.rt?.cpuUsPerRt)
  goalRows.push(['CPU per round trip (µs)', fmt(theirs?.rt?.cpuUsPerRt, 1), fmt(ours?.rt?.cpuUsPerRt, 1), fmt(cpuq), '≤ 1.0× phoenix.js', verdict(cpuq, 1.0)])
  goalRows.push(['V8 heap per joined topic (B)', fmt(theirs?.heap?.bytesPerTopic, 0), fmt(ours?.heap?.bytesPerTopic, 0),
    fmt(ratio(ours?.heap?.bytesPerTopic, theirs?.heap?.bytesPerTopic)), '≤ 2,048 B', verdict(ours?.heap?.bytesPerTopic, 2048)])
  goalRows.push([`rejoin of ${fmtInt(config.topics)} topics from server up (ms)`, fmt(theirs?.rejoin?.fromUpMs, 1), fmt(ours?.rejoin?.fromUpMs, 1),
    fmt(ratio(ours?.rejoin?.fromUpMs, theirs?.rejoin?.fromUpMs)), '≤ 2,000 ms', verdict(ours?.rejoin?.fromUpMs, 2000)])

  return [
    '### Receive (firehose)',
    '',
    table(['workload', 'client', 'msgs/s', 'client CPU µs/msg, median (min–max)', 'median user / system', 'server CPU µs/msg'], receiveRows),
    '',
    '### Round trips, memory, rejoin',
    '',
    table(['workload', 'client', 'figures'], otherRows),
    '',
    '### Goals',
    '',
    table(['figure', 'phoenix.js', 'Backchannel', 'Backchannel / phoenix.js', 'goal', 'result'], goalRows),
  ].join('\n')
}
