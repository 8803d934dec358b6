/**
 * Helpers for the metrics and log tests: scrape /metrics and read samples
 * out of the text format, run `promtool check metrics` on it, and count the
 * series a registry defines.
 */
import { spawn } from 'node:child_process'
import { DEFAULT_METRIC_PREFIXES } from '../../../src/gateway/observe/metrics.ts'
import { within } from '../../helpers/wait.ts'

export interface Sample { name: string, labels: Record<string, string>, value: number }

/** The samples and declared families of one scrape. */
export class Exposition {
  readonly text: string
  readonly samples: Sample[] = []
  /** Family name → type, from the `# TYPE` lines. */
  readonly types = new Map<string, string>()

  constructor (text: string) {
    this.text = text
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line)
      if (type !== null) this.types.set(type[1]!, type[2]!)
      if (line === '' || line.startsWith('#')) continue
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
      if (m === null) throw new Error(`unparsable sample line: ${line}`)
      const labels: Record<string, string> = {}
      for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!
      this.samples.push({ name: m[1]!, labels, value: Number(m[3]) })
    }
  }

  /** The value of the sample with exactly these labels (all of them), or undefined. */
  value (name: string, labels: Record<string, string> = {}): number | undefined {
    const want = Object.entries(labels)
    return this.samples.find((s) => s.name === name && Object.keys(s.labels).length === want.length && want.every(([k, v]) => s.labels[k] === v))?.value
  }

  /** Samples of a family (a histogram's _bucket, _sum and _count included). */
  family (name: string): Sample[] {
    return this.samples.filter((s) => s.name === name || s.name === `${name}_bucket` || s.name === `${name}_sum` || s.name === `${name}_count`)
  }

  /** Our own families: backchannel_* without the default process and Node.js ones. */
  ownFamilies (): string[] {
    return [...this.types.keys()].filter(isOwnMetric).sort()
  }
}

export function isOwnMetric (name: string): boolean {
  return name.startsWith('backchannel_') && !DEFAULT_METRIC_PREFIXES.some((p) => name.startsWith(p))
}

export async function scrape (base: string): Promise<Exposition> {
  const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) })
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`)
  return new Exposition(await res.text())
}

/** `promtool check metrics` (the program at `promtool`) with `text` on stdin: its exit code and output. */
export async function promtoolCheck (promtool: string, text: string): Promise<{ code: number | null, output: string }> {
  const child = spawn(promtool, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => { output += c })
  child.stderr.setEncoding('utf8').on('data', (c: string) => { output += c })
  child.stdin.end(text)
  return within(10_000, 'promtool check metrics', (resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => { resolve({ code, output }) })
    return () => { if (child.exitCode === null) child.kill() }
  })
}
