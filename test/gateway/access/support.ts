/**
 * Browser tokens for tests: a gateway with `tokens` (and `cors`, caps)
 * configured and the API token set, JWTs signed with jose, and the
 * problem checks every 401 of a token shares.
 */
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import { SignJWT, type JWTPayload, type CryptoKey, type KeyObject } from 'jose'
import type { ChannelConfig, Config, CorsConfig, SseConfig, TokensConfig } from '../../../src/gateway/config/types.ts'
import { gatewayConfig } from '../helpers.ts'
import { assertProblem, startGw, type Gw, type GwOptions, type HttpResult } from '../http/support.ts'

export const API_TOKEN = 'api-token-for-tests'
/** A fresh HS256 secret per process: 32 random bytes, hex. */
export const SECRET = randomBytes(32).toString('hex')

/** A `tokens` config: HS256 with SECRET unless `over` says otherwise (a key field set to undefined is left out). */
export function tokensConfig (over: { [K in keyof TokensConfig]?: TokensConfig[K] | undefined } = {}): TokensConfig {
  const all = { secret: SECRET, jwksTimeoutMs: 2000, jwksCooldownMs: 30_000, jwksMaxAgeMs: 600_000, leewayMs: 5000, cookie: 'backchannel_token', queryParameter: false, ...over }
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as unknown as TokensConfig
}

export function sseConfig (over: Partial<SseConfig> = {}): SseConfig {
  return { ...gatewayConfig('ws://unused', []).sse, ...over }
}

export interface TokenGwOptions extends GwOptions {
  tokens?: TokensConfig
  cors?: CorsConfig
  sse?: Partial<SseConfig>
  /** The API token; null for none. */
  apiToken?: string | null
}

/** A gateway taking browser tokens (HS256 with SECRET unless `tokens` says otherwise) and the API token. */
export async function startTokenGw (t: TestContext, channels: ChannelConfig[], options: TokenGwOptions = {}): Promise<Gw> {
  const base = gatewayConfig('ws://unused', [])
  const config: Partial<Config> = {
    tokens: options.tokens ?? tokensConfig(),
    ...(options.cors === undefined ? {} : { cors: options.cors }),
    sse: sseConfig(options.sse),
    env: { ...base.env, apiToken: options.apiToken === undefined ? API_TOKEN : options.apiToken },
    ...options.config,
  }
  return startGw(t, channels, { ...options, config })
}

export function nowSeconds (): number {
  return Math.floor(Date.now() / 1000)
}

/** A JWT with `claims` signed with `key` (SECRET as HS256 by default); `header` adds to the protected header. */
export async function sign (claims: JWTPayload, key: Uint8Array | CryptoKey | KeyObject = new TextEncoder().encode(SECRET), header: { alg?: string, kid?: string } = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(key)
}

/** A token for `sub` that may subscribe to and push to `topics`, valid for an hour unless `claims` says otherwise. */
export async function tokenFor (topics: { subscribe?: string[], publish?: string[] }, claims: JWTPayload = {}, sub = 'user-1'): Promise<string> {
  return sign({ sub, exp: nowSeconds() + 3600, backchannel: topics, ...claims })
}

/** A JWT signed with SECRET (HS256) by hand, whatever its parts hold: `header` and `claims` are the JSON text. */
export function signRaw (header: string, claims: string): string {
  const signed = `${Buffer.from(header).toString('base64url')}.${Buffer.from(claims).toString('base64url')}`
  return `${signed}.${createHmac('sha256', SECRET).update(signed).digest('base64url')}`
}

export function bearer (token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

/** A 401 for a bad token: its code, `details.reason`, and `WWW-Authenticate: Bearer error="invalid_token"`. */
export function assertRejected (res: HttpResult, code: string, reason: string): void {
  const error = assertProblem(res, 401, code)
  assert.deepEqual(error.details, { reason })
  assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"')
}
