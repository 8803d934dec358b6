/**
 * The token verifier of a `tokens` config: its key (an HS256 secret, an
 * RS256 or ES256 public key from a PEM file, or a JWKS kept fresh by
 * RefreshingKeySet) and jose's checks (signature, the algorithms that key
 * allows — never `none` —, `exp` and `nbf` with leeway, `iss` and `aud`
 * when configured), then the claims (claims.ts). Every failure becomes one
 * TokenRejectedError reason; a bad signature and a key id the gateway
 * does not hold are one and the same answer.
 *
 * This module loads jose and undici: the daemon imports it only when
 * `tokens` is configured.
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { jwtVerify, type JWTVerifyGetKey } from 'jose'
import { ConfigError } from '../config/errors.ts'
import type { SecretSource, TokensConfig } from '../config/types.ts'
import { TokenKeysUnavailableError, TokenRejectedError, type TokenRejection } from '../errors.ts'
import { grantsOf, type Grants, type TokenVerifier } from './claims.ts'
import { jwksFileLoader, jwksUrlLoader } from './jwks-source.ts'
import { RefreshingKeySet } from './key-set.ts'

/** Longest token read: longer ones are refused as malformed before anything is decoded. */
export const MAX_TOKEN_LENGTH = 8 * 1024
/** RFC 7518 3.2: an HS256 key of at least the hash's size. */
export const MIN_SECRET_BYTES = 32

type VerifyKey = Uint8Array | KeyObject | JWTVerifyGetKey

/** The reason a jose error (or ours) stands for; anything else is not a token's fault and is rethrown. */
export function rejectionOf (err: unknown): TokenRejection {
  if (err instanceof TokenRejectedError) return err.reason
  const { code, claim, reason } = err as { code?: unknown, claim?: unknown, reason?: unknown }
  switch (code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm'
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'signature'
    case 'ERR_JWT_EXPIRED':
      return reason === 'check_failed' ? 'expired' : 'claims'
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'nbf' && reason === 'check_failed' ? 'not_yet_valid' : 'claims'
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWK_INVALID':
      return 'malformed'
    default:
      throw err
  }
}

class JoseVerifier implements TokenVerifier {
  readonly leewayMs: number
  readonly #key: VerifyKey
  readonly #options: Parameters<typeof jwtVerify>[2]

  constructor (key: VerifyKey, algorithms: string[], tokens: TokensConfig) {
    this.#key = key
    this.leewayMs = tokens.leewayMs
    this.#options = {
      algorithms,
      clockTolerance: tokens.leewayMs / 1000,
      ...(tokens.issuer === undefined ? {} : { issuer: tokens.issuer }),
      ...(tokens.audience === undefined ? {} : { audience: tokens.audience }),
    }
  }

  async verify (token: string): Promise<Grants> {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('malformed')
    let payload: Record<string, unknown>
    try {
      payload = (await jwtVerify(token, this.#key as Uint8Array, this.#options)).payload
    } catch (err) {
      if (err instanceof TokenKeysUnavailableError) throw err
      throw new TokenRejectedError(rejectionOf(err))
    }
    return grantsOf(payload, token)
  }
}

async function secretKey (source: SecretSource, resolve: (source: SecretSource) => Promise<string>): Promise<Uint8Array> {
  const secret = new TextEncoder().encode(await resolve(source))
  if (secret.length < MIN_SECRET_BYTES) throw new ConfigError([`/tokens/secret: an HS256 secret must be at least ${MIN_SECRET_BYTES} bytes long, got ${secret.length}`])
  return secret
}

async function publicKey (path: string): Promise<{ key: KeyObject, algorithm: string }> {
  let pem: string
  try {
    pem = await readFile(path, 'utf8')
  } catch (err) {
    throw new ConfigError([`/tokens/publicKeyFile: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`], { cause: err })
  }
  let key: KeyObject
  try {
    key = createPublicKey(pem)
  } catch (err) {
    throw new ConfigError([`/tokens/publicKeyFile: ${path} holds no PEM public key or certificate`], { cause: err })
  }
  if (key.asymmetricKeyType === 'rsa') return { key, algorithm: 'RS256' }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { key, algorithm: 'ES256' }
  throw new ConfigError([`/tokens/publicKeyFile: ${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key; use an RSA key (RS256) or a P-256 key (ES256)`])
}

export interface VerifierParts {
  verifier: TokenVerifier
  /** The JWKS kept fresh, when the key source is `jwks` (its events are logged and counted). */
  keySet: RefreshingKeySet | null
}

/** The verifier of `tokens`: reads its secret or key file now (ConfigError when it cannot), and a JWKS once. */
export async function createTokenVerifier (tokens: TokensConfig, resolve: (source: SecretSource) => Promise<string>, now: () => number = Date.now): Promise<VerifierParts> {
  if (tokens.secret !== undefined) return { verifier: new JoseVerifier(await secretKey(tokens.secret, resolve), ['HS256'], tokens), keySet: null }
  if (tokens.publicKeyFile !== undefined) {
    const { key, algorithm } = await publicKey(tokens.publicKeyFile)
    return { verifier: new JoseVerifier(key, [algorithm], tokens), keySet: null }
  }
  const jwks = tokens.jwks
  if (jwks === undefined) throw new ConfigError(['/tokens: set exactly one key source, "secret", "publicKeyFile" or "jwks"'])
  const keySet = 'url' in jwks
    ? new RefreshingKeySet(jwksUrlLoader(jwks.url, tokens.jwksTimeoutMs), { cooldownMs: tokens.jwksCooldownMs, maxAgeMs: tokens.jwksMaxAgeMs, now })
    : new RefreshingKeySet(jwksFileLoader(jwks.file), { cooldownMs: tokens.jwksCooldownMs, now })
  return { verifier: new JoseVerifier(keySet.resolve, ['RS256', 'ES256'], tokens), keySet }
}
