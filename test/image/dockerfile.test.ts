/**
 * The Dockerfile agrees with the rest of the project: the version label with
 * package.json, the user, command and port with the Helm chart's defaults,
 * the HEALTHCHECK with a CLI command that exists, and the build context
 * (.dockerignore) with what the Dockerfile copies. scripts/image/check.sh
 * builds and runs the image itself (in CI, after the tests).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ENV_SCHEMA } from '../../src/gateway/config/env.ts'

const root = join(import.meta.dirname, '..', '..')
const read = (path: string): string => readFileSync(join(root, path), 'utf8')

interface Instruction { keyword: string, args: string }

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions (text: string): Instruction[] {
  const out: Instruction[] = []
  let current = ''
  for (const line of text.split('\n')) {
    if (current === '' && /^\s*(#|$)/.test(line)) continue
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `
      continue
    }
    const whole = `${current}${line}`.trim()
    current = ''
    const space = whole.indexOf(' ')
    out.push({ keyword: whole.slice(0, space).toUpperCase(), args: whole.slice(space + 1).trim() })
  }
  return out
}

const all = instructions(read('Dockerfile'))
const stages = all.map((i, n) => (i.keyword === 'FROM' ? n : -1)).filter((n) => n >= 0)
const final = all.slice(stages.at(-1))
const one = (keyword: string): string => {
  const found = final.filter((i) => i.keyword === keyword)
  assert.equal(found.length, 1, `the final stage has one ${keyword}`)
  return found[0]?.args ?? ''
}
const argDefault = (name: string): string | undefined =>
  all.find((i) => i.keyword === 'ARG' && i.args.startsWith(`${name}=`))?.args.slice(name.length + 1).replace(/^"(.*)"$/, '$1')

interface Values { command: string[], args: string[], port: number, securityContext: { runAsUser: number, runAsGroup: number }, podSecurityContext: { runAsUser: number, runAsGroup: number } }
const values = parseYaml(read('helm/backchannel/values.yaml')) as Values

describe('Dockerfile', () => {
  test('builds from an official Node 24 image by default, and runs FROM scratch', () => {
    assert.match(argDefault('BASE_IMAGE') ?? '', /^node:24-[a-z]+-slim$/)
    assert.match(all[stages[0] ?? -1]?.args ?? '', /^\$\{BASE_IMAGE\} AS build$/)
    assert.equal(final[0]?.args, 'scratch')
  })

  test('the version label defaults to package.json\'s version', () => {
    const pkg = JSON.parse(read('package.json')) as { version: string, license: string }
    assert.equal(argDefault('VERSION'), pkg.version)
    const labels = one('LABEL')
    assert.match(labels, /org\.opencontainers\.image\.version="\$\{VERSION\}"/)
    assert.ok(labels.includes(`org.opencontainers.image.licenses="${pkg.license}"`))
    for (const key of ['title', 'description', 'source', 'revision']) assert.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${key}=`))
  })

  test('runs as the Helm chart\'s non-root uid and gid', () => {
    const [uid, gid] = one('USER').split(':').map(Number)
    assert.ok(uid !== undefined && uid > 0)
    assert.deepEqual([uid, gid], [values.securityContext.runAsUser, values.securityContext.runAsGroup])
    assert.deepEqual([uid, gid], [values.podSecurityContext.runAsUser, values.podSecurityContext.runAsGroup])
  })

  test('ENTRYPOINT and CMD are exec form, and the chart\'s default args are the CMD', () => {
    const entrypoint = JSON.parse(one('ENTRYPOINT')) as string[]
    const cmd = JSON.parse(one('CMD')) as string[]
    assert.deepEqual(entrypoint, ['/usr/local/bin/node', '/app/dist/cli/main.js'])
    assert.deepEqual(cmd, ['serve'])
    assert.deepEqual(values.command, [])
    assert.deepEqual(values.args, cmd)
  })

  test('exposes the default PORT, the chart\'s port', () => {
    assert.equal(one('EXPOSE'), ENV_SCHEMA.properties.PORT.default)
    assert.equal(String(values.port), ENV_SCHEMA.properties.PORT.default)
  })

  test('HEALTHCHECK runs the CLI\'s healthcheck command in exec form', () => {
    const match = /^(?<options>(--[a-z-]+=\S+\s+)*)CMD\s+(?<cmd>\[.*\])$/.exec(one('HEALTHCHECK'))
    assert.ok(match?.groups !== undefined)
    const cmd = JSON.parse(match.groups['cmd'] ?? '') as string[]
    assert.deepEqual(cmd.slice(0, 3), ['/usr/local/bin/node', '/app/dist/cli/main.js', 'healthcheck'])
    assert.match(read('src/cli/cli.ts'), /^\s+healthcheck: async \(\) => \(await import\('\.\/commands\/healthcheck\.ts'\)\)\.runHealthcheck,$/m)
  })

  test('.dockerignore lets in exactly what the build copies from the context', () => {
    const ignore = read('.dockerignore').split('\n').filter((l) => l !== '' && !l.startsWith('#'))
    assert.equal(ignore[0], '*')
    const allowed = ignore.slice(1).map((l) => l.replace(/^!/, ''))
    const copied = all.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1))
    assert.deepEqual([...copied].sort(), [...allowed].sort())
  })
})
