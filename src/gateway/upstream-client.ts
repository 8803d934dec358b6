/**
 * An upstream from config as a running Client: params and the auth token
 * are resolved at every connect (a token file may be rotated), back-off
 * lists from config, a CA file read once at start.
 */
import { readFileSync } from 'node:fs'
import { Client, type ClientOptions, type Params } from '../client/client.ts'
import { backoffDelay } from '../phoenix/backoff.ts'
import type { UpstreamConfig, ValueSource } from './config/types.ts'

export type ResolveSource = (source: ValueSource) => Promise<string>

export function clientOptions (upstream: UpstreamConfig, resolve: ResolveSource, random: () => number = Math.random): ClientOptions {
  const params = async (): Promise<Params> => {
    const out: Params = {}
    for (const [key, source] of Object.entries(upstream.params)) out[key] = await resolve(source)
    return out
  }
  const authToken = upstream.authToken
  return {
    url: upstream.url,
    params,
    ...(authToken === null ? {} : { authToken: async () => resolve(authToken) }),
    headers: { ...upstream.headers },
    vsn: upstream.vsn,
    size: upstream.poolSize,
    maxChannelsPerSocket: upstream.maxChannelsPerSocket,
    heartbeatIntervalMs: upstream.heartbeatIntervalMs,
    heartbeatTimeoutMs: upstream.heartbeatTimeoutMs,
    joinTimeoutMs: upstream.joinTimeoutMs,
    pushTimeoutMs: upstream.pushTimeoutMs,
    connectTimeoutMs: upstream.connectTimeoutMs,
    maxBufferedPushes: upstream.maxBufferedPushes,
    maxJoinRefusals: upstream.maxJoinRefusals,
    random,
    jitter: upstream.jitter,
    reconnectDelay: (attempt) => backoffDelay(upstream.reconnectBackoffMs, attempt, random, upstream.jitter),
    rejoinDelay: (attempt) => backoffDelay(upstream.rejoinBackoffMs, attempt, random, upstream.jitter),
    // The hub forwards payloads as the text received, never parsed (but presence's).
    keepPayloadText: true,
    ...(upstream.tlsCaFile === null ? {} : { ca: readFileSync(upstream.tlsCaFile) }),
  }
}

export function createUpstreamClient (upstream: UpstreamConfig, resolve: ResolveSource): Client {
  return new Client(clientOptions(upstream, resolve))
}
