/**
 * A webhook receiver that checks the sidecar's Standard Webhooks signature
 * before it trusts a message. Node's standard library only: node:http and
 * node:crypto. A request whose signature does not verify gets 401, which
 * the sidecar retries (and at last dead-letters): a receiver given the
 * wrong secret refuses messages, it never takes a forged one.
 *
 *   WEBHOOK_SECRETS='whsec_… [whsec_…]' PORT=3001 npx node examples/webhook-receiver/receiver.ts
 *
 * WEBHOOK_SECRETS holds the secrets accepted, separated by spaces: two
 * while a secret is rotated (docs/webhooks.md, "Verifying signatures").
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

const PATH = '/events'
/** How far webhook-timestamp may be from this clock, either way. */
const TOLERANCE_SECONDS = 5 * 60
/** Largest body read; a bigger one is refused. */
const MAX_BODY_BYTES = 1024 * 1024

const keys = (process.env['WEBHOOK_SECRETS'] ?? '').split(/\s+/).filter((s) => s !== '').map((secret) => {
  if (!secret.startsWith('whsec_')) throw new Error('each secret in WEBHOOK_SECRETS starts with whsec_')
  return Buffer.from(secret.slice('whsec_'.length), 'base64')
})
if (keys.length === 0) throw new Error('set WEBHOOK_SECRETS to the webhook\'s signing secret(s), whsec_…')

/** Why the request cannot be trusted, or null when some v1 signature matches some secret. */
function refusal (headers: IncomingHttpHeaders, body: Buffer, nowSeconds = Date.now() / 1000): string | null {
  const id = headers['webhook-id']
  const timestamp = headers['webhook-timestamp']
  const signatures = headers['webhook-signature']
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return 'missing webhook-id, webhook-timestamp or webhook-signature'
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return 'timestamp too old or too new'
  // The signed content is the raw body bytes: verify before parsing.
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body])
  const expected = keys.map((key) => createHmac('sha256', key).update(content).digest())
  for (const entry of signatures.split(' ')) {
    if (!entry.startsWith('v1,')) continue
    const given = Buffer.from(entry.slice(3), 'base64')
    if (expected.some((e) => e.length === given.length && timingSafeEqual(e, given))) return null
  }
  return 'no signature matches'
}

const seen = new Set<string>() // webhook-ids handled (a real app keeps them with its data)

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_BODY_BYTES) req.destroy()
    else chunks.push(chunk)
  })
  req.on('end', () => {
    const answer = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
    }
    if (req.method !== 'POST' || req.url !== PATH) {
      answer(404, { error: 'not found' })
      return
    }
    const body = Buffer.concat(chunks)
    const why = refusal(req.headers, body)
    if (why !== null) {
      console.log(`refused: ${why}`)
      answer(401, { error: why })
      return
    }
    const id = String(req.headers['webhook-id'])
    const duplicate = seen.has(id)
    seen.add(id)
    const event = JSON.parse(body.toString('utf8')) as { type?: string, data?: unknown }
    console.log(`verified ${event.type ?? '?'} ${JSON.stringify(event.data)} id=${id}${duplicate ? ' (duplicate)' : ''}`)
    answer(200, { status: 'SUCCESS' })
  })
})

server.listen(Number(process.env['PORT'] ?? '3001'), '127.0.0.1', () => {
  console.log(`receiver listening on http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`)
})
