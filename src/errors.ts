/**
 * The one error base of the project. Every failure the project raises on
 * purpose is a subclass with a stable `code` (documented in docs/errors.md)
 * and, where it reaches HTTP, a `statusCode`. Match on `code`, never on the
 * message: messages are written for people and may change.
 */
const brand = Symbol.for('backchannel.error')

export class BackchannelError extends Error {
  readonly code: string
  readonly statusCode: number
  readonly [brand] = true

  constructor (code: string, message: string, options: { statusCode?: number, cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.statusCode = options.statusCode ?? 500
  }
}

/** True for any BackchannelError, even one from another copy of the package. */
export function isBackchannelError (value: unknown): value is BackchannelError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
}
