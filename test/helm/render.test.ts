/**
 * helm template over the values matrix (helm/backchannel/ci/*.yaml): the
 * output passes yamllint, every object passes its Kubernetes schema
 * (kubernetes-models), and the ConfigMap's config.yaml passes the sidecar's
 * own config validation. The sidecar modes are rendered twice: the chart
 * alone (its ConfigMap) and test/helm/app-chart, a user's chart that includes
 * the sidecar in its Deployment.
 */
import { test, describe, before } from 'node:test'
import assert from 'node:assert/strict'
import { parseConfigText, validateFileConfig } from '../../src/gateway/config/index.ts'
import { join } from 'node:path'
import { APP_CHART, CHART, CI_FILES, SIDECAR_CI, badValues, ciFile, renderApp, renderChart, run, type CiName, type K8sObject, type Rendered } from './helpers.ts'
import { SHAPE_ONLY, validateModel } from './k8s.ts'
import { tool } from '../helpers/tools.ts'

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/

/**
 * The ServiceMonitor is a Prometheus Operator CRD, which kubernetes-models
 * does not have: only its shape is checked, the fields the operator needs.
 */
function checkServiceMonitorShape (o: K8sObject): void {
  assert.equal(o.apiVersion, 'monitoring.coreos.com/v1')
  assert.match(o.metadata.name, DNS_SUBDOMAIN)
  const spec = o['spec'] as { selector?: { matchLabels?: Record<string, string> }, endpoints?: Array<Record<string, unknown>> }
  assert.ok(spec.selector?.matchLabels !== undefined && Object.keys(spec.selector.matchLabels).length > 0, 'spec.selector.matchLabels')
  assert.ok(Array.isArray(spec.endpoints) && spec.endpoints.length > 0, 'spec.endpoints')
  for (const endpoint of spec.endpoints) {
    assert.equal(typeof endpoint['port'], 'string')
    assert.equal(typeof endpoint['path'], 'string')
  }
}

/** Every object through kubernetes-models (the ServiceMonitor through its shape check); returns the kinds checked. */
async function validateObjects (objects: readonly K8sObject[]): Promise<string[]> {
  const checked: string[] = []
  for (const o of objects) {
    if (SHAPE_ONLY.has(`${o.apiVersion}/${o.kind}`)) {
      assert.equal(o.kind, 'ServiceMonitor', `no shape check for ${o.kind}`)
      checkServiceMonitorShape(o)
    } else {
      await validateModel(o)
      assert.match(o.metadata.name, DNS_SUBDOMAIN)
    }
    checked.push(o.kind)
  }
  return checked
}

/** yamllint (the program at `program`) on `text`; fails with its findings. */
async function yamllint (program: string, text: string): Promise<void> {
  const result = await run(program, ['-c', '.yamllint', '-f', 'parsable', '-'], { input: text })
  assert.equal(result.code, 0, `yamllint:\n${result.stdout}${result.stderr}`)
}

async function checkConfigMap (objects: readonly K8sObject[]): Promise<void> {
  const configMap = objects.find((o) => o.kind === 'ConfigMap')
  assert.ok(configMap !== undefined)
  const text = (configMap['data'] as Record<string, string>)['config.yaml']
  assert.equal(typeof text, 'string')
  // Parsed and checked as the sidecar does at start-up; relative paths resolve against the mount.
  const config = await validateFileConfig(parseConfigText(text!, 'yaml'), '/etc/backchannel')
  assert.ok(config.upstreams.length > 0)
}

const EXPECTED_KINDS: Record<CiName, string[]> = {
  defaults: ['ConfigMap', 'Deployment', 'Service'],
  standalone: ['ConfigMap', 'Deployment', 'Service'],
  everything: ['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service', 'ServiceMonitor'],
  sidecar: ['ConfigMap'],
  'native-sidecar': ['ConfigMap'],
}

for (const name of CI_FILES) {
  describe(`helm template with ci/${name}.yaml`, () => {
    let chart: Rendered
    before(async () => { chart = await renderChart([ciFile(name)]) })

    test(`renders ${EXPECTED_KINDS[name].join(', ')}`, () => {
      assert.deepEqual(chart.objects.map((o) => o.kind).sort(), EXPECTED_KINDS[name])
    })

    test('passes yamllint', async (t) => {
      const program = tool(t, 'yamllint')
      if (program === undefined) return
      await yamllint(program, chart.text)
    })

    test(`every object passes its Kubernetes schema (kubernetes-models)${name === 'everything' ? '; the ServiceMonitor CRD, not in kubernetes-models, only its shape' : ''}`, async () => {
      assert.deepEqual((await validateObjects(chart.objects)).sort(), EXPECTED_KINDS[name])
    })

    test('the ConfigMap holds a config.yaml the sidecar accepts (validateFileConfig)', async () => {
      await checkConfigMap(chart.objects)
    })

    if (SIDECAR_CI.has(name)) {
      test('included in a user\'s chart: the pod passes yamllint and the Kubernetes schemas', async (t) => {
        const program = tool(t, 'yamllint')
        if (program === undefined) return
        const app = await renderApp(ciFile(name))
        await yamllint(program, app.text)
        assert.deepEqual((await validateObjects(app.objects)).sort(), ['ConfigMap', 'Deployment'])
        await checkConfigMap(app.objects)
      })
    }
  })
}

describe('helm template with sharedHistory enabled (ci/standalone.yaml, password and CA Secrets)', () => {
  const ON = ['--set', 'sharedHistory.enabled=true', '--set', 'sharedHistory.url=rediss://redis:6380', '--set', 'sharedHistory.username=backchannel',
    '--set', 'sharedHistory.passwordSecret.name=redis-backchannel', '--set', 'sharedHistory.tlsCaSecret.name=redis-tls', '--set', 'sharedHistory.leaseTtlMs=6000']

  test('passes yamllint, and every object its Kubernetes schema (the Secret volumes and the downward-API POD_NAME included)', async (t) => {
    const chart = await renderChart([ciFile('standalone')], ON)
    assert.deepEqual((await validateObjects(chart.objects)).sort(), EXPECTED_KINDS.standalone)
    const program = tool(t, 'yamllint')
    if (program === undefined) return
    await yamllint(program, chart.text)
  })
})

describe('the chart\'s own YAML files', () => {
  test('Chart.yaml, values.yaml, ci/*.yaml, the bad values and the app chart pass yamllint', async (t) => {
    const program = tool(t, 'yamllint')
    if (program === undefined) return
    const files = [
      join(CHART, 'Chart.yaml'), join(CHART, 'values.yaml'), ...CI_FILES.map(ciFile),
      ...badValues().map((b) => b.file), join(APP_CHART, 'Chart.yaml'), join(APP_CHART, 'values.yaml'),
    ]
    const result = await run(program, ['-c', '.yamllint', '-f', 'parsable', ...files])
    assert.equal(result.code, 0, `yamllint:\n${result.stdout}${result.stderr}`)
  })
})

describe('the checks can fail', () => {
  test('kubernetes-models refuses a Deployment with a string for an integer and no selector', async () => {
    const bad: K8sObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', template: {} } }
    await assert.rejects(validateObjects([bad]), /data\/spec must have required property selector, data\/spec\/replicas must be integer/)
  })

  test('an object of a kind kubernetes-models does not have is an error, not a pass', async () => {
    const crd: K8sObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }
    await assert.rejects(validateObjects([crd]), /kubernetes-models has no kubernetes-models\/example\.com\/v1 for example\.com\/v1\/Widget/)
  })

  test('yamllint refuses a duplicate key', async (t) => {
    const program = tool(t, 'yamllint')
    if (program === undefined) return
    await assert.rejects(yamllint(program, 'a: 1\na: 2\n'), /duplication of key "a"/)
  })
})
