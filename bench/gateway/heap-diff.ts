/**
 * What each idle SSE stream keeps, by kind of object: on the gateway, on
 * the SSE floor and on the fastify SSE floor, after a warm-up (`n` streams opened and closed), `n` idle
 * streams are opened and a heap snapshot taken (after full collections),
 * then `n` more and a second snapshot. The two are diffed per constructor
 * (objects by constructor name, closures by function name, strings, arrays,
 * the engine's hidden objects by name): count and shallow bytes per stream.
 * A row is printed when any server's figure is at least `--min` bytes per
 * stream. See bench/README.md, "What an idle stream keeps".
 *
 *   npx node bench/gateway/heap-diff.ts                   # n = 1,000, rows of 8 B a stream and more
 *   npx node bench/gateway/heap-diff.ts --n=500 --min=16 --keep=.tmp/heap   # keeps the snapshots
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { untilOpenStreams, type LineChild } from '../lib/server-child.ts'
import { baseOf, buildChildren, compiled, startServers, stopServers } from './scenarios.ts'
import { SseReaders } from './sse-readers.ts'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    min: { type: 'string', default: '8' },
    keep: { type: 'string' },
  },
})
const n = Number(values.n)
const minBytes = Number(values.min)

/** Count and shallow size of a snapshot's nodes, by kind and name. */
type Census = Map<string, { count: number, bytes: number }>

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[], node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

/** A row's key: what the object is (its constructor, a closure's name, or the kind of string or array). */
function kindOf (type: string, name: string): string {
  switch (type) {
    case 'object': return name
    case 'closure': return `closure ${name === '' ? '(anonymous)' : name}`
    case 'string': case 'concatenated string': case 'sliced string': return `(${type})`
    case 'array': return `(array) ${name}`
    case 'hidden': case 'object shape': case 'code': return `(${type}) ${name.slice(0, 40)}`
    default: return `(${type})`
  }
}

function census (file: string): Census {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile
  const fields = snap.snapshot.meta.node_fields
  const types = snap.snapshot.meta.node_types[0]
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const out: Census = new Map()
  for (let i = 0; i < snap.nodes.length; i += width) {
    const key = kindOf(types[snap.nodes[i + typeAt]!]!, snap.strings[snap.nodes[i + nameAt]!]!)
    const row = out.get(key) ?? { count: 0, bytes: 0 }
    row.count++
    row.bytes += snap.nodes[i + sizeAt]!
    out.set(key, row)
  }
  return out
}

/** Per stream: (second snapshot − first) / n, by kind. */
async function perStream (child: LineChild, path: string, dir: string, label: string): Promise<Census> {
  const warm = await SseReaders.open(baseOf(child), path, n)
  await untilOpenStreams(child, n)
  warm.close()
  await untilOpenStreams(child, 0)
  const first = await SseReaders.open(baseOf(child), path, n)
  await untilOpenStreams(child, n)
  const a = join(dir, `${label}-1.heapsnapshot`)
  await child.call('heap-snapshot', { file: a })
  const second = await SseReaders.open(baseOf(child), path, n)
  await untilOpenStreams(child, 2 * n)
  const b = join(dir, `${label}-2.heapsnapshot`)
  await child.call('heap-snapshot', { file: b })
  first.close()
  second.close()
  await untilOpenStreams(child, 0)
  const before = census(a)
  const after = census(b)
  const diff: Census = new Map()
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(key) ?? { count: 0, bytes: 0 }
    const y = after.get(key) ?? { count: 0, bytes: 0 }
    diff.set(key, { count: (y.count - x.count) / n, bytes: (y.bytes - x.bytes) / n })
  }
  return diff
}

const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'heap-diff-'))
mkdirSync(dir, { recursive: true })
buildChildren()
const servers = await startServers(compiled, [])
try {
  const gateway = await perStream(servers.broker, '/v1/channels/room:bench/events', dir, 'gateway')
  const floor = await perStream(servers.floorSse, '/events', dir, 'floor')
  const fastify = await perStream(servers.floorFastify, '/events', dir, 'fastify')
  const zero = { count: 0, bytes: 0 }
  const keys = [...new Set([...gateway.keys(), ...floor.keys(), ...fastify.keys()])]
    .filter((k) => [gateway, floor, fastify].some((c) => Math.abs((c.get(k) ?? zero).bytes) >= minBytes))
    .sort((p, q) => ((gateway.get(q) ?? zero).bytes - (floor.get(q) ?? zero).bytes) - ((gateway.get(p) ?? zero).bytes - (floor.get(p) ?? zero).bytes))
  const total = (c: Census): number => [...c.values()].reduce((s, r) => s + r.bytes, 0)
  const lines = [
    `Per idle SSE stream, ${n} streams between two heap snapshots (after full collections); shallow bytes; rows of ${minBytes} B a stream or more in any server, by the gateway's excess over the node:http floor.`,
    '',
    '| kind | gateway objects | gateway B | floor objects | floor B | fastify floor objects | fastify floor B | gateway − floor B | gateway − fastify floor B |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const k of keys) {
    const g = gateway.get(k) ?? zero
    const f = floor.get(k) ?? zero
    const ff = fastify.get(k) ?? zero
    lines.push(`| ${k.replaceAll('|', '\\|')} | ${g.count.toFixed(2)} | ${g.bytes.toFixed(0)} | ${f.count.toFixed(2)} | ${f.bytes.toFixed(0)} | ${ff.count.toFixed(2)} | ${ff.bytes.toFixed(0)} | ${(g.bytes - f.bytes).toFixed(0)} | ${(g.bytes - ff.bytes).toFixed(0)} |`)
  }
  lines.push(`| **all kinds** | | ${total(gateway).toFixed(0)} | | ${total(floor).toFixed(0)} | | ${total(fastify).toFixed(0)} | ${(total(gateway) - total(floor)).toFixed(0)} | ${(total(gateway) - total(fastify)).toFixed(0)} |`, '')
  process.stdout.write(lines.join('\n'))
} finally {
  await stopServers(servers)
  if (values.keep === undefined) rmSync(dir, { recursive: true, force: true })
}
