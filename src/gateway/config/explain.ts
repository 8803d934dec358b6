/**
 * A configuration in words, for `backchannel check-config` and the start-up
 * log: what will be connected, joined and served. Upstream URLs are shown as
 * scheme, host and path only; param, token, header and signing secret
 * values never appear, only where they come from.
 */
import { redactUrl } from '../../safe-url.ts'
import { describeSource } from './sources.ts'
import type { ChannelConfig, DynamicConfig, EnvConfig, FileConfig, UpstreamConfig } from './types.ts'

function upstreamLines (u: UpstreamConfig): string[] {
  const params = Object.entries(u.params).map(([key, source]) => `${key} (${describeSource(source)})`)
  const headers = Object.keys(u.headers)
  return [
    `  ${u.name}: ${redactUrl(u.url)} (vsn ${u.vsn})`,
    `    pool: ${u.poolSize} socket(s) × ${u.maxChannelsPerSocket} channels`,
    `    heartbeat: every ${u.heartbeatIntervalMs} ms, reply within ${u.heartbeatTimeoutMs} ms`,
    `    timeouts: connect ${u.connectTimeoutMs} ms, join ${u.joinTimeoutMs} ms, push ${u.pushTimeoutMs} ms; ${u.maxBufferedPushes} pushes buffered`,
    `    back-off: reconnect ${u.reconnectBackoffMs.join(', ')} ms; rejoin ${u.rejoinBackoffMs.join(', ')} ms; jitter ±${Math.round(u.jitter * 100)} %; stop after ${u.maxJoinRefusals} join refusals`,
    `    params: ${params.length === 0 ? 'none' : params.join(', ')}`,
    `    auth token: ${u.authToken === null ? 'none' : describeSource(u.authToken)}`,
    `    headers: ${headers.length === 0 ? 'none' : headers.join(', ')}`,
    ...(u.tlsCaFile === null ? [] : [`    extra CA: ${u.tlsCaFile}`]),
  ]
}

function webhookLines (c: ChannelConfig): string[] {
  const w = c.webhook
  if (w === undefined) return []
  const dl = w.deadLetter
  const target = dl === null ? 'none (logged and counted)' : dl.kind === 'file' ? `file ${dl.file}` : dl.kind === 'url' ? `POST ${redactUrl(dl.url)}` : `push "${dl.event}" to ${dl.topic} on ${dl.upstream}`
  return [
    `    webhook: POST ${redactUrl(w.url)} (${w.format}), headers: ${Object.keys(w.headers).length === 0 ? 'none' : Object.keys(w.headers).join(', ')}`,
    `      signed: ${w.signingSecrets.length === 0 ? 'no (receivers cannot verify requests; set signingSecrets)' : `Standard Webhooks, ${w.signingSecrets.map(describeSource).join(' and ')}`}`,
    `      ${w.maxAttempts} attempts within ${w.maxAgeMs} ms, ${w.timeoutMs} ms each; back-off ${w.backoff.initialMs}–${w.backoff.maxMs} ms ×${w.backoff.multiplier}, full jitter`,
    `      order per ${w.orderKey === null ? 'topic' : `topic and ${w.orderKey}`}; ${w.maxInFlight} in flight; queue ${w.queueSize} (${w.overflow}); dead letter: ${target}`,
  ]
}

function dynamicLines (dynamic: readonly DynamicConfig[]): string[] {
  if (dynamic.length === 0) return []
  return [
    '',
    `Dynamic topics (${dynamic.length} pattern(s); anything else is refused):`,
    ...dynamic.map((d) => {
      const name = d.name === d.pattern ? '' : ` as "${d.name}"`
      const params = Object.keys(d.params).length === 0 ? '' : `, join params: ${Object.keys(d.params).join(', ')}`
      return `  ${d.pattern}${name} on ${d.upstream}: at most ${d.maxTopics} topics, linger ${d.lingerMs} ms, replay ${d.replay}${d.presence ? ', presence' : ''}${params}`
    }),
  ]
}

function envLines (env: EnvConfig): string[] {
  return [
    'Environment:',
    `  API on ${env.host}:${env.port}, bearer token ${env.apiToken === null ? 'off' : 'required'}`,
    `  log level ${env.logLevel}; readiness grace ${env.readyGraceMs} ms; shutdown grace ${env.shutdownGraceMs} ms`,
    `  config file ${env.configFile ?? '(none)'}${env.configFile === null ? '' : env.configWatch !== false ? `, reloaded on SIGHUP and when it changes (${env.configWatchDebounceMs ?? 500} ms debounce)` : ', reloaded on SIGHUP'}`,
    '',
  ]
}

/** Browser tokens, CORS and the per-client caps, when set: where the keys come from, never a secret. */
function browserLines (config: FileConfig): string[] {
  const { tokens, cors, sse } = config
  const lines: string[] = []
  if (tokens !== undefined) {
    const keys = tokens.secret !== undefined
      ? `HS256, secret from ${describeSource(tokens.secret)}`
      : tokens.publicKeyFile !== undefined
        ? `RS256/ES256, public key file ${tokens.publicKeyFile}`
        : tokens.jwks !== undefined && 'url' in tokens.jwks ? `RS256/ES256, JWKS ${redactUrl(tokens.jwks.url)}` : `RS256/ES256, JWKS file ${tokens.jwks?.file ?? ''}`
    lines.push(`Browser tokens: ${keys}; leeway ${tokens.leewayMs} ms; cookie "${tokens.cookie}"${tokens.queryParameter ? '; ?access_token= accepted' : ''}`)
  }
  if (cors !== undefined) lines.push(`CORS: ${cors.origins.join(', ')}${cors.credentials ? ' (with credentials)' : ''}`)
  const caps = [sse.maxClientsPerSubject === undefined ? null : `${sse.maxClientsPerSubject} per token subject`, sse.maxClientsPerAddress === undefined ? null : `${sse.maxClientsPerAddress} per client address`].filter((c) => c !== null)
  if (caps.length > 0) lines.push(`SSE streams at most: ${caps.join(', ')}`)
  return lines.length === 0 ? [] : ['', ...lines]
}

/** Shared history on Redis, when set: where, how long a lease lives, and where the password comes from, never a secret. */
function sharedHistoryLines ({ sharedHistory: h }: FileConfig): string[] {
  if (h === undefined) return []
  const auth = `${h.username === undefined ? 'default user' : `user ${h.username}`}, password ${h.password === undefined ? 'none' : `from ${describeSource(h.password)}`}`
  return [
    '',
    `Shared history: ${redactUrl(h.url)}${h.tlsCaFile === undefined ? '' : ` (CA ${h.tlsCaFile})`}, ${auth}; keys "${h.keyPrefix}…"`,
    `  lease ${h.leaseTtlMs} ms (takeover within ${h.leaseTtlMs + Math.floor(h.leaseTtlMs / 3)} ms), ${h.maxLen} entries per topic, command deadline ${h.commandTimeoutMs} ms, reconnect ${h.reconnectMinMs}–${h.reconnectMaxMs} ms`,
  ]
}

/** A human summary of a configuration: upstreams, channels (required ones marked), replay sizes, SSE and limits. */
export function explainConfig (config: FileConfig & { env?: EnvConfig }): string {
  const required = config.channels.filter((c) => c.required)
  const lines = [
    ...(config.env === undefined ? [] : envLines(config.env)),
    `Upstreams (${config.upstreams.length}):`,
    ...config.upstreams.flatMap(upstreamLines),
    '',
    `Channels (${config.channels.length}; ${required.length} required for readiness):`,
    ...(config.channels.length === 0 ? ['  none'] : []),
    ...config.channels.flatMap((c) => {
      const name = c.name === c.topic ? '' : ` as "${c.name}"`
      const params = Object.keys(c.params).length === 0 ? '' : `, join params: ${Object.keys(c.params).join(', ')}`
      return [`  ${c.topic}${name} on ${c.upstream}: replay ${c.replay}${c.required ? ', required' : ''}${params}`, ...webhookLines(c)]
    }),
    ...dynamicLines(config.dynamic),
    ...browserLines(config),
    ...sharedHistoryLines(config),
    '',
    `SSE: keep-alive every ${config.sse.keepAliveMs} ms, readers hold ${config.sse.clientBufferBytes} bytes each and topics ${config.sse.topicBufferBytes} bytes of events, stalled readers cut after ${config.sse.stallTimeoutMs} ms, retry hint ${config.sse.retryMs} ms`,
    `Limits: push body ${config.maxBodyBytes} bytes, push reply deadline ${config.pushTimeoutMs} ms`,
  ]
  return lines.join('\n')
}
