/**
 * A Standard Webhooks verifier written from the spec
 * (https://www.standardwebhooks.com/), independent of the sidecar's signing
 * code: the key is the base64 after `whsec_`, the signed content is
 * `<webhook-id>.<webhook-timestamp>.<body bytes>`, each `v1,<base64>` entry
 * of `webhook-signature` is compared in constant time, and the timestamp
 * must be within five minutes of now.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

export const TOLERANCE_SECONDS = 5 * 60

export interface Verified {
  id: string
  timestamp: number
  /** Indexes (into `secrets`) of the secrets that some v1 entry was made with. */
  matched: number[]
  /** The v1 entries, in header order. */
  entries: string[]
}

function one (headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name]
  if (typeof value !== 'string' || value === '') throw new Error(`no ${name} header`)
  return value
}

/** Checks a request's signature against `secrets`; throws when a header is missing or the timestamp is out of tolerance. */
export function verifyRequest (secrets: readonly string[], headers: IncomingHttpHeaders, body: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): Verified {
  const id = one(headers, 'webhook-id')
  const timestampText = one(headers, 'webhook-timestamp')
  if (!/^\d+$/.test(timestampText)) throw new Error(`webhook-timestamp is not unix seconds: ${timestampText}`)
  const timestamp = Number(timestampText)
  if (Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS) throw new Error(`webhook-timestamp ${timestamp} is more than ${TOLERANCE_SECONDS} s from ${nowSeconds}`)
  const entries = one(headers, 'webhook-signature').split(' ')
  const given = entries.flatMap((e) => e.startsWith('v1,') ? [Buffer.from(e.slice(3), 'base64')] : [])
  const content = Buffer.concat([Buffer.from(`${id}.${timestampText}.`), body])
  const matched = secrets.flatMap((secret, i) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
    const expected = createHmac('sha256', key).update(content).digest()
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected)) ? [i] : []
  })
  return { id, timestamp, matched, entries }
}

/** A fresh `whsec_` secret of `bytes` random bytes. */
export function newSecret (bytes = 32): string {
  return `whsec_${randomBytes(bytes).toString('base64')}`
}
