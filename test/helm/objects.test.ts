/**
 * The standalone objects around the pod: the Service reaches the container
 * port, the ServiceMonitor and the PodDisruptionBudget exist only when
 * enabled and select the pods, and the config checksum on the pod template
 * follows the config (a changed config rolls the pods).
 */
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { CI_FILES, ciFile, only, renderApp, renderChart, type K8sObject } from './helpers.ts'
import type { Deployment, PodDisruptionBudget, Service } from './k8s.ts'

interface ServiceMonitorSpec {
  selector: { matchLabels: Record<string, string> }
  endpoints: Array<{ port: string, path: string, interval: string, scrapeTimeout: string, authorization: { type: string, credentials: { name: string, key: string } } }>
}

const kinds = (objects: readonly K8sObject[]): string[] => objects.map((o) => o.kind).sort()
const configText = (objects: readonly K8sObject[]): string => (only(objects, 'ConfigMap')['data'] as Record<string, string>)['config.yaml']!
const deployment = (objects: readonly K8sObject[]): Deployment => only(objects, 'Deployment') as Deployment

describe('ServiceMonitor and PodDisruptionBudget', () => {
  test('are absent unless enabled', async () => {
    for (const name of CI_FILES.filter((n) => n !== 'everything')) {
      const { objects } = await renderChart([ciFile(name)])
      assert.ok(!objects.some((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodDisruptionBudget'), `ci/${name}.yaml: ${kinds(objects).join(', ')}`)
    }
  })

  test('the ServiceMonitor scrapes /metrics on the Service\'s port with the API token, and selects the Service', async () => {
    const { objects } = await renderChart([ciFile('standalone')], ['--set', 'serviceMonitor.enabled=true'])
    assert.deepEqual(kinds(objects), ['ConfigMap', 'Deployment', 'Service', 'ServiceMonitor'])
    const spec = only(objects, 'ServiceMonitor')['spec'] as ServiceMonitorSpec
    const service = only(objects, 'Service') as Service
    const endpoint = spec.endpoints[0]!
    assert.equal(spec.endpoints.length, 1)
    assert.equal(endpoint.path, '/metrics')
    assert.ok(service.spec.ports.some((p) => p.name === endpoint.port), `the Service has no port named ${endpoint.port}`)
    assert.deepEqual(endpoint.authorization, { type: 'Bearer', credentials: { name: 'backchannel-api-token', key: 'api-token' } })
    assert.equal(endpoint.interval, '30s')
    for (const [label, value] of Object.entries(spec.selector.matchLabels)) {
      assert.equal(service.metadata.labels?.[label], value, `the Service lacks ${label}=${value}`)
    }
  })

  test('the PodDisruptionBudget selects the Deployment\'s pods, with maxUnavailable 1 by default and minAvailable when set', async () => {
    const { objects } = await renderChart([ciFile('standalone')], ['--set', 'podDisruptionBudget.enabled=true'])
    const pdb = only(objects, 'PodDisruptionBudget') as PodDisruptionBudget
    assert.equal(pdb.spec.maxUnavailable, 1)
    assert.equal(pdb.spec.minAvailable, undefined)
    assert.deepEqual(pdb.spec.selector.matchLabels, deployment(objects).spec.selector.matchLabels)
    const everything = await renderChart([ciFile('everything')])
    const set = only(everything.objects, 'PodDisruptionBudget') as PodDisruptionBudget
    assert.equal(set.spec.minAvailable, 2)
    assert.equal(set.spec.maxUnavailable, undefined)
  })

  test('are refused in sidecar modes, where the chart has no Service and no pods of its own', async () => {
    await assert.rejects(renderChart([ciFile('native-sidecar')], ['--set', 'podDisruptionBudget.enabled=true']),
      /podDisruptionBudget\.enabled needs mode standalone/)
  })
})

describe('Service', () => {
  test('targets the container port by name and selects exactly the Deployment\'s pods', async () => {
    const { objects } = await renderChart([ciFile('standalone')])
    const service = only(objects, 'Service') as Service
    const dep = deployment(objects)
    assert.deepEqual(service.spec.ports, [{ name: 'http', port: 80, targetPort: 'backchannel', protocol: 'TCP' }])
    assert.deepEqual(service.spec.selector, dep.spec.selector.matchLabels)
    const labels = dep.spec.template.metadata.labels
    for (const [label, value] of Object.entries(service.spec.selector)) assert.equal(labels[label], value)
    assert.ok(dep.spec.template.spec.containers[0]?.ports?.some((p) => p.name === 'backchannel'))
  })

  test('standalone pods get no service links (the sidecar refuses unknown BACKCHANNEL_* variables) and no API credentials', async () => {
    const spec = deployment((await renderChart([ciFile('defaults')])).objects).spec.template.spec
    assert.equal(spec.enableServiceLinks, false)
    assert.equal(spec.automountServiceAccountToken, false)
    assert.equal(spec.securityContext?.runAsNonRoot, true)
  })
})

describe('config checksum', () => {
  test('the standalone pod template carries the sha256 of the config, which changes with the config', async () => {
    const first = await renderChart([ciFile('standalone')])
    const annotation = deployment(first.objects).spec.template.metadata.annotations?.['checksum/config']
    // The ConfigMap holds the text followed by the block scalar's newline.
    assert.equal(annotation, createHash('sha256').update(configText(first.objects).replace(/\n$/, '')).digest('hex'))
    const changed = await renderChart([ciFile('standalone')], ['--set', 'config.pushTimeoutMs=5000'])
    assert.match(configText(changed.objects), /^pushTimeoutMs: 5000$/m)
    assert.notEqual(deployment(changed.objects).spec.template.metadata.annotations?.['checksum/config'], annotation)
  })

  test('a user\'s chart gets the same checksum from backchannel.configChecksum', async () => {
    const chart = await renderChart([ciFile('sidecar')])
    const app = await renderApp(ciFile('sidecar'))
    assert.equal(configText(app.objects), configText(chart.objects))
    const annotation = deployment(app.objects).spec.template.metadata.annotations?.['checksum/backchannel-config']
    assert.equal(annotation, createHash('sha256').update(configText(chart.objects).replace(/\n$/, '')).digest('hex'))
  })

  test('in a user\'s chart the volumes name the ConfigMap the dependency renders', async () => {
    const app = await renderApp(ciFile('native-sidecar'))
    const configMap = only(app.objects, 'ConfigMap')
    const volumes = deployment(app.objects).spec.template.spec.volumes ?? []
    assert.equal(volumes.find((v) => v.name === 'backchannel-config')?.configMap?.name, configMap.metadata.name)
    assert.equal(configMap.metadata.name, 'shop-backchannel-config')
  })
})
