/**
 * The gateway's configuration, loaded once at start-up: environment
 * variables, then the config file they name, then the checks that need both
 * (sources naming variables that must be set, a CA file that must be
 * readable, webhook signing secrets that must be there and well formed). The result is deeply frozen. Every problem found in either is
 * reported at once in one ConfigError.
 */
import { readFile } from 'node:fs/promises'
import { loadEnv } from './env.ts'
import { ConfigError } from './errors.ts'
import { loadConfigFile } from './file.ts'
import { checkTokensEnv } from './access.ts'
import { resolveSecret } from './sources.ts'
import type { Config, EnvConfig, FileConfig, SecretSource, ValueSource } from './types.ts'
import { signingKey } from '../webhook/signature.ts'

export { ConfigError } from './errors.ts'
export { loadEnv, isLoopback, ENV_SCHEMA } from './env.ts'
export { loadConfigFile, parseConfigText, validateFileConfig } from './file.ts'
export { resolveValue, resolveSecret, resolveParams, describeSource, type Literal } from './sources.ts'
export { explainConfig } from './explain.ts'
export type * from './types.ts'

function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

function envOf (source: ValueSource): string | undefined {
  return typeof source === 'object' && 'env' in source ? source.env : undefined
}

/** The checks a file alone cannot answer: variables its sources name must be set; a CA file must be a readable PEM. */
async function checkRuntime (file: FileConfig, env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const problems: string[] = []
  for (const [index, u] of file.upstreams.entries()) {
    const sources = [...Object.entries(u.params).map(([k, s]) => [`params/${k}`, s] as const), ...(u.authToken === null ? [] : [['authToken', u.authToken] as const])]
    for (const [at, source] of sources) {
      const name = envOf(source)
      if (name !== undefined && (env[name] ?? '') === '') problems.push(`/upstreams/${index}/${at}: environment variable ${name} is not set`)
    }
    if (u.tlsCaFile !== null) {
      try {
        const pem = await readFile(u.tlsCaFile, 'utf8')
        if (!pem.includes('-----BEGIN CERTIFICATE-----')) problems.push(`/upstreams/${index}/tlsCaFile: ${u.tlsCaFile} holds no PEM certificate`)
      } catch (err) {
        problems.push(`/upstreams/${index}/tlsCaFile: cannot read ${u.tlsCaFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
      }
    }
  }
  const shared = file.sharedHistory
  if (shared !== undefined) {
    const name = shared.password === undefined ? undefined : envOf(shared.password)
    if (name !== undefined && (env[name] ?? '') === '') problems.push(`/sharedHistory/password: environment variable ${name} is not set`)
    if (shared.tlsCaFile !== undefined) {
      try {
        const pem = await readFile(shared.tlsCaFile, 'utf8')
        if (!pem.includes('-----BEGIN CERTIFICATE-----')) problems.push(`/sharedHistory/tlsCaFile: ${shared.tlsCaFile} holds no PEM certificate`)
      } catch (err) {
        problems.push(`/sharedHistory/tlsCaFile: cannot read ${shared.tlsCaFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
      }
    }
  }
  for (const [index, c] of file.channels.entries()) {
    const webhook = c.webhook
    if (webhook === undefined) continue
    const sources = [
      ...Object.entries(webhook.headers).map(([k, s]) => [`headers/${k}`, s] as const),
      ...(webhook.deadLetter?.kind === 'url' ? Object.entries(webhook.deadLetter.headers).map(([k, s]) => [`deadLetter/headers/${k}`, s] as const) : []),
    ]
    for (const [at, source] of sources) {
      const name = envOf(source)
      if (name !== undefined && (env[name] ?? '') === '') problems.push(`/channels/${index}/webhook/${at}: environment variable ${name} is not set`)
    }
    for (const [i, source] of webhook.signingSecrets.entries()) problems.push(...await checkSigningSecret(source, env, `/channels/${index}/webhook/signingSecrets/${i}`))
  }
  return problems
}

/** A signing secret from a variable or file must be there and in the `whsec_` form now (a literal was checked with the file); its value is never quoted. */
async function checkSigningSecret (source: SecretSource, env: Readonly<Record<string, string | undefined>>, at: string): Promise<string[]> {
  if (typeof source !== 'object') return []
  let text: string
  try {
    text = await resolveSecret(source, env, at)
  } catch (err) {
    return err instanceof ConfigError ? [...err.problems] : [`${at}: ${String(err)}`]
  }
  const key = signingKey(text)
  return typeof key === 'string' ? [`${at}: ${'env' in source ? `environment variable ${source.env}` : `file ${source.file}`} ${key}`] : []
}

/** The SIGTERM drain waits for a webhook attempt in flight, then writes its dead letter: both must fit in the grace. */
function checkDrainBudget (file: FileConfig, graceMs: number): string[] {
  return file.channels.flatMap((c, index) => {
    const w = c.webhook
    if (w === undefined) return []
    const deadLetterMs = w.deadLetter === null || w.deadLetter.kind === 'file' ? 0 : w.deadLetter.timeoutMs
    if (w.timeoutMs + deadLetterMs < graceMs) return []
    const plus = deadLetterMs === 0 ? '' : ` plus deadLetter.timeoutMs ${deadLetterMs} ms`
    return [`/channels/${index}/webhook/timeoutMs: ${w.timeoutMs} ms${plus} must be less than SHUTDOWN_GRACE_MS (${graceMs} ms), so the drain can wait for an attempt in flight`]
  })
}

/**
 * The whole configuration from an environment record (process.env in
 * `serve`). Throws ConfigError listing every problem: the environment's,
 * the file's, and those between them.
 */
export async function loadConfig (env: Readonly<Record<string, string | undefined>>): Promise<Config> {
  const problems: string[] = []
  let envConfig: EnvConfig | undefined
  try {
    envConfig = loadEnv(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    problems.push(...err.problems)
  }
  const configFile = env['CONFIG_FILE']
  let file: FileConfig | undefined
  if (configFile === undefined) {
    problems.push('CONFIG_FILE: not set; the gateway needs a config file (see docs/configuration.md)')
  } else if (configFile !== '') {
    try {
      file = await loadConfigFile(configFile)
      problems.push(...await checkRuntime(file, env))
      if (envConfig !== undefined) problems.push(...checkDrainBudget(file, envConfig.shutdownGraceMs))
      problems.push(...checkTokensEnv(file.tokens, envConfig === undefined ? undefined : envConfig.apiToken, env))
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems.push(...err.problems)
    }
  }
  if (problems.length > 0 || envConfig === undefined || file === undefined) {
    throw new ConfigError(problems, { heading: configFile === undefined ? 'invalid configuration' : `invalid configuration (config file ${configFile})` })
  }
  return deepFreeze({ ...file, env: envConfig })
}
