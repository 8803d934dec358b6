/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by
 * function and by file, and total (inclusive) time of the functions whose
 * file matches a filter (default `src/`: Backchannel's own code), heaviest
 * first.
 *
 *   npx node --cpu-prof --cpu-prof-interval=100 --cpu-prof-dir=.tmp/prof bench/client.ts --side=ours
 *   npx node bench/profile-top.ts .tmp/prof/<file>.cpuprofile [top=25] [filter=src/]
 */
import { readFileSync } from 'node:fs'

interface CallFrame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, children?: number[] }
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

const [file, topArg, filterArg] = process.argv.slice(2)
if (file === undefined) {
  process.stderr.write('usage: node bench/profile-top.ts FILE.cpuprofile [top]\n')
  process.exit(2)
}
const top = Number(topArg ?? 25)
const filter = filterArg ?? 'src/'
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))

const selfUs = new Map<number, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt)
  total += dt
})

function shortUrl (url: string): string {
  const i = url.lastIndexOf('/node_modules/')
  if (i >= 0) return url.slice(i + '/node_modules/'.length)
  const j = url.indexOf('/bench/') >= 0 ? url.indexOf('/bench/') : url.indexOf('/src/')
  return j >= 0 ? url.slice(j + 1) : url
}

function label (frame: CallFrame): string {
  const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
  return `${frame.functionName === '' ? '(anonymous)' : frame.functionName}${where}`
}

const byFunction = new Map<string, number>()
const byFile = new Map<string, number>()
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame
  if (frame === undefined) continue
  const fn = label(frame)
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
  const f = frame.url === '' ? `(${frame.functionName})` : shortUrl(frame.url)
  byFile.set(f, (byFile.get(f) ?? 0) + us)
}

function print (title: string, map: Map<string, number>): void {
  process.stdout.write(`\n${title} (total ${(total / 1000).toFixed(0)} ms)\n`)
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}\n`)
  }
}

// Total time: a node's self time plus its subtree's, counted once per function on each stack.
const inclusive = new Map<string, number>()
function walk (id: number, onStack: Set<string>): number {
  const node = byId.get(id)
  if (node === undefined) return 0
  const name = label(node.callFrame)
  const fresh = !onStack.has(name)
  if (fresh) onStack.add(name)
  let sum = selfUs.get(id) ?? 0
  for (const child of node.children ?? []) sum += walk(child, onStack)
  if (fresh) {
    onStack.delete(name)
    if (shortUrl(node.callFrame.url).includes(filter)) inclusive.set(name, (inclusive.get(name) ?? 0) + sum)
  }
  return sum
}
const root = profile.nodes[0]
if (root !== undefined) walk(root.id, new Set())

print('self time by function', byFunction)
print('self time by file', byFile)
print(`total time (self + callees) of functions in files matching "${filter}"`, inclusive)
