/**
 * A channel's `webhook` as the schema leaves it, completed and
 * cross-checked once every channel is known: the URL and dead-letter
 * target are checked, relative paths made absolute, and a dead-letter topic
 * must be another configured channel (the gateway pushes to it).
 */
import { isAbsolute, resolve } from 'node:path'
import type { RawWebhook } from './file-types.generated.ts'
import type { ChannelConfig, DeadLetterConfig, SecretSource, WebhookConfig } from './types.ts'
import { checkSource, checkUrl, type UrlRule } from './checks.ts'
import { signingKey } from '../webhook/signature.ts'

/** `deadLetter` as written: one object whose keys say which kind it is. */
type RawDeadLetter = NonNullable<RawWebhook['deadLetter']>

/** Headers every webhook request carries, set by the sink; HTTP framing headers. */
const OWN_HEADERS = new Set(['host', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'content-length', 'transfer-encoding', 'content-type', 'idempotency-key', 'traceparent', 'webhook-id', 'webhook-timestamp', 'webhook-signature'])

const WEBHOOK_URL: UrlRule = {
  schemes: ['http:', 'https:'],
  schemeMessage: 'must start with http:// or https://',
  query: true,
  fragmentMessage: 'must not have a fragment',
  credentialsMessage: 'must not hold credentials; put them in "headers"',
}

function completeHeaders (headers: Record<string, SecretSource>, at: string, baseDir: string, problems: string[]): Record<string, SecretSource> {
  const out: Record<string, SecretSource> = {}
  for (const [name, source] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (OWN_HEADERS.has(lower) || lower.startsWith('x-backchannel-')) problems.push(`${at}/${name}: set by the webhook sink itself; remove it`)
    checkSource(source, `${at}/${name}`, problems)
    out[name] = typeof source === 'object' && 'file' in source && !isAbsolute(source.file) ? { file: resolve(baseDir, source.file) } : source
  }
  return out
}

/** A secret source, its file made absolute; a literal secret is checked now (env and file ones when read). */
function completeSecret (source: SecretSource, at: string, baseDir: string, problems: string[]): SecretSource {
  checkSource(source, at, problems)
  if (typeof source === 'string') {
    const key = signingKey(source)
    if (typeof key === 'string') problems.push(`${at}: ${key}`)
    return source
  }
  return 'file' in source && !isAbsolute(source.file) ? { file: resolve(baseDir, source.file) } : source
}

function completeDeadLetter (raw: RawDeadLetter, at: string, channel: ChannelConfig, channels: readonly ChannelConfig[], baseDir: string, problems: string[]): DeadLetterConfig | null {
  const kinds = (['file', 'url', 'topic'] as const).filter((k) => raw[k] !== undefined)
  if (kinds.length !== 1) {
    problems.push(`${at}: must have exactly one of "file", "url" or "topic"${kinds.length === 0 ? '' : ` (got ${kinds.map((k) => `"${k}"`).join(', ')})`}`)
    return null
  }
  if (Object.keys(raw.headers).length > 0 && raw.url === undefined) problems.push(`${at}/headers: only used with "url"`)
  if (raw.upstream !== undefined && raw.topic === undefined) problems.push(`${at}/upstream: only used with "topic"`)
  if (raw.file !== undefined) return { kind: 'file', file: resolve(baseDir, raw.file) }
  if (raw.url !== undefined) {
    checkUrl(raw.url, `${at}/url`, WEBHOOK_URL, problems)
    return { kind: 'url', url: raw.url, headers: completeHeaders(raw.headers, `${at}/headers`, baseDir, problems), timeoutMs: raw.timeoutMs }
  }
  const topic = raw.topic ?? ''
  const upstream = raw.upstream ?? channel.upstream
  if (!channels.some((c) => c.topic === topic && c.upstream === upstream)) {
    problems.push(`${at}/topic: "${topic}" is not a configured channel on upstream "${upstream}"; the gateway pushes dead letters to a channel it has joined`)
  } else if (topic === channel.topic && upstream === channel.upstream) {
    problems.push(`${at}/topic: must not be the webhook's own channel`)
  }
  return { kind: 'topic', topic, upstream, event: raw.event, timeoutMs: raw.timeoutMs }
}

/** The webhook of channel `index`, complete. Problems are added to `problems`. */
export function completeWebhook (raw: RawWebhook, index: number, channels: readonly ChannelConfig[], baseDir: string, problems: string[]): WebhookConfig | undefined {
  const channel = channels[index]
  if (channel === undefined) return undefined
  const at = `/channels/${index}/webhook`
  checkUrl(raw.url, `${at}/url`, WEBHOOK_URL, problems)
  if (raw.backoff.maxMs < raw.backoff.initialMs) problems.push(`${at}/backoff/maxMs: must be at least initialMs (${raw.backoff.initialMs})`)
  const deadLetter = raw.deadLetter === null ? null : completeDeadLetter(raw.deadLetter, `${at}/deadLetter`, channel, channels, baseDir, problems)
  const signingSecrets = raw.signingSecrets.map((source, i) => completeSecret(source, `${at}/signingSecrets/${i}`, baseDir, problems))
  return { ...raw, headers: completeHeaders(raw.headers, `${at}/headers`, baseDir, problems), signingSecrets, deadLetter }
}
