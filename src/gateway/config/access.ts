/**
 * The config file's `tokens` and `cors`, completed and cross-checked: a
 * token config names exactly one key source, its files are made absolute
 * against the config file's folder, a JWKS URL is http(s) without
 * credentials; a CORS origin is an origin (scheme, host, port), nothing
 * more. Secrets are not read here: the daemon reads them at start
 * (http/access/keys.ts), so check-config never opens them.
 */
import { isAbsolute, resolve } from 'node:path'
import type { RawFile } from './file-types.generated.ts'
import { checkSource, checkUrl, type UrlRule } from './checks.ts'
import type { CorsConfig, TokensConfig } from './types.ts'

const JWKS_URL: UrlRule = {
  schemes: ['http:', 'https:'],
  schemeMessage: 'must start with http:// or https://',
  query: true,
  fragmentMessage: 'must not have a fragment',
  credentialsMessage: 'must not hold credentials',
}

function absolute (path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

/** The complete `tokens` section, or undefined when it is absent. */
export function completeTokens (raw: RawFile['tokens'], baseDir: string, problems: string[]): TokensConfig | undefined {
  if (raw === undefined) return undefined
  const at = '/tokens'
  const given = (['secret', 'publicKeyFile', 'jwks'] as const).filter((key) => raw[key] !== undefined)
  if (given.length !== 1) {
    const named = given.length === 0 ? 'none is set' : `${given.join(' and ')} are set`
    problems.push(`${at}: set exactly one key source, "secret" (HS256), "publicKeyFile" (RS256 or ES256) or "jwks"; ${named}`)
  }
  const { secret, publicKeyFile, jwks, ...rest } = raw
  const tokens: TokensConfig = { ...rest }
  if (secret !== undefined) {
    checkSource(secret, `${at}/secret`, problems)
    tokens.secret = typeof secret === 'object' && 'file' in secret ? { file: absolute(secret.file, baseDir) } : secret
  }
  if (publicKeyFile !== undefined) tokens.publicKeyFile = absolute(publicKeyFile, baseDir)
  if (jwks !== undefined) {
    if ('url' in jwks) {
      checkUrl(jwks.url, `${at}/jwks/url`, JWKS_URL, problems)
      tokens.jwks = { url: jwks.url }
    } else {
      tokens.jwks = { file: absolute(jwks.file, baseDir) }
    }
  }
  return tokens
}

/** What is wrong with a CORS origin, or null when it is one: `scheme://host[:port]`, as a browser's Origin header says it. */
export function originProblem (origin: string): string | null {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return 'is not an origin (scheme://host[:port])'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://'
  if (url.origin !== origin) return `must be written as a browser sends it, "${url.origin}" (no path, no trailing slash, lower case, no default port)`
  return null
}

/** The complete `cors` section, or undefined when it is absent. */
export function completeCors (raw: RawFile['cors'], problems: string[]): CorsConfig | undefined {
  if (raw === undefined) return undefined
  raw.origins.forEach((origin, i) => {
    const problem = originProblem(origin)
    if (problem !== null) problems.push(`/cors/origins/${i}: ${JSON.stringify(origin)} ${problem}`)
  })
  return { ...raw, origins: [...new Set(raw.origins)] }
}

/**
 * The checks between `tokens` and the environment: a secret's variable must be set, and a gateway that takes
 * browser tokens must have the API token (its other routes are the app's, and browsers reach it).
 */
export function checkTokensEnv (tokens: TokensConfig | undefined, apiToken: string | null | undefined, env: Readonly<Record<string, string | undefined>>): string[] {
  if (tokens === undefined) return []
  const problems: string[] = []
  const secret = tokens.secret
  if (typeof secret === 'object' && 'env' in secret && (env[secret.env] ?? '') === '') problems.push(`/tokens/secret: environment variable ${secret.env} is not set`)
  if (apiToken === null) problems.push('/tokens: a gateway that takes browser tokens must guard its other routes: set API_TOKEN or API_TOKEN_FILE')
  return problems
}
