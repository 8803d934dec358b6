/**
 * examples/kubernetes: plain manifests for an app with the sidecar. Every
 * file passes yamllint, every object its Kubernetes schema
 * (kubernetes-models), the ConfigMap's config.yaml the sidecar's own
 * validation and each sidecar's environment its environment loader. The
 * sidecar container matches the Helm chart's defaults (image, args,
 * securityContext, probes, mounts), and each pod's grace period covers the
 * shutdown it has to wait for: the app's and the drain one after the other
 * for a native sidecar, the longer of the two for a classic one.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { parseAllDocuments, parse as parseYaml } from 'yaml'
import { loadEnv, parseConfigText, validateFileConfig } from '../../src/gateway/config/index.ts'
import { run, type K8sObject } from '../helm/helpers.ts'
import { validateModel, type Container, type Deployment, type PodSpec, type Volume } from '../helm/k8s.ts'
import { root } from './helpers.ts'
import { tool } from '../helpers/tools.ts'

const DIR = join(root, 'examples', 'kubernetes')
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()
const objects: Array<{ file: string, object: K8sObject }> = FILES.flatMap((file) => parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`)
  return { file, object: doc.toJS() as K8sObject }
}))
const configMap = objects.find((o) => o.object.kind === 'ConfigMap')?.object
const deployments = objects.filter((o) => o.object.kind === 'Deployment').map((o) => ({ file: o.file, deployment: o.object as Deployment }))

interface ChartValues { image: { repository: string, tag: string, pullPolicy: string }, args: string[], securityContext: unknown, startupProbe: Probe, livenessProbe: Probe, readinessProbe: Probe }
interface Probe { periodSeconds: number, timeoutSeconds: number, failureThreshold: number }
const chart = parseYaml(readFileSync(join(root, 'helm', 'backchannel', 'values.yaml'), 'utf8')) as ChartValues

const envOf = (c: Container): Map<string, string> => new Map((c.env ?? []).flatMap((e) => e.value === undefined ? [] : [[e.name, e.value] as const]))

/** The volume mounted over `path` in `container`, and the path inside it. */
function mounted (spec: PodSpec, container: Container, path: string): { volume: Volume, relative: string } {
  const mount = (container.volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`))
  assert.ok(mount !== undefined, `${container.name}: nothing is mounted over ${path}`)
  const volume = spec.volumes?.find((v) => v.name === mount.name)
  assert.ok(volume !== undefined, `no volume ${mount.name}`)
  return { volume, relative: posix.relative(mount.mountPath, path) }
}

/** The file a secret or config map volume serves at `relative`: its key. */
function keyAt (volume: Volume, relative: string): string {
  const items = volume.secret?.items ?? volume.configMap?.items
  return items === undefined ? relative : (items.find((i) => i.path === relative)?.key ?? `(no item at ${relative})`)
}

test('the example has a ConfigMap, a native-sidecar Deployment and a classic one', () => {
  assert.ok(configMap !== undefined)
  assert.deepEqual(deployments.map((d) => d.file), ['deployment-classic.yaml', 'deployment.yaml'])
})

test('every file passes yamllint', async (t) => {
  const program = tool(t, 'yamllint')
  if (program === undefined) return
  const result = await run(program, ['-c', '.yamllint', '-f', 'parsable', ...FILES.map((f) => join(DIR, f))])
  assert.equal(result.code, 0, `yamllint:\n${result.stdout}${result.stderr}`)
})

test('every object passes its Kubernetes schema', async () => {
  assert.ok(objects.length >= 3)
  for (const { file, object } of objects) await assert.doesNotReject(validateModel(object), `${file}: ${object.kind} ${object.metadata.name}`)
})

test('the ConfigMap holds a config.yaml the sidecar accepts', async () => {
  const text = (configMap?.['data'] as Record<string, string> | undefined)?.['config.yaml']
  assert.ok(text !== undefined)
  const config = await validateFileConfig(parseConfigText(text, 'yaml'), '/etc/backchannel')
  assert.deepEqual(config.channels.map((c) => c.topic), ['room:lobby', 'orders:eu'])
})

for (const { file, deployment } of deployments) {
  describe(`examples/kubernetes/${file}`, () => {
    const spec = deployment.spec.template.spec
    const native = spec.initContainers?.find((c) => c.name === 'backchannel')
    const sidecar = native ?? spec.containers.find((c) => c.name === 'backchannel')
    const app = spec.containers.find((c) => c.name === 'app')
    assert.ok(sidecar !== undefined && app !== undefined, `${file} has the app and the backchannel containers`)
    const env = envOf(sidecar)

    test('the sidecar is a native sidecar (restartPolicy Always) in deployment.yaml, a plain container in the classic one', () => {
      if (file === 'deployment.yaml') assert.equal(native?.restartPolicy, 'Always')
      else assert.equal(native, undefined)
    })

    test('the image, its arguments and securityContext are the Helm chart\'s defaults', () => {
      const c = sidecar as Container & { image?: string, args?: string[], command?: string[] }
      assert.equal(c.image, `${chart.image.repository}:${chart.image.tag}`)
      assert.deepEqual(c.args, chart.args)
      assert.equal(c.command, undefined, 'the image\'s entrypoint, as the chart leaves it')
      assert.deepEqual(sidecar.securityContext, chart.securityContext)
      assert.equal(spec.enableServiceLinks, false, 'no service links: the sidecar refuses unknown BACKCHANNEL_* variables')
    })

    test('probes: startup and liveness on /livez, readiness on /readyz, at the port PORT names, with the chart\'s timings', () => {
      const port = sidecar.ports?.find((p) => p.name === 'backchannel')
      assert.equal(String(port?.containerPort), env.get('PORT'))
      for (const [probe, path] of [['startupProbe', '/livez'], ['livenessProbe', '/livez'], ['readinessProbe', '/readyz']] as const) {
        const given = sidecar[probe] as (Probe & { httpGet?: { path: string, port: string | number } }) | undefined
        assert.deepEqual(given?.httpGet, { path, port: 'backchannel' }, probe)
        const { periodSeconds, timeoutSeconds, failureThreshold } = given
        assert.deepEqual({ periodSeconds, timeoutSeconds, failureThreshold }, {
          periodSeconds: chart[probe].periodSeconds, timeoutSeconds: chart[probe].timeoutSeconds, failureThreshold: chart[probe].failureThreshold,
        }, probe)
      }
    })

    test('the sidecar accepts its environment; the config and the token are mounted where it looks', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'backchannel-k8s-example-'))
      try {
        const tokenFile = join(dir, 'token')
        writeFileSync(tokenFile, 'example-token\n')
        const loaded = loadEnv({ ...Object.fromEntries(env), API_TOKEN_FILE: tokenFile })
        assert.equal(loaded.host, '0.0.0.0')
        assert.equal(loaded.apiToken, 'example-token')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
      const config = mounted(spec, sidecar, env.get('CONFIG_FILE') ?? '')
      assert.equal(config.volume.configMap?.name, configMap?.metadata.name)
      assert.equal(keyAt(config.volume, config.relative), 'config.yaml')
      const token = mounted(spec, sidecar, env.get('API_TOKEN_FILE') ?? '')
      assert.equal(token.volume.secret?.secretName, 'backchannel-api-token')
      assert.equal(mounted(spec, sidecar, '/tmp/x').volume.emptyDir !== undefined, true, 'a writable /tmp on the read-only root')
    })

    test('every { file } source of the config is a mounted Secret', () => {
      const text = (configMap?.['data'] as Record<string, string>)['config.yaml'] ?? ''
      const files = [...text.matchAll(/\{ file: (\S+) \}/g)].map((m) => m[1] ?? '')
      assert.ok(files.length > 0)
      for (const path of files) {
        const { volume, relative } = mounted(spec, sidecar, path)
        assert.ok(volume.secret !== undefined, `${path} is in a Secret`)
        assert.equal(keyAt(volume, relative), 'token')
      }
    })

    test('the app reaches the sidecar on loopback at its port, with the same token', () => {
      const appEnv = envOf(app)
      assert.equal(new URL(appEnv.get('BACKCHANNEL_URL') ?? '').port, env.get('PORT'))
      const token = mounted(spec, app, appEnv.get('BACKCHANNEL_TOKEN_FILE') ?? '')
      assert.equal(token.volume.secret?.secretName, 'backchannel-api-token')
      assert.notEqual(app.ports?.[0]?.containerPort, Number(env.get('PORT')), 'the pod shares one network namespace')
    })

    test('terminationGracePeriodSeconds covers the app\'s shutdown and the drain (SHUTDOWN_GRACE_MS plus 2 s)', () => {
      const drainMs = Number(env.get('SHUTDOWN_GRACE_MS')) + 2000
      const appMs = Number(envOf(app).get('SHUTDOWN_TIMEOUT_MS'))
      assert.ok(drainMs > 2000 && appMs > 0)
      // A native sidecar is stopped after the app has exited; a classic one at the same time.
      const needed = native === undefined ? Math.max(appMs, drainMs) : appMs + drainMs
      const grace = (spec.terminationGracePeriodSeconds ?? 30) * 1000
      assert.ok(grace >= needed, `grace ${grace} ms < ${needed} ms`)
      assert.ok(grace <= needed + 10_000, 'and not much more: a stuck pod is killed in time')
    })
  })
}
