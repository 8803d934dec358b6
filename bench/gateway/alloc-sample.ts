/**
 * What opening an idle SSE stream allocates, garbage included: on the
 * gateway, on the SSE floor and on the fastify SSE floor, after a warm-up
 * (`n` streams opened and closed), V8's sampling heap profiler runs while
 * `n` more are opened (objects collected since are counted too). Prints the
 * bytes per stream in all, the gateway's and the fastify floor's by area,
 * and the functions of each that allocated the most, by self size. See
 * bench/README.md, "What opening a stream allocates".
 *
 *   npx node bench/gateway/alloc-sample.ts                # n = 1,000, the top 25 functions
 *   npx node bench/gateway/alloc-sample.ts --n=2000 --top=40
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { untilOpenStreams, type LineChild } from '../lib/server-child.ts'
import { baseOf, buildChildren, compiled, startServers, stopServers } from './scenarios.ts'
import { SseReaders } from './sse-readers.ts'

const { values } = parseArgs({ options: { n: { type: 'string', default: '1000' }, top: { type: 'string', default: '25' } } })
const n = Number(values.n)
const top = Number(values.top)

interface ProfileNode { callFrame: { functionName: string, url: string, lineNumber: number }, selfSize: number, children: ProfileNode[] }

/** Self bytes by function (name, file and line) over the whole tree. */
function byFunction (root: ProfileNode): Map<string, number> {
  const out = new Map<string, number>()
  const walk = (node: ProfileNode): void => {
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName === '' ? '(anonymous)' : functionName} ${url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}`
    out.set(key, (out.get(key) ?? 0) + node.selfSize)
    for (const child of node.children) walk(child)
  }
  walk(root)
  return out
}

async function sample (child: LineChild, path: string, file: string): Promise<Map<string, number>> {
  const warm = await SseReaders.open(baseOf(child), path, n)
  await untilOpenStreams(child, n)
  warm.close()
  await untilOpenStreams(child, 0)
  await child.call('allocations-start')
  const open = await SseReaders.open(baseOf(child), path, n)
  await untilOpenStreams(child, n)
  await child.call('allocations-stop', { file })
  open.close()
  await untilOpenStreams(child, 0)
  return byFunction((JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode }).head)
}

const dir = mkdtempSync(join(tmpdir(), 'alloc-sample-'))
buildChildren()
const servers = await startServers(compiled, [])
try {
  const gateway = await sample(servers.broker, '/v1/channels/room:bench/events', join(dir, 'gateway.heapprofile'))
  const floor = await sample(servers.floorSse, '/events', join(dir, 'floor.heapprofile'))
  const fastify = await sample(servers.floorFastify, '/events', join(dir, 'fastify.heapprofile'))
  const total = (m: Map<string, number>): number => [...m.values()].reduce((s, b) => s + b, 0)
  const byArea = (m: Map<string, number>): string => {
    const areas = new Map<string, number>()
    for (const [key, bytes] of m) {
      const area = /src\//.test(key) ? 'src/' : /node_modules\/([^/]+)/.exec(key)?.[1] ?? (/node:/.test(key) ? 'node' : 'other (V8, bound functions)')
      areas.set(area, (areas.get(area) ?? 0) + bytes)
    }
    return [...areas].sort((a, b) => b[1] - a[1]).map(([area, bytes]) => `${area} ${(bytes / n).toFixed(0)} B`).join(', ')
  }
  const topRows = (m: Map<string, number>): string[] => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, bytes]) => `| ${key.replaceAll('|', '\\|')} | ${(bytes / n).toFixed(0)} |`)
  const lines = [`Allocated while ${n} idle SSE streams opened (sampled every 1 KiB, collected objects included), bytes per stream:`, '',
    `gateway ${(total(gateway) / n).toFixed(0)} B, floor ${(total(floor) / n).toFixed(0)} B, fastify floor ${(total(fastify) / n).toFixed(0)} B`, '',
    `gateway by area: ${byArea(gateway)}`, '', `fastify floor by area: ${byArea(fastify)}`, '',
    '| gateway: function | B per stream |', '| --- | ---: |', ...topRows(gateway), '',
    '| fastify floor: function | B per stream |', '| --- | ---: |', ...topRows(fastify)]
  process.stdout.write(lines.join('\n') + '\n')
} finally {
  await stopServers(servers)
  rmSync(dir, { recursive: true, force: true })
}
