/**
 * The body of a 2xx webhook response, read for its verdict: at most
 * MAX_VERDICT_BYTES, so an app answering with a huge body cannot grow the
 * heap; past that the connection is dropped rather than drained.
 */
import type { Dispatcher } from 'undici'

/** The first bytes of a 2xx response body read for a verdict; past this the connection is dropped. */
export const MAX_VERDICT_BYTES = 64 * 1024

export async function readVerdictBody (body: Dispatcher.ResponseData['body'], length: string | undefined): Promise<string> {
  if (length !== undefined && Number(length) <= MAX_VERDICT_BYTES) return body.text()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk)
    size += chunk.length
    if (size >= MAX_VERDICT_BYTES) break // leaving the loop destroys the body: the connection is not reused
  }
  return Buffer.concat(chunks).subarray(0, MAX_VERDICT_BYTES).toString('utf8')
}
