/**
 * helm lint --strict against values.schema.json, and values helm must refuse:
 * wrong types, unknown keys, a bad sidecar config, a missing token, unsafe or
 * contradictory settings. Each bad file names the message it must fail with.
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { expectedValuesSchema } from '../../scripts/helm-tools.ts'
import { CHART, CI_FILES, badValues, ciFile, helm, helmBinary, run } from './helpers.ts'

interface SchemaNode { properties?: Record<string, SchemaNode>, additionalProperties?: unknown }

/** The values' keys: an object with fixed properties is listed by its properties (`image.tag`), anything else by its own key. */
function valueKeys (node: SchemaNode, prefix = ''): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) =>
    child.properties !== undefined && child.additionalProperties === false ? valueKeys(child, `${prefix}${key}.`) : [`${prefix}${key}`])
}

describe('helm binary', () => {
  test('scripts/helm-tools.sh provides helm v4.1.4, verified by its sha256, and reuses its cache', async () => {
    const path = await helmBinary()
    const version = await run(path, ['version', '--short'])
    assert.equal(version.code, 0, version.stderr)
    assert.match(version.stdout, /^v4\.1\.4\+g[0-9a-f]+/)
    // A second call finds the verified binary in the cache and prints the same folder.
    const again = await run('bash', [join(CHART, '..', '..', 'scripts', 'helm-tools.sh')])
    assert.equal(again.code, 0, again.stderr)
    assert.equal(join(again.stdout.trim(), 'helm'), path)
  })
})

describe('values.schema.json', () => {
  test('embeds the sidecar config schema as config/backchannel.schema.json has it (node scripts/helm-tools.ts sync-schema)', async () => {
    const { expected, actual } = await expectedValuesSchema()
    assert.ok(expected === actual, 'helm/backchannel/values.schema.json is out of date with config/backchannel.schema.json: run node scripts/helm-tools.ts sync-schema')
  })

  test('docs/kubernetes.md has a row for every value the schema knows, and none it does not', () => {
    const keys = valueKeys(JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as SchemaNode).filter((k) => k !== 'global')
    const docs = readFileSync(join(CHART, '..', '..', 'docs', 'kubernetes.md'), 'utf8')
    const rows = [...docs.slice(docs.indexOf('## Values')).matchAll(/^\| `([\w.]+)` \|/gm)].map((m) => m[1])
    assert.deepEqual([...rows].sort(), [...keys].sort())
    const values = parseYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>
    assert.deepEqual(Object.keys(values).sort(), [...new Set(keys.map((k) => k.split('.')[0]))].sort())
  })

  test('image.tag in values.yaml is the chart appVersion, and the sidecar version in package.json', () => {
    const values = parseYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { image: { tag: string } }
    const chart = parseYaml(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string }
    const pkg = JSON.parse(readFileSync(join(CHART, '..', '..', 'package.json'), 'utf8')) as { version: string }
    assert.equal(values.image.tag, chart.appVersion)
    assert.equal(chart.appVersion, pkg.version)
  })
})

describe('helm lint --strict', () => {
  for (const name of CI_FILES) {
    test(`passes with ci/${name}.yaml`, async () => {
      const result = await helm(['lint', '--strict', CHART, '-f', ciFile(name)])
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`)
      assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/)
      assert.doesNotMatch(result.stdout, /\[(WARNING|ERROR)\]/)
    })
  }

  test('fails on values.yaml alone: the config needs an upstream and the API a token', async () => {
    const result = await helm(['lint', '--strict', CHART])
    assert.notEqual(result.code, 0)
    assert.match(result.stdout, /\[ERROR\] values\.yaml: - at '\/config': missing property 'upstreams'/)
    assert.match(result.stdout, /at '\/apiToken\/existingSecret': minLength: got 0, want 1/)
  })

  test('fails on a wrong type given with --set, naming the key', async () => {
    const result = await helm(['lint', '--strict', CHART, '-f', ciFile('defaults'), '--set', 'readinessProbe.periodSeconds=often'])
    assert.notEqual(result.code, 0)
    assert.match(result.stdout, /at '\/readinessProbe\/periodSeconds': got string, want integer/)
  })
})

describe('bad values are refused by helm template with their message', () => {
  const cases = badValues()
  test('there are bad values files to check', () => {
    assert.ok(cases.length >= 10, `only ${cases.length} files in test/helm/bad`)
  })
  for (const { file, name, expect } of cases) {
    test(`${name}: ${expect}`, async () => {
      const result = await helm(['template', 'rel', CHART, '-f', file])
      assert.notEqual(result.code, 0, `helm rendered ${name} instead of refusing it:\n${result.stdout}`)
      assert.ok(result.stderr.includes(expect), `helm failed, but not with "${expect}":\n${result.stderr}`)
      assert.equal(result.stdout, '')
    })
  }
})

describe('helm install --dry-run=client', () => {
  for (const [name, notes] of [['standalone', /Backchannel runs as the Deployment rel-backchannel, behind the Service\nrel-backchannel:80/], ['native-sidecar', /\(the container under initContainers\).*\(30 s here\)/s]] as const) {
    test(`renders the NOTES for ci/${name}.yaml without a cluster`, async () => {
      const result = await helm(['install', 'rel', CHART, '-f', ciFile(name), '--dry-run=client'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout.slice(result.stdout.indexOf('NOTES:')), notes)
    })
  }
})

describe('Kubernetes version', () => {
  test('mode nativeSidecar is refused below Kubernetes 1.28, where init containers cannot restart', async () => {
    const result = await helm(['template', 'rel', CHART, '-f', ciFile('native-sidecar'), '--kube-version', '1.27.9'])
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /mode nativeSidecar needs Kubernetes 1\.28 or later .*this cluster is v1\.27\.9: use mode sidecar/)
    const ok = await helm(['template', 'rel', CHART, '-f', ciFile('native-sidecar'), '--kube-version', '1.28.0'])
    assert.equal(ok.code, 0, ok.stderr)
  })
})
