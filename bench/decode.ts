/**
 * The decode benchmark: CPU per upstream channel message on the gateway's
 * receive path, from a V2 text frame to the event kept in the hub's ring,
 * before (JSON.parse of the whole frame, then JSON.stringify of the
 * payload: decodeFromServer + hub.onMessage) and after (the envelope
 * scanned and the payload checked, its text kept: decodeFromServerLazily +
 * hub.onReceived), as ratios in one run. Also the payload check alone (the
 * validating scanner) against JSON.parse of the payload. Payloads of 100 B
 * and 10 KB, each as one long string and as many small fields. One process,
 * no I/O: rounds alternate the two sides; each figure is the median round.
 * See bench/README.md, "Decode benchmark".
 *
 *   npm run bench:decode              # about 20 s
 *   npx node bench/decode.ts --quick  # a smoke run; its figures mean nothing
 */
import { parseArgs } from 'node:util'
import type { ChannelConfig } from '../src/gateway/config/types.ts'
import { Hub } from '../src/gateway/hub/hub.ts'
import { MAX_JSON_DEPTH } from '../src/phoenix/depth.ts'
import { isJsonText } from '../src/phoenix/json-scan.ts'
import { v2 } from '../src/phoenix/serializer.ts'

const TOPIC = 'room:bench'

/** A payload of about `bytes` bytes: one long string, or many small fields of mixed kinds. */
function payloadText (bytes: number, shape: 'long string' | 'many fields'): string {
  if (shape === 'long string') return JSON.stringify({ body: 'x'.repeat(Math.max(0, bytes - 11)) })
  const fields: Record<string, unknown> = {}
  for (let k = 0; JSON.stringify(fields).length < bytes; k++) fields[`f${k}`] = k % 3 === 0 ? k * 1.5 : k % 3 === 1 ? `v${k}` : true
  return JSON.stringify(fields)
}

function hub (): Hub {
  const channel: ChannelConfig = { name: TOPIC, topic: TOPIC, upstream: 'main', params: {}, required: false, replay: 100 }
  return new Hub([channel], { epoch: 'bench', now: Date.now })
}

interface Side { name: string, run: (n: number) => void }

function sides (frame: string, payload: string): Array<[string, Side, Side]> {
  const before = hub()
  const after = hub()
  let sink = 0
  return [
    ['decode + publish', {
      name: 'JSON.parse + JSON.stringify',
      run: (n) => { for (let i = 0; i < n; i++) { const m = v2.decodeFromServer(frame); before.onMessage('main', m.topic, m.event, m.payload) } },
    }, {
      name: 'scan, text kept',
      run: (n) => { for (let i = 0; i < n; i++) { const m = v2.decodeFromServerLazily(frame); after.onReceived('main', m.topic, m.event, m) } },
    }],
    ['payload check', {
      name: 'JSON.parse',
      run: (n) => { for (let i = 0; i < n; i++) if (JSON.parse(payload) !== null) sink++ },
    }, {
      name: 'isJsonText',
      run: (n) => { for (let i = 0; i < n; i++) if (isJsonText(payload, MAX_JSON_DEPTH)) sink += sink > 1e9 ? 0 : 1 },
    }],
  ]
}

/** Nanoseconds per message of one round of `n`. */
function round (side: Side, n: number): number {
  const start = process.hrtime.bigint()
  side.run(n)
  return Number(process.hrtime.bigint() - start) / n
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

function main (): void {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, rounds: { type: 'string' } }, strict: true })
  const rounds = values.quick === true ? 3 : Number(values.rounds ?? 15)
  const rows: string[] = []
  for (const bytes of [100, 10_000]) {
    for (const shape of ['long string', 'many fields'] as const) {
      const payload = payloadText(bytes, shape)
      const frame = `[null,null,${JSON.stringify(TOPIC)},"msg",${payload}]`
      // About 20 ms a round, whatever the size.
      const n = Math.max(50, Math.round((values.quick === true ? 2e6 : 2e7) / (bytes * (shape === 'many fields' ? 10 : 1) + 500)))
      for (const [what, old, now] of sides(frame, payload)) {
        for (let w = 0; w < 3; w++) { old.run(n); now.run(n) } // warm up both
        const a: number[] = []
        const b: number[] = []
        for (let r = 0; r < rounds; r++) { a.push(round(old, n)); b.push(round(now, n)) }
        const before = median(a)
        const after = median(b)
        rows.push(`| ${what} | ${payload.length} B, ${shape} | ${old.name}: ${(before / 1000).toFixed(2)} µs | ${now.name}: ${(after / 1000).toFixed(2)} µs | **${(after / before).toFixed(2)}×** |`)
      }
    }
  }
  console.log(`Node ${process.version}, ${rounds} rounds per figure (median)\n`)
  console.log('| path | payload | before | after | after / before |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
}

main()
