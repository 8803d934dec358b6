/**
 * The sidecar's container as rendered in each mode: probes, securityContext,
 * grace period against the drain, the config and token mounts, the native
 * sidecar's restartPolicy, and an environment the sidecar itself accepts.
 * Standalone pods come from the chart, sidecar pods from test/helm/app-chart.
 */
import { test, describe, before } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix } from 'node:path'
import { loadEnv, parseConfigText } from '../../src/gateway/config/index.ts'
import { SHARED_HISTORY_DEFAULTS, resolveConnectOptions } from '../../src/gateway/shared/config.ts'
import { CI_FILES, SIDECAR_CI, ciFile, only, renderApp, renderChart, renderPod, type CiName, type Rendered } from './helpers.ts'
import type { Container, Deployment, PodSpec, Volume } from './k8s.ts'

interface Pod { spec: PodSpec, container: Container, env: Map<string, string>, rendered: Rendered }

function podOf (rendered: Rendered): Pod {
  const spec = (only(rendered.objects, 'Deployment') as Deployment).spec.template.spec
  const all = [...(spec.initContainers ?? []), ...spec.containers]
  const container = all.find((c) => c.name === 'backchannel')
  assert.ok(container !== undefined, 'no container named backchannel')
  const env = new Map((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]))
  return { spec, container, env, rendered }
}

function volume (spec: PodSpec, name: string): Volume {
  const found = spec.volumes?.find((v) => v.name === name)
  assert.ok(found !== undefined, `no volume ${name}`)
  return found
}

/** The file a path names: the mount holding it, and the volume item it maps to. */
function mountFor (pod: Pod, path: string): { volume: Volume, relative: string } {
  const mount = (pod.container.volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`))
  assert.ok(mount !== undefined, `nothing is mounted over ${path}`)
  return { volume: volume(pod.spec, mount.name), relative: posix.relative(mount.mountPath, path) }
}

const pods = new Map<CiName, Pod>()
before(async () => {
  for (const name of CI_FILES) pods.set(name, podOf(await renderPod(name)))
})

for (const name of CI_FILES) {
  describe(`the sidecar's pod with ci/${name}.yaml`, () => {
    const pod = (): Pod => pods.get(name)!

    test('probes: startup and liveness on /livez, readiness on /readyz, at the container port PORT names', () => {
      const { container, env } = pod()
      const port = container.ports?.find((p) => p.name === 'backchannel')
      assert.equal(String(port?.containerPort), env.get('PORT'))
      for (const [probe, path] of [['startupProbe', '/livez'], ['livenessProbe', '/livez'], ['readinessProbe', '/readyz']] as const) {
        assert.equal(container[probe]?.httpGet?.path, path, probe)
        assert.equal(container[probe].httpGet.port, 'backchannel', probe)
        assert.equal(container[probe].httpGet.httpHeaders, undefined, `${probe} needs no token`)
      }
    })

    test('securityContext: non-root, read-only root filesystem, no privilege escalation, every capability dropped; /tmp is an emptyDir', () => {
      const { container, spec } = pod()
      const sc = container.securityContext
      assert.equal(sc?.runAsNonRoot, true)
      assert.equal(sc.readOnlyRootFilesystem, true)
      assert.equal(sc.allowPrivilegeEscalation, false)
      assert.deepEqual(sc.capabilities?.drop, ['ALL'])
      assert.ok((sc.runAsUser ?? 0) > 0)
      const tmp = mountFor(pod(), '/tmp/x')
      assert.ok(tmp.volume.emptyDir !== undefined)
      assert.ok(spec.volumes?.some((v) => v.name === tmp.volume.name))
    })

    test('terminationGracePeriodSeconds covers the drain: SHUTDOWN_GRACE_MS plus the sidecar\'s 2 s exit margin', () => {
      const { spec, env } = pod()
      const drainMs = Number(env.get('SHUTDOWN_GRACE_MS'))
      assert.ok(drainMs > 0)
      assert.ok((spec.terminationGracePeriodSeconds ?? 30) * 1000 >= drainMs + 2000,
        `terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds} < drain ${drainMs} ms + 2 s`)
      assert.equal(spec.terminationGracePeriodSeconds, Math.ceil(drainMs / 1000) + 5)
    })

    test('the config is mounted from the ConfigMap at CONFIG_FILE', () => {
      const file = pod().env.get('CONFIG_FILE')
      assert.equal(file, '/etc/backchannel/config.yaml')
      const { volume: v, relative } = mountFor(pod(), file)
      const configMap = only(pod().rendered.objects, 'ConfigMap')
      assert.equal(v.configMap?.name, configMap.metadata.name)
      const item = v.configMap.items?.find((i) => i.path === relative)
      assert.equal(item?.key, 'config.yaml')
      assert.equal(typeof (configMap['data'] as Record<string, unknown>)['config.yaml'], 'string')
    })

    test('HOST is 0.0.0.0 for the kubelet\'s probes, so the token Secret is mounted and API_TOKEN_FILE names it', () => {
      const { env } = pod()
      assert.equal(env.get('HOST'), '0.0.0.0')
      assert.equal(env.get('API_TOKEN'), undefined)
      const file = env.get('API_TOKEN_FILE')
      assert.ok(file !== undefined)
      const { volume: v, relative } = mountFor(pod(), file)
      assert.equal(v.secret?.secretName, 'backchannel-api-token')
      assert.ok(v.secret.items?.some((i) => i.path === relative), `no item of the Secret is mounted at ${relative}`)
    })

    test('the sidecar accepts the environment (loadEnv), and no unknown BACKCHANNEL_* variable is set', () => {
      const dir = mkdtempSync(join(tmpdir(), 'backchannel-token-'))
      try {
        const tokenFile = join(dir, 'token')
        writeFileSync(tokenFile, 'a-token\n')
        const env = loadEnv({ ...Object.fromEntries(pod().env), API_TOKEN_FILE: tokenFile })
        assert.equal(env.host, '0.0.0.0')
        assert.equal(env.apiToken, 'a-token')
        assert.equal(env.configFile, '/etc/backchannel/config.yaml')
        assert.equal(env.port, Number(pod().env.get('PORT')))
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    test('the config\'s { env } sources are set on the container, its { file } sources and CA files lie in mounted Secrets', () => {
      const text = (only(pod().rendered.objects, 'ConfigMap')['data'] as Record<string, string>)['config.yaml']!
      const config = parseConfigText(text, 'yaml') as { upstreams: Array<{ params?: Record<string, unknown>, authToken?: unknown, tlsCaFile?: string }> }
      const names = new Set((pod().container.env ?? []).map((e) => e.name))
      for (const upstream of config.upstreams) {
        const caFile = upstream.tlsCaFile === undefined ? [] : [{ file: upstream.tlsCaFile }]
        for (const source of [...Object.values(upstream.params ?? {}), upstream.authToken, ...caFile]) {
          if (typeof source !== 'object' || source === null) continue
          if ('env' in source) assert.ok(names.has(String(source.env)), `${String(source.env)} is not set`)
          if ('file' in source) {
            const { volume: v, relative } = mountFor(pod(), String(source.file))
            assert.ok(v.secret !== undefined, `${String(source.file)} is not in a Secret`)
            if (v.secret.items !== undefined) assert.ok(v.secret.items.some((i) => i.path === relative), `${String(source.file)}: no such item`)
          }
        }
      }
    })

    if (name === 'native-sidecar') {
      test('native sidecar: an init container with restartPolicy Always, not among the containers', () => {
        const { spec } = pod()
        const init = spec.initContainers?.find((c) => c.name === 'backchannel')
        assert.equal(init?.restartPolicy, 'Always')
        assert.ok(!spec.containers.some((c) => c.name === 'backchannel'))
        assert.ok(spec.containers.some((c) => c.name === 'app'))
      })
    } else {
      test(`${SIDECAR_CI.has(name) ? 'sidecar: next to the app container' : 'standalone: the only container'}, with no restartPolicy of its own`, () => {
        const { spec, container } = pod()
        assert.equal(container.restartPolicy, undefined)
        assert.equal(spec.initContainers, undefined)
        assert.deepEqual(spec.containers.map((c) => c.name).sort(), SIDECAR_CI.has(name) ? ['app', 'backchannel'] : ['backchannel'])
      })
    }
  })
}

describe('loopback', () => {
  test('a sidecar bound to 127.0.0.1 with its probes off needs no token, and the sidecar accepts its environment', async () => {
    const pod = podOf(await renderApp(ciFile('sidecar'), [
      '--set', 'backchannel.host=127.0.0.1', '--set', 'backchannel.apiToken.existingSecret=',
      '--set', 'backchannel.livenessProbe.enabled=false', '--set', 'backchannel.readinessProbe.enabled=false', '--set', 'backchannel.startupProbe.enabled=false',
    ]))
    assert.equal(pod.env.get('HOST'), '127.0.0.1')
    assert.equal(pod.env.get('API_TOKEN_FILE'), undefined)
    assert.equal(pod.container.livenessProbe, undefined)
    assert.equal(pod.container.readinessProbe, undefined)
    assert.equal(pod.container.startupProbe, undefined)
    assert.ok(!(pod.spec.volumes ?? []).some((v) => v.secret?.secretName === 'backchannel-api-token'))
    assert.equal(loadEnv(Object.fromEntries(pod.env)).apiToken, null)
  })
})

describe('grace period', () => {
  test('follows shutdownGraceMs, rounded up, plus 5 s', async () => {
    const pod = podOf(await renderChart([ciFile('defaults')], ['--set', 'shutdownGraceMs=40001']))
    assert.equal(pod.env.get('SHUTDOWN_GRACE_MS'), '40001')
    assert.equal(pod.spec.terminationGracePeriodSeconds, 46)
  })

  test('an explicit value that covers the drain is kept', async () => {
    const pod = podOf(await renderChart([ciFile('defaults')], ['--set', 'terminationGracePeriodSeconds=27']))
    assert.equal(pod.spec.terminationGracePeriodSeconds, 27)
  })
})

describe('durable state', () => {
  /** The sidecar's settings from the pod's environment, with a token file for API_TOKEN_FILE. */
  function loadPodEnv (pod: Pod): ReturnType<typeof loadEnv> {
    const dir = mkdtempSync(join(tmpdir(), 'backchannel-token-'))
    try {
      const tokenFile = join(dir, 'token')
      writeFileSync(tokenFile, 'a-token\n')
      return loadEnv({ ...Object.fromEntries(pod.env), API_TOKEN_FILE: tokenFile })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  test('off by default: no STATE_DIR, no state volume', async () => {
    const pod = podOf(await renderChart([ciFile('defaults')]))
    assert.ok(![...pod.env.keys()].some((k) => k.startsWith('STATE_')))
    assert.ok(!(pod.spec.volumes ?? []).some((v) => v.name === 'backchannel-state'))
    assert.equal(loadPodEnv(pod).stateDir, null)
  })

  test('enabled: an emptyDir mounted at STATE_DIR, with STATE_SYNC, which the sidecar accepts', async () => {
    const pod = podOf(await renderChart([ciFile('standalone')], ['--set', 'state.enabled=true']))
    assert.equal(pod.env.get('STATE_DIR'), '/var/lib/backchannel')
    assert.equal(pod.env.get('STATE_SYNC'), 'normal')
    assert.equal(pod.env.get('STATE_MAX_BYTES'), undefined)
    const { volume: v, relative } = mountFor(pod, '/var/lib/backchannel/backchannel.db')
    assert.equal(relative, 'backchannel.db')
    assert.deepEqual(v.emptyDir, { sizeLimit: '512Mi' })
    const mount = pod.container.volumeMounts?.find((m) => m.name === v.name)
    assert.notEqual(mount?.readOnly, true)
    const env = loadPodEnv(pod)
    assert.deepEqual([env.stateDir, env.stateSync], ['/var/lib/backchannel', 'normal'])
  })

  test('with an existing claim, in a user\'s chart: the claim at mountPath, and every setting passed on', async () => {
    const pod = podOf(await renderApp(ciFile('sidecar'), [
      '--set', 'backchannel.state.enabled=true', '--set', 'backchannel.state.existingClaim=shop-state',
      '--set', 'backchannel.state.mountPath=/data', '--set', 'backchannel.state.sync=full', '--set', 'backchannel.state.maxBytes=1073741824',
    ]))
    const { volume: v } = mountFor(pod, '/data/backchannel.db')
    assert.deepEqual(v.persistentVolumeClaim, { claimName: 'shop-state' })
    assert.equal(v.emptyDir, undefined)
    const env = loadPodEnv(pod)
    assert.deepEqual([env.stateDir, env.stateSync, env.stateMaxBytes], ['/data', 'full', 1073741824])
  })
})

describe('shared history on Redis', () => {
  interface Section { url: string, username?: string, password?: { file: string }, tlsCaFile?: string, keyPrefix?: string, leaseTtlMs?: number, maxLen?: number, commandTimeoutMs?: number }
  const sectionOf = (pod: Pod): Section | undefined => {
    const text = (only(pod.rendered.objects, 'ConfigMap')['data'] as Record<string, string>)['config.yaml']!
    return (parseConfigText(text, 'yaml') as { sharedHistory?: Section }).sharedHistory
  }
  const ON = ['--set', 'sharedHistory.enabled=true', '--set', 'sharedHistory.url=rediss://redis-master.redis.svc:6380', '--set', 'sharedHistory.username=backchannel',
    '--set', 'sharedHistory.passwordSecret.name=redis-backchannel', '--set', 'sharedHistory.tlsCaSecret.name=redis-tls']

  /** The mount holding `path`: read-only, a Secret volume mapping exactly one key to the file. */
  function secretFile (pod: Pod, path: string): { secretName: string, key: string, relative: string } {
    const { volume: v, relative } = mountFor(pod, path)
    const mount = pod.container.volumeMounts?.find((m) => m.name === v.name)
    assert.equal(mount?.readOnly, true, `${path} is not mounted read-only`)
    assert.ok(v.secret !== undefined, `${path} is not in a Secret`)
    assert.equal(v.secret.items?.length, 1)
    const item = v.secret.items[0]!
    assert.equal(item.path, relative)
    return { secretName: v.secret.secretName, key: item.key, relative }
  }

  test('off unless enabled: no sharedHistory section, no POD_NAME, no Redis volumes', async () => {
    // ci/everything.yaml turns it on once the sidecar's config has the section.
    for (const name of CI_FILES.filter((n) => n !== 'everything')) {
      const pod = pods.get(name)!
      assert.equal(sectionOf(pod), undefined, name)
      assert.ok(!(pod.container.env ?? []).some((e) => e.name === 'POD_NAME'), name)
      assert.ok(!(pod.spec.volumes ?? []).some((v) => v.name.startsWith('backchannel-redis')), name)
    }
  })

  test('enabled: the section rendered into the config, the password and the CA as files in read-only Secret mounts, POD_NAME from the pod\'s name', async () => {
    const pod = podOf(await renderChart([ciFile('standalone')], ON))
    const section = sectionOf(pod)
    assert.deepEqual(section, {
      url: 'rediss://redis-master.redis.svc:6380',
      username: 'backchannel',
      password: { file: '/var/run/secrets/redis/password' },
      tlsCaFile: '/var/run/secrets/redis-tls/ca.crt',
    })
    assert.deepEqual(secretFile(pod, section.password.file), { secretName: 'redis-backchannel', key: 'password', relative: 'password' })
    assert.deepEqual(secretFile(pod, section.tlsCaFile), { secretName: 'redis-tls', key: 'ca.crt', relative: 'ca.crt' })
    assert.deepEqual(pod.container.env?.find((e) => e.name === 'POD_NAME'), { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } })
  })

  test('the sidecar\'s Redis options accept the section: the CA read at start and the password at connect, from the files the Secrets give', async () => {
    const pod = podOf(await renderChart([ciFile('standalone')], ON))
    const section = sectionOf(pod)!
    // The two Secret mounts, laid out in a temporary folder as the kubelet would.
    const root = mkdtempSync(join(tmpdir(), 'backchannel-redis-secrets-'))
    try {
      const onDisk = (path: string, content: string): string => {
        const file = join(root, path)
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, content)
        return file
      }
      const password = onDisk(section.password!.file, 'hunter2\n')
      const ca = onDisk(section.tlsCaFile!, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
      const options = await resolveConnectOptions({ ...SHARED_HISTORY_DEFAULTS, ...section, password: { file: password }, tlsCaFile: ca })
      assert.equal(options.tls, true)
      assert.match(options.ca ?? '', /BEGIN CERTIFICATE/)
      assert.deepEqual(await options.credentials(), { username: 'backchannel', password: 'hunter2' })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  test('the tunables from a values file are rendered as numbers, and only when set; without Secrets nothing is mounted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backchannel-values-'))
    try {
      const values = join(dir, 'values.yaml')
      writeFileSync(values, 'sharedHistory:\n  enabled: true\n  url: redis://redis:6379\n  keyPrefix: "shop:"\n  leaseTtlMs: 6000\n  maxLen: 50000\n  commandTimeoutMs: 1500\n')
      const pod = podOf(await renderChart([ciFile('standalone'), values]))
      assert.deepEqual(sectionOf(pod), { url: 'redis://redis:6379', keyPrefix: 'shop:', leaseTtlMs: 6000, maxLen: 50000, commandTimeoutMs: 1500 })
      assert.ok(!(pod.spec.volumes ?? []).some((v) => v.name.startsWith('backchannel-redis')))
      const options = await resolveConnectOptions({ ...SHARED_HISTORY_DEFAULTS, ...sectionOf(pod)! })
      assert.deepEqual([options.tls, await options.credentials()], [false, {}])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('in a user\'s chart: the mounts and POD_NAME on the sidecar\'s container, the volumes in the user\'s pod', async () => {
    const pod = podOf(await renderApp(ciFile('sidecar'), ON.map((arg) => arg.startsWith('sharedHistory.') ? `backchannel.${arg}` : arg)))
    const section = sectionOf(pod)!
    assert.equal(secretFile(pod, section.password!.file).secretName, 'redis-backchannel')
    assert.equal(secretFile(pod, section.tlsCaFile!).secretName, 'redis-tls')
    assert.ok(pod.container.env?.some((e) => e.name === 'POD_NAME'))
    const app = pod.spec.containers.find((c) => c.name === 'app')
    assert.ok(!(app?.volumeMounts ?? []).some((m) => m.name.startsWith('backchannel-redis')), 'the app container mounts the Redis Secrets')
  })
})
