/**
 * A gateway in-process against a fake Phoenix server, on real ports, with a
 * config built in code. Tests override what they need.
 */
import { pino } from 'pino'
import type { Config, ChannelConfig, UpstreamConfig } from '../../src/gateway/config/types.ts'
import { createDaemon, type Daemon } from '../../src/gateway/daemon.ts'
import type { ValueSource } from '../../src/gateway/config/types.ts'
import { startFakePhoenix, type FakePhoenix, type FakePhoenixOptions } from '../../src/testing/index.ts'

export function upstreamConfig (url: string, over: Partial<UpstreamConfig> = {}): UpstreamConfig {
  return {
    name: 'main',
    url,
    params: {},
    authToken: null,
    headers: {},
    poolSize: 1,
    maxChannelsPerSocket: 100,
    heartbeatIntervalMs: 30_000,
    heartbeatTimeoutMs: 30_000,
    joinTimeoutMs: 2000,
    pushTimeoutMs: 2000,
    connectTimeoutMs: 2000,
    maxBufferedPushes: 1000,
    reconnectBackoffMs: [5],
    rejoinBackoffMs: [5],
    jitter: 0,
    maxJoinRefusals: 3,
    tlsCaFile: null,
    vsn: '2.0.0',
    ...over,
  }
}

export function channelConfig (topic: string, over: Partial<ChannelConfig> = {}): ChannelConfig {
  return { name: topic, topic, upstream: 'main', params: {}, required: false, replay: 100, ...over }
}

export function gatewayConfig (url: string, channels: ChannelConfig[], over: Partial<Config> = {}, upstream: Partial<UpstreamConfig> = {}): Config {
  return {
    upstreams: [upstreamConfig(url, upstream)],
    channels,
    dynamic: [],
    sse: { keepAliveMs: 15_000, clientBufferBytes: 65_536, topicBufferBytes: 4 * 1024 * 1024, maxClients: 10_000, maxTopicsPerStream: 1000, stallTimeoutMs: 30_000, lingerMs: 2000, clientQueue: 1000, retryMs: 2000 },
    maxBodyBytes: 1024 * 1024,
    pushTimeoutMs: 2000,
    env: { port: 0, host: '127.0.0.1', logLevel: 'silent', configFile: null, apiToken: null, readyGraceMs: 3000, shutdownGraceMs: 5000, configWatch: false, configWatchDebounceMs: 500 },
    ...over,
  }
}

/** Literal sources only: tests that need env or file sources pass their own resolver. */
export async function literal (source: ValueSource): Promise<string> {
  if (typeof source === 'object') throw new Error('test resolver takes literals only')
  return String(source)
}

export interface Running {
  phoenix: FakePhoenix
  daemon: Daemon
  base: string
}

export async function startGateway (channels: ChannelConfig[], options: { phoenix?: FakePhoenixOptions, config?: Partial<Config>, upstream?: Partial<UpstreamConfig> } = {}): Promise<Running> {
  const phoenix = await startFakePhoenix(options.phoenix)
  const config = gatewayConfig(phoenix.endpoint, channels, options.config, options.upstream)
  const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal })
  const base = await daemon.start()
  return { phoenix, daemon, base }
}

export async function stopGateway (r: Running): Promise<void> {
  await r.daemon.close()
  await r.phoenix.close()
}
