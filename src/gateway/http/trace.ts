/**
 * W3C Trace Context `traceparent` (version 00), pure: a valid header is
 * carried into the push's log lines and, when a channel asks for it, into
 * the pushed payload. Anything malformed is ignored, as the spec says.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/

export function parseTraceparent (header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null
  const value = header.trim()
  const m = TRACEPARENT.exec(value)
  if (m === null) return null
  const [, version, traceId, parentId, , rest] = m
  if (version === 'ff' || /^0+$/.test(traceId ?? '') || /^0+$/.test(parentId ?? '')) return null
  // Version 00 has exactly four fields; later versions may add more, which we keep.
  if (version === '00' && rest !== undefined) return null
  return value
}

/** The payload with the traceparent added under `field`; only plain objects are changed. */
export function withTraceField (payload: unknown, field: string | undefined, traceparent: string | null): unknown {
  if (field === undefined || traceparent === null) return payload
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || payload instanceof Uint8Array) return payload
  return { ...payload, [field]: traceparent }
}
