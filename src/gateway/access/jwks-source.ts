/**
 * Where a JSON Web Key Set is read from: a file, or a URL fetched with
 * undici under one deadline (connect, headers and body together), refusing
 * anything but a 200 of at most MAX_JWKS_BYTES. Errors say what went wrong
 * and where, never what the set held. Redirects are not followed.
 */
import { readFile } from 'node:fs/promises'
import { request } from 'undici'
import type { KeySetLoader } from './key-set.ts'

/** A key set larger than this is refused: a few dozen keys take a few KiB. */
export const MAX_JWKS_BYTES = 1024 * 1024

export function jwksFileLoader (path: string): KeySetLoader {
  return async () => {
    const text = await readFile(path, 'utf8')
    if (text.length > MAX_JWKS_BYTES) throw new Error(`${path} is larger than ${MAX_JWKS_BYTES} bytes`)
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw new Error(`${path} does not hold JSON`)
    }
  }
}

export function jwksUrlLoader (url: string, timeoutMs: number): KeySetLoader {
  const shown = new URL(url)
  const where = `${shown.origin}${shown.pathname}`
  return async () => {
    const signal = AbortSignal.timeout(timeoutMs)
    let res
    try {
      res = await request(url, { method: 'GET', headers: { accept: 'application/json, application/jwk-set+json' }, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
    } catch (err) {
      throw new Error(signal.aborted ? `${where} did not answer within ${timeoutMs} ms` : `${where} could not be fetched: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err })
    }
    try {
      if (res.statusCode !== 200) throw new Error(`${where} answered ${res.statusCode}`)
      const declared = Number(res.headers['content-length'] ?? 0)
      if (declared > MAX_JWKS_BYTES) throw new Error(`${where} sent more than ${MAX_JWKS_BYTES} bytes`)
      let bytes = 0
      const chunks: Buffer[] = []
      for await (const chunk of res.body) {
        bytes += (chunk as Buffer).length
        if (bytes > MAX_JWKS_BYTES) throw new Error(`${where} sent more than ${MAX_JWKS_BYTES} bytes`)
        chunks.push(chunk as Buffer)
      }
      try {
        return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
      } catch {
        throw new Error(`${where} did not send JSON`)
      }
    } catch (err) {
      if (signal.aborted) throw new Error(`${where} did not answer within ${timeoutMs} ms`, { cause: err })
      throw err
    } finally {
      // What was not read is dropped (the destroy's own abort error is not ours to report).
      if (!res.body.destroyed) res.body.on('error', () => undefined).destroy()
    }
  }
}
